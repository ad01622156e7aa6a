package policy

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"cloudward/internal/config"
	"cloudward/internal/finding"
	"cloudward/internal/resource"
	"cloudward/internal/responsibility"
)

// IDs of the checks generated from the company rules.
const (
	OrgRequiredTagsID   = "org-required-tags"
	OrgAllowedRegionsID = "org-allowed-regions"
	OrgForbiddenKindsID = "org-forbidden-kinds"
)

// IsOrgCheckID reports whether id is the ID of a check generated from the
// company rules. Frameworks may name these checks whether or not the rules
// are set.
func IsOrgCheckID(id string) bool {
	switch id {
	case OrgRequiredTagsID, OrgAllowedRegionsID, OrgForbiddenKindsID, OrgNoPublicExposureID, OrgCustomerManagedKeysID:
		return true
	}
	return false
}

// OrgChecks generates the checks of the company rules: org-required-tags
// (every taggable kind) when org lists required tags, and
// org-allowed-regions (every taggable, regional kind) when it lists allowed
// regions. The rules are written into the conditions as literals, so the
// checks do not depend on the Engine's Org. With no rules it returns no
// checks.
//
// org.tag_rules add their clauses to org-required-tags, org.forbidden_kinds
// generates org-forbidden-kinds (every resource of those kinds fails),
// org.forbidden_public_exposure generates org-no-public-exposure and
// org.customer_managed_keys org-customer-managed-keys (from the tables
// PublicExposurePredicates and CustomerManagedKeyPredicates), and
// org.exceptions become the checks' applies_if, so exempt resources get no
// finding. Kinds the registry does not know, that cannot carry tags (tag
// rules) or that a table has no predicate for are errors at the rule's
// file:line.
func (e *Env) OrgChecks(org config.Org) ([]*Check, error) {
	if err := e.validateOrgKinds(org); err != nil {
		return nil, err
	}
	var taggable, regional []string
	for _, k := range e.reg.All() {
		if !k.Taggable {
			continue
		}
		taggable = append(taggable, k.Name)
		if !k.Global {
			regional = append(regional, k.Name)
		}
	}
	var out []*Check
	if (len(org.RequiredTags) > 0 || len(org.TagRules) > 0) && len(taggable) > 0 {
		cond := requiredTagsCondition(org.RequiredTags)
		if rules := tagRulesCondition(org.TagRules); rules != "" {
			if cond != "" {
				cond += " && "
			}
			cond += rules
		}
		c := &Check{
			ID:        OrgRequiredTagsID,
			Title:     "Resource carries the company's required tags",
			Severity:  finding.Medium,
			Kinds:     taggable,
			Area:      responsibility.Configuration,
			Condition: cond,
			Description: "Every taggable resource carries each tag key listed under org.required_tags " +
				"in cloudward.yaml, with a non-empty value, and the tags org.tag_rules require of its " +
				"provider or kind, with values matching their patterns.",
			Risk: "Untagged resources have no known owner, cost centre or environment: nobody is " +
				"accountable for patching or deleting them, incident responders cannot tell production " +
				"from test, and cost and access policies keyed on tags skip them.",
			Remediation: Remediation{
				Text: "Add the missing tags (or labels) to the resource, and enforce them at creation: " +
					"AWS tag policies or SCPs with aws:RequestTag, GCP organization policies on labels, " +
					"Azure Policy's \"Require a tag on resources\", or required tags in your Terraform modules.",
				CLI: "aws resourcegroupstaggingapi tag-resources --resource-arn-list ARN --tags owner=TEAM,environment=ENV",
			},
			Generated: true,
		}
		out = append(out, c)
	}
	if len(org.AllowedRegions) > 0 && len(regional) > 0 {
		c := &Check{
			ID:        OrgAllowedRegionsID,
			Title:     "Resource lives in a region the company allows",
			Severity:  finding.High,
			Kinds:     regional,
			Area:      responsibility.DataProtection,
			Condition: allowedRegionsCondition(org.AllowedRegions),
			Description: "Every regional resource lives in one of the regions listed for its provider " +
				"under org.allowed_regions in cloudward.yaml. Providers without a list are unconstrained.",
			Risk: "Data stored or processed outside the approved regions can breach data-residency " +
				"commitments (GDPR, customer contracts) and usually sits outside the monitoring, backup " +
				"and guardrails set up for the approved regions; unexpected regions are also a classic " +
				"sign of a compromised account mining cryptocurrency.",
			Remediation: Remediation{
				Text: "Move the resource to an allowed region (snapshot or replicate, then delete the " +
					"original), or add the region to org.allowed_regions if it is approved. Prevent " +
					"recurrence with AWS SCPs on aws:RequestedRegion, GCP's gcp.resourceLocations " +
					"organization policy or Azure Policy's \"Allowed locations\".",
			},
			Generated: true,
		}
		out = append(out, c)
	}
	if len(org.ForbiddenKinds) > 0 {
		kinds := slices.Clone(org.ForbiddenKinds)
		slices.Sort(kinds)
		out = append(out, &Check{
			ID:        OrgForbiddenKindsID,
			Title:     "Resource is not of a kind the company forbids",
			Severity:  finding.High,
			Kinds:     slices.Compact(kinds),
			Area:      responsibility.Configuration,
			Condition: "false",
			Description: "No resource is of a kind listed under org.forbidden_kinds in cloudward.yaml: " +
				"every resource of such a kind fails.",
			Risk: "A service the company has not approved sits outside its reviewed configurations, " +
				"monitoring and contracts (data processing agreements, residency), and is often shadow IT " +
				"nobody patches or pays attention to.",
			Remediation: Remediation{
				Text: "Migrate the workload to an approved service and delete the resource, or remove the " +
					"kind from org.forbidden_kinds if it has been approved. Block creation with AWS SCPs, " +
					"GCP organization policies (constraints/gcp.restrictServiceUsage) or Azure Policy's " +
					"\"Not allowed resource types\".",
			},
			Generated: true,
		})
	}
	out = append(out, e.predicateChecks(org)...)
	for _, c := range out {
		c.AppliesIf = exceptionsCondition(c.ID, org.Exceptions)
		prg, idx, err := e.cel.compile(c.Condition, true, true)
		if err != nil {
			return nil, fmt.Errorf("compile %s: %w", c.ID, err)
		}
		c.condition, c.indexKinds = prg, idx
		if c.AppliesIf != "" {
			if c.appliesIf, _, err = e.cel.compile(c.AppliesIf, true, true); err != nil {
				return nil, fmt.Errorf("compile %s applies_if: %w", c.ID, err)
			}
		}
	}
	return out, nil
}

