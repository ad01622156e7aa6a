package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/spf13/pflag"

	"cloudward/internal/collect"
	"cloudward/internal/collect/aws"
	"cloudward/internal/collect/aws/awstest"
	"cloudward/internal/dist"
	"cloudward/internal/policy"
	"cloudward/internal/report"
	"cloudward/internal/store/postgres"
	"cloudward/internal/store/postgres/pgtest"
)

// evalTestChecks are a user's --checks directory: a single-resource check
// and a cross-resource one (it runs in a cross-resource shard).
var evalTestChecks = map[string]string{
	"acme/bucket-prefix.yaml": `id: aws-acme-bucket-prefix
title: Bucket names start with the company prefix
severity: low
provider: aws
kind: aws_s3_bucket
area: configuration
condition: resource.name.startsWith("acme-")
description: Every bucket is named acme-something.
risk: Buckets nobody recognises are left unowned.
remediation:
  text: Recreate the bucket under a prefixed name.
tests:
  - name: prefixed
    expect: pass
    resource: {name: acme-logs}
  - name: not prefixed
    expect: fail
    resource: {name: logs}
`,
	"acme/few-buckets.yaml": `id: aws-acme-few-buckets
title: An account has fewer than three buckets
severity: info
provider: aws
kind: aws_s3_bucket
area: configuration
condition: size(account_resources("aws_s3_bucket")) < 3
description: Buckets are consolidated.
risk: Sprawl.
remediation:
  text: Consolidate buckets.
tests:
  - name: one
    expect: pass
    resource: {name: a}
  - name: many
    expect: fail
    resource: {name: a}
    related:
      - {kind: aws_s3_bucket, name: b}
      - {kind: aws_s3_bucket, name: c}
      - {kind: aws_s3_bucket, name: d}
`,
}

// evalTestConfig is the scan's cloudward.yaml: company rules (generated
// checks), a mute that mutes, one that is stale and one that expired.
const evalTestConfig = `org:
  required_tags: [owner]
  allowed_regions:
    aws: [us-east-1]
mutes:
  - check: org-required-tags
    resource: "arn:aws:s3:::*"
    reason: buckets are tagged by a pipeline we trust
    owner: platform
  - check: org-allowed-regions
    resource: "arn:aws:nothing:*"
    reason: nothing matches this any more
    owner: platform
  - check: "*"
    account: "222222222222"
    reason: long expired
    owner: platform
    expires: 2020-01-01
`

