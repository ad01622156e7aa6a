package policy

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// parseJSONObject parses a JSON object into map[string]any, []any, string,
// int64 (integral numbers that fit), float64, bool and nil. It is a
// hand-written parser because properties are decoded once per resource on
// the engine's hot path, where encoding/json's generic decoding dominated
// the profile. Anything it cannot parse it reports as an error;
// TestParseJSONMatchesEncodingJSON and FuzzParseJSON hold it to
// encoding/json's behaviour.
func parseJSONObject(b []byte) (map[string]any, error) {
	return (&jsonParser{}).parse(b)
}

// maxInternedKeys bounds a parser's table of object keys.
const maxInternedKeys = 4096

// parse parses one object. A parser may be reused (not concurrently): it
// keeps a table of the object keys it has seen, so that the same keys in
// the next resources of a kind are not allocated again.
func (p *jsonParser) parse(b []byte) (map[string]any, error) {
	p.b, p.i = b, 0
	p.ws()
	if p.i >= len(p.b) || p.b[p.i] != '{' {
		return nil, p.errorf("want a JSON object")
	}
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	p.ws()
	if p.i != len(p.b) {
		return nil, p.errorf("unexpected data after the object")
	}
	return v.(map[string]any), nil
}

// maxJSONDepth bounds nesting, as encoding/json does.
const maxJSONDepth = 10000

type jsonParser struct {
	b    []byte
	i    int
	keys map[string]string
}

// key parses an object key, interning it.
func (p *jsonParser) key() (string, error) {
	start := p.i + 1
	end := start
	for end < len(p.b) && p.b[end] != '"' && p.b[end] != '\\' && p.b[end] >= 0x20 && p.b[end] < 0x80 {
		end++
	}
	if end < len(p.b) && p.b[end] == '"' {
		if k, ok := p.keys[string(p.b[start:end])]; ok {
			p.i = end + 1
			return k, nil
		}
	}
	k, err := p.str()
	if err != nil {
		return "", err
	}
	if p.keys == nil {
		p.keys = map[string]string{}
	}
	if len(p.keys) < maxInternedKeys {
		p.keys[k] = k
	}
	return k, nil
}

func (p *jsonParser) errorf(format string, args ...any) error {
	return fmt.Errorf("offset %d: %s", p.i, fmt.Sprintf(format, args...))
}

func (p *jsonParser) ws() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *jsonParser) value(depth int) (any, error) {
	if depth > maxJSONDepth {
		return nil, p.errorf("nested too deeply")
	}
	p.ws()
	if p.i >= len(p.b) {
		return nil, p.errorf("unexpected end of JSON")
	}
	switch c := p.b[p.i]; {
	case c == '{':
		p.i++
		m := map[string]any{}
		p.ws()
		if p.i < len(p.b) && p.b[p.i] == '}' {
			p.i++
			return m, nil
		}
		for {
			p.ws()
			if p.i >= len(p.b) || p.b[p.i] != '"' {
				return nil, p.errorf("want an object key")
			}
			k, err := p.key()
			if err != nil {
				return nil, err
			}
			p.ws()
			if p.i >= len(p.b) || p.b[p.i] != ':' {
				return nil, p.errorf("want ':' after object key")
			}
			p.i++
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			m[k] = v
			p.ws()
			if p.i >= len(p.b) {
				return nil, p.errorf("unexpected end of JSON")
			}
			if p.b[p.i] == ',' {
				p.i++
				continue
			}
			if p.b[p.i] == '}' {
				p.i++
				return m, nil
			}
			return nil, p.errorf("want ',' or '}' in object")
		}
	case c == '[':
		p.i++
		l := []any{}
		p.ws()
		if p.i < len(p.b) && p.b[p.i] == ']' {
			p.i++
			return l, nil
		}
		for {
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			l = append(l, v)
			p.ws()
			if p.i >= len(p.b) {
				return nil, p.errorf("unexpected end of JSON")
			}
			if p.b[p.i] == ',' {
				p.i++
				continue
			}
			if p.b[p.i] == ']' {
				p.i++
				return l, nil
			}
			return nil, p.errorf("want ',' or ']' in array")
		}
	case c == '"':
		return p.str()
	case c == 't':
		return true, p.lit("true")
	case c == 'f':
		return false, p.lit("false")
	case c == 'n':
		return nil, p.lit("null")
	case c == '-' || (c >= '0' && c <= '9'):
		return p.num()
	}
	return nil, p.errorf("unexpected character %q", p.b[p.i])
}

func (p *jsonParser) lit(s string) error {
	if len(p.b)-p.i < len(s) || string(p.b[p.i:p.i+len(s)]) != s {
		return p.errorf("invalid literal")
	}
	p.i += len(s)
	return nil
}

func (p *jsonParser) num() (any, error) {
	start := p.i
	if p.b[p.i] == '-' {
		p.i++
	}
	digits := func() int {
		n := 0
		for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
			p.i++
			n++
		}
		return n
	}
	intStart := p.i
	if digits() == 0 {
		return nil, p.errorf("invalid number")
	}
	if p.b[intStart] == '0' && p.i-intStart > 1 {
		return nil, p.errorf("invalid number: leading zero")
	}
	integral := true
	if p.i < len(p.b) && p.b[p.i] == '.' {
		integral = false
		p.i++
		if digits() == 0 {
			return nil, p.errorf("invalid number")
		}
	}
	if p.i < len(p.b) && (p.b[p.i] == 'e' || p.b[p.i] == 'E') {
		integral = false
		p.i++
		if p.i < len(p.b) && (p.b[p.i] == '+' || p.b[p.i] == '-') {
			p.i++
		}
		if digits() == 0 {
			return nil, p.errorf("invalid number")
		}
	}
	s := string(p.b[start:p.i])
	if integral {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return n, nil
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return nil, p.errorf("invalid number %s", s)
	}
	if err != nil {
		return nil, p.errorf("number %s out of range", s)
	}
	return f, nil
}

// str parses a string starting at the opening quote.
func (p *jsonParser) str() (string, error) {
	p.i++ // opening quote
	start := p.i
	ascii := true
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case c == '"':
			s := string(p.b[start:p.i])
			p.i++
			if !ascii && !utf8.ValidString(s) {
				return toValidUTF8(s), nil
			}
			return s, nil
		case c >= 0x80:
			ascii = false
		case c == '\\':
			return p.strSlow(start)
		case c < 0x20:
			return "", p.errorf("control character in string")
		}
		p.i++
	}
	return "", p.errorf("unterminated string")
}

// strSlow handles strings with escapes by finding the closing quote and
// letting encoding/json unquote them.
func (p *jsonParser) strSlow(start int) (string, error) {
	for p.i < len(p.b) {
		switch c := p.b[p.i]; {
		case c == '\\':
			p.i += 2
			continue
		case c == '"':
			var s string
			if err := json.Unmarshal(p.b[start-1:p.i+1], &s); err != nil {
				return "", p.errorf("invalid string: %v", err)
			}
			p.i++
			return s, nil
		case c < 0x20:
			return "", p.errorf("control character in string")
		}
		p.i++
	}
	return "", p.errorf("unterminated string")
}

// toValidUTF8 replaces invalid bytes as encoding/json does.
func toValidUTF8(s string) string {
	var out []rune
	for _, r := range s {
		out = append(out, r)
	}
	return string(out)
}
