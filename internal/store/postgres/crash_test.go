//go:build unix

package postgres

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"cloudward/internal/resource"
	"cloudward/internal/store"
)

// crashEnvDSN names the database of the re-executed test binary that
// dies mid-snapshot.
const crashEnvDSN = "CLOUDWARD_PG_CRASH_DSN"

// crashResource is resource i: the even ones share one properties
// document, each odd one has its own.
func crashResource(i int) resource.Resource {
	props := `{"versioning":{"status":"Enabled"}}`
	if i%2 == 1 {
		props = fmt.Sprintf(`{"versioning":{"status":"Enabled"},"i":%d}`, i)
	}
	return resource.Resource{
		UID: fmt.Sprintf("arn:aws:s3:::crash-%06d", i), Provider: resource.AWS, Account: "111",
		Region: "us-east-1", Kind: "aws_s3_bucket", Name: fmt.Sprintf("crash-%06d", i),
		Properties: json.RawMessage(props),
	}
}

// crashChild runs in the re-executed test binary: it starts a snapshot,
// writes and flushes rows, prints the snapshot ID and waits to be killed.
// It reports whether it ran (it never returns when it did).
func crashChild() bool {
	dsn := os.Getenv(crashEnvDSN)
	if dsn == "" {
		return false
	}
	fail := func(err error) {
		fmt.Fprintln(os.Stderr, "crash child:", err)
		os.Exit(3)
	}
	ctx := context.Background()
	s, err := Open(ctx, dsn, Options{BatchSize: 500})
	if err != nil {
		fail(err)
	}
	w, err := s.Begin(ctx, "crashing", time.Now())
	if err != nil {
		fail(err)
	}
	for i := range 2000 {
		if err := w.Resource(ctx, crashResource(i)); err != nil {
			fail(err)
		}
	}
	if err := w.Flush(ctx); err != nil {
		fail(err)
	}
	w.Resource(ctx, crashResource(2000)) // one buffered row too
	fmt.Println("snapshot", w.ID())
	time.Sleep(10 * time.Minute)
	os.Exit(7)
	return true
}

// TestCrashMidSnapshot: a snapshot whose writer is alive stays running
// when another process opens the store; once the writer is killed (-9),
// the next Open fails it and deletes its rows and the property documents
// it introduced, and the complete snapshot before it (and the document it
// shares with the dead one) is untouched.
func TestCrashMidSnapshot(t *testing.T) {
	dsn := pg.NewDB(t)
	ctx := t.Context()
	s, err := Open(ctx, dsn, Options{})
	if err != nil {
		t.Fatal(err)
	}
	w, err := s.Begin(ctx, "before", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Resource(ctx, crashResource(0)); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	kept := w.ID()
	s.Close()

	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), crashEnvDSN+"="+dsn)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("crash child: %v", err)
	}
	var id int64
	if _, err := fmt.Sscanf(strings.TrimSpace(line), "snapshot %d", &id); err != nil {
		t.Fatalf("crash child said %q", line)
	}

	// The writer is alive: opening the store leaves its snapshot running.
	s, err = Open(ctx, dsn, Options{})
	if err != nil {
		t.Fatal(err)
	}
	sn, err := s.Snapshot(ctx, id)
	if err != nil || sn.Status != store.Running {
		t.Fatalf("with its writer alive: snapshot %d = %+v, %v; want running", id, sn, err)
	}
	s.Close()

	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()

	// The server ends the dead writer's session (and its lock) as soon as
	// it sees the socket close; allow it a moment.
	deadline := time.Now().Add(30 * time.Second)
	for {
		s, err = Open(ctx, dsn, Options{})
		if err != nil {
			t.Fatal(err)
		}
		sn, err = s.Snapshot(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if sn.Status != store.Running || time.Now().After(deadline) {
			break
		}
		s.Close()
		time.Sleep(100 * time.Millisecond)
	}
	defer s.Close()
	if sn.Status != store.Failed {
		t.Fatalf("after the writer was killed: status %q, want failed", sn.Status)
	}
	n := 0
	for _, err := range s.Resources(ctx, id, store.ResourceFilter{}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 0 {
		t.Errorf("failed snapshot still has %d resources", n)
	}
	latest, err := s.Latest(ctx)
	if err != nil || latest.ID != kept || latest.Resources != 1 {
		t.Errorf("Latest() = %+v, %v; want the snapshot %d from before the crash", latest, err, kept)
	}
	if _, err := s.Latest(ctx); errors.Is(err, store.ErrNotFound) {
		t.Error("the complete snapshot was lost")
	}
	var docs int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM resource_docs`).Scan(&docs); err != nil {
		t.Fatal(err)
	}
	if docs != 1 {
		t.Errorf("%d property documents after recovery, want 1 (the one the complete snapshot uses)", docs)
	}
	for r, err := range s.Resources(ctx, kept, store.ResourceFilter{}) {
		if err != nil {
			t.Fatal(err)
		}
		if want := crashResource(0).Properties; string(r.Properties) != string(want) {
			t.Errorf("kept resource: properties %s, want %s", r.Properties, want)
		}
	}
}
