package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"cloudward/internal/config"
)

// industries maps an industry to the frameworks its regulators and
// customers ask about.
var industries = map[string][]string{
	"healthcare":    {"hipaa-security-rule", "nist-800-53-r5"},
	"payments":      {"pci-dss-4.0", "soc2"},
	"public-sector": {"fedramp-moderate", "nist-800-53-r5"},
	"finance":       {"pci-dss-4.0", "soc2", "nist-csf-2.0"},
	"saas":          {"soc2", "iso-27001-2022"},
	"other":         {"nist-csf-2.0"},
}

// customerRegions maps where customers are to data-residency regions per
// provider (nil: no residency rule) and the frameworks that come with it.
var customerRegions = map[string]struct {
	regions    map[string][]string
	frameworks []string
}{
	"eu": {
		regions: map[string][]string{
			"aws":          {"eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2"},
			"gcp":          {"europe-west1", "europe-west2", "europe-west3", "europe-west4", "europe-west6", "europe-west8", "europe-west9", "europe-north1", "europe-central2", "europe-southwest1"},
			"azure":        {"westeurope", "northeurope", "francecentral", "germanywestcentral", "swedencentral", "italynorth", "polandcentral", "spaincentral"},
			"digitalocean": {"ams3", "fra1", "lon1"},
		},
		frameworks: []string{"gdpr", "nis2"},
	},
	"us": {
		regions: map[string][]string{
			"aws":          {"us-east-1", "us-east-2", "us-west-1", "us-west-2"},
			"gcp":          {"us-central1", "us-east1", "us-east4", "us-east5", "us-west1", "us-west2", "us-west3", "us-west4", "us-south1"},
			"azure":        {"eastus", "eastus2", "centralus", "northcentralus", "southcentralus", "westus", "westus2", "westus3", "westcentralus"},
			"digitalocean": {"nyc1", "nyc3", "sfo2", "sfo3", "atl1"},
		},
	},
	"global": {},
}

type initAnswers struct {
	industry  string
	customers string
	tags      []string
}

