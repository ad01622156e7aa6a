package cli

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/spf13/pflag"

	"cloudward/internal/collect"
	"cloudward/internal/collect/azure"
	"cloudward/internal/resource"
)

// azureCLI plugs the Azure collector into `scan --provider azure`.
// Credentials come from DefaultAzureCredential (AZURE_* environment,
// workload identity, managed identity, Azure CLI…) unless
// --azure-token-file names a pre-obtained bearer token. Neither is ever
// logged or stored.
type azureCLI struct {
	subscriptions []string
	tenant        string
	endpoint      string
	graphEndpoint string
	tokenFile     string
	concurrency   int
}

func newAzureCLI() providerCLI { return &azureCLI{} }

// Provider implements providerCLI.
func (a *azureCLI) Provider() resource.Provider { return resource.Azure }

// AddFlags implements providerCLI.
func (a *azureCLI) AddFlags(fl *pflag.FlagSet) {
	fl.StringSliceVar(&a.subscriptions, "azure-subscription", nil, "Azure: subscription IDs to scan, comma-separated (default: every subscription the credential can see)")
	fl.StringVar(&a.tenant, "azure-tenant", "", "Azure: Entra tenant ID to sign in to; only its subscriptions are scanned")
	fl.StringVar(&a.endpoint, "azure-endpoint", "", "Azure: Resource Manager endpoint (default "+azure.DefaultEndpoint+"; sovereign clouds, emulators)")
	fl.StringVar(&a.graphEndpoint, "azure-graph-endpoint", "", "Azure: Microsoft Graph endpoint (default "+azure.DefaultGraphEndpoint+")")
	fl.StringVar(&a.tokenFile, "azure-token-file", "", "Azure: file holding a bearer token to use instead of DefaultAzureCredential")
	fl.IntVar(&a.concurrency, "azure-max-in-flight", 8, "Azure: API calls in flight at once per subscription")
}

// Collector implements providerCLI.
func (a *azureCLI) Collector(_ context.Context, log *slog.Logger) (collect.Collector, error) {
	if a.concurrency < 1 {
		return nil, usagef("--azure-max-in-flight must be at least 1")
	}
	opts := azure.Options{
		TenantID: a.tenant, Subscriptions: a.subscriptions, Endpoint: a.endpoint, GraphEndpoint: a.graphEndpoint,
		Concurrency: a.concurrency, Logger: log,
	}
	if a.tokenFile != "" {
		b, err := os.ReadFile(a.tokenFile)
		if err != nil {
			return nil, fmt.Errorf("--azure-token-file: %w", err)
		}
		if opts.AccessToken = strings.TrimSpace(string(b)); opts.AccessToken == "" {
			return nil, usagef("--azure-token-file %s is empty", a.tokenFile)
		}
	}
	c, err := azure.New(opts)
	if err != nil {
		return nil, err
	}
	return c, nil
}
