package report

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"cloudward/internal/finding"
)

// The AI inventory section: every resource of an AI kind (resource.Kind.AI)
// across clouds, what it reaches (data stores, keys, identities, networks,
// other AI resources, from the snapshot's edges) and its failing findings.
// The CLI builds it from the store (it is not derived from findings) and
// attaches it with Summary.SetAIInventory; the table, Markdown, HTML and
// JSON reports then show it.

// Link classes: what the resource at the other end of an AI resource's edge
// is.
const (
	LinkData     = "data"     // bucket, dataset, storage account, database
	LinkKey      = "key"      // encryption key or secret store
	LinkIdentity = "identity" // role, service account, managed identity
	LinkNetwork  = "network"  // VPC, subnet, security group
	LinkAI       = "ai"       // another AI resource (endpoint → model, agent → knowledge base)
	LinkOther    = "other"
)

// AIInventory is the AI section of a report.
type AIInventory struct {
	// Resources is every AI resource, most at risk first: by most severe
	// failing finding, then number of failing findings, then provider,
	// kind, account, region and name.
	Resources []AIResource `json:"resources"`
}

// AIResource is one AI resource with what it reaches and its failing
// findings.
type AIResource struct {
	UID      string `json:"uid"`
	Name     string `json:"name"`
	Kind     string `json:"kind"`
	Provider string `json:"provider"`
	Account  string `json:"account"`
	Region   string `json:"region"`
	// Links are the resources it is linked to by an edge, in either
	// direction, sorted by class, then UID.
	Links []AILink `json:"links"`
	// Failing are its FAIL findings, most severe first.
	Failing []AIFinding `json:"failing"`
}

// AILink is one resource an AI resource is linked to.
type AILink struct {
	// Class is one of the Link* constants.
	Class string `json:"class"`
	UID   string `json:"uid"`
	// Name and Kind are empty when the resource was not collected (in
	// another account, or not a collected kind).
	Name string `json:"name,omitempty"`
	Kind string `json:"kind,omitempty"`
	// Edge is the edge type, e.g. reads_data; Incoming is true when the
	// edge points at the AI resource.
	Edge     string `json:"edge"`
	Incoming bool   `json:"incoming,omitempty"`
}

// AIFinding is one failing finding of an AI resource.
type AIFinding struct {
	CheckID  string           `json:"check_id"`
	Title    string           `json:"title"`
	Severity finding.Severity `json:"severity"`
}

// Sort orders the resources most at risk first, their links by class and
// UID and their findings most severe first, so output is deterministic.
func (inv *AIInventory) Sort() {
	for i := range inv.Resources {
		r := &inv.Resources[i]
		slices.SortFunc(r.Links, func(a, b AILink) int {
			return cmp.Or(cmp.Compare(linkOrder(a.Class), linkOrder(b.Class)), cmp.Compare(a.UID, b.UID), cmp.Compare(a.Edge, b.Edge))
		})
		r.Links = slices.CompactFunc(r.Links, func(a, b AILink) bool { return a == b })
		slices.SortFunc(r.Failing, func(a, b AIFinding) int {
			return cmp.Or(cmp.Compare(b.Severity, a.Severity), cmp.Compare(a.CheckID, b.CheckID))
		})
	}
	slices.SortFunc(inv.Resources, func(a, b AIResource) int {
		return cmp.Or(cmp.Compare(worst(b), worst(a)), cmp.Compare(len(b.Failing), len(a.Failing)),
			cmp.Compare(a.Provider, b.Provider), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Account, b.Account),
			cmp.Compare(a.Region, b.Region), cmp.Compare(a.Name, b.Name), cmp.Compare(a.UID, b.UID))
	})
}

func linkOrder(class string) int {
	switch class {
	case LinkData:
		return 0
	case LinkAI:
		return 1
	case LinkIdentity:
		return 2
	case LinkKey:
		return 3
	case LinkNetwork:
		return 4
	}
	return 5
}

// worst is the severity of the most severe failing finding, or -1.
func worst(r AIResource) finding.Severity {
	if len(r.Failing) == 0 {
		return -1
	}
	w := r.Failing[0].Severity
	for _, f := range r.Failing[1:] {
		w = max(w, f.Severity)
	}
	return w
}

