package policy

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// FuzzLoadCheck feeds arbitrary bytes to the check parser: it must never
// panic, and what it accepts must be a complete, compiled check.
func FuzzLoadCheck(f *testing.F) {
	for _, dir := range []string{"testdata/checks/aws", "testdata/bad", "../../checks/aws/s3"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err == nil {
				f.Add(data)
			}
		}
	}
	f.Add([]byte("id: [\n"))
	f.Add([]byte("tests: {a: b}\nkind: {x: 1}\n"))
	f.Add([]byte("- 1\n- 2\n"))
	env := testEnv(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := env.ParseCheck("fuzz.yaml", data)
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz.yaml") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if c.ID == "" || c.condition == nil || len(c.Kinds) == 0 || len(c.Tests) < 2 {
			t.Fatalf("accepted an incomplete check: %+v", c)
		}
	})
}

// referenceDecode is what parseJSONObject must agree with: encoding/json
// with integral numbers as int64.
func referenceDecode(b []byte) (map[string]any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		return nil, err
	}
	if rest := b[d.InputOffset():]; len(bytes.Trim(rest, " \t\r\n")) > 0 {
		return nil, os.ErrInvalid
	}
	if m == nil {
		return nil, os.ErrInvalid
	}
	bad := false
	out := convertRef(m, &bad).(map[string]any)
	if bad {
		return nil, os.ErrInvalid // out of float64 range: refused, as Unmarshal into float64 does
	}
	return out, nil
}

func convertRef(v any, bad *bool) any {
	switch v := v.(type) {
	case json.Number:
		s := string(v)
		if !strings.ContainsAny(s, ".eE") {
			if i, err := v.Int64(); err == nil {
				return i
			}
		}
		f, err := v.Float64()
		if err != nil {
			*bad = true
		}
		return f
	case map[string]any:
		for k, x := range v {
			v[k] = convertRef(x, bad)
		}
	case []any:
		for i, x := range v {
			v[i] = convertRef(x, bad)
		}
	}
	return v
}

var jsonSeeds = []string{
	`{}`, ` { } `, `{"a":1,"b":-2.5,"c":1e3,"d":"x","e":true,"f":false,"g":null,"h":[1,"2",[3],{}],"i":{"j":{"k":[]}}}`,
	`{"big":12345678901234567890,"neg":-0,"exp":1E-2,"esc":"a\"b\\c\u00e9\n","uni":"héllo"}`,
	`{"a":1}x`, `{"a":01}`, `{"a":1.}`, `{"a":-}`, `{"a":"\x01"}`, `{"a" 1}`, `{"a":1,}`, `[1]`, `"s"`, `{"a":tru}`,
	`{"a":[1,2}`, `{"a":"unterminated}`, `{"a":"bad\q"}`, `{"a":1e400}`, `{"dup":1,"dup":2}`, "{\"a\":\"\xff\"}",
}

func TestParseJSONMatchesEncodingJSON(t *testing.T) {
	for _, s := range jsonSeeds {
		checkJSONAgreement(t, []byte(s))
	}
}

func checkJSONAgreement(t *testing.T, b []byte) {
	t.Helper()
	got, gerr := parseJSONObject(b)
	want, werr := referenceDecode(b)
	if (gerr == nil) != (werr == nil) {
		t.Fatalf("%q: parseJSONObject error %v, encoding/json error %v", b, gerr, werr)
	}
	if gerr == nil && !reflect.DeepEqual(got, want) {
		t.Fatalf("%q: got %#v, want %#v", b, got, want)
	}
}

// FuzzParseJSON holds the fast properties parser to encoding/json.
func FuzzParseJSON(f *testing.F) {
	for _, s := range jsonSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		checkJSONAgreement(t, b)
	})
}

// projectedKeySets are the key sets FuzzParseKeys keeps.
var projectedKeySets = []map[string]bool{
	{},
	{"a": true},
	{"a": true, "b": true, "tags": true},
	{"x": true, "": true},
}

// checkProjectedAgreement holds parseKeys to parse: the same verdict on
// every document, and the kept keys' values when both succeed.
func checkProjectedAgreement(t *testing.T, b []byte) {
	t.Helper()
	full, ferr := parseJSONObject(b)
	for _, keep := range projectedKeySets {
		got, perr := (&jsonParser{}).parseKeys(b, keep)
		if (ferr == nil) != (perr == nil) {
			t.Fatalf("parseKeys(%q, %v) error %v, parse error %v", b, keep, perr, ferr)
		}
		if ferr != nil {
			continue
		}
		want := map[string]any{}
		for k, v := range full {
			if keep[k] {
				want[k] = v
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("parseKeys(%q, %v) = %#v, want %#v", b, keep, got, want)
		}
	}
}

func TestParseKeysMatchesParse(t *testing.T) {
	docs := append(slices.Clone(jsonSeeds),
		`{"a":1,"b":{"c":[1,2,{"d":"e"}]},"z":"\u00e9\n","tags":{"k":"v"}}`,
		`{"a":{"b":1},"skip":[1,2,`, `{"skip":"\x01"}`, `{"skip":1e999,"a":2}`,
		`{"skip":"bad \q escape","a":1}`, `{"skip":[1 2]}`, `{"skip":{"k" 1}}`, `{"skip":tru}`,
		`{"a":1,"a":2}`, `{"skip":-01}`, `{"skip":"\ud800"}`, `{} x`, `[1]`)
	for _, d := range docs {
		checkProjectedAgreement(t, []byte(d))
	}
}

func FuzzParseKeys(f *testing.F) {
	for _, s := range jsonSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		checkProjectedAgreement(t, b)
	})
}
