package finding

import (
	"encoding/json"
	"testing"
)

func TestSeverity(t *testing.T) {
	for _, s := range Severities {
		got, err := ParseSeverity(s.String())
		if err != nil || got != s {
			t.Errorf("ParseSeverity(%q) = %v, %v", s, got, err)
		}
	}
	if got, err := ParseSeverity("HIGH"); err != nil || got != High {
		t.Errorf("ParseSeverity is case-sensitive: %v, %v", got, err)
	}
	if _, err := ParseSeverity("urgent"); err == nil {
		t.Error("ParseSeverity accepted an unknown name")
	}
	if !(Critical > High && High > Medium && Medium > Low && Low > Info) {
		t.Error("severities do not order")
	}
	if s := Severity(9).String(); s != "severity(9)" {
		t.Errorf("out-of-range String = %q", s)
	}
}

func TestSeverityJSON(t *testing.T) {
	b, err := json.Marshal(Finding{CheckID: "c", Severity: High, Status: Fail})
	if err != nil {
		t.Fatal(err)
	}
	var f Finding
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	if f.Severity != High || f.Status != Fail {
		t.Errorf("round trip: %+v from %s", f, b)
	}
	if err := json.Unmarshal([]byte(`{"severity":"bogus"}`), &f); err == nil {
		t.Error("unknown severity decoded without error")
	}
}
