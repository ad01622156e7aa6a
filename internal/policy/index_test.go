package policy

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/common/types/traits"

	"cloudward/internal/resource"
)

// names lists the "name" of each resource in a list the index returned.
func names(t *testing.T, v any) []string {
	t.Helper()
	l, ok := v.(traits.Lister)
	if !ok {
		t.Fatalf("not a list: %T", v)
	}
	var out []string
	for it := l.Iterator(); it.HasNext() == types.True; {
		m := it.Next().(traits.Mapper)
		out = append(out, m.Get(types.String("name")).Value().(string))
	}
	slices.Sort(out)
	return out
}

func TestIndexPutResourceReplaces(t *testing.T) {
	res := func(uid, account, region, name string) resource.Resource {
		return resource.Resource{UID: uid, Provider: resource.AWS, Account: account, Region: region,
			Kind: "aws_s3_bucket", Name: name, Properties: json.RawMessage(`{}`)}
	}
	tests := []struct {
		name        string
		puts        []resource.Resource
		wantAccount map[string][]string // account → names
		wantRegion  map[string][]string // account/region → names
	}{
		{
			name:        "new resources",
			puts:        []resource.Resource{res("a", "1", "r1", "a1"), res("b", "1", "r2", "b1")},
			wantAccount: map[string][]string{"1": {"a1", "b1"}},
			wantRegion:  map[string][]string{"1/r1": {"a1"}, "1/r2": {"b1"}},
		},
		{
			name:        "same scope: replaced in place",
			puts:        []resource.Resource{res("a", "1", "r1", "a1"), res("b", "1", "r1", "b1"), res("a", "1", "r1", "a2")},
			wantAccount: map[string][]string{"1": {"a2", "b1"}},
			wantRegion:  map[string][]string{"1/r1": {"a2", "b1"}},
		},
		{
			name:        "moved to another region and account",
			puts:        []resource.Resource{res("a", "1", "r1", "a1"), res("b", "1", "r1", "b1"), res("a", "2", "r2", "a2")},
			wantAccount: map[string][]string{"1": {"b1"}, "2": {"a2"}},
			wantRegion:  map[string][]string{"1/r1": {"b1"}, "2/r2": {"a2"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := NewIndex()
			for _, r := range tt.puts {
				if err := x.PutResource(r); err != nil {
					t.Fatal(err)
				}
			}
			for acct, want := range tt.wantAccount {
				if got := names(t, x.Resources("aws", acct, "", "aws_s3_bucket")); !slices.Equal(got, want) {
					t.Errorf("account %s: %v, want %v", acct, got, want)
				}
			}
			for key, want := range tt.wantRegion {
				acct, region := key[:1], key[2:]
				if got := names(t, x.Resources("aws", acct, region, "aws_s3_bucket")); !slices.Equal(got, want) {
					t.Errorf("region %s: %v, want %v", key, got, want)
				}
			}
			if err := x.AddResource(tt.puts[0]); err == nil {
				t.Error("AddResource of an indexed UID: no error")
			}
		})
	}
}
