package drift

import (
	"encoding/json"
	"errors"
	"iter"
	"slices"
	"strings"
	"testing"

	"cloudward/internal/finding"
	"cloudward/internal/resource"
)

func seq[T any](vs ...T) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for _, v := range vs {
			if !yield(v, nil) {
				return
			}
		}
	}
}

func r(account, uid, props string) resource.Resource {
	return resource.Resource{UID: uid, Provider: resource.AWS, Account: account, Region: "us-east-1", Kind: "aws_s3_bucket", Name: uid, Properties: json.RawMessage(props)}
}

func TestCompare(t *testing.T) {
	tagged := func(tags map[string]string) resource.Resource {
		x := r("1", "a", `{}`)
		x.Tags = tags
		return x
	}
	tests := []struct {
		name     string
		old, new resource.Resource
		want     string // path=old>new;…
	}{
		{"same", r("1", "a", `{"x":1}`), r("1", "a", `{"x":1}`), ""},
		{"key order and spacing", r("1", "a", `{"x":1,"y":[1,2]}`), r("1", "a", `{ "y": [1, 2], "x": 1 }`), ""},
		{"scalar", r("1", "a", `{"versioning":{"status":"Enabled"}}`), r("1", "a", `{"versioning":{"status":"Suspended"}}`),
			`properties.versioning.status="Enabled">"Suspended"`},
		{"added and removed keys", r("1", "a", `{"a":1,"b":null}`), r("1", "a", `{"c":true,"b":null}`),
			`properties.a=1>(absent);properties.c=(absent)>true`},
		{"list grows", r("1", "a", `{"rules":[{"port":22}]}`), r("1", "a", `{"rules":[{"port":22},{"port":3389}]}`),
			`properties.rules[1]=(absent)>{"port":3389}`},
		{"list element", r("1", "a", `{"rules":[{"port":22}]}`), r("1", "a", `{"rules":[{"port":2222}]}`),
			`properties.rules[0].port=22>2222`},
		{"type change", r("1", "a", `{"x":{"y":1}}`), r("1", "a", `{"x":[1]}`), `properties.x={"y":1}>[1]`},
		{"big numbers keep their text", r("1", "a", `{"n":12345678901234567890}`), r("1", "a", `{"n":12345678901234567891}`),
			`properties.n=12345678901234567890>12345678901234567891`},
		{"tags", tagged(map[string]string{"owner": "a", "env": "prod"}), tagged(map[string]string{"owner": "b", "team": "x"}),
			`tags.env="prod">(absent);tags.owner="a">"b";tags.team=(absent)>"x"`},
		{"name and region", r("1", "a", `{}`), func() resource.Resource { x := r("1", "a", `{}`); x.Name, x.Region = "b", "eu-west-1"; return x }(),
			`name="a">"b";region="us-east-1">"eu-west-1"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs, err := Compare(tt.old, tt.new)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range cs {
				got = append(got, c.Path+"="+value(c.Old)+">"+value(c.New))
			}
			if g := strings.Join(got, ";"); g != tt.want {
				t.Errorf("got  %s\nwant %s", g, tt.want)
			}
		})
	}
	if _, err := Compare(r("1", "a", `{`), r("1", "a", `{}`)); err == nil {
		t.Error("bad JSON accepted")
	}
}

func TestResources(t *testing.T) {
	old := []resource.Resource{r("1", "a", `{}`), r("1", "b", `{"v":1}`), r("1", "c", `{}`), r("2", "a", `{}`)}
	cur := []resource.Resource{r("1", "b", `{"v":2}`), r("1", "c", `{}`), r("1", "d", `{}`), r("2", "a", `{}`), r("3", "z", `{}`)}
	var got []string
	counts, err := Resources(seq(old...), seq(cur...), func(c ResourceChange) error {
		got = append(got, string(c.Type)+" "+c.Account+"/"+c.UID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"removed 1/a", "changed 1/b", "added 1/d", "added 3/z"}
	if !slices.Equal(got, want) || counts != (ResourceCounts{Added: 2, Removed: 1, Changed: 1, Unchanged: 2}) {
		t.Errorf("got %v %+v", got, counts)
	}
	// Out of order input is refused rather than diffed wrongly.
	_, err = Resources(seq(r("1", "b", `{}`), r("1", "a", `{}`)), seq[resource.Resource](), func(ResourceChange) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "not ordered") {
		t.Errorf("unordered: %v", err)
	}
	// Stream and emit errors stop the diff.
	boom := errors.New("boom")
	bad := func(yield func(resource.Resource, error) bool) { yield(resource.Resource{}, boom) }
	if _, err := Resources(bad, seq(cur...), func(ResourceChange) error { return nil }); !errors.Is(err, boom) {
		t.Errorf("stream error: %v", err)
	}
	if _, err := Resources(seq(old...), seq(cur...), func(ResourceChange) error { return boom }); !errors.Is(err, boom) {
		t.Errorf("emit error: %v", err)
	}
}

func TestFindings(t *testing.T) {
	f := func(check, uid string, sev finding.Severity, st finding.Status) finding.Finding {
		return finding.Finding{CheckID: check, ResourceUID: uid, Severity: sev, Status: st}
	}
	old := []finding.Finding{
		f("c1", "a", finding.High, finding.Fail),  // still failing
		f("c1", "b", finding.High, finding.Fail),  // now passes
		f("c2", "a", finding.Low, finding.Fail),   // resource gone
		f("c3", "a", finding.High, finding.Muted), // unmuted: new
		f("c4", "a", finding.High, finding.Fail),  // now muted: resolved
		f("c5", "a", finding.High, finding.Pass),  // now fails: new
	}
	cur := []finding.Finding{
		f("c5", "a", finding.High, finding.Fail),
		f("c1", "a", finding.High, finding.Fail),
		f("c1", "b", finding.High, finding.Pass),
		f("c3", "a", finding.High, finding.Fail),
		f("c4", "a", finding.High, finding.Muted),
		f("c6", "z", finding.Critical, finding.Fail), // new resource
	}
	d, err := Findings(seq(old...), seq(cur...))
	if err != nil {
		t.Fatal(err)
	}
	show := func(cs []FindingChange) string {
		var s []string
		for _, c := range cs {
			s = append(s, c.Finding.CheckID+"/"+c.Finding.ResourceUID+":"+string(c.NewStatus))
		}
		return strings.Join(s, " ")
	}
	if g := show(d.New); g != "c6/z:FAIL c3/a:FAIL c5/a:FAIL" {
		t.Errorf("new %s", g)
	}
	if g := show(d.Resolved); g != "c1/b:PASS c4/a:MUTED c2/a:" {
		t.Errorf("resolved %s", g)
	}
	if g := show(d.StillFailing); g != "c1/a:FAIL" {
		t.Errorf("still failing %s", g)
	}
	if g := show(AtOrAbove(d.New, finding.Critical)); g != "c6/z:FAIL" {
		t.Errorf("at or above critical: %s", g)
	}
}

func TestParseFormat(t *testing.T) {
	for in, want := range map[string]Format{"table": Table, "JSON": JSON, "md": Markdown, "markdown": Markdown} {
		if got, err := ParseFormat(in); err != nil || got != want {
			t.Errorf("ParseFormat(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseFormat("xml"); err == nil {
		t.Error("xml accepted")
	}
}
