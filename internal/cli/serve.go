package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"cloudward/internal/collect"
	"cloudward/internal/collect/demo"
	"cloudward/internal/drift"
	"cloudward/internal/finding"
	"cloudward/internal/report"
	"cloudward/internal/server"
	"cloudward/internal/serverstate"
	"cloudward/internal/store"
	"cloudward/internal/store/postgres"
	"cloudward/internal/store/sqlite"
)

type serveFlags struct {
	listen       string
	insecure     bool
	tlsCert      string
	tlsKey       string
	db           string
	demo         bool
	demoSize     int
	demoSeed     uint64
	providers    []string
	schedules    []string
	scheduleSet  bool // --schedule given: it overrides cloudward.yaml's schedules
	noScanStart  bool
	checkDirs    []string
	configPath   string
	webhookURL   string
	notifyMin    string
	shutdownWait time.Duration
}

func newServeCmd(e *env) *cobra.Command {
	var f serveFlags
	providers := providerCLIs()
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Scan on a schedule and serve the dashboard, REST API and metrics",
		Long: `serve runs scans on a schedule (the same pipeline as scan), keeps their
history, and serves a web dashboard, a REST API under /api/v1, Prometheus
metrics at /metrics, and notifications of new failing findings.

It listens on 127.0.0.1 unless --listen says otherwise, and refuses a
non-loopback address without TLS (--tls-cert, --tls-key) or --insecure.
Every API call needs a token (cloudward token create); the dashboard logs
in with one. When no token exists yet, serve creates a first admin token
and prints it once.

Schedules are cron expressions, from the schedules: section of
cloudward.yaml (--config) or from flags, which override it:
--schedule "*/30 * * * *" for every scope, or --schedule demo=@hourly for one. Notifications: --webhook-url with the
signing secret in $CLOUDWARD_WEBHOOK_SECRET, and/or a Slack incoming
webhook in $CLOUDWARD_SLACK_WEBHOOK_URL, for new failing findings at or
above --notify-min-severity.`,
		Example: `  cloudward serve --demo
  cloudward serve --provider digitalocean --schedule "0 * * * *"
  cloudward serve --listen 0.0.0.0:8443 --tls-cert cert.pem --tls-key key.pem --provider digitalocean`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			f.scheduleSet = cmd.Flags().Changed("schedule")
			return runServe(cmd.Context(), e, f, providers)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.listen, "listen", "127.0.0.1:8080", "address to listen on")
	fl.BoolVar(&f.insecure, "insecure", false, "allow plain HTTP on a non-loopback address")
	fl.StringVar(&f.tlsCert, "tls-cert", "", "TLS certificate file (PEM)")
	fl.StringVar(&f.tlsKey, "tls-key", "", "TLS private key file (PEM)")
	fl.StringVar(&f.db, "db", "", "SQLite database file or postgres:// URL (default: $XDG_DATA_HOME/cloudward/cloudward.db)")
	fl.BoolVar(&f.demo, "demo", false, "scan the built-in demo estate")
	fl.IntVar(&f.demoSize, "demo-size", 0, "grow the demo estate to this many resources (0: the base estate)")
	fl.Uint64Var(&f.demoSeed, "demo-seed", 1, "seed of the demo estate")
	fl.StringSliceVar(&f.providers, "provider", nil, "clouds to scan, comma-separated; each is a scope of its own")
	for _, p := range providers {
		p.AddFlags(fl)
	}
	fl.StringArrayVar(&f.schedules, "schedule", []string{"@hourly"}, "cron expression for every scope, or SCOPE=CRON (repeatable)")
	fl.BoolVar(&f.noScanStart, "no-scan-on-start", false, "do not scan every scope when serve starts")
	fl.StringArrayVar(&f.checkDirs, "checks", nil, "directory of your own check files (repeatable)")
	fl.StringVar(&f.configPath, "config", "", "company rules file (cloudward.yaml)")
	fl.StringVar(&f.webhookURL, "webhook-url", "", "POST signed JSON about new failing findings here")
	fl.StringVar(&f.notifyMin, "notify-min-severity", "high", "notify about new failing findings at or above this severity")
	fl.DurationVar(&f.shutdownWait, "shutdown-grace", 30*time.Second, "how long a running scan may finish at shutdown before it is rolled back")
	return cmd
}

