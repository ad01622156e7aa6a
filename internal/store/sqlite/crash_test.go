//go:build unix

package sqlite

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"cloudward/internal/resource"
	"cloudward/internal/store"
)

// Environment of the re-executed test binary that crashes mid-snapshot.
const (
	crashEnvPath = "CLOUDWARD_STORE_CRASH_DB"
	crashEnvHow  = "CLOUDWARD_STORE_CRASH_HOW" // exit or kill
)

func crashResource(i int) resource.Resource {
	return resource.Resource{
		UID: fmt.Sprintf("arn:aws:s3:::crash-%06d", i), Provider: resource.AWS, Account: "111",
		Region: "us-east-1", Kind: "aws_s3_bucket", Name: fmt.Sprintf("crash-%06d", i),
		Properties: json.RawMessage(`{"versioning":{"status":"Enabled"}}`),
	}
}

// crashChild runs in the re-executed test binary: it opens the store,
// starts a snapshot, writes and flushes rows, then dies without committing.
// It reports whether it ran (it never returns when it did, except on error).
func crashChild() bool {
	path := os.Getenv(crashEnvPath)
	if path == "" {
		return false
	}
	ctx := context.Background()
	s, err := Open(ctx, path, Options{BatchSize: 500})
	if err != nil {
		fmt.Fprintln(os.Stderr, "crash child:", err)
		os.Exit(3)
	}
	w, err := s.Begin(ctx, "crashing", time.Now())
	if err != nil {
		fmt.Fprintln(os.Stderr, "crash child:", err)
		os.Exit(3)
	}
	for i := range 5000 {
		if err := w.Resource(ctx, crashResource(i)); err != nil {
			fmt.Fprintln(os.Stderr, "crash child:", err)
			os.Exit(3)
		}
	}
	if err := w.Flush(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "crash child:", err)
		os.Exit(3)
	}
	// Leave some rows buffered too, then die.
	for i := 5000; i < 5100; i++ {
		w.Resource(ctx, crashResource(i))
	}
	fmt.Println("snapshot", w.ID())
	if os.Getenv(crashEnvHow) == "kill" {
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
		time.Sleep(time.Minute)
	}
	os.Exit(7)
	return true
}

func TestCrashMidSnapshot(t *testing.T) {
	for _, how := range []string{"exit", "kill"} {
		t.Run(how, func(t *testing.T) {
			ctx := t.Context()
			path := filepath.Join(t.TempDir(), "crash.db")

			// An earlier complete snapshot.
			s, err := Open(ctx, path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			w, err := s.Begin(ctx, "before", time.Now())
			if err != nil {
				t.Fatal(err)
			}
			for i := range 10 {
				if err := w.Resource(ctx, crashResource(i)); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Commit(ctx); err != nil {
				t.Fatal(err)
			}
			before := w.ID()
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}

			cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), crashEnvPath+"="+path, crashEnvHow+"="+how)
			out, err := cmd.Output()
			var exit *exec.ExitError
			if !errors.As(err, &exit) {
				t.Fatalf("child: err = %v, want it to die; output %s", err, out)
			}
			if how == "exit" && exit.ExitCode() != 7 || how == "kill" && !strings.Contains(exit.Error(), "killed") {
				t.Fatalf("child died the wrong way: %v\nstderr: %s", exit, exit.Stderr)
			}
			var crashed int64
			if _, err := fmt.Sscanf(string(out), "snapshot %d", &crashed); err != nil {
				t.Fatalf("child output %q: %v", out, err)
			}

			s, err = Open(ctx, path, Options{})
			if err != nil {
				t.Fatalf("open after crash: %v", err)
			}
			defer s.Close()
			var integrity string
			if err := s.db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&integrity); err != nil || integrity != "ok" {
				t.Fatalf("integrity_check = %q, %v", integrity, err)
			}
			latest, err := s.Latest(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if latest.ID != before || latest.Resources != 10 {
				t.Errorf("Latest() = %+v, want the earlier snapshot %d with 10 resources", latest, before)
			}
			n := 0
			for _, err := range s.Resources(ctx, before, store.ResourceFilter{}) {
				if err != nil {
					t.Fatal(err)
				}
				n++
			}
			if n != 10 {
				t.Errorf("earlier snapshot has %d resources, want 10", n)
			}
			sn, err := s.Snapshot(ctx, crashed)
			if err != nil {
				t.Fatal(err)
			}
			if sn.Status != store.Failed {
				t.Errorf("crashed snapshot status = %q, want failed", sn.Status)
			}
			var left int
			if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM snap_resources WHERE snapshot_id = ?", crashed).Scan(&left); err != nil {
				t.Fatal(err)
			}
			if left != 0 {
				t.Errorf("crashed snapshot left %d resource rows", left)
			}
			list, err := s.Snapshots(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(list) != 1 {
				t.Errorf("Snapshots() = %+v, want only the earlier one", list)
			}
		})
	}
}

// TestOpenKeepsLiveWriter checks that opening the store while another live
// process (here: this one) writes a snapshot does not fail that snapshot.
func TestOpenKeepsLiveWriter(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "live.db")
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	w, err := s.Begin(ctx, "live", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Resource(ctx, crashResource(1)); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	s2, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s2.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(ctx); err != nil {
		t.Fatalf("commit after a second Open: %v", err)
	}
}
