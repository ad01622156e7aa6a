package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// pgBinDir returns the directory holding initdb and pg_ctl: $PG_BINDIR, the
// newest /usr/lib/postgresql/<version>/bin, or the one on $PATH. It is
// internal/store/postgres/pgtest's lookup; pgtest itself is not imported
// because it is a test helper (it imports package testing and needs a
// testing.TB for databases).
func pgBinDir(getenv func(string) string) (string, error) {
	if d := getenv("PG_BINDIR"); d != "" {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err != nil {
			return "", fmt.Errorf("PG_BINDIR=%s: %w", d, err)
		}
		return d, nil
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(dirs, func(a, b string) int { return pgVersion(b) - pgVersion(a) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", errors.New("PostgreSQL server binaries (initdb, pg_ctl) not found: install them (apt-get install postgresql), set PG_BINDIR, or give --pg-dsn")
}

func pgVersion(binDir string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return v
}

// pgServer is where the PostgreSQL runs go: a throwaway cluster this
// command started, or an existing server named by --pg-dsn.
type pgServer struct {
	base *url.URL // a postgres:// URL whose path is replaced per database

	// Set for a cluster started here.
	dir     string   // socket directory and data directory parent
	binDir  string   // initdb, pg_ctl
	runAs   []string // command prefix that runs as the server's user
	started bool
	Version string // server_version
}

// pgConfig is appended to the throwaway cluster's postgresql.conf. It keeps
// PostgreSQL's default durability (fsync, synchronous commit, full-page
// writes): the figures are for a server that could run in production.
var pgConfig = []string{
	"listen_addresses = ''",
	"max_connections = 100",
	"shared_buffers = 256MB",
}

// startCluster runs initdb in a new directory under parent and starts the
// server, listening only on a Unix socket in that directory. As root it runs
// the server as the postgres user (PostgreSQL refuses to run as root). The
// caller must call stop, also when startCluster fails.
func startCluster(ctx context.Context, parent, binDir string) (*pgServer, error) {
	s := &pgServer{binDir: binDir}
	// A short name: a Unix socket's path must fit in about 100 bytes.
	dir, err := os.MkdirTemp(parent, "pg")
	if err != nil {
		return s, fmt.Errorf("postgres cluster directory: %w", err)
	}
	s.dir = dir
	if len(dir) > 80 {
		return s, fmt.Errorf("postgres cluster directory %s: path too long for a Unix socket; use a shorter --work-dir", dir)
	}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return s, errors.New("running as root and there is no postgres user to run the server as (install the postgresql package, or give --pg-dsn)")
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			return s, fmt.Errorf("postgres cluster directory: %w", err)
		}
		s.runAs = []string{"runuser", "-u", "postgres", "--"}
		if d := untraversable(parent); d != "" {
			return s, fmt.Errorf("postgres cluster: %s is not searchable by other users, so the postgres user (the server runs as it when you are root) cannot reach %s: choose a --work-dir under /tmp", d, dir)
		}
	}
	data := filepath.Join(dir, "data")
	if out, err := s.run(ctx, filepath.Join(binDir, "initdb"), "-D", data, "-U", "cloudward", "--auth=trust",
		"-E", "UTF8", "--no-locale", "--no-sync"); err != nil {
		return s, fmt.Errorf("initdb: %w\n%s", err, out)
	}
	conf := append(slices.Clone(pgConfig), "unix_socket_directories = '"+dir+"'")
	f, err := os.OpenFile(filepath.Join(data, "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err == nil {
		_, err = f.WriteString("\n" + strings.Join(conf, "\n") + "\n")
		err = errors.Join(err, f.Close())
	}
	if err != nil {
		return s, fmt.Errorf("configure postgres cluster: %w", err)
	}
	s.started = true // from here on, stop must run pg_ctl stop
	if out, err := s.run(ctx, filepath.Join(binDir, "pg_ctl"), "-D", data, "-l", filepath.Join(dir, "server.log"), "-w", "-t", "60", "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "server.log"))
		return s, fmt.Errorf("pg_ctl start: %w\n%s\n%s", err, out, log)
	}
	s.base = &url.URL{Scheme: "postgres", User: url.User("cloudward"), Host: "", Path: "/postgres",
		RawQuery: url.Values{"host": {dir}, "sslmode": {"disable"}}.Encode()}
	return s, s.readVersion(ctx)
}

// untraversable returns the first directory on the way from / to dir
// that other users cannot search (no o+x), or "".
func untraversable(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return dir
	}
	d := "/"
	for part := range strings.SplitSeq(strings.TrimPrefix(abs, "/"), "/") {
		d = filepath.Join(d, part)
		if fi, err := os.Stat(d); err != nil || fi.Mode().Perm()&0o001 == 0 {
			return d
		}
	}
	return ""
}

// externalServer uses the server of dsn (a postgres:// URL): each run gets a
// database of its own, created there and dropped after, so the role needs
// CREATEDB.
func externalServer(ctx context.Context, dsn string) (*pgServer, error) {
	u, err := parsePGURL(dsn)
	if err != nil {
		return nil, err
	}
	s := &pgServer{base: u}
	return s, s.readVersion(ctx)
}

// parsePGURL parses a postgres:// or postgresql:// URL.
func parsePGURL(dsn string) (*url.URL, error) {
	u, err := url.Parse(dsn)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return nil, fmt.Errorf("--pg-dsn: want a postgres:// URL (as cloudward --db takes), got %q", redactURL(dsn))
	}
	return u, nil
}

