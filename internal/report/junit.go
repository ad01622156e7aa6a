package report

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"iter"
	"strconv"
	"strings"

	"cloudward/internal/finding"
)

// WriteJUnit writes a JUnit XML report for CI dashboards: one <testsuite>
// per check and one <testcase> per check × resource, with a <failure> for
// FAIL, an <error> for ERROR and <skipped> for MUTED; PASS is a plain test
// case. all must be grouped by check, as the store returns findings
// (severity, then check ID): a suite is closed when the check changes, so
// only one finding is held at a time. Suite and total counts come from s,
// which must have counted the same findings.
func WriteJUnit(w io.Writer, s *Summary, all iter.Seq2[finding.Finding, error]) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString(xml.Header)
	enc := xml.NewEncoder(bw)
	enc.Indent("", "  ")

	tot := s.Totals()
	root := xml.StartElement{Name: xml.Name{Local: "testsuites"}, Attr: append([]xml.Attr{
		{Name: xml.Name{Local: "name"}, Value: "cloudward " + s.Meta().Scope},
	}, junitCounts(tot)...)}
	if err := enc.EncodeToken(root); err != nil {
		return fmt.Errorf("write junit report: %w", err)
	}

	suite := ""
	open := false
	for f, err := range all {
		if err != nil {
			return fmt.Errorf("write junit report: read findings: %w", err)
		}
		if !open || f.CheckID != suite {
			if open {
				if err := enc.EncodeToken(xml.EndElement{Name: xml.Name{Local: "testsuite"}}); err != nil {
					return fmt.Errorf("write junit report: %w", err)
				}
			}
			if err := startJUnitSuite(enc, s, f); err != nil {
				return fmt.Errorf("write junit report: %w", err)
			}
			suite, open = f.CheckID, true
		}
		if err := enc.EncodeElement(junitCase(s, f), xml.StartElement{Name: xml.Name{Local: "testcase"}}); err != nil {
			return fmt.Errorf("write junit report: encode finding %s on %s: %w", f.CheckID, f.ResourceUID, err)
		}
	}
	if open {
		if err := enc.EncodeToken(xml.EndElement{Name: xml.Name{Local: "testsuite"}}); err != nil {
			return fmt.Errorf("write junit report: %w", err)
		}
	}
	if err := enc.EncodeToken(root.End()); err != nil {
		return fmt.Errorf("write junit report: %w", err)
	}
	if err := enc.Flush(); err != nil {
		return fmt.Errorf("write junit report: %w", err)
	}
	bw.WriteString("\n")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write junit report: %w", err)
	}
	return nil
}

func junitCounts(c Counts) []xml.Attr {
	n := func(k string, v int64) xml.Attr {
		return xml.Attr{Name: xml.Name{Local: k}, Value: strconv.FormatInt(v, 10)}
	}
	return []xml.Attr{n("tests", c.Total()), n("failures", c.Fail), n("errors", c.Error), n("skipped", c.Muted)}
}

// startJUnitSuite opens the suite of f's check, with its counts and the
// check's severity, provider and area as properties.
func startJUnitSuite(enc *xml.Encoder, s *Summary, f finding.Finding) error {
	c := checkInfo(s, f)
	var counts Counts
	if cs, ok := s.Check(f.CheckID); ok {
		counts = cs.Counts
	}
	start := xml.StartElement{Name: xml.Name{Local: "testsuite"}, Attr: append([]xml.Attr{
		{Name: xml.Name{Local: "name"}, Value: f.CheckID},
	}, junitCounts(counts)...)}
	if err := enc.EncodeToken(start); err != nil {
		return err
	}
	type property struct {
		Name  string `xml:"name,attr"`
		Value string `xml:"value,attr"`
	}
	props := struct {
		P []property `xml:"property"`
	}{P: []property{{"title", c.Title}, {"severity", f.Severity.String()}, {"provider", c.Provider}}}
	if c.Area != "" {
		props.P = append(props.P, property{"area", c.Area})
	}
	return enc.EncodeElement(props, xml.StartElement{Name: xml.Name{Local: "properties"}})
}

type junitOutcome struct {
	Message string `xml:"message,attr,omitempty"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",chardata"`
}

type junitTestCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitOutcome `xml:"failure"`
	Error     *junitOutcome `xml:"error"`
	Skipped   *junitOutcome `xml:"skipped"`
}

func junitCase(s *Summary, f finding.Finding) junitTestCase {
	tc := junitTestCase{Name: f.ResourceUID, Classname: f.CheckID}
	switch f.Status {
	case finding.Pass:
	case finding.Fail:
		c := checkInfo(s, f)
		var b strings.Builder
		fmt.Fprintf(&b, "%s\nresource: %s (%s)\nprovider: %s  account: %s  region: %s\n",
			c.Title, f.ResourceUID, f.Kind, f.Provider, f.Account, f.Region)
		if c.Remediation != "" {
			fmt.Fprintf(&b, "remediation: %s\n", strings.TrimSpace(c.Remediation))
		}
		tc.Failure = &junitOutcome{Message: c.Title, Type: f.Severity.String(), Text: b.String()}
	case finding.Muted:
		tc.Skipped = &junitOutcome{Message: "muted: " + f.Reason}
	default:
		tc.Error = &junitOutcome{Message: f.Reason, Type: string(f.Status)}
	}
	return tc
}
