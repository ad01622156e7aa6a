package report

import (
	"strconv"
	"unicode/utf8"
)

// The HTML report embeds its findings as compact JSON: one array per
// finding, with every repeated string (check ID, kind, account, region,
// resource UID and name, reason) replaced by its index in a dictionary that
// follows the findings. See docs/html-report.md for the layout.

// htmlDictMax caps each dictionary of the HTML report. Past the cap a field
// is written as a literal string instead of an index, so the writer's memory
// is bounded however many distinct resources a scan has.
const htmlDictMax = 1 << 18

// htmlDict is one dictionary of the HTML report's findings data.
type htmlDict struct {
	index map[string]int
	list  []string
	max   int
}

func newHTMLDict(max int, seed ...string) *htmlDict {
	d := &htmlDict{index: make(map[string]int, len(seed)), max: max}
	for _, s := range seed {
		d.ref(s)
	}
	return d
}

// ref returns the index of s, adding it when there is room; -1 means the
// dictionary is full and s is not in it.
func (d *htmlDict) ref(s string) int {
	if i, ok := d.index[s]; ok {
		return i
	}
	if len(d.list) >= d.max {
		return -1
	}
	i := len(d.list)
	d.index[s] = i
	d.list = append(d.list, s)
	return i
}

// appendRef appends s's index, or s itself as a JSON string when the
// dictionary is full.
func (d *htmlDict) appendRef(b []byte, s string) []byte {
	if i := d.ref(s); i >= 0 {
		return strconv.AppendInt(b, int64(i), 10)
	}
	return appendJSONString(b, s)
}

// appendList appends the dictionary as a JSON array of strings.
func (d *htmlDict) appendList(b []byte) []byte {
	return appendJSONStrings(b, d.list)
}

func appendJSONStrings(b []byte, ss []string) []byte {
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, s)
	}
	return append(b, ']')
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string that is safe inside an HTML
// <script> element: besides what JSON requires it escapes <, > and & (so no
// "</script>" or "<!--" can appear), U+2028 and U+2029, and it replaces
// invalid UTF-8 with U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
