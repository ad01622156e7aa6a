package postgres

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"cloudward/internal/finding"
	"cloudward/internal/resource"
	"cloudward/internal/store"
	"cloudward/internal/store/postgres/pgtest"
)

// pgDurable serves the benchmarks with PostgreSQL's default durability
// (fsync and synchronous commit on), so that their figures are honest.
var pgDurable = pgtest.New(pgtest.Options{Durable: true})

// benchResource returns a resource with about 600 bytes of properties, the
// same as the sqlite package's benchmarks. UIDs are scattered (not in
// insertion order) and spread over 20 accounts, as concurrent collectors
// produce them.
func benchResource(i int) resource.Resource {
	h := uint64(i)*0x9e3779b97f4a7c15 + 1
	account := fmt.Sprintf("%012d", 100000000000+i%20)
	uid := fmt.Sprintf("arn:aws:ec2:us-east-1:%s:instance/i-%016x", account, h)
	props := fmt.Sprintf(`{"instance_id":"i-%016x","instance_type":"m5.large","image_id":"ami-0abcdef1234567890",`+
		`"state":{"name":"running","code":16},"private_ip_address":"10.%d.%d.%d","public_ip_address":null,`+
		`"subnet_id":"subnet-0123456789abcdef0","vpc_id":"vpc-0123456789abcdef0","architecture":"x86_64",`+
		`"metadata_options":{"http_tokens":"%s","http_endpoint":"enabled","http_put_response_hop_limit":1},`+
		`"monitoring":{"state":"disabled"},"ebs_optimized":true,"iam_instance_profile":{"arn":"arn:aws:iam::%s:instance-profile/app"},`+
		`"security_groups":[{"group_id":"sg-0123456789abcdef0","group_name":"default"},{"group_id":"sg-0fedcba9876543210","group_name":"web"}],`+
		`"block_device_mappings":[{"device_name":"/dev/xvda","ebs":{"volume_id":"vol-%016x","delete_on_termination":true,"status":"attached"}}],`+
		`"launch_time":"2024-01-02T03:04:05Z","platform_details":"Linux/UNIX"}`,
		h, i>>16&255, i>>8&255, i&255, []string{"required", "optional"}[i%2], account, h)
	return resource.Resource{
		UID: uid, Provider: resource.AWS, Account: account, Region: "us-east-1", Kind: "aws_ec2_instance",
		Name: fmt.Sprintf("app-%d", i), Tags: map[string]string{"env": "prod", "team": "payments"},
		CreatedAt: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), Properties: json.RawMessage(props),
	}
}

func benchStore(b *testing.B) *Store {
	b.Helper()
	s, err := Open(b.Context(), pgDurable.NewDB(b), Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

func writeResources(b *testing.B, s *Store, n int) store.Writer {
	b.Helper()
	ctx := b.Context()
	w, err := s.Begin(ctx, "bench", time.Now())
	if err != nil {
		b.Fatal(err)
	}
	for i := range n {
		if err := w.Resource(ctx, benchResource(i)); err != nil {
			b.Fatal(err)
		}
	}
	return w
}

// reportSize reports the database's size in MB.
func reportSize(b *testing.B, s *Store) {
	b.Helper()
	var size int64
	if err := s.pool.QueryRow(b.Context(), `SELECT pg_database_size(current_database())`).Scan(&size); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(size)/1e6, "db-MB")
}

// BenchmarkWriteResources writes b.N resources into one snapshot and commits
// it. Run with -benchtime=1000000x for the 1M-resource target.
func BenchmarkWriteResources(b *testing.B) {
	s := benchStore(b)
	start := time.Now()
	w := writeResources(b, s, b.N)
	if err := w.Commit(b.Context()); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "rows/s")
	b.StopTimer()
	reportSize(b, s)
}

// BenchmarkReadResources streams b.N resources back, in account, UID order.
func BenchmarkReadResources(b *testing.B) {
	s := benchStore(b)
	w := writeResources(b, s, b.N)
	if err := w.Commit(b.Context()); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	start := time.Now()
	n := 0
	for r, err := range s.Resources(b.Context(), w.ID(), store.ResourceFilter{}) {
		if err != nil {
			b.Fatal(err)
		}
		if len(r.Properties) == 0 {
			b.Fatal("empty properties")
		}
		n++
	}
	if n != b.N {
		b.Fatalf("read %d resources, want %d", n, b.N)
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "rows/s")
}

// BenchmarkWriteFindings writes b.N findings, two per resource, in calls of
// 1,000, and commits.
func BenchmarkWriteFindings(b *testing.B) {
	s := benchStore(b)
	ctx := b.Context()
	w := writeResources(b, s, (b.N+1)/2)
	if err := w.Flush(ctx); err != nil {
		b.Fatal(err)
	}
	checks := []string{"aws-ec2-instance-imdsv2-required", "aws-ec2-instance-no-public-ip"}
	b.ResetTimer()
	start := time.Now()
	chunk := make([]finding.Finding, 0, 1000)
	for i := range b.N {
		r := benchResource(i / 2)
		st := finding.Pass
		if i%3 == 0 {
			st = finding.Fail
		}
		chunk = append(chunk, finding.Finding{CheckID: checks[i%2], Severity: finding.Severity(i % 5), Status: st, ResourceUID: r.UID})
		if len(chunk) == cap(chunk) || i == b.N-1 {
			if err := w.Findings(ctx, chunk); err != nil {
				b.Fatal(err)
			}
			chunk = chunk[:0]
		}
	}
	if err := w.Commit(ctx); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "rows/s")
}