// redactURL returns s with the password of a URL replaced.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// redactArgs returns args with the passwords of URLs in them replaced
// ("postgres://u:pw@h/db" and "--pg-dsn=postgres://u:pw@h/db").
func redactArgs(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		if k, v, ok := strings.Cut(a, "="); ok && strings.HasPrefix(k, "-") && strings.Contains(v, "://") {
			out[i] = k + "=" + redactURL(v)
			continue
		}
		out[i] = redactURL(a)
	}
	return out
}

func (s *pgServer) run(ctx context.Context, name string, args ...string) ([]byte, error) {
	argv := append(slices.Clone(s.runAs), name)
	argv = append(argv, args...)
	c := exec.CommandContext(ctx, argv[0], argv[1:]...)
	c.Dir = s.dir
	return c.CombinedOutput()
}

// DSN returns the URL of database db on the server.
func (s *pgServer) DSN(db string) string {
	u := *s.base
	u.Path = "/" + db
	return u.String()
}

// Local reports whether the server is a cluster this command started (its
// processes can be measured).
func (s *pgServer) Local() bool { return s.dir != "" }

func (s *pgServer) readVersion(ctx context.Context) error {
	return s.admin(ctx, func(conn *pgx.Conn) error {
		return conn.QueryRow(ctx, "SHOW server_version").Scan(&s.Version)
	})
}

// admin runs fn on a connection to the server's maintenance database (the
// --pg-dsn's own database for an external server).
func (s *pgServer) admin(ctx context.Context, fn func(*pgx.Conn) error) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	dsn := s.base.String()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return fmt.Errorf("connect to postgres %s: %w", redactURL(dsn), err)
	}
	defer conn.Close(context.Background())
	return fn(conn)
}

// CreateDB creates an empty database.
func (s *pgServer) CreateDB(ctx context.Context, name string) error {
	return s.admin(ctx, func(conn *pgx.Conn) error {
		if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
			return fmt.Errorf("create database %s (the role needs CREATEDB): %w", name, err)
		}
		return nil
	})
}

// DropDB drops a database, disconnecting its sessions.
func (s *pgServer) DropDB(ctx context.Context, name string) error {
	return s.admin(ctx, func(conn *pgx.Conn) error {
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			return fmt.Errorf("drop database %s: %w", name, err)
		}
		return nil
	})
}

// DBSize returns pg_database_size of a database, in bytes.
func (s *pgServer) DBSize(ctx context.Context, name string) (int64, error) {
	var n int64
	err := s.admin(ctx, func(conn *pgx.Conn) error {
		return conn.QueryRow(ctx, "SELECT pg_database_size($1)", name).Scan(&n)
	})
	if err != nil {
		return 0, fmt.Errorf("size of database %s: %w", name, err)
	}
	return n, nil
}

// postmasterPID returns the PID of the local cluster's postmaster.
func (s *pgServer) postmasterPID() (int, error) {
	if !s.Local() {
		return 0, errors.New("not a local cluster")
	}
	return readPostmasterPID(filepath.Join(s.dir, "data"))
}

// readPostmasterPID reads the first line of a data directory's postmaster.pid.
func readPostmasterPID(data string) (int, error) {
	b, err := os.ReadFile(filepath.Join(data, "postmaster.pid"))
	if err != nil {
		return 0, fmt.Errorf("postmaster pid: %w", err)
	}
	line, _, _ := strings.Cut(string(b), "\n")
	pid, err := strconv.Atoi(strings.TrimSpace(line))
	if err != nil || pid <= 0 {
		return 0, fmt.Errorf("postmaster pid: %s/postmaster.pid does not start with a PID", data)
	}
	return pid, nil
}

// Stop stops a cluster started here and, unless keep, removes its files;
// it does nothing for an external server. It uses its own context: it also
// runs after the command's context was cancelled (Ctrl-C).
func (s *pgServer) Stop(keep bool) error {
	if s == nil || s.dir == "" {
		return nil
	}
	var err error
	if s.started {
		err = stopDataDir(s.runAs, s.binDir, filepath.Join(s.dir, "data"))
	}
	if keep {
		return err
	}
	return errors.Join(err, os.RemoveAll(s.dir))
}

// stopDataDir stops the server of a data directory: a fast shutdown, then
// an immediate one if that does not finish in 30 s.
func stopDataDir(runAs []string, binDir, data string) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	stop := func(mode string) ([]byte, error) {
		argv := append(slices.Clone(runAs), filepath.Join(binDir, "pg_ctl"), "-D", data, "-m", mode, "-w", "-t", "30", "stop")
		return exec.CommandContext(ctx, argv[0], argv[1:]...).CombinedOutput()
	}
	if _, err := stop("fast"); err == nil {
		return nil
	}
	if out, err := stop("immediate"); err != nil {
		if _, serr := os.Stat(filepath.Join(data, "postmaster.pid")); errors.Is(serr, os.ErrNotExist) {
			return nil // not running
		}
		return fmt.Errorf("pg_ctl stop %s: %w\n%s", data, err, out)
	}
	return nil
}

// stopStrayClusters stops the servers the package tests' pgtest helper
// started under dir and could not stop because their test binary was
// killed (Ctrl-C during a component benchmark): each is a cwpg*/data
// directory with a postmaster.pid.
func stopStrayClusters(dir, binDir string) error {
	pids, _ := filepath.Glob(filepath.Join(dir, "cwpg*", "data", "postmaster.pid"))
	var runAs []string
	if os.Geteuid() == 0 {
		runAs = []string{"runuser", "-u", "postgres", "--"}
	}
	var errs []error
	for _, p := range pids {
		errs = append(errs, stopDataDir(runAs, binDir, filepath.Dir(p)))
	}
	return errors.Join(errs...)
}
