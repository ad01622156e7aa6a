package policy

// parseKeys parses one object like parse, keeping only the top-level keys
// in keep: the values of the other keys are validated exactly as parse
// would (so a document parse rejects, parseKeys rejects too) but not built,
// which spares the allocations of the parts of a resource no check of its
// kind reads.
func (p *jsonParser) parseKeys(b []byte, keep map[string]bool) (map[string]any, error) {
	p.b, p.i = b, 0
	p.ws()
	if p.i >= len(p.b) || p.b[p.i] != '{' {
		return nil, p.errorf("want a JSON object")
	}
	p.i++
	m := map[string]any{}
	p.ws()
	if p.i < len(p.b) && p.b[p.i] == '}' {
		p.i++
	} else {
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
			if keep[k] {
				v, err := p.value(1)
				if err != nil {
					return nil, err
				}
				m[k] = v
			} else if err := p.skip(1); err != nil {
				return nil, err
			}
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
				break
			}
			return nil, p.errorf("want ',' or '}' in object")
		}
	}
	p.ws()
	if p.i != len(p.b) {
		return nil, p.errorf("unexpected data after the object")
	}
	return m, nil
}

// skip passes over one value, failing where value would.
func (p *jsonParser) skip(depth int) error {
	if depth > maxJSONDepth {
		return p.errorf("nested too deeply")
	}
	p.ws()
	if p.i >= len(p.b) {
		return p.errorf("unexpected end of JSON")
	}
	switch c := p.b[p.i]; {
	case c == '{' || c == '[':
		obj := c == '{'
		end := byte(']')
		if obj {
			end = '}'
		}
		p.i++
		p.ws()
		if p.i < len(p.b) && p.b[p.i] == end {
			p.i++
			return nil
		}
		for {
			if obj {
				p.ws()
				if p.i >= len(p.b) || p.b[p.i] != '"' {
					return p.errorf("want an object key")
				}
				if err := p.skipString(); err != nil {
					return err
				}
				p.ws()
				if p.i >= len(p.b) || p.b[p.i] != ':' {
					return p.errorf("want ':' after object key")
				}
				p.i++
			}
			if err := p.skip(depth + 1); err != nil {
				return err
			}
			p.ws()
			if p.i >= len(p.b) {
				return p.errorf("unexpected end of JSON")
			}
			if p.b[p.i] == ',' {
				p.i++
				continue
			}
			if p.b[p.i] == end {
				p.i++
				return nil
			}
			if obj {
				return p.errorf("want ',' or '}' in object")
			}
			return p.errorf("want ',' or ']' in array")
		}
	case c == '"':
		return p.skipString()
	case c == 't':
		return p.lit("true")
	case c == 'f':
		return p.lit("false")
	case c == 'n':
		return p.lit("null")
	case c == '-' || (c >= '0' && c <= '9'):
		_, err := p.num()
		return err
	}
	return p.errorf("unexpected character %q", p.b[p.i])
}

// skipString passes over a string starting at its opening quote. A string
// with escapes goes through str, which validates them.
func (p *jsonParser) skipString() error {
	for j := p.i + 1; j < len(p.b); j++ {
		switch c := p.b[j]; {
		case c == '"':
			p.i = j + 1
			return nil
		case c == '\\':
			_, err := p.str()
			return err
		case c < 0x20:
			p.i = j
			return p.errorf("control character in string")
		}
	}
	p.i = len(p.b)
	return p.errorf("unterminated string")
}
