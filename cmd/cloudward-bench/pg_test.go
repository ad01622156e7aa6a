package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestPostgresCluster starts the throwaway cluster, uses it as the
// postgres backend does (and as --pg-dsn does), and checks that Stop
// leaves no server process and no files behind.
func TestPostgresCluster(t *testing.T) {
	binDir, err := pgBinDir(os.Getenv)
	if err != nil {
		t.Skipf("no PostgreSQL: %v", err)
	}
	if testing.Short() {
		t.Skip("starts a PostgreSQL server")
	}
	ctx := t.Context()
	// Not t.TempDir: its parent is private, and the server may run as
	// the postgres user.
	work, err := os.MkdirTemp("", "cwbench-test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(work) })
	if err := os.Chmod(work, 0o755); err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() == 0 {
		private := t.TempDir()
		if _, err := startCluster(ctx, private, binDir); err == nil || !strings.Contains(err.Error(), "not searchable by other users") {
			t.Errorf("a private --work-dir: err = %v", err)
		}
	}
	pg, err := startCluster(ctx, work, binDir)
	stopped := false
	defer func() {
		if !stopped {
			pg.Stop(false)
		}
	}()
	if err != nil {
		t.Fatal(err)
	}
	if !pg.Local() || pg.Version == "" {
		t.Errorf("local %v, version %q", pg.Local(), pg.Version)
	}
	pm, err := pg.postmasterPID()
	if err != nil {
		t.Fatal(err)
	}
	cpu, err := treeCPU(pm)
	if err != nil || cpu <= 0 {
		t.Errorf("server CPU after start-up = %v, %v; want > 0", cpu, err)
	}

	if err := pg.CreateDB(ctx, "cwbench_test"); err != nil {
		t.Fatal(err)
	}
	size, err := pg.DBSize(ctx, "cwbench_test")
	if err != nil || size <= 0 {
		t.Errorf("size %d, %v", size, err)
	}
	if err := pg.CreateDB(ctx, "cwbench_test"); err == nil || !strings.Contains(err.Error(), "CREATEDB") {
		t.Errorf("creating it twice: err = %v, want one naming CREATEDB", err)
	}

	// The same server through --pg-dsn, with a password in the URL that
	// must not show in messages.
	ext, err := externalServer(ctx, pg.DSN("cwbench_test"))
	if err != nil {
		t.Fatal(err)
	}
	if ext.Local() || ext.Version != pg.Version {
		t.Errorf("external: local %v, version %q", ext.Local(), ext.Version)
	}
	if err := ext.Stop(false); err != nil {
		t.Errorf("Stop of an external server: %v", err)
	}
	if err := ext.CreateDB(ctx, "cwbench_ext"); err != nil {
		t.Fatal(err)
	}
	if err := ext.DropDB(ctx, "cwbench_ext"); err != nil {
		t.Fatal(err)
	}
	_, err = externalServer(ctx, "postgres://u:hunter2@/nope?host="+filepath.Join(work, "none")+"&connect_timeout=5")
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("unreachable server: err = %v (must fail without the password)", err)
	}

	if err := pg.DropDB(ctx, "cwbench_test"); err != nil {
		t.Fatal(err)
	}
	stopped = true
	if err := pg.Stop(false); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for syscall.Kill(pm, 0) == nil && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if err := syscall.Kill(pm, 0); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("postmaster %d still there after Stop (%v)", pm, err)
	}
	if _, err := os.Stat(pg.dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("cluster directory left: %v", err)
	}
}
