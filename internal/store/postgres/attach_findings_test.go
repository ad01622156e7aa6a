package postgres

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"cloudward/internal/finding"
	"cloudward/internal/resource"
	"cloudward/internal/store"
)

// TestJobRowsFindings writes findings of a distributed evaluation job into
// a running snapshot another writer owns: a committed job's findings are in
// the snapshot after Commit, a rolled-back job's are not (a retried job
// never duplicates them), and a finding of an unknown resource fails the
// write, naming the resource.
func TestJobRowsFindings(t *testing.T) {
	ctx := t.Context()
	dsn := pg.NewDB(t)
	s, err := Open(ctx, dsn, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()

	w, err := s.Begin(ctx, "distributed", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, uid := range []string{"a", "b"} {
		if err := w.Resource(ctx, resource.Resource{UID: uid, Provider: resource.AWS, Account: "111", Region: "us-east-1",
			Kind: "aws_s3_bucket", Name: uid, Properties: json.RawMessage(`{}`)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	fail := finding.Finding{CheckID: "aws-x", Severity: finding.High, Status: finding.Fail, ResourceUID: "a"}
	pass := finding.Finding{CheckID: "aws-x", Severity: finding.High, Status: finding.Pass, ResourceUID: "b"}
	muted := finding.Finding{CheckID: "aws-y", Severity: finding.Low, Status: finding.Muted, Reason: "accepted", ResourceUID: "b"}
	write := func(commit bool, fs ...finding.Finding) error {
		t.Helper()
		rows := s.JobRows(w.ID())
		if err := rows.Findings(ctx, fs); err != nil {
			t.Fatal(err)
		}
		if n := rows.FindingsLen(); n != len(fs) {
			t.Fatalf("FindingsLen = %d, want %d", n, len(fs))
		}
		err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			if err := rows.WriteTx(ctx, tx); err != nil {
				return err
			}
			if !commit {
				return errRollback
			}
			return nil
		})
		if errors.Is(err, errRollback) {
			return nil
		}
		return err
	}
	// A first attempt that fails before its commit, then the retry.
	if err := write(false, fail, pass, muted); err != nil {
		t.Fatal(err)
	}
	if err := write(true, fail, pass, muted); err != nil {
		t.Fatal(err)
	}
	err = write(true, finding.Finding{CheckID: "aws-x", Severity: finding.High, Status: finding.Fail, ResourceUID: "ghost"})
	if err == nil || !strings.Contains(err.Error(), "ghost") {
		t.Errorf("finding of an unknown resource: %v, want an error naming it", err)
	}
	rows := s.JobRows(w.ID())
	if err := rows.Findings(ctx, []finding.Finding{pass, {CheckID: "aws-x", Status: finding.Pass}}); err == nil || rows.FindingsLen() != 0 {
		t.Errorf("a finding without a resource: %v, %d buffered; want an error and nothing buffered", err, rows.FindingsLen())
	}
	if err := w.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	var got []string
	for f, err := range s.Findings(ctx, w.ID(), store.FindingFilter{}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, f.CheckID+" "+f.ResourceUID+" "+string(f.Status)+" "+f.Reason+" "+f.Kind)
	}
	slices.Sort(got)
	want := []string{"aws-x a FAIL  aws_s3_bucket", "aws-x b PASS  aws_s3_bucket", "aws-y b MUTED accepted aws_s3_bucket"}
	if !slices.Equal(got, want) {
		t.Errorf("findings:\n%q\nwant\n%q", got, want)
	}
}
