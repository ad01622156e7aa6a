package cli

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
)

func newFrameworksCmd(e *env) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "frameworks [ID]",
		Short: "List frameworks (CIS benchmarks…), or show one framework's requirements",
		Long: `List the frameworks cloudward scores: benchmarks and regulations whose
requirements map onto checks. Give a framework ID to see every requirement,
the checks that implement it, and the requirements that no check decides
(reported as manual, never dropped).`,
		Example: `  cloudward frameworks
  cloudward frameworks cis-aws-foundations-v3.0
  cloudward frameworks cis-aws-foundations-v3.0 --format json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "table" && format != "json" {
				return usagef("--format: want table or json, got %q", format)
			}
			cat, err := loadCatalog(catalogOptions{})
			if err != nil {
				return err
			}
			if len(args) == 1 {
				fw := findFramework(cat.frameworks, args[0])
				if fw == nil {
					return usagef("unknown framework %q (see `cloudward frameworks`)", args[0])
				}
				if format == "json" {
					return writeJSON(e.stdout, fw)
				}
				fmt.Fprintf(e.stdout, "%s  %s %s\n", fw.ID, fw.Title, fw.Version)
				if fw.Description != "" {
					fmt.Fprintf(e.stdout, "%s\n", strings.TrimSpace(fw.Description))
				}
				if fw.Source != "" {
					fmt.Fprintf(e.stdout, "source: %s\n", fw.Source)
				}
				fmt.Fprintln(e.stdout)
				tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "REQUIREMENT\tCIS\tTITLE\tCHECKS")
				for _, r := range fw.Requirements {
					checks := strings.Join(r.Checks, ", ")
					if r.Manual() {
						checks = "(manual: no automated check)"
					}
					am := "manual"
					if r.Automated {
						am = "automated"
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, am, r.Title, checks)
				}
				return tw.Flush()
			}
			if format == "json" {
				return writeJSON(e.stdout, cat.frameworks)
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tTITLE\tVERSION\tREQUIREMENTS\tWITH CHECKS\tMANUAL")
			for _, fw := range cat.frameworks {
				covered := 0
				for _, r := range fw.Requirements {
					if !r.Manual() {
						covered++
					}
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\n", fw.ID, fw.Title, fw.Version,
					len(fw.Requirements), covered, len(fw.Requirements)-covered)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output format: table or json")
	return cmd
}
