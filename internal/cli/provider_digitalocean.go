package cli

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/spf13/pflag"

	"cloudward/internal/collect"
	"cloudward/internal/collect/digitalocean"
	"cloudward/internal/resource"
)

// digitalOceanCLI plugs the DigitalOcean collector into `scan`. The API
// token comes from DIGITALOCEAN_TOKEN or --do-token-file; the Spaces key
// from SPACES_ACCESS_KEY_ID and SPACES_SECRET_ACCESS_KEY. Neither is ever
// logged or stored.
type digitalOceanCLI struct {
	tokenFile      string
	apiURL         string
	spacesEndpoint string
	spacesRegions  []string
	getenv         func(string) string
}

func newDigitalOceanCLI() *digitalOceanCLI { return &digitalOceanCLI{getenv: os.Getenv} }

// Provider implements providerCLI.
func (d *digitalOceanCLI) Provider() resource.Provider { return resource.DigitalOcean }

// AddFlags implements providerCLI.
func (d *digitalOceanCLI) AddFlags(fl *pflag.FlagSet) {
	fl.StringVar(&d.tokenFile, "do-token-file", "", "DigitalOcean: file holding the API token (default: $DIGITALOCEAN_TOKEN)")
	fl.StringVar(&d.apiURL, "do-api-url", "", "DigitalOcean: API base URL (default "+digitalocean.DefaultAPIURL+")")
	fl.StringVar(&d.spacesEndpoint, "do-spaces-endpoint", "", "DigitalOcean: Spaces S3 endpoint; {region} is replaced by each region (default "+digitalocean.DefaultSpacesEndpoint+")")
	fl.StringSliceVar(&d.spacesRegions, "do-spaces-regions", nil, "DigitalOcean: Spaces regions to list (default: every Spaces region)")
}

// Collector implements providerCLI.
func (d *digitalOceanCLI) Collector(ctx context.Context, log *slog.Logger) (collect.Collector, error) {
	token := d.getenv("DIGITALOCEAN_TOKEN")
	if d.tokenFile != "" {
		b, err := os.ReadFile(d.tokenFile)
		if err != nil {
			return nil, fmt.Errorf("--do-token-file: %w", err)
		}
		token = strings.TrimSpace(string(b))
	}
	if token == "" {
		return nil, usagef("no API token: set DIGITALOCEAN_TOKEN or use --do-token-file")
	}
	id, secret := d.getenv("SPACES_ACCESS_KEY_ID"), d.getenv("SPACES_SECRET_ACCESS_KEY")
	if (id == "") != (secret == "") {
		return nil, usagef("set both SPACES_ACCESS_KEY_ID and SPACES_SECRET_ACCESS_KEY, or neither")
	}
	c, err := digitalocean.New(digitalocean.Options{
		Token: token, APIURL: d.apiURL, SpacesEndpoint: d.spacesEndpoint, SpacesRegions: d.spacesRegions,
		SpacesAccessKeyID: id, SpacesSecretAccessKey: secret, Logger: log,
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}
