package report

import (
	"bytes"
	"strings"
	"testing"
)

func TestTextWidth(t *testing.T) {
	tests := []struct {
		s    string
		want int
	}{
		{"", 0},
		{"bucket", 6},
		{"データ", 6},
		{"数据-bucket", 11},
		{"ｆｕｌｌ", 8},
		{"e\u0301te\u0301", 3}, // combining acute accents take no cell
		{"a\u200bb", 2},
		{"naïve", 5},
	}
	for _, tt := range tests {
		if got := textWidth(tt.s); got != tt.want {
			t.Errorf("textWidth(%q) = %d, want %d", tt.s, got, tt.want)
		}
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		s     string
		limit int
		want  string
	}{
		{"short", 10, "short"},
		{"exactly10!", 10, "exactly10!"},
		{"eleven-char", 10, "eleven-ch…"},
		{"anything", 0, "anything"},
		{"データバケット", 6, "デー…"}, // a third wide rune and the ellipsis would take 7 cells
		{"データバケット", 7, "データ…"},
	}
	for _, tt := range tests {
		got := truncate(tt.s, tt.limit)
		if got != tt.want {
			t.Errorf("truncate(%q, %d) = %q, want %q", tt.s, tt.limit, got, tt.want)
		}
		if tt.limit > 0 && textWidth(got) > tt.limit {
			t.Errorf("truncate(%q, %d) = %q is %d cells wide", tt.s, tt.limit, got, textWidth(got))
		}
	}
}

func TestSanitize(t *testing.T) {
	for in, want := range map[string]string{
		"plain":              "plain",
		"a\nb\tc":            "a b c",
		"\x1b[2Jcleared":     " [2Jcleared",
		"c1\u009b31mred":     "c1 31mred",
		"データ":                "データ",
		"bell\x07and\x7fdel": "bell and del",
	} {
		if got := sanitize(in); got != want {
			t.Errorf("sanitize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTableAlignsWideTextAndColour(t *testing.T) {
	for _, color := range []bool{false, true} {
		tb := table{cols: []column{{title: "NAME"}, {title: "COUNT", align: alignRight}, {title: "NOTE"}}}
		tb.add(cell{text: "データ", style: styleRed}, cell{text: "7"}, cell{text: "wide"})
		tb.add(cell{text: "ascii-name"}, cell{text: "1,234", style: styleGreen}, cell{text: "x"})
		var buf bytes.Buffer
		if err := tb.write(&buf, "> ", color); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		if color != strings.Contains(out, "\x1b[") {
			t.Errorf("color=%v but escapes present=%v:\n%s", color, !color, out)
		}
		// Strip the escapes: every line must then have NOTE at the same cell.
		plain := strings.NewReplacer("\x1b[1m", "", "\x1b[31m", "", "\x1b[32m", "", "\x1b[0m", "").Replace(out)
		lines := strings.Split(strings.TrimSuffix(plain, "\n"), "\n")
		if len(lines) != 3 {
			t.Fatalf("got %d lines:\n%s", len(lines), plain)
		}
		col := -1
		for i, l := range lines {
			if !strings.HasPrefix(l, "> ") || strings.HasSuffix(l, " ") {
				t.Errorf("line %q: want indent and no trailing spaces", l)
			}
			fields := strings.Fields(l)
			last := fields[len(fields)-1]
			c := textWidth(l) - textWidth(last)
			if i > 0 && c != col {
				t.Errorf("color=%v: last column starts at cell %d on line %d, %d on line 0:\n%s", color, c, i, col, plain)
			}
			col = c
		}
	}
}

func TestColorEnabled(t *testing.T) {
	tests := []struct {
		tty           bool
		noColor, term string
		want          bool
	}{
		{true, "", "xterm-256color", true},
		{false, "", "xterm-256color", false},
		{true, "1", "xterm-256color", false},
		{true, "", "dumb", false},
		{true, "", "", true},
	}
	for _, tt := range tests {
		if got := colorEnabled(tt.tty, tt.noColor, tt.term); got != tt.want {
			t.Errorf("colorEnabled(%v, %q, %q) = %v, want %v", tt.tty, tt.noColor, tt.term, got, tt.want)
		}
	}
	// A regular file is never a terminal.
	f, err := openTemp(t)
	if err != nil {
		t.Fatal(err)
	}
	if ColorEnabled(f) {
		t.Error("ColorEnabled(regular file) = true")
	}
	if ColorEnabled(nil) {
		t.Error("ColorEnabled(nil) = true")
	}
}

func TestFormatInt(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 7: "7", 999: "999", 1000: "1,000", 1234567: "1,234,567", -45000: "-45,000", 100000: "100,000"} {
		if got := formatInt(n); got != want {
			t.Errorf("formatInt(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestUncappedTableIsChunked checks that an uncapped findings table is
// written in chunks: every row appears, the header once, and columns never
// move left from one chunk to the next.
func TestUncappedTableIsChunked(t *testing.T) {
	const n = 2*tableChunk + 500
	s := NewSummary(Meta{}, fixtureChecks, nil)
	if err := s.AddAll(generated(n, nil)); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteText(&buf, s, generated(n, nil), TextOptions{}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if got := strings.Count(out, "RESOURCE"); got != 1 {
		t.Errorf("findings header appears %d times, want 1", got)
	}
	want := s.Totals().Fail + s.Totals().Error
	var rows int64
	prev := 0
	for l := range strings.Lines(out) {
		if !strings.Contains(l, "  bucket-") {
			continue
		}
		rows++
		col := strings.Index(l, "  bucket-")
		if col < prev {
			t.Fatalf("resource column moved left from %d to %d at row %d", prev, col, rows)
		}
		prev = col
	}
	if rows != want {
		t.Errorf("%d rows, want %d", rows, want)
	}
	if strings.Contains(out, "more. See them all") {
		t.Error("an uncapped table must not say there are more rows")
	}
}
