// Package server is `cloudward serve`: scans on a schedule (the same
// pipeline as `cloudward scan`, passed in as a ScanFunc), a REST API under
// /api/v1, a web dashboard embedded in the binary, Prometheus metrics and
// notifications of new failing findings. It is secure by default: loopback
// unless told otherwise, a token for every API call, session cookies with
// CSRF protection for the dashboard, and strict security headers.
package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"cloudward/internal/finding"
	"cloudward/internal/report"
	"cloudward/internal/resource"
	"cloudward/internal/serverstate"
	"cloudward/internal/store"
)

// ScanFunc runs one scan of scope through the scan pipeline and returns the
// committed snapshot's ID. It must roll the snapshot back when ctx ends
// before it commits.
type ScanFunc func(ctx context.Context, scope string) (snapshotID int64, err error)

// Schedule runs scans of Scope on a cron expression (five fields, or a
// descriptor such as @hourly or @every 30m).
type Schedule struct {
	Scope string `json:"scope"`
	Cron  string `json:"cron"`
}

// Options configures a Server.
type Options struct {
	// Store keeps the snapshots; it must implement store.Searcher (both
	// the SQLite and the PostgreSQL store do).
	Store store.Store
	State serverstate.State
	// Scan runs a scan of one scope; Scopes lists the scopes it knows.
	Scan   ScanFunc
	Scopes []string
	// Diff compares two snapshots for /api/v1/diff; nil answers 501.
	Diff DiffFunc
	// Schedules start scans; a scope without one is scanned only on demand.
	Schedules []Schedule
	// ScanOnStart scans every scope once when Run starts.
	ScanOnStart bool
	// Checks and Frameworks describe what findings mean (titles,
	// remediation, framework requirements).
	Checks     []report.CheckInfo
	Frameworks []report.FrameworkInfo
	// Kinds gives each kind's service model for the responsibility view,
	// and says which kinds make the AI inventory (Kind.AI).
	Kinds []resource.Kind
	// Notifiers are told about new failing findings at or above NotifyMin.
	Notifiers []Notifier
	NotifyMin finding.Severity
	// SecureCookies sets the Secure attribute on the session cookie. It is
	// on except for plain HTTP on a non-loopback address (--insecure).
	SecureCookies bool
	// TLS is true when the server is reached over HTTPS (adds HSTS).
	TLS bool
	// ShutdownGrace is how long a running scan may go on after shutdown
	// starts before it is cancelled (and rolled back); 0 means 30s.
	ShutdownGrace time.Duration
	// SessionTTL is how long a dashboard login lasts; 0 means 12h.
	SessionTTL time.Duration
	Log        *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Server is a running `cloudward serve`.
type Server struct {
	opts    Options
	log     *slog.Logger
	metrics *metrics
	checks  map[string]report.CheckInfo
	models  map[string]resource.ServiceModel
	aiKinds map[string]resource.Kind // kinds with Kind.AI
	limiter *failLimiter
	handler http.Handler

	searcher store.Searcher
	data     *dataCache
	index    *indexer

	mu      sync.Mutex
	running map[string]bool
	closing bool
	scans   sync.WaitGroup
	// scanCtx is the parent of every scan; it is cancelled when the
	// shutdown grace period ends.
	scanCtx    context.Context
	scanCancel context.CancelFunc
}

// ErrScanRunning is returned when a scan of the same scope is running.
var ErrScanRunning = errors.New("a scan of this scope is already running")

// New builds a server. Call Run to start the scheduler and Serve (or
// Handler) to answer HTTP.
func New(opts Options) (*Server, error) {
	if opts.Store == nil || opts.State == nil || opts.Scan == nil {
		return nil, errors.New("new server: Store, State and Scan are required")
	}
	searcher, ok := opts.Store.(store.Searcher)
	if !ok {
		return nil, fmt.Errorf("new server: store %T cannot search (store.Searcher)", opts.Store)
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.ShutdownGrace <= 0 {
		opts.ShutdownGrace = 30 * time.Second
	}
	if opts.SessionTTL <= 0 {
		opts.SessionTTL = 12 * time.Hour
	}
	for _, sc := range opts.Schedules {
		if _, err := parseCron(sc.Cron); err != nil {
			return nil, fmt.Errorf("new server: schedule of %s: %w", sc.Scope, err)
		}
		if !contains(opts.Scopes, sc.Scope) {
			return nil, fmt.Errorf("new server: schedule names unknown scope %q", sc.Scope)
		}
	}
	s := &Server{
		opts:     opts,
		searcher: searcher,
		log:      opts.Log,
		metrics:  newMetrics(),
		checks:   make(map[string]report.CheckInfo, len(opts.Checks)),
		models:   make(map[string]resource.ServiceModel, len(opts.Kinds)),
		aiKinds:  map[string]resource.Kind{},
		limiter:  newFailLimiter(10, time.Minute),
		running:  map[string]bool{},
	}
	for _, c := range opts.Checks {
		s.checks[c.ID] = c
	}
	for _, k := range opts.Kinds {
		s.models[k.Name] = k.Model
		if k.AI {
			s.aiKinds[k.Name] = k
		}
	}
	s.data = newDataCache(s)
	s.index = newIndexer(s)
	s.scanCtx, s.scanCancel = context.WithCancel(context.Background())
	s.handler = s.routes()
	return s, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Handler returns the HTTP handler: API, dashboard, /metrics and /healthz.
func (s *Server) Handler() http.Handler { return s.handler }

// CheckListen refuses addresses that would expose the server without TLS:
// a non-loopback address needs TLS, or insecure set explicitly.
func CheckListen(addr string, tls, insecure bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("listen address %q: %w", addr, err)
	}
	if isLoopback(host) || tls || insecure {
		return nil
	}
	return fmt.Errorf("listen address %s is not loopback: serve over TLS (--tls-cert, --tls-key) or pass --insecure to accept plain HTTP on the network", addr)
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// HTTPServer returns an http.Server for the handler with limits on header
// size and read, write and idle times.
func (s *Server) HTTPServer(tlsConfig *tls.Config) *http.Server {
	return &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		TLSConfig:         tlsConfig,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
}

// Serve answers HTTP on ln until ctx ends, then shuts down gracefully.
// certFile and keyFile, when set, serve HTTPS.
func (s *Server) Serve(ctx context.Context, ln net.Listener, certFile, keyFile string) error {
	hs := s.HTTPServer(&tls.Config{MinVersion: tls.VersionTLS12})
	errc := make(chan error, 1)
	go func() {
		if certFile != "" {
			errc <- hs.ServeTLS(ln, certFile, keyFile)
		} else {
			errc <- hs.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shut down http server: %w", err)
	}
	return nil
}
