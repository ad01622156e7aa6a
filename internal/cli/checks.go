package cli

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"cloudward/internal/finding"
	"cloudward/internal/policy"
)

func newChecksCmd(e *env) *cobra.Command {
	var provider, severity, framework, kind, format, configPath string
	var checkDirs []string
	cmd := &cobra.Command{
		Use:   "checks [ID]",
		Short: "List checks, or show one check in full",
		Long: `List the checks cloudward evaluates: the built-in ones, yours (--checks) and
those generated from your company rules (--config). Give a check ID to see
its description, risk, remediation (text, CLI, Terraform), references and
the frameworks that map to it.`,
		Example: `  cloudward checks
  cloudward checks --provider aws --severity high,critical
  cloudward checks --framework cis-aws-foundations-v3.0
  cloudward checks --kind aws_s3_bucket
  cloudward checks aws-s3-bucket-public-access-blocked
  cloudward checks --checks ./my-checks --format json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "table" && format != "json" {
				return usagef("--format: want table or json, got %q", format)
			}
			cat, err := loadCatalog(catalogOptions{checkDirs: checkDirs, configPath: configPath})
			if err != nil {
				return err
			}
			if len(args) == 1 {
				for _, c := range cat.checks {
					if c.HasID(args[0]) {
						if format == "json" {
							return writeJSON(e.stdout, checkJSON(c, cat))
						}
						return writeCheck(e.stdout, c, cat)
					}
				}
				return usagef("unknown check %q (see `cloudward checks`)", args[0])
			}
			var sevs []finding.Severity
			if severity != "" {
				for _, s := range strings.Split(severity, ",") {
					sev, err := finding.ParseSeverity(strings.TrimSpace(s))
					if err != nil {
						return usagef("--severity: %v", err)
					}
					sevs = append(sevs, sev)
				}
			}
			var inFramework map[string]bool
			if framework != "" {
				fw := findFramework(cat.frameworks, framework)
				if fw == nil {
					return usagef("unknown framework %q (see `cloudward frameworks`)", framework)
				}
				inFramework = map[string]bool{}
				for _, r := range fw.Requirements {
					for _, id := range r.Checks {
						inFramework[id] = true
					}
				}
			}
			var list []*policy.Check
			for _, c := range cat.checks {
				switch {
				case provider != "" && string(c.Provider) != provider && !c.Generated:
				case len(sevs) > 0 && !slices.Contains(sevs, c.Severity):
				case inFramework != nil && !inFramework[c.ID]:
				case kind != "" && !slices.Contains(c.Kinds, kind):
				default:
					list = append(list, c)
				}
			}
			if format == "json" {
				out := make([]checkDoc, 0, len(list))
				for _, c := range list {
					out = append(out, checkJSON(c, cat))
				}
				return writeJSON(e.stdout, out)
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tSEVERITY\tPROVIDER\tKIND\tTITLE")
			for _, c := range list {
				p := string(c.Provider)
				if c.Generated {
					p = "any"
				}
				k := strings.Join(c.Kinds, ",")
				if len(c.Kinds) > 2 {
					k = fmt.Sprintf("%d kinds", len(c.Kinds))
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", c.ID, c.Severity, p, k, c.Title)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			_, err = fmt.Fprintf(e.stdout, "\n%d checks\n", len(list))
			return err
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&provider, "provider", "", "only checks of this provider (aws, gcp, azure, digitalocean)")
	fl.StringVar(&severity, "severity", "", "only these severities, comma-separated (critical, high, medium, low, info)")
	fl.StringVar(&framework, "framework", "", "only checks mapped by this framework")
	fl.StringVar(&kind, "kind", "", "only checks of this resource kind")
	fl.StringVar(&format, "format", "table", "output format: table or json")
	fl.StringArrayVar(&checkDirs, "checks", nil, "directory of your own check files (repeatable)")
	fl.StringVar(&configPath, "config", "", "company rules file (cloudward.yaml), for the generated org checks")
	return cmd
}

func findFramework(fws []*policy.Framework, id string) *policy.Framework {
	for _, fw := range fws {
		if fw.ID == id {
			return fw
		}
	}
	return nil
}

// frameworkRefs lists "framework requirement" pairs that map to check id.
func frameworkRefs(cat *catalog, id string) []string {
	var refs []string
	for _, fw := range cat.frameworks {
		for _, r := range fw.Requirements {
			if slices.Contains(r.Checks, id) {
				refs = append(refs, fw.ID+" "+r.ID)
			}
		}
	}
	return refs
}

type checkDoc struct {
	ID          string             `json:"id"`
	Aliases     []string           `json:"aliases,omitempty"`
	Title       string             `json:"title"`
	Severity    finding.Severity   `json:"severity"`
	Provider    string             `json:"provider,omitempty"`
	Kinds       []string           `json:"kinds"`
	Area        string             `json:"area"`
	AppliesIf   string             `json:"applies_if,omitempty"`
	Condition   string             `json:"condition"`
	Description string             `json:"description"`
	Risk        string             `json:"risk"`
	Remediation policy.Remediation `json:"remediation"`
	References  []string           `json:"references,omitempty"`
	Frameworks  []string           `json:"frameworks,omitempty"`
	File        string             `json:"file,omitempty"`
	Generated   bool               `json:"generated,omitempty"`
}

func checkJSON(c *policy.Check, cat *catalog) checkDoc {
	return checkDoc{
		ID: c.ID, Aliases: c.Aliases, Title: c.Title, Severity: c.Severity, Provider: string(c.Provider),
		Kinds: c.Kinds, Area: string(c.Area), AppliesIf: c.AppliesIf, Condition: c.Condition,
		Description: c.Description, Risk: c.Risk, Remediation: c.Remediation, References: c.References,
		Frameworks: frameworkRefs(cat, c.ID), File: c.File, Generated: c.Generated,
	}
}

func writeCheck(w io.Writer, c *policy.Check, cat *catalog) error {
	d := checkJSON(c, cat)
	fmt.Fprintf(w, "%s  [%s]\n%s\n\n", d.ID, d.Severity, d.Title)
	fmt.Fprintf(w, "provider:   %s\nkinds:      %s\narea:       %s\n", or(d.Provider, "any"), strings.Join(d.Kinds, ", "), d.Area)
	if d.File != "" {
		fmt.Fprintf(w, "file:       %s\n", d.File)
	}
	if len(d.Aliases) > 0 {
		fmt.Fprintf(w, "aliases:    %s\n", strings.Join(d.Aliases, ", "))
	}
	if len(d.Frameworks) > 0 {
		fmt.Fprintf(w, "frameworks: %s\n", strings.Join(d.Frameworks, "; "))
	}
	section(w, "Description", d.Description)
	section(w, "Risk", d.Risk)
	if d.AppliesIf != "" {
		section(w, "Applies if (CEL)", d.AppliesIf)
	}
	section(w, "Compliant when (CEL)", d.Condition)
	section(w, "Remediation", d.Remediation.Text)
	if d.Remediation.CLI != "" {
		section(w, "CLI", d.Remediation.CLI)
	}
	if d.Remediation.Terraform != "" {
		section(w, "Terraform", d.Remediation.Terraform)
	}
	if len(d.References) > 0 {
		section(w, "References", strings.Join(d.References, "\n"))
	}
	return nil
}

func section(w io.Writer, title, body string) {
	fmt.Fprintf(w, "\n%s:\n", title)
	for _, line := range strings.Split(strings.TrimRight(body, "\n"), "\n") {
		fmt.Fprintf(w, "  %s\n", line)
	}
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