// TestDistributedEvaluationMatchesLocal scans the fake AWS organization
// into one PostgreSQL database at the same clock, with a user
// --checks directory and a cloudward.yaml of company rules and mutes: once
// distributed with evaluation on two workers (which never see those files:
// they are deleted before the first evaluation job runs, and the first
// attempt of one job fails and is retried), once in one process. The
// findings, the JSON report, the engine's stats and the mute results must
// be the same. A third scan, distributed with --distributed-eval local,
// must agree too.
func TestDistributedEvaluationMatchesLocal(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PostgreSQL")
	}
	pg := pgtest.New(pgtest.Options{})
	t.Cleanup(func() {
		if err := pg.Close(); err != nil {
			t.Errorf("stop PostgreSQL: %v", err)
		}
	})
	dsn := pg.NewDB(t)
	srv := awstest.New(awstest.Options{
		Dir:  filepath.Join("..", "collect", "aws", "testdata", "fake"),
		Deny: map[string]bool{"222222222222/eu-west-1/*": true},
	})
	t.Cleanup(srv.Close)
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID": "AKIDFAKE111111111111", "AWS_SECRET_ACCESS_KEY": "aws-secret-for-tests",
		"AWS_REGION": "us-east-1", "AWS_CONFIG_FILE": filepath.Join(t.TempDir(), "none"),
		"AWS_SHARED_CREDENTIALS_FILE": filepath.Join(t.TempDir(), "none"), "AWS_EC2_METADATA_DISABLED": "true",
		"AWS_PROFILE": "",
	} {
		t.Setenv(k, v)
	}
	userDir := t.TempDir()
	checkDir := filepath.Join(userDir, "checks")
	for name, body := range evalTestChecks {
		p := filepath.Join(checkDir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfgPath := filepath.Join(userDir, "cloudward.yaml")
	if err := os.WriteFile(cfgPath, []byte(evalTestConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	log := slog.New(slog.DiscardHandler)
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)

	// The workers: two, in this process, collecting and evaluating.
	st, err := postgres.Open(ctx, dsn, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	reg, err := registry()
	if err != nil {
		t.Fatal(err)
	}
	var (
		removeOnce sync.Once
		removeErr  error
		injected   atomic.Int64
		evalRuns   atomic.Int64
	)
	hook := func(ctx context.Context, a dist.EvalArgs, attempt int) error {
		// The scan's files are gone before any worker compiles its catalog.
		removeOnce.Do(func() { removeErr = os.RemoveAll(userDir) })
		evalRuns.Add(1)
		if a.Shard.ID == 1 && attempt == 1 {
			injected.Add(1)
			return errors.New("injected failure of the first attempt")
		}
		// Long enough for both workers to take jobs.
		time.Sleep(50 * time.Millisecond)
		return nil
	}
	wctx, stopWorkers := context.WithCancel(ctx)
	var wg sync.WaitGroup
	workerErrs := make(chan error, 2)
	for _, id := range []string{"eval-worker-a", "eval-worker-b"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := aws.New(aws.Options{EndpointURL: srv.URL, Logger: log})
			workerErrs <- dist.RunWorker(wctx, pool, st, dist.WorkerOptions{
				Planners: []collect.Planner{p}, Registry: reg, Concurrency: 4, FetchPollInterval: 50 * time.Millisecond,
				ID: id, BeforeEval: hook, Logger: log,
			})
		}()
	}
	defer func() {
		stopWorkers()
		wg.Wait()
		close(workerErrs)
		for err := range workerErrs {
			if err != nil {
				t.Errorf("worker: %v", err)
			}
		}
	}()

	type scanned struct {
		res    pipelineResult
		report map[string]any
		warn   string
	}
	scan := func(distributed bool, evalWhere string) scanned {
		t.Helper()
		cat, err := loadCatalog(catalogOptions{checkDirs: []string{checkDir}, configPath: cfgPath})
		if err != nil {
			t.Fatal(err)
		}
		awsCLI := newAWSCLI()
		fl := pflag.NewFlagSet("scan", pflag.ContinueOnError)
		awsCLI.AddFlags(fl)
		if err := fl.Parse([]string{"--aws-org", "--aws-endpoint-url", srv.URL}); err != nil {
			t.Fatal(err)
		}
		col, err := awsCLI.Collector(ctx, log)
		if err != nil {
			t.Fatal(err)
		}
		in := pipelineInput{store: st, collector: col, catalog: cat, scope: "aws", now: now, log: log}
		if distributed {
			d, err := newDistributedScan(ctx, scanDistributedFlags{enabled: true, maxAttempts: 3, eval: evalWhere, shardSize: 10},
				false, dsn, []collect.Collector{col}, nil, log)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			in.remote, in.remoteEval = d.collect, d.eval
		}
		res, err := pipeline(ctx, in)
		if err != nil {
			t.Fatalf("scan (distributed %v): %v", distributed, err)
		}
		if err := addResponsibility(ctx, st, res.snapshot.ID, cat, res.summary); err != nil {
			t.Fatal(err)
		}
		var stdout, stderr bytes.Buffer
		e := &env{stdout: &stdout, stderr: &stderr, log: log}
		if err := writeOutputs(ctx, e, st, res, []report.Output{{Format: report.FormatJSON}}, 0, nil); err != nil {
			t.Fatal(err)
		}
		reportMutes(e, res.mutes)
		var rep map[string]any
		if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
			t.Fatalf("decode report: %v", err)
		}
		return scanned{res: res, report: rep, warn: stderr.String()}
	}

	distScan := scan(true, evalOnWorkers)
	if removeErr != nil {
		t.Fatal(removeErr)
	}
	if _, err := os.Stat(userDir); !os.IsNotExist(err) {
		t.Fatalf("the scan's checks and cloudward.yaml were not removed before evaluation: %v", err)
	}
	// The single-process scan needs the files back.
	for name, body := range evalTestChecks {
		p := filepath.Join(checkDir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(cfgPath, []byte(evalTestConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	evalsBefore := evalRuns.Load()
	local := scan(false, "")
	// Distributed collection, evaluation in the scan process.
	distLocal := scan(true, evalLocal)
	if evalRuns.Load() != evalsBefore {
		t.Error("a scan evaluating in its own process queued evaluation jobs")
	}

	// The evaluation ran on the workers: several shards, on both workers,
	// one of them retried after its injected failure.
	type jobRow struct {
		state    string
		attempts []string
		errors   int
	}
	rows, err := pool.Query(ctx, `SELECT state::text, attempted_by, coalesce(array_length(errors, 1), 0)
		FROM river_job WHERE kind = $1 AND args @> $2::jsonb`, dist.EvalJobKind, fmt.Sprintf(`{"snapshot": %d}`, distScan.res.snapshot.ID))
	if err != nil {
		t.Fatal(err)
	}
	var jobs []jobRow
	for rows.Next() {
		var j jobRow
		if err := rows.Scan(&j.state, &j.attempts, &j.errors); err != nil {
			t.Fatal(err)
		}
		jobs = append(jobs, j)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	ran := map[string]bool{}
	retried := 0
	for _, j := range jobs {
		if j.state != "completed" {
			t.Errorf("an evaluation job is %s", j.state)
		}
		for _, w := range j.attempts {
			ran[w] = true
		}
		if j.errors > 0 && len(j.attempts) == 2 {
			retried++
		}
	}
	if len(jobs) < 3 || len(ran) < 2 {
		t.Errorf("%d evaluation jobs on workers %v; want several, on both workers", len(jobs), ran)
	}
	if injected.Load() != 1 || retried != 1 {
		t.Errorf("%d injected failures, %d retried jobs; want one of each", injected.Load(), retried)
	}

	// Same findings, report, stats and mute results.
	got, want := snapshotContents(t, st, distScan.res.snapshot.ID), snapshotContents(t, st, local.res.snapshot.ID)
	for _, part := range []string{"resources", "edges", "errors", "findings"} {
		if !slices.Equal(got[part], want[part]) {
			t.Errorf("%s differ (distributed %d, single process %d)\nonly distributed: %v\nonly single process: %v",
				part, len(got[part]), len(want[part]), difference(got[part], want[part]), difference(want[part], got[part]))
		}
	}
	for _, id := range []string{"aws-acme-bucket-prefix", "aws-acme-few-buckets", "org-required-tags", "org-allowed-regions"} {
		if !slices.ContainsFunc(got["findings"], func(f string) bool { return strings.Contains(f, `"check_id":"`+id+`"`) }) {
			t.Errorf("no finding of %s: the user's checks and company rules did not reach the workers", id)
		}
	}
	if !slices.ContainsFunc(got["findings"], func(f string) bool { return strings.Contains(f, `"status":"MUTED"`) }) {
		t.Error("no MUTED finding: the mutes did not reach the workers")
	}
	for _, rep := range []map[string]any{distScan.report, local.report, distLocal.report} {
		delete(rep, "snapshot") // its ID and times
		// Collection errors are listed in the order they were collected,
		// which is not the evaluation's business.
		if errs, ok := rep["collection_errors"].([]any); ok {
			slices.SortFunc(errs, func(a, b any) int {
				x, _ := json.Marshal(a)
				y, _ := json.Marshal(b)
				return bytes.Compare(x, y)
			})
		}
	}
	if !reflect.DeepEqual(distLocal.report, local.report) || distLocal.res.stats != local.res.stats ||
		!equalMuteResults(distLocal.res.mutes, local.res.mutes) {
		t.Error("--distributed-eval local: the report, stats or mute results differ from a single-process scan's")
	}
	if !reflect.DeepEqual(distScan.report, local.report) {
		a, _ := json.MarshalIndent(distScan.report, "", " ")
		b, _ := json.MarshalIndent(local.report, "", " ")
		t.Errorf("JSON reports differ:\n%s", lineDiff(string(a), string(b)))
	}
	if distScan.res.stats != local.res.stats {
		t.Errorf("stats: distributed %+v, single process %+v", distScan.res.stats, local.res.stats)
	}
	if !equalMuteResults(distScan.res.mutes, local.res.mutes) {
		t.Errorf("mute results: distributed %s, single process %s", muteString(distScan.res.mutes), muteString(local.res.mutes))
	}
	if distScan.warn != local.warn || !strings.Contains(local.warn, "expired") || !strings.Contains(local.warn, "matched no failing finding") {
		t.Errorf("mute warnings:\ndistributed: %s\nsingle process: %s", distScan.warn, local.warn)
	}
	if m := local.res.mutes; len(m) != 3 || m[0].Muted == 0 {
		t.Errorf("mute results %s: want the first rule to mute some findings", muteString(m))
	}
	t.Logf("%d evaluation jobs on %d workers; %d findings; stats %+v; mutes %s",
		len(jobs), len(ran), len(got["findings"]), distScan.res.stats, muteString(distScan.res.mutes))
}

func equalMuteResults(a, b []policy.MuteResult) bool {
	return slices.EqualFunc(a, b, func(x, y policy.MuteResult) bool {
		return x.Expired == y.Expired && x.Muted == y.Muted && x.Mute.Where() == y.Mute.Where()
	})
}

func muteString(rs []policy.MuteResult) string {
	var parts []string
	for _, r := range rs {
		parts = append(parts, fmt.Sprintf("%s expired=%v muted=%d", r.Mute.Where(), r.Expired, r.Muted))
	}
	return "[" + strings.Join(parts, "; ") + "]"
}

// lineDiff lists the lines of a not in b and of b not in a.
func lineDiff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	return fmt.Sprintf("only distributed: %v\nonly single process: %v", difference(la, lb), difference(lb, la))
}

// TestDistributedEvalFlags rejects bad values of the scan's and the
// worker's distributed-evaluation flags before doing anything.
func TestDistributedEvalFlags(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"worker", "--db", "postgres://x@127.0.0.1:1/x", "--jobs", "sleep"}, "--jobs"},
		{[]string{"worker", "--db", "postgres://x@127.0.0.1:1/x", "--jobs", ""}, "--jobs"},
		{[]string{"worker", "--db", "postgres://x@127.0.0.1:1/x", "--eval-concurrency", "0"}, "--eval-concurrency"},
	} {
		code, _, stderr := run(t, tt.args...)
		if code != ExitError || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, %s; want a usage error naming %s", tt.args, code, stderr, tt.want)
		}
	}
	for _, tt := range []struct {
		f    scanDistributedFlags
		want string
	}{
		{scanDistributedFlags{enabled: true, maxAttempts: 3, eval: "elsewhere", shardSize: 10}, "--distributed-eval"},
		{scanDistributedFlags{enabled: true, maxAttempts: 3, eval: evalOnWorkers, shardSize: 0}, "--distributed-shard-size"},
	} {
		_, err := newDistributedScan(context.Background(), tt.f, false, "postgres://x@127.0.0.1:1/x", nil, nil, slog.New(slog.DiscardHandler))
		var u usageError
		if !errors.As(err, &u) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: %v; want a usage error naming %s", tt.f, err, tt.want)
		}
	}
}
