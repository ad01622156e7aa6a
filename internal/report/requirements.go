package report

import (
	"cmp"
	"fmt"
	"strconv"
)

// maxRequirementTitleWidth caps the requirement title column.
const maxRequirementTitleWidth = 60

// requirementStyle colours a requirement's status.
func requirementStyle(st RequirementStatus) string {
	switch st {
	case RequirementPass:
		return styleGreen
	case RequirementFail:
		return styleRed
	case RequirementError:
		return styleYellow
	}
	return styleDim
}

// writeRequirements renders one framework's requirements with their
// status, finding counts and coverage: how many requirements checks decide
// and how many remain manual.
func writeRequirements(ew *errWriter, fw FrameworkScore, c bool) {
	name := cmp.Or(fw.Title, fw.ID)
	if fw.Version != "" {
		name += " " + fw.Version
	}
	ew.printf("\n%s  %s\n", paint("Requirements", styleBold, c), sanitize(name))
	t := table{cols: []column{
		{title: "REQUIREMENT"}, {title: "STATUS"}, {title: "PASS", align: alignRight},
		{title: "FAIL", align: alignRight}, {title: "ERROR", align: alignRight},
		{title: "MUTED", align: alignRight}, {title: "TITLE", max: maxRequirementTitleWidth},
	}}
	for _, r := range fw.Requirements {
		st := string(r.Status)
		if r.Status == RequirementNoResources {
			st = "no resources"
		}
		t.add(cell{text: r.ID}, cell{text: st, style: requirementStyle(r.Status)},
			cell{text: formatInt(r.Counts.Pass)}, cell{text: formatInt(r.Counts.Fail)},
			cell{text: formatInt(r.Counts.Error)}, cell{text: formatInt(r.Counts.Muted)},
			cell{text: r.Title})
	}
	ew.err = cmp.Or(ew.err, t.write(ew, "  ", c))
	n := len(fw.Requirements)
	covered := n - fw.Manual
	cov := "n/a"
	if n > 0 {
		cov = fmt.Sprintf("%.1f%%", 100*float64(covered)/float64(n))
	}
	score := "n/a"
	if v, ok := fw.Score(); ok {
		score = fmt.Sprintf("%.1f%%", v)
	}
	ew.printf("  Coverage: %s of %s requirements have checks (%s); %s manual. Score %s: %s passed, %s failed, %s error, %s without resources.\n",
		strconv.Itoa(covered), strconv.Itoa(n), cov, strconv.Itoa(fw.Manual), score,
		strconv.Itoa(fw.Passed), strconv.Itoa(fw.Failed), strconv.Itoa(fw.Errored), strconv.Itoa(fw.NoResources))
	writeSections(ew, fw, c)
}

// sectionScore counts one section's requirements by outcome.
type sectionScore struct {
	name                                   string
	passed, failed, errored, manual, noRes int
}

// writeSections scores each section of a framework: passed / (passed +
// failed) requirements, manual ones counted apart. Frameworks without
// sections get no table.
func writeSections(ew *errWriter, fw FrameworkScore, c bool) {
	var order []*sectionScore
	by := map[string]*sectionScore{}
	for _, r := range fw.Requirements {
		if r.Section == "" {
			continue
		}
		sc := by[r.Section]
		if sc == nil {
			sc = &sectionScore{name: r.Section}
			by[r.Section] = sc
			order = append(order, sc)
		}
		switch r.Status {
		case RequirementPass:
			sc.passed++
		case RequirementFail:
			sc.failed++
		case RequirementError:
			sc.errored++
		case RequirementManual:
			sc.manual++
		default:
			sc.noRes++
		}
	}
	if len(order) == 0 {
		return
	}
	t := table{cols: []column{
		{title: "SECTION", max: maxRequirementTitleWidth}, {title: "SCORE", align: alignRight},
		{title: "PASSED", align: alignRight}, {title: "FAILED", align: alignRight},
		{title: "ERROR", align: alignRight}, {title: "MANUAL", align: alignRight},
		{title: "NO RESOURCES", align: alignRight},
	}}
	for _, sc := range order {
		score := "n/a"
		if d := sc.passed + sc.failed; d > 0 {
			score = fmt.Sprintf("%.1f%%", 100*float64(sc.passed)/float64(d))
		}
		t.add(cell{text: sc.name}, cell{text: score}, cell{text: strconv.Itoa(sc.passed)},
			cell{text: strconv.Itoa(sc.failed)}, cell{text: strconv.Itoa(sc.errored)},
			cell{text: strconv.Itoa(sc.manual)}, cell{text: strconv.Itoa(sc.noRes)})
	}
	ew.printf("  Sections (score = passed / (passed + failed) requirements):\n")
	ew.err = cmp.Or(ew.err, t.write(ew, "  ", c))
}