// LinksOf returns the resource's links of one class.
func (r AIResource) LinksOf(class string) []AILink {
	var out []AILink
	for _, l := range r.Links {
		if l.Class == class {
			out = append(out, l)
		}
	}
	return out
}

// AIInventoryStats are the headline figures of an inventory.
type AIInventoryStats struct {
	Resources, ReachingData, WithFailing int
	// ByProvider counts resources per provider, sorted by provider.
	ByProvider []ProviderCount
}

// ProviderCount is a number of resources of one provider.
type ProviderCount struct {
	Provider string `json:"provider"`
	Count    int    `json:"count"`
}

// Stats returns the headline figures.
func (inv *AIInventory) Stats() AIInventoryStats {
	st := AIInventoryStats{Resources: len(inv.Resources)}
	byProvider := map[string]int{}
	for _, r := range inv.Resources {
		byProvider[r.Provider]++
		if len(r.LinksOf(LinkData)) > 0 {
			st.ReachingData++
		}
		if len(r.Failing) > 0 {
			st.WithFailing++
		}
	}
	for _, p := range slices.Sorted(mapKeys(byProvider)) {
		st.ByProvider = append(st.ByProvider, ProviderCount{p, byProvider[p]})
	}
	return st
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// SetAIInventory attaches the AI inventory; the table, Markdown, HTML and
// JSON reports then include an AI inventory section. nil removes it.
func (s *Summary) SetAIInventory(inv *AIInventory) { s.ai = inv }

// AIInventory returns the attached AI inventory, or nil.
func (s *Summary) AIInventory() *AIInventory { return s.ai }

// linkName is how a report names a linked resource: its name, else the
// last part of its UID.
func linkName(l AILink) string {
	if l.Name != "" {
		return l.Name
	}
	uid := strings.TrimRight(l.UID, "/")
	if i := strings.LastIndexAny(uid, "/:"); i >= 0 && i < len(uid)-1 {
		return uid[i+1:]
	}
	return uid
}

// linkSummary names up to n of the resources links point to (each once,
// though it may be both read and written) and says how many more.
func linkSummary(links []AILink, n int) string {
	if len(links) == 0 {
		return "–"
	}
	links = slices.CompactFunc(slices.Clone(links), func(a, b AILink) bool { return a.UID == b.UID })
	var names []string
	for i, l := range links {
		if i == n {
			names = append(names, fmt.Sprintf("+%d", len(links)-n))
			break
		}
		names = append(names, linkName(l))
	}
	return strings.Join(names, ", ")
}

func failingSummary(r AIResource) string {
	if len(r.Failing) == 0 {
		return "–"
	}
	return fmt.Sprintf("%d (%s: %s)", len(r.Failing), r.Failing[0].Severity, r.Failing[0].CheckID)
}

func (st AIInventoryStats) headline() string {
	var parts []string
	for _, p := range st.ByProvider {
		parts = append(parts, p.Provider+" "+strconv.Itoa(p.Count))
	}
	return fmt.Sprintf("%s (%s) · %d reach data · %d with failing findings",
		plural(int64(st.Resources), "AI resource"), strings.Join(parts, ", "), st.ReachingData, st.WithFailing)
}

// writeAIInventoryText writes the terminal section, at most maxRows
// resources (0: all).
func writeAIInventoryText(ew *errWriter, inv *AIInventory, maxRows int, c bool) {
	if inv == nil {
		return
	}
	st := inv.Stats()
	ew.printf("\n%s  %s\n", paint("AI inventory", styleBold, c), st.headline())
	if st.Resources == 0 {
		ew.printf("  No AI resource was collected.\n")
		return
	}
	t := table{cols: []column{
		{title: "KIND", max: maxCheckWidth}, {title: "NAME", max: maxResourceWidth}, {title: "ACCOUNT"}, {title: "REGION"},
		{title: "DATA IT REACHES", max: maxTitleWidth}, {title: "FAILING", max: maxReasonWidth},
	}}
	shown := 0
	for _, r := range inv.Resources {
		if maxRows > 0 && shown == maxRows {
			break
		}
		fail := cell{text: failingSummary(r)}
		if len(r.Failing) > 0 {
			fail.style = severityStyle(r.Failing[0].Severity)
		}
		t.add(cell{text: r.Kind}, cell{text: cmp.Or(r.Name, r.UID)}, cell{text: r.Account}, cell{text: r.Region},
			cell{text: linkSummary(r.LinksOf(LinkData), 2)}, fail)
		shown++
	}
	ew.err = cmp.Or(ew.err, t.write(ew, "  ", c))
	if more := st.Resources - shown; more > 0 {
		ew.printf("  … and %d more AI resources (see the JSON or HTML report).\n", more)
	}
}

// writeAIInventoryMarkdown writes the Markdown section, at most maxRows
// resources (0: all).
func writeAIInventoryMarkdown(ew *errWriter, inv *AIInventory, maxRows int) {
	if inv == nil {
		return
	}
	st := inv.Stats()
	ew.printf("\n### AI inventory\n\n%s\n", mdEscape(st.headline()))
	if st.Resources == 0 {
		return
	}
	ew.printf("\n| Resource | Account | Region | Data it reaches | Failing checks |\n|---|---|---|---|---|\n")
	for i, r := range inv.Resources {
		if maxRows > 0 && i == maxRows {
			ew.printf("\n…and %d more AI resources (see the full report).\n", st.Resources-maxRows)
			break
		}
		var fails []string
		for _, f := range r.Failing {
			fails = append(fails, f.Severity.String()+" "+mdCode(f.CheckID))
		}
		failing := "–"
		if len(fails) > 0 {
			failing = strings.Join(fails, "<br>")
		}
		ew.printf("| %s<br>%s | %s | %s | %s | %s |\n", mdEscape(cmp.Or(r.Name, r.UID)), mdCode(r.Kind),
			mdEscape(r.Account), mdEscape(r.Region), mdEscape(linkSummary(r.LinksOf(LinkData), 3)), failing)
	}
}

// aiInventoryJSON is the JSON report's ai_inventory member.
type aiInventoryJSON struct {
	Resources    int             `json:"resources"`
	ReachingData int             `json:"reaching_data"`
	WithFailing  int             `json:"with_failing_findings"`
	ByProvider   []ProviderCount `json:"by_provider"`
	Items        []AIResource    `json:"items"`
}

func newAIInventoryJSON(inv *AIInventory) aiInventoryJSON {
	st := inv.Stats()
	out := aiInventoryJSON{Resources: st.Resources, ReachingData: st.ReachingData, WithFailing: st.WithFailing,
		ByProvider: st.ByProvider, Items: inv.Resources}
	if out.ByProvider == nil {
		out.ByProvider = []ProviderCount{}
	}
	if out.Items == nil {
		out.Items = []AIResource{}
	}
	for i := range out.Items {
		if out.Items[i].Links == nil {
			out.Items[i].Links = []AILink{}
		}
		if out.Items[i].Failing == nil {
			out.Items[i].Failing = []AIFinding{}
		}
	}
	return out
}

// htmlAIMax caps the rows of the HTML section; the JSON report has all.
const htmlAIMax = 1000

// htmlAIInventory is the HTML section's view.
type htmlAIInventory struct {
	Headline string
	Rows     []htmlAIRow
	More     int
}

type htmlAIRow struct {
	AIResource
	Data, AI, Identity, Key, Network, Other []AILink
}

func newHTMLAIInventory(inv *AIInventory) *htmlAIInventory {
	if inv == nil {
		return nil
	}
	v := &htmlAIInventory{Headline: inv.Stats().headline()}
	for i, r := range inv.Resources {
		if i == htmlAIMax {
			v.More = len(inv.Resources) - htmlAIMax
			break
		}
		v.Rows = append(v.Rows, htmlAIRow{AIResource: r, Data: r.LinksOf(LinkData), AI: r.LinksOf(LinkAI),
			Identity: r.LinksOf(LinkIdentity), Key: r.LinksOf(LinkKey), Network: r.LinksOf(LinkNetwork), Other: r.LinksOf(LinkOther)})
	}
	return v
}
