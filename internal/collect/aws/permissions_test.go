package aws

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestClientInterfacesReadOnly proves the collector is read-only: every
// operation of every client interface is a List/Describe/Get-style read
// (plus GenerateCredentialReport and the AssumeRole used to enter member
// accounts).
func TestClientInterfacesReadOnly(t *testing.T) {
	for _, ci := range clientInterfaces() {
		if ci.typ.NumMethod() == 0 {
			t.Errorf("%s: empty interface", ci.typ)
		}
		for i := range ci.typ.NumMethod() {
			if m := ci.typ.Method(i).Name; !readOnlyOperation(m) {
				t.Errorf("%s.%s is not a read-only operation", ci.typ, m)
			}
		}
	}
}

// TestDocsPolicy checks that docs/aws.md's IAM policy lists exactly the
// operations the collector calls.
func TestDocsPolicy(t *testing.T) {
	b, err := os.ReadFile("../../../docs/aws.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)<!-- policy -->\n```json\n(.*?)```").FindSubmatch(b)
	if m == nil {
		t.Fatal("docs/aws.md: no ```json block after <!-- policy -->")
	}
	var doc struct {
		Statement []struct {
			Action []string
		}
	}
	if err := json.Unmarshal(m[1], &doc); err != nil {
		t.Fatalf("docs/aws.md policy: %v", err)
	}
	var got []string
	for _, s := range doc.Statement {
		got = append(got, s.Action...)
	}
	slices.Sort(got)
	want := RequiredPermissions()
	if !slices.Equal(got, want) {
		t.Errorf("docs/aws.md policy actions differ from the collector's operations; want:\n%s", strings.Join(want, "\n"))
	}
}

// TestKindPermissionsCalled checks that every permission a kind documents
// is one the collector calls, so kinds.go does not promise more than the
// code reads.
func TestKindPermissionsCalled(t *testing.T) {
	called := map[string]bool{}
	for _, p := range RequiredPermissions() {
		called[p] = true
	}
	for _, k := range Kinds() {
		for _, p := range k.Permissions {
			if !called[p] {
				t.Errorf("%s lists %s, which the collector never calls", k.Name, p)
			}
		}
	}
}

// TestSecretValuesNeverRead guards the rule that secret values never leave
// the account: no client interface may hold an operation that returns one,
// although such operations are named Get*.
func TestSecretValuesNeverRead(t *testing.T) {
	bad := map[string]bool{
		"GetSecretValue": true, "BatchGetSecretValue": true, "GetParameter": true, "GetParameters": true,
		"GetParametersByPath": true, "Decrypt": true, "GetObject": true, "ReceiveMessage": true,
		"GetFunction": true, "GetPasswordData": true, "GetConsoleOutput": true, "GetLaunchTemplateData": true,
	}
	for _, ci := range clientInterfaces() {
		for i := range ci.typ.NumMethod() {
			if name := ci.typ.Method(i).Name; bad[name] {
				t.Errorf("%s.%s reads secret or customer data", ci.typ.Name(), name)
			}
		}
	}
}
