package policy

import (
	"fmt"
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
	OrgRequiredTagsID     = "org-required-tags"
	OrgAllowedRegionsID   = "org-allowed-regions"
	OrgForbiddenKindsID   = "org-forbidden-kinds"
	OrgNoPublicExposureID = "org-no-public-exposure"
	OrgCMKEncryptionID    = "org-cmk-encryption"
)

// IsOrgCheckID reports whether id is the ID of a check generated from the
// company rules. Frameworks may name these checks whether or not the rules
// are set.
func IsOrgCheckID(id string) bool {
	switch id {
	case OrgRequiredTagsID, OrgAllowedRegionsID, OrgForbiddenKindsID, OrgNoPublicExposureID, OrgCMKEncryptionID:
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
func (e *Env) OrgChecks(org config.Org) ([]*Check, error) {
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
	if len(org.RequiredTags) > 0 && len(taggable) > 0 {
		c := &Check{
			ID:        OrgRequiredTagsID,
			Title:     "Resource carries the company's required tags",
			Severity:  finding.Medium,
			Kinds:     taggable,
			Area:      responsibility.Configuration,
			Condition: requiredTagsCondition(org.RequiredTags),
			Description: "Every taggable resource carries each tag key listed under org.required_tags " +
				"in cloudward.yaml, with a non-empty value.",
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
	for _, c := range out {
		prg, idx, err := e.cel.compile(c.Condition, true)
		if err != nil {
			return nil, fmt.Errorf("compile %s: %w", c.ID, err)
		}
		c.condition, c.indexKinds = prg, idx
	}
	return out, nil
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
