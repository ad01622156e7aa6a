package report

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"iter"
	"strings"

	"cloudward/internal/finding"
)

// CSVColumns returns the CSV output's header, in column order. Columns are
// only ever appended, so scripts may address them by position.
func CSVColumns() []string {
	return []string{
		"finding_id", "check_id", "title", "severity", "status", "provider", "account", "region",
		"kind", "resource_uid", "resource_name", "reason", "area", "remediation",
	}
}

// WriteCSV writes one RFC 4180 row per finding of all under a CSVColumns
// header. Findings stream through one at a time, so memory does not grow
// with their number. A cell that a spreadsheet would run as a formula (one
// starting with =, +, -, @, tab or carriage return) is prefixed with a
// single quote, as OWASP recommends against CSV injection: resource names
// and reasons come from the scanned cloud, not from the user.
func WriteCSV(w io.Writer, s *Summary, all iter.Seq2[finding.Finding, error]) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	cw := csv.NewWriter(bw)
	if err := cw.Write(CSVColumns()); err != nil {
		return fmt.Errorf("write csv report: %w", err)
	}
	row := make([]string, len(CSVColumns()))
	for f, err := range all {
		if err != nil {
			return fmt.Errorf("write csv report: read findings: %w", err)
		}
		c := checkInfo(s, f)
		row = append(row[:0],
			FindingUID(f.CheckID, f.ResourceUID), f.CheckID, c.Title, f.Severity.String(), string(f.Status),
			f.Provider, f.Account, f.Region, f.Kind, f.ResourceUID, f.ResourceName, f.Reason, c.Area, c.Remediation,
		)
		for i, cell := range row {
			row[i] = csvSafe(cell)
		}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("write csv report: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv report: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write csv report: %w", err)
	}
	return nil
}

// csvSafe defuses a cell a spreadsheet would evaluate as a formula.
func csvSafe(cell string) string {
	if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
		return "'" + cell
	}
	return cell
}