// parseSchedules turns --schedule values into per-scope schedules: a bare
// cron expression applies to every scope, SCOPE=CRON to one.
func parseSchedules(values, scopes []string) ([]server.Schedule, error) {
	all := ""
	one := map[string]string{}
	for _, v := range values {
		scope, spec, ok := strings.Cut(v, "=")
		if !ok || strings.ContainsAny(scope, " *@") {
			all = v
			continue
		}
		if !slices.Contains(scopes, scope) {
			return nil, usagef("--schedule %s: unknown scope %q (scopes: %s)", v, scope, strings.Join(scopes, ", "))
		}
		one[scope] = spec
	}
	var out []server.Schedule
	for _, sc := range scopes {
		spec := cmpOr(one[sc], all)
		if spec != "" && spec != "off" {
			out = append(out, server.Schedule{Scope: sc, Cron: spec})
		}
	}
	return out, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func runServe(ctx context.Context, e *env, f serveFlags, providers []providerCLI) error {
	switch {
	case f.demo && len(f.providers) > 0:
		return usagef("--demo and --provider exclude each other")
	case !f.demo && len(f.providers) == 0:
		return usagef("nothing to scan: name clouds with --provider, or use --demo")
	case (f.tlsCert == "") != (f.tlsKey == ""):
		return usagef("--tls-cert and --tls-key go together")
	}
	useTLS := f.tlsCert != ""
	if err := server.CheckListen(f.listen, useTLS, f.insecure); err != nil {
		return usageError{err}
	}
	notifyMin, err := finding.ParseSeverity(f.notifyMin)
	if err != nil {
		return usagef("--notify-min-severity: %v", err)
	}
	copts := catalogOptions{checkDirs: f.checkDirs, configPath: f.configPath}
	if f.demo {
		copts.defaultConfig = demo.Config
	}
	cat, err := loadCatalog(copts)
	if err != nil {
		return err
	}
	path, err := dbPath(f.db)
	if err != nil {
		return err
	}
	db, err := openServeStore(ctx, path, e.log)
	if err != nil {
		return err
	}
	defer db.Close()
	st, state := db.Store, db.ServerState()

	// Scopes and the collector each one scans.
	collectors := map[string]func(now time.Time) (collect.Collector, string, error){}
	var scopes []string
	if f.demo {
		scopes = []string{"demo"}
		collectors["demo"] = func(now time.Time) (collect.Collector, string, error) {
			return demo.New(demo.Options{Seed: f.demoSeed, Size: f.demoSize, Now: now}),
				fmt.Sprintf("demo (seed %d, size %d)", f.demoSeed, f.demoSize), nil
		}
	}
	for _, name := range f.providers {
		i := slices.IndexFunc(providers, func(p providerCLI) bool { return string(p.Provider()) == name })
		if i < 0 {
			return usagef("--provider %q: no collector for it yet", name)
		}
		p := providers[i]
		scopes = append(scopes, name)
		collectors[name] = func(time.Time) (collect.Collector, string, error) {
			c, err := p.Collector(ctx, e.log)
			return c, name, err
		}
	}
	scheduleValues := f.schedules
	if !f.scheduleSet && len(cat.config.Schedules) > 0 {
		scheduleValues = nil
		for _, s := range cat.config.Schedules {
			if s.Scope == "*" {
				scheduleValues = append(scheduleValues, s.Cron)
				continue
			}
			if !slices.Contains(scopes, s.Scope) {
				return usagef("%s:%d: schedule for unknown scope %q (scopes of this serve: %s)",
					f.configPath, s.Line, s.Scope, strings.Join(scopes, ", "))
			}
			scheduleValues = append(scheduleValues, s.Scope+"="+s.Cron)
		}
	}
	schedules, err := parseSchedules(scheduleValues, scopes)
	if err != nil {
		return err
	}

	scan := func(ctx context.Context, scope string) (int64, error) {
		now := time.Now().UTC()
		col, label, err := collectors[scope](now)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", scope, err)
		}
		// Mutes added through the API join those of cloudward.yaml.
		ms, err := state.Mutes(ctx)
		if err != nil {
			return 0, err
		}
		scanCat := *cat
		cfg := *cat.config
		cfg.Mutes = append(slices.Clone(cat.config.Mutes), server.ConfigMutes(ms, now)...)
		scanCat.config = &cfg
		res, err := pipeline(ctx, pipelineInput{
			store: st, collector: col, catalog: &scanCat, scope: label, now: now,
			progress: report.StartProgress(nil, false, 0), log: e.log,
		})
		if err != nil {
			return 0, err
		}
		return res.snapshot.ID, nil
	}

	var notifiers []server.Notifier
	if f.webhookURL != "" {
		secret := e.getenv("CLOUDWARD_WEBHOOK_SECRET")
		if secret == "" {
			return usagef("--webhook-url needs the signing secret in $CLOUDWARD_WEBHOOK_SECRET")
		}
		notifiers = append(notifiers, &server.Webhook{URL: f.webhookURL, Secret: []byte(secret), Retry: server.DefaultRetry})
	}
	if u := e.getenv("CLOUDWARD_SLACK_WEBHOOK_URL"); u != "" {
		notifiers = append(notifiers, &server.Slack{URL: u, Retry: server.DefaultRetry})
	}

	checks, fws := cat.reportInfo()
	host, _, _ := net.SplitHostPort(f.listen)
	srv, err := server.New(server.Options{
		Store: st, State: state, Scan: scan, Scopes: scopes,
		Diff: func(ctx context.Context, oldID, newID int64) (*drift.Report, error) {
			o, err := st.Snapshot(ctx, oldID)
			if err != nil {
				return nil, err
			}
			n, err := st.Snapshot(ctx, newID)
			if err != nil {
				return nil, err
			}
			return diffReport(ctx, st, o, n, cat)
		},
		Schedules: schedules, ScanOnStart: !f.noScanStart,
		Checks: checks, Frameworks: fws, Kinds: cat.registry.All(),
		Notifiers: notifiers, NotifyMin: notifyMin,
		SecureCookies: useTLS || isLoopbackHost(host), TLS: useTLS,
		ShutdownGrace: f.shutdownWait, Log: e.log,
	})
	if err != nil {
		return err
	}

	// A first admin token, printed once, when there is none.
	toks, err := state.Tokens(ctx)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(toks, func(t serverstate.Token) bool { return t.RevokedAt.IsZero() }) {
		secret, _, err := server.CreateToken(ctx, state, "first-admin", serverstate.ScopeAdmin, time.Now())
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "First admin token (shown once; keep it safe, revoke it with `cloudward token revoke`):\n  %s\n", secret)
	}

	ln, err := net.Listen("tcp", f.listen)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	scheme := "http"
	if useTLS {
		scheme = "https"
	}
	fmt.Fprintf(e.stdout, "cloudward serving %s://%s/ (database %s)\n", scheme, ln.Addr(), displayDB(path))
	for _, s := range schedules {
		fmt.Fprintf(e.stdout, "  scope %s scanned on %q\n", s.Scope, s.Cron)
	}

	ctx, stop := context.WithCancel(ctx) // main cancels ctx on SIGINT and SIGTERM
	defer stop()
	errc := make(chan error, 2)
	go func() { errc <- srv.Run(ctx) }()
	serveErr := srv.Serve(ctx, ln, f.tlsCert, f.tlsKey)
	stop()
	runErr := <-errc
	if serveErr != nil && !errors.Is(serveErr, context.Canceled) {
		return serveErr
	}
	return runErr
}

// serveDB is serve's database, a SQLite file or a PostgreSQL database:
// the snapshot store and the server state kept next to the snapshots.
type serveDB struct {
	store.Store
	state serverstate.State
}

// ServerState returns the server's tokens, sessions, mutes, runs and scores.
func (d serveDB) ServerState() serverstate.State { return d.state }

// openServeStore opens serve's database at path (a file or a postgres://
// URL) and applies its migrations.
func openServeStore(ctx context.Context, path string, log *slog.Logger) (serveDB, error) {
	if postgres.IsDSN(path) {
		st, err := postgres.Open(ctx, path, postgres.Options{Logger: log})
		if err != nil {
			return serveDB{}, fmt.Errorf("open store %s: %w", displayDB(path), err)
		}
		return serveDB{st, st.ServerState()}, nil
	}
	st, err := sqlite.Open(ctx, path, sqlite.Options{Logger: log})
	if err != nil {
		return serveDB{}, fmt.Errorf("open store %s: %w", path, err)
	}
	return serveDB{st, st.ServerState()}, nil
}

func isLoopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
