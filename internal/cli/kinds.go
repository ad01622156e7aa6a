package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"cloudward/internal/collect/demo"
	"cloudward/internal/resource"
)

// registry builds the kind registry from every collector's kinds.
func registry() (*resource.Registry, error) {
	// demo.Kinds aggregates the kinds of every provider package.
	r, err := resource.NewRegistry(demo.Kinds())
	if err != nil {
		return nil, fmt.Errorf("kind registry: %w", err)
	}
	return r, nil
}

func newKindsCmd(e *env) *cobra.Command {
	var provider, format string
	cmd := &cobra.Command{
		Use:   "kinds [KIND]",
		Short: "List resource kinds, or show one kind's property schema",
		Long: `List every resource kind cloudward collects, with its provider, service and
service model (IaaS, PaaS, SaaS, FaaS, CaaS) in the shared-responsibility
model. Give a kind to see the schema of its properties: the fields checks
and queries can read.`,
		Example: `  cloudward kinds
  cloudward kinds --provider gcp
  cloudward kinds aws_s3_bucket
  cloudward kinds aws_s3_bucket --format json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "table" && format != "json" {
				return usagef("--format: want table or json, got %q", format)
			}
			reg, err := registry()
			if err != nil {
				return err
			}
			if len(args) == 1 {
				k, ok := reg.Lookup(args[0])
				if !ok {
					return usagef("unknown kind %q (see `cloudward kinds`)", args[0])
				}
				if format == "json" {
					return writeJSON(e.stdout, k)
				}
				return writeKind(e.stdout, k)
			}
			var kinds []resource.Kind
			for _, k := range reg.All() {
				if provider != "" && string(k.Provider) != provider {
					continue
				}
				kinds = append(kinds, k)
			}
			if format == "json" {
				return writeJSON(e.stdout, kinds)
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "KIND\tPROVIDER\tSERVICE\tMODEL\tDESCRIPTION")
			for _, k := range kinds {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", k.Name, k.Provider, k.Service, k.Model, k.Description)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			_, err = fmt.Fprintf(e.stdout, "\n%d kinds\n", len(kinds))
			return err
		},
	}
	cmd.Flags().StringVar(&provider, "provider", "", "only kinds of this provider (aws, gcp, azure, digitalocean)")
	cmd.Flags().StringVar(&format, "format", "table", "output format: table or json")
	return cmd
}

func writeKind(w io.Writer, k resource.Kind) error {
	scope := "regional"
	if k.Global {
		scope = "global"
	}
	fmt.Fprintf(w, "%s\n  %s\n\n", k.Name, k.Description)
	fmt.Fprintf(w, "provider:       %s\nservice:        %s\nservice model:  %s\nscope:          %s\ntaggable:       %t\n",
		k.Provider, k.Service, k.Model, scope, k.Taggable)
	if k.AI {
		fmt.Fprintf(w, "ai:             true (in the AI inventory and the ai-security baseline)\n")
	}
	if len(k.Permissions) > 0 {
		fmt.Fprintf(w, "permissions:    %s\n", strings.Join(k.Permissions, ", "))
	}
	fmt.Fprintln(w, "\nproperties:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	writeFields(tw, k.Schema, 1)
	return tw.Flush()
}

func writeFields(w io.Writer, fs []resource.Field, depth int) {
	for _, f := range fs {
		fmt.Fprintf(w, "%s%s\t%s\t%s\n", strings.Repeat("  ", depth), f.Name, f.Type, f.Description)
		writeFields(w, f.Fields, depth+1)
	}
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
