package report

import (
	"io"
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// align is a column's alignment.
type align int

const (
	alignLeft align = iota
	alignRight
)

// cell is one table cell: text and an optional ANSI style applied around it
// when colour is on. The style never counts toward the column width.
type cell struct {
	text  string
	style string
}

// column describes one column of a table.
type column struct {
	title string
	align align
	// max is the widest the column may be, in terminal cells; 0 = no limit.
	max int
}

// table is a small terminal table: it measures text in terminal cells (wide
// East Asian characters take two, combining marks none), truncates cells to
// their column's max with an ellipsis, and pads after measuring so that ANSI
// styles do not break alignment. text/tabwriter counts runes and escape
// sequences, which does neither.
//
// A long table is written in chunks with flush, so its memory does not grow
// with its rows; column widths only grow from one chunk to the next.
type table struct {
	cols       []column
	rows       [][]cell
	widths     []int
	headerDone bool
}

func (t *table) add(cells ...cell) {
	row := make([]cell, len(t.cols))
	for i := range row {
		if i < len(cells) {
			row[i] = cell{text: truncate(sanitize(cells[i].text), t.cols[i].max), style: cells[i].style}
		}
	}
	t.rows = append(t.rows, row)
}

// write renders the table with a header row, each line starting with indent
// and columns separated by two spaces.
func (t *table) write(w io.Writer, indent string, color bool) error {
	return t.flush(w, indent, color)
}

// flush writes the header (the first time) and the rows added since the
// last flush, then forgets them.
func (t *table) flush(w io.Writer, indent string, color bool) error {
	if t.widths == nil {
		t.widths = make([]int, len(t.cols))
	}
	rows := t.rows
	if !t.headerDone {
		header := make([]cell, len(t.cols))
		for i, c := range t.cols {
			header[i] = cell{text: c.title, style: styleBold}
		}
		rows = append([][]cell{header}, rows...)
		t.headerDone = true
	}
	for _, r := range rows {
		for i, c := range r {
			t.widths[i] = max(t.widths[i], textWidth(c.text))
		}
	}
	var b strings.Builder
	for _, r := range rows {
		b.Reset()
		b.WriteString(indent)
		for i, c := range r {
			pad := t.widths[i] - textWidth(c.text)
			last := i == len(r)-1
			if i > 0 {
				b.WriteString("  ")
			}
			if t.cols[i].align == alignRight {
				b.WriteString(strings.Repeat(" ", pad))
			}
			b.WriteString(paint(c.text, c.style, color))
			if t.cols[i].align == alignLeft && !last {
				b.WriteString(strings.Repeat(" ", pad))
			}
		}
		b.WriteString("\n")
		if _, err := io.WriteString(w, b.String()); err != nil {
			return err
		}
	}
	t.rows = t.rows[:0]
	return nil
}

// runeWidth returns how many terminal cells r takes.
func runeWidth(r rune) int {
	switch {
	case r == 0x200B || unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf):
		return 0
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}

// textWidth returns how many terminal cells s takes.
func textWidth(s string) int {
	n := 0
	for _, r := range s {
		n += runeWidth(r)
	}
	return n
}

// truncate shortens s to at most limit cells, ending it with "…" when cut.
// limit <= 0 means no limit.
func truncate(s string, limit int) string {
	if limit <= 0 || textWidth(s) <= limit {
		return s
	}
	n := 0
	for i, r := range s {
		rw := runeWidth(r)
		if n+rw > limit-1 {
			return s[:i] + "…"
		}
		n += rw
	}
	return s
}

// sanitize replaces control characters (newlines, tabs, escape sequences) in
// data that comes from cloud APIs, so a resource name cannot move the cursor
// or change the terminal's colours.
func sanitize(s string) string {
	if strings.IndexFunc(s, unicode.IsControl) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}
