// Package pgtest runs a throwaway PostgreSQL server for tests: initdb into
// a temporary directory, pg_ctl start listening only on a Unix socket in
// that directory, and a fresh database per test. When the PostgreSQL
// server binaries are not installed, tests that ask for a database skip
// with a message saying how to install them (CI installs Debian's
// postgresql package). As root, the server runs as the postgres user
// through runuser, since PostgreSQL refuses to run as root.
//
// A test package starts one lazily shared server from TestMain:
//
//	var pg = pgtest.New(pgtest.Options{})
//
//	func TestMain(m *testing.M) {
//		code := m.Run()
//		pg.Close()
//		os.Exit(code)
//	}
//
//	func TestX(t *testing.T) { dsn := pg.NewDB(t); … }
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Options configures a Server.
type Options struct {
	// Durable keeps PostgreSQL's default durability (fsync, synchronous
	// commit, full-page writes), for benchmarks. Without it the server
	// trades crash safety for speed, which tests do not need.
	Durable bool
}

// Server is a PostgreSQL server started on first use. Its methods are safe
// for concurrent use.
type Server struct {
	opts Options

	once    sync.Once
	dir     string   // data directory parent and socket directory
	pgCtl   string   // path of pg_ctl
	runAs   []string // command prefix that runs as the server's user
	err     error    // why the server is not running
	skip    bool     // err means "not installed": skip, do not fail
	counter atomic.Int64
}

// New returns a Server that starts when a test first asks for a database.
func New(opts Options) *Server { return &Server{opts: opts} }

// BinDir returns the directory holding initdb and pg_ctl: $PG_BINDIR, the
// newest /usr/lib/postgresql/<version>/bin, or the one on $PATH.
func BinDir() (string, error) {
	if d := os.Getenv("PG_BINDIR"); d != "" {
		return d, nil
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(dirs, func(a, b string) int { return version(b) - version(a) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", errors.New("PostgreSQL server binaries (initdb, pg_ctl) not found: install them (apt-get install postgresql) or set PG_BINDIR")
}

func version(binDir string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return v
}

func (s *Server) start() {
	bin, err := BinDir()
	if err != nil {
		s.err, s.skip = err, true
		return
	}
	s.pgCtl = filepath.Join(bin, "pg_ctl")
	// A short path: a Unix socket's path must fit in about 100 bytes.
	s.dir, err = os.MkdirTemp("", "cwpg")
	if err != nil {
		s.err = err
		return
	}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			s.err, s.skip = errors.New("running as root and there is no postgres user to run the server as"), true
			return
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(s.dir, uid, gid); err != nil {
			s.err = err
			return
		}
		s.runAs = []string{"runuser", "-u", "postgres", "--"}
	}
	data := filepath.Join(s.dir, "data")
	if out, err := s.run(filepath.Join(bin, "initdb"), "-D", data, "-U", "cloudward", "--auth=trust",
		"-E", "UTF8", "--no-locale", "--no-sync"); err != nil {
		s.err = fmt.Errorf("initdb: %w\n%s", err, out)
		return
	}
	conf := []string{
		"listen_addresses = ''",
		"unix_socket_directories = '" + s.dir + "'",
		"max_connections = 200",
		"shared_buffers = 128MB",
	}
	if !s.opts.Durable {
		conf = append(conf, "fsync = off", "synchronous_commit = off", "full_page_writes = off")
	}
	f, err := os.OpenFile(filepath.Join(data, "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err == nil {
		_, err = f.WriteString("\n" + strings.Join(conf, "\n") + "\n")
		err = errors.Join(err, f.Close())
	}
	if err != nil {
		s.err = fmt.Errorf("configure server: %w", err)
		return
	}
	if out, err := s.run(s.pgCtl, "-D", data, "-l", filepath.Join(s.dir, "server.log"), "-w", "-t", "60", "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(s.dir, "server.log"))
		s.err = fmt.Errorf("pg_ctl start: %w\n%s\n%s", err, out, log)
	}
}

func (s *Server) run(name string, args ...string) ([]byte, error) {
	cmd := append(slices.Clone(s.runAs), name)
	cmd = append(cmd, args...)
	c := exec.Command(cmd[0], cmd[1:]...)
	c.Dir = s.dir
	return c.CombinedOutput()
}

// DSN returns the URL of database db on the server (which must be running).
func (s *Server) DSN(db string) string {
	return "postgres://cloudward@/" + db + "?host=" + s.dir + "&sslmode=disable"
}

// Start starts the server if it is not running yet. It reports whether the
// binaries are missing (skip) separately from other failures.
func (s *Server) Start() (skip bool, err error) {
	s.once.Do(s.start)
	return s.skip, s.err
}

// NewDB returns the DSN of a new, empty database, dropped when tb ends. It
// skips tb when PostgreSQL is not installed and fails it when the server
// cannot start.
func (s *Server) NewDB(tb testing.TB) string {
	tb.Helper()
	skip, err := s.Start()
	if skip {
		tb.Skipf("no PostgreSQL for this test: %v", err)
	}
	if err != nil {
		tb.Fatalf("start PostgreSQL: %v", err)
	}
	name := fmt.Sprintf("cw_%d_%d", os.Getpid(), s.counter.Add(1))
	if err := s.admin(context.Background(), "CREATE DATABASE "+name); err != nil {
		tb.Fatalf("create database: %v", err)
	}
	tb.Cleanup(func() {
		if err := s.admin(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			tb.Logf("drop database %s: %v", name, err)
		}
	})
	return s.DSN(name)
}

// admin runs one statement on the postgres database.
func (s *Server) admin(ctx context.Context, sql string) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.DSN("postgres"))
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}

// Close stops the server, if it started, and removes its files.
func (s *Server) Close() error {
	s.once.Do(func() { s.err, s.skip = errors.New("server closed"), true })
	if s.dir == "" {
		return nil
	}
	var err error
	if s.pgCtl != "" {
		if out, e := s.run(s.pgCtl, "-D", filepath.Join(s.dir, "data"), "-m", "immediate", "-w", "stop"); e != nil && s.err == nil {
			err = fmt.Errorf("pg_ctl stop: %w\n%s", e, out)
		}
	}
	return errors.Join(err, os.RemoveAll(s.dir))
}
