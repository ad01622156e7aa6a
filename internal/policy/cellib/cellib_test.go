package cellib

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/common/types/ref"
)

// fakeLookup answers with lists that name what was asked.
type fakeLookup struct{}

func (fakeLookup) Resources(provider, account, region, kind string) ref.Val {
	return types.DefaultTypeAdapter.NativeToValue([]map[string]any{{"q": strings.Join([]string{provider, account, region, kind}, "|")}})
}

func (fakeLookup) Related(uid, kind string) ref.Val {
	return types.DefaultTypeAdapter.NativeToValue([]map[string]any{{"q": uid + "|" + kind}})
}

var now = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

func eval(t *testing.T, expr string, lookup Lookup) (ref.Val, error) {
	t.Helper()
	env, err := cel.NewEnv(Library())
	if err != nil {
		t.Fatal(err)
	}
	a, iss := env.Compile(expr)
	if iss.Err() != nil {
		return nil, iss.Err()
	}
	prg, err := env.Program(a)
	if err != nil {
		t.Fatal(err)
	}
	v, _, err := prg.Eval(map[string]any{
		VarProperties: map[string]any{"port": int64(22), "created": "2026-10-01T12:00:00Z"},
		VarTags:       map[string]string{},
		VarResource:   map[string]any{},
		VarNow:        types.Timestamp{Time: now},
		VarOrg:        map[string]any{},
		VarScope:      &Scope{Now: now, UID: "uid-1", Provider: "aws", Account: "111", Region: "us-east-1", Lookup: lookup},
	})
	return v, err
}

func TestFunctions(t *testing.T) {
	tests := []struct {
		expr string
		want any // bool, int64 or string; or an error substring prefixed "error:"
	}{
		{`is_public_cidr("0.0.0.0/0")`, true},
		{`is_public_cidr("::/0")`, true},
		{`is_public_cidr("*")`, true},
		{`is_public_cidr("Internet")`, true},
		{`is_public_cidr("any")`, true},
		{`is_public_cidr("10.0.0.0/8")`, false},
		{`is_public_cidr("1.2.3.4/32")`, false},
		{`is_public_cidr("nonsense")`, false},
		{`cidr_contains("10.0.0.0/8", "10.1.2.3")`, true},
		{`cidr_contains("10.0.0.0/8", "11.1.2.3")`, false},
		{`cidr_contains("10.0.0.0/8", "10.2.0.0/16")`, true},
		{`cidr_contains("10.2.0.0/16", "10.0.0.0/8")`, false},
		{`cidr_contains("10.1.2.3", "10.1.2.3")`, true},
		{`cidr_contains("2001:db8::/32", "2001:db8::1")`, true},
		{`cidr_contains("10.0.0.0/8", "2001:db8::1")`, false},
		{`cidr_contains("10.0.0.0/33", "10.0.0.1")`, `error:"10.0.0.0/33" is not a CIDR`},
		{`cidr_contains("10.0.0.0/8", "x")`, `error:"x" is not an IP address`},
		{`days_since(properties.created)`, int64(31)},
		{`days_since("2026-11-01T11:00:00Z")`, int64(0)},
		{`days_since("2026-12-01T12:00:00Z")`, int64(-30)},
		{`days_since(timestamp("2025-11-01T12:00:00Z"))`, int64(365)},
		{`days_since("yesterday")`, `error:days_since: "yesterday" is not an RFC 3339 timestamp`},
		{`port_in_range(properties.port, 0, 1024)`, true},
		{`port_in_range(22, 23, 1024)`, false},
		{`port_in_range(22, 22, 22)`, true},
		{`port_in_range(3389, -1, -1)`, true},
		{`port_in_range(3389, 0, 65535)`, true},
		{`account_resources("aws_cloudtrail_trail")[0].q`, "aws|111||aws_cloudtrail_trail"},
		{`region_resources("aws_kms_key")[0].q`, "aws|111|us-east-1|aws_kms_key"},
		{`related("aws_kms_key")[0].q`, "uid-1|aws_kms_key"},
		{`account_resources(properties.kind)`, "error:account_resources: the kind must be a string literal"},
		{`related(1)`, "error:related: the kind must be a string literal"},
		{`properties.?missing.orValue(7) == 7`, true},
		{`days_since(now)`, int64(0)},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			v, err := eval(t, tt.expr, fakeLookup{})
			if want, ok := tt.want.(string); ok && strings.HasPrefix(want, "error:") {
				if err == nil || !strings.Contains(err.Error(), strings.TrimPrefix(want, "error:")) {
					t.Fatalf("got %v, %v; want error %q", v, err, want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if v.Value() != tt.want {
				t.Errorf("got %v (%T), want %v", v.Value(), v.Value(), tt.want)
			}
		})
	}
}

func TestNoLookup(t *testing.T) {
	for _, expr := range []string{`account_resources("k").size() == 0`, `region_resources("k").size() == 0`, `related("k").size() == 0`} {
		v, err := eval(t, expr, nil)
		if err != nil || v != types.True {
			t.Errorf("%s: %v %v", expr, v, err)
		}
	}
}

func TestHelpers(t *testing.T) {
	if DaysBetween(now.Add(-47*time.Hour), now) != 1 {
		t.Error("DaysBetween should floor")
	}
	if !PortInRange(0, 0, 65535) || PortInRange(-5, 0, 10) {
		t.Error("PortInRange")
	}
	s := &Scope{}
	if s.Type() != ScopeType || s.Value() != s || s.Equal(s) != types.True || s.Equal(&Scope{}) != types.False {
		t.Error("Scope ref.Val methods")
	}
	if _, err := s.ConvertToNative(reflect.TypeOf("")); err == nil {
		t.Error("ConvertToNative to string should fail")
	}
	if v, err := s.ConvertToNative(reflect.TypeOf(s)); err != nil || v != s {
		t.Error("ConvertToNative to *Scope")
	}
	if !types.IsError(s.ConvertToType(types.StringType)) || s.ConvertToType(types.TypeType) != ScopeType {
		t.Error("ConvertToType")
	}
}