// validateOrgKinds reports the kinds the rules name that the registry does
// not know, that cannot carry tags (tag rules), or that belong to another
// provider than the rule's.
func (e *Env) validateOrgKinds(org config.Org) error {
	ps := &config.Problems{File: org.File}
	for i, r := range org.TagRules {
		line := org.Lines.At(org.Lines.TagRules, i, 0)
		for _, name := range r.Kinds {
			k, ok := e.reg.Lookup(name)
			switch {
			case !ok:
				ps.Add(line, "org.tag_rules[%d]: unknown kind %q (see `cloudward kinds`)", i, name)
			case !k.Taggable:
				ps.Add(line, "org.tag_rules[%d]: kind %s cannot carry tags or labels", i, name)
			case r.Provider != "" && k.Provider != r.Provider:
				ps.Add(line, "org.tag_rules[%d]: kind %s is not a %s kind", i, name, r.Provider)
			}
		}
	}
	for i, name := range org.ForbiddenKinds {
		if _, ok := e.reg.Lookup(name); !ok {
			ps.Add(org.Lines.At(org.Lines.ForbiddenKinds, i, 0), "org.forbidden_kinds: unknown kind %q (see `cloudward kinds`)", name)
		}
	}
	e.validatePredicateRules(ps, org)
	return ps.Err()
}

// tagRulesCondition is, per rule, (not in scope || key present, non-empty
// and matching the pattern), joined with &&.
func tagRulesCondition(rules []config.TagRule) string {
	parts := make([]string, 0, len(rules))
	for _, r := range rules {
		q := strconv.Quote(r.Key)
		test := fmt.Sprintf("%s in tags && tags[%s] != \"\"", q, q)
		if r.Pattern != "" {
			test += fmt.Sprintf(" && tags[%s].matches(%s)", q, strconv.Quote("^(?:"+r.Pattern+")$"))
		}
		var scope []string
		if r.Provider != "" {
			scope = append(scope, fmt.Sprintf("resource.provider == %s", strconv.Quote(string(r.Provider))))
		}
		if len(r.Kinds) > 0 {
			ks := make([]string, len(r.Kinds))
			for i, k := range r.Kinds {
				ks[i] = strconv.Quote(k)
			}
			scope = append(scope, fmt.Sprintf("resource.kind in [%s]", strings.Join(ks, ", ")))
		}
		if len(scope) == 0 {
			parts = append(parts, "("+test+")")
			continue
		}
		parts = append(parts, fmt.Sprintf("(!(%s) || (%s))", strings.Join(scope, " && "), test))
	}
	return strings.Join(parts, " && ")
}

// exceptionsCondition is the applies_if of check id under the exceptions:
// false for resources whose UID matches an exception naming the check (or
// naming none); "" when no exception applies to the check.
func exceptionsCondition(id string, exceptions []config.OrgException) string {
	var res []string
	for _, x := range exceptions {
		if len(x.Checks) > 0 && !slices.Contains(x.Checks, id) {
			continue
		}
		res = append(res, fmt.Sprintf("resource.uid.matches(%s)", strconv.Quote(globRegexp(x.Resource))))
	}
	if len(res) == 0 {
		return ""
	}
	return "!(" + strings.Join(res, " || ") + ")"
}

// globRegexp translates a config.Glob pattern into an anchored RE2
// expression: * matches any run, ? one character.
func globRegexp(glob string) string {
	q := regexp.QuoteMeta(glob)
	q = strings.ReplaceAll(q, `\*`, ".*")
	q = strings.ReplaceAll(q, `\?`, ".")
	return "^" + q + "$"
}

// requiredTagsCondition is, for tags [a, b]:
// "a" in tags && tags["a"] != "" && "b" in tags && tags["b"] != "".
func requiredTagsCondition(required []string) string {
	parts := make([]string, 0, len(required))
	for _, t := range required {
		q := strconv.Quote(t)
		parts = append(parts, fmt.Sprintf("(%s in tags && tags[%s] != \"\")", q, q))
	}
	return strings.Join(parts, " && ")
}

// allowedRegionsCondition is, per constrained provider p with regions rs:
// (resource.provider != "p" || resource.region in rs), joined with &&.
func allowedRegionsCondition(allowed map[resource.Provider][]string) string {
	provs := make([]string, 0, len(allowed))
	for p := range allowed {
		provs = append(provs, string(p))
	}
	slices.Sort(provs)
	parts := make([]string, 0, len(provs))
	for _, p := range provs {
		rs := make([]string, len(allowed[resource.Provider(p)]))
		for i, r := range allowed[resource.Provider(p)] {
			rs[i] = strconv.Quote(r)
		}
		parts = append(parts, fmt.Sprintf("(resource.provider != %s || resource.region in [%s])", strconv.Quote(p), strings.Join(rs, ", ")))
	}
	return strings.Join(parts, " && ")
}
