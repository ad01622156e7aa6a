package policy

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
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
