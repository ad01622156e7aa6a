package cli

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/spf13/pflag"
	"golang.org/x/oauth2"

	"cloudward/internal/collect"
	"cloudward/internal/collect/gcp"
	"cloudward/internal/resource"
)

// gcpCLI plugs the Google Cloud collector into `scan --provider gcp`.
// Credentials are Application Default Credentials
// (GOOGLE_APPLICATION_CREDENTIALS, gcloud auth application-default login,
// the metadata server), optionally impersonating a service account, unless
// --gcp-token-file names a pre-obtained access token. None is ever logged
// or stored.
type gcpCLI struct {
	projects       []string
	org            string
	folder         string
	impersonate    string
	endpoint       string
	tokenFile      string
	concurrency    int
	projectsAtOnce int
	vertex         []string
}

func newGCPCLI() providerCLI { return &gcpCLI{} }

// Provider implements providerCLI.
func (g *gcpCLI) Provider() resource.Provider { return resource.GCP }

// AddFlags implements providerCLI.
func (g *gcpCLI) AddFlags(fl *pflag.FlagSet) {
	fl.StringSliceVar(&g.projects, "gcp-project", nil, "Google Cloud: project IDs to scan, comma-separated")
	fl.StringVar(&g.org, "gcp-org", "", "Google Cloud: organization ID; every active project under it, nested folders included, is scanned")
	fl.StringVar(&g.folder, "gcp-folder", "", "Google Cloud: folder ID; every active project under it, nested folders included, is scanned")
	fl.StringVar(&g.impersonate, "gcp-impersonate", "", "Google Cloud: service account e-mail to impersonate with the ADC identity")
	fl.StringVar(&g.endpoint, "gcp-endpoint", "", "Google Cloud: base URL of a Google-API-speaking emulator; each API is served under /<api>/ (plain http:// sends no credentials)")
	fl.StringVar(&g.tokenFile, "gcp-token-file", "", "Google Cloud: file holding an OAuth access token to use instead of ADC")
	fl.IntVar(&g.concurrency, "gcp-max-in-flight", 8, "Google Cloud: API calls in flight at once per project")
	fl.IntVar(&g.projectsAtOnce, "gcp-projects-at-once", 4, "Google Cloud: projects collected at once")
	fl.StringSliceVar(&g.vertex, "gcp-vertex-locations", nil, "Google Cloud: Vertex AI locations to read, comma-separated (default: every location the API lists, about 6 calls each per project)")
}

// Collector implements providerCLI.
func (g *gcpCLI) Collector(ctx context.Context, log *slog.Logger) (collect.Collector, error) {
	return g.collector(ctx, log, true)
}

// WorkerCollector implements workerCollectorCLI: a worker runs the project
// jobs a scan planned, which name their project (and the Vertex AI
// locations to read), so it needs no scope; --gcp-project, --gcp-folder,
// --gcp-org and --gcp-vertex-locations are the scan's business.
func (g *gcpCLI) WorkerCollector(ctx context.Context, log *slog.Logger) (collect.Collector, error) {
	return g.collector(ctx, log, false)
}

// collector builds the collector from the flags; a scan's must name its
// scope, a worker's needs none.
func (g *gcpCLI) collector(ctx context.Context, log *slog.Logger, scoped bool) (collect.Collector, error) {
	scopes := 0
	for _, set := range []bool{len(g.projects) > 0, g.org != "", g.folder != ""} {
		if set {
			scopes++
		}
	}
	switch {
	case scopes == 0 && scoped:
		return nil, usagef("name the scope with --gcp-project, --gcp-folder or --gcp-org")
	case scopes > 1:
		return nil, usagef("--gcp-project, --gcp-folder and --gcp-org exclude each other")
	case g.concurrency < 1:
		return nil, usagef("--gcp-max-in-flight must be at least 1")
	case g.projectsAtOnce < 1:
		return nil, usagef("--gcp-projects-at-once must be at least 1")
	case g.tokenFile != "" && g.impersonate != "":
		return nil, usagef("--gcp-token-file and --gcp-impersonate exclude each other")
	}
	opts := gcp.Options{
		Projects: g.projects, Organization: g.org, Folder: g.folder, Endpoint: g.endpoint,
		ImpersonateServiceAccount: g.impersonate, Concurrency: g.concurrency, ProjectConcurrency: g.projectsAtOnce,
		VertexLocations: g.vertex, Logger: log,
	}
	if g.tokenFile != "" {
		b, err := os.ReadFile(g.tokenFile)
		if err != nil {
			return nil, fmt.Errorf("--gcp-token-file: %w", err)
		}
		tok := strings.TrimSpace(string(b))
		if tok == "" {
			return nil, usagef("--gcp-token-file %s is empty", g.tokenFile)
		}
		opts.TokenSource = oauth2.StaticTokenSource(&oauth2.Token{AccessToken: tok, TokenType: "Bearer"})
	} else if strings.HasPrefix(g.endpoint, "http://") && g.impersonate == "" {
		// An emulator on plain HTTP: never send real credentials to it.
		opts.WithoutAuthentication = true
	}
	c, err := gcp.New(ctx, opts)
	if err != nil {
		return nil, err
	}
	return c, nil
}