func newInitCmd(e *env) *cobra.Command {
	var a initAnswers
	var output string
	var force bool
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Write a commented cloudward.yaml from three questions",
		Long: `init writes a commented cloudward.yaml with company rules chosen from three
answers: your industry (which frameworks apply), where your customers are
(data residency: EU customers get EU-only regions, GDPR and NIS2), and the
tags every resource must carry. Give the answers as flags, or answer the
prompts when running in a terminal. Edit the file afterwards: every rule is
explained in it.`,
		Example: `  cloudward init
  cloudward init --industry healthcare --customers eu --required-tags owner,environment,cost-center
  cloudward init --industry payments --customers global --output ./security/cloudward.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !cmd.Flags().Changed("required-tags") {
				a.tags = nil
			}
			if err := askMissing(e, &a); err != nil {
				return err
			}
			if a.tags == nil {
				a.tags = []string{"owner", "environment"}
			}
			if err := a.validate(); err != nil {
				return err
			}
			data := renderInit(a)
			if _, err := config.Parse(output, data); err != nil {
				return fmt.Errorf("generated file does not parse (a bug): %w", err)
			}
			if output == "-" {
				_, err := e.stdout.Write(data)
				return err
			}
			flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
			if force {
				flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
			}
			f, err := os.OpenFile(output, flags, 0o644)
			if errors.Is(err, os.ErrExist) {
				return usagef("%s exists; use --force to overwrite it", output)
			}
			if err != nil {
				return err
			}
			if _, err := f.Write(data); err != nil {
				f.Close()
				return err
			}
			if err := f.Close(); err != nil {
				return err
			}
			_, err = fmt.Fprintf(e.stdout, "wrote %s\nnext: cloudward scan --config %s --provider …\n", output, output)
			return err
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&a.industry, "industry", "", "your industry: "+strings.Join(sortedKeys(industries), ", "))
	fl.StringVar(&a.customers, "customers", "", "where your customers are: eu, us or global")
	fl.StringSliceVar(&a.tags, "required-tags", []string{"owner", "environment"}, "tags every taggable resource must carry")
	fl.StringVarP(&output, "output", "o", "cloudward.yaml", `file to write ("-": standard output)`)
	fl.BoolVar(&force, "force", false, "overwrite the file if it exists")
	return cmd
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func (a initAnswers) validate() error {
	if _, ok := industries[a.industry]; !ok {
		return usagef("--industry: want one of %s, got %q", strings.Join(sortedKeys(industries), ", "), a.industry)
	}
	if _, ok := customerRegions[a.customers]; !ok {
		return usagef("--customers: want eu, us or global, got %q", a.customers)
	}
	for _, t := range a.tags {
		if strings.TrimSpace(t) == "" {
			return usagef("--required-tags: empty tag key")
		}
	}
	return nil
}

// askMissing prompts for unanswered questions when stdin is a terminal;
// otherwise the flags must answer them.
func askMissing(e *env, a *initAnswers) error {
	f, ok := e.stdin.(*os.File)
	tty := ok && term.IsTerminal(int(f.Fd()))
	if a.industry != "" && a.customers != "" {
		return nil
	}
	if !tty {
		return usagef("--industry and --customers are required when not running in a terminal")
	}
	in := bufio.NewReader(e.stdin)
	ask := func(q string, choices []string, dst *string) error {
		for *dst == "" {
			fmt.Fprintf(e.stdout, "%s (%s): ", q, strings.Join(choices, ", "))
			line, err := in.ReadString('\n')
			if err != nil && !errors.Is(err, io.EOF) {
				return err
			}
			line = strings.ToLower(strings.TrimSpace(line))
			if slices.Contains(choices, line) {
				*dst = line
			} else if errors.Is(err, io.EOF) {
				return usagef("no answer to %q", q)
			}
		}
		return nil
	}
	if err := ask("Industry", sortedKeys(industries), &a.industry); err != nil {
		return err
	}
	if err := ask("Where are your customers", []string{"eu", "us", "global"}, &a.customers); err != nil {
		return err
	}
	if a.tags == nil {
		fmt.Fprint(e.stdout, "Tags every resource must carry, comma-separated [owner,environment]: ")
		line, _ := in.ReadString('\n')
		for _, t := range strings.Split(line, ",") {
			if t = strings.TrimSpace(t); t != "" {
				a.tags = append(a.tags, t)
			}
		}
	}
	return nil
}

// regulatedIndustry reports whether the industry's frameworks expect
// customer-managed encryption keys (HIPAA, PCI DSS, FedRAMP).
func regulatedIndustry(industry string) bool {
	switch industry {
	case "healthcare", "payments", "public-sector", "finance":
		return true
	}
	return false
}

// renderInit writes the commented file.
func renderInit(a initAnswers) []byte {
	var b strings.Builder
	fws := slices.Clone(industries[a.industry])
	cr := customerRegions[a.customers]
	for _, f := range cr.frameworks {
		if !slices.Contains(fws, f) {
			fws = append(fws, f)
		}
	}
	fmt.Fprintf(&b, "# cloudward.yaml: company rules, written by `cloudward init`\n")
	fmt.Fprintf(&b, "# (industry: %s, customers: %s). Use it with `cloudward scan --config cloudward.yaml`.\n#\n", a.industry, a.customers)
	b.WriteString("# Frameworks that fit your answers; score them with --framework:\n")
	for _, f := range fws {
		fmt.Fprintf(&b, "#   cloudward scan --config cloudward.yaml --framework %s\n", f)
	}
	b.WriteString("# plus the CIS benchmark of each cloud you use (`cloudward frameworks` lists them).\n\n")
	b.WriteString("org:\n")
	b.WriteString("  # Every taggable resource must carry these tags with a non-empty value\n")
	b.WriteString("  # (check org-required-tags). Add value patterns per provider or kind with\n")
	b.WriteString("  # tag_rules (see docs/company-rules.md).\n")
	fmt.Fprintf(&b, "  required_tags: [%s]\n", strings.Join(a.tags, ", "))
	if cr.regions == nil {
		b.WriteString("\n  # Data residency (org-allowed-regions): your customers are global, so no\n")
		b.WriteString("  # region is forbidden. To pin data to regions, list them per provider:\n")
		b.WriteString("  # allowed_regions:\n  #   aws: [us-east-1, eu-west-1]\n")
	} else {
		fmt.Fprintf(&b, "\n  # Data residency (org-allowed-regions): resources must live in %s regions.\n", strings.ToUpper(a.customers))
		b.WriteString("  # Remove the providers you do not use, and regions you do not allow.\n")
		b.WriteString("  allowed_regions:\n")
		for _, p := range []string{"aws", "gcp", "azure", "digitalocean"} {
			fmt.Fprintf(&b, "    %s: [%s]\n", p, strings.Join(cr.regions[p], ", "))
		}
	}
	b.WriteString("\n  # Storage and databases must not be reachable from the internet\n")
	b.WriteString("  # (org-no-public-exposure; [\"*\"] covers every kind cloudward can tell is\n")
	b.WriteString("  # public, docs/company-rules.md says what public means for each). Exempt\n")
	b.WriteString("  # what is public by design (a web site bucket) under exceptions.\n")
	b.WriteString("  forbidden_public_exposure: [aws_s3_bucket, aws_rds_db_instance, gcp_storage_bucket, gcp_sql_instance, azure_storage_account, azure_storage_container, do_spaces_bucket, do_database_cluster]\n")
	cmk := "aws_s3_bucket, aws_ebs_volume, aws_rds_db_instance, gcp_storage_bucket, gcp_compute_disk, azure_storage_account, azure_managed_disk"
	if regulatedIndustry(a.industry) {
		b.WriteString("\n  # Stored data encrypted with keys you manage (org-customer-managed-keys),\n")
		b.WriteString("  # as your industry's auditors expect (DigitalOcean offers no such keys):\n")
		fmt.Fprintf(&b, "  customer_managed_keys: [%s]\n", cmk)
	} else {
		b.WriteString("\n  # To require encryption with keys you manage (org-customer-managed-keys):\n")
		fmt.Fprintf(&b, "  # customer_managed_keys: [%s]\n", cmk)
	}
	b.WriteString("\n  # Kinds the company does not allow at all (org-forbidden-kinds), e.g.:\n")
	b.WriteString("  # forbidden_kinds: [do_functions_namespace]\n")
	b.WriteString("\n  # Resources exempt from the company rules, each with a reason:\n")
	b.WriteString("  # exceptions:\n  #   - resource: \"arn:aws:s3:::legacy-*\"\n  #     checks: [org-required-tags]\n  #     reason: deleted after the migration\n")
	b.WriteString("\n# Governed exceptions to any check: each mute needs a reason and an owner,\n")
	b.WriteString("# and may carry a ticket and an expiry (see docs/mutes.md), e.g.:\n")
	b.WriteString("# mutes:\n#   - check: aws-s3-bucket-versioning-enabled\n#     resource: \"arn:aws:s3:::scratch-*\"\n#     reason: scratch data, recreated daily\n#     owner: platform-team\n#     expires: 2027-06-30\n")
	return []byte(b.String())
}
