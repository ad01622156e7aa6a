package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"cloudward/internal/collect/digitalocean/dotest"
)

// TestScanDigitalOcean runs `scan --provider digitalocean` end to end
// against the fake API and Spaces endpoints, with the token from the
// environment, and checks what was stored and found.
func TestScanDigitalOcean(t *testing.T) {
	testdata := filepath.Join("..", "collect", "digitalocean", "testdata")
	api := dotest.NewAPI(t, filepath.Join(testdata, "api"))
	spaces := dotest.NewSpaces(t, filepath.Join(testdata, "spaces"))
	t.Setenv("DIGITALOCEAN_TOKEN", dotest.Token)
	t.Setenv("SPACES_ACCESS_KEY_ID", "DO00EXAMPLEKEY0001")
	t.Setenv("SPACES_SECRET_ACCESS_KEY", "spaces-secret-for-tests")
	db := filepath.Join(t.TempDir(), "do.db")

	code, stdout, stderr := run(t, "scan", "--provider", "digitalocean", "--do-api-url", api.URL,
		"--do-spaces-endpoint", spaces.URL, "--do-spaces-regions", "nyc3,fra1,ams3",
		"--db", db, "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d\nstderr: %s", code, stderr)
	}
	if strings.Contains(stdout+stderr, dotest.Token) || strings.Contains(stdout+stderr, "spaces-secret-for-tests") {
		t.Error("output shows a credential")
	}
	var rep jsonReport
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("decode report: %v\n%s", err, stdout)
	}
	if rep.Snapshot.Resources != 27 {
		t.Errorf("snapshot holds %d resources, want the 27 of the fixtures", rep.Snapshot.Resources)
	}
	var resp struct {
		Summary struct {
			Responsibility struct {
				Areas []struct {
					Provider string `json:"provider"`
					Area     string `json:"area"`
				} `json:"areas"`
			} `json:"responsibility"`
		} `json:"summary"`
	}
	if err := json.Unmarshal([]byte(stdout), &resp); err != nil || len(resp.Summary.Responsibility.Areas) == 0 ||
		resp.Summary.Responsibility.Areas[0].Provider != "digitalocean" {
		t.Errorf("the JSON report has no shared-responsibility section for digitalocean (%v): %+v", err, resp.Summary.Responsibility)
	}
	fails := map[string]bool{}
	for _, f := range rep.Findings {
		if f.Status == "FAIL" {
			fails[f.CheckID+" "+f.Resource.UID] = true
		}
	}
	for _, want := range []string{
		"do-firewall-no-public-ssh do:firewall:e1f2a3b4-0000-4000-8000-000000000001",
		"do-droplet-backups-enabled do:droplet:316449108",
		"do-droplet-firewall-attached do:droplet:316449108",
		"do-spaces-bucket-not-public do:space:nyc3:acme-public-downloads",
		"do-spaces-bucket-versioning do:space:fra1:acme-backups",
		"do-kubernetes-auto-upgrade do:kubernetes:c0ffee00-0000-4000-8000-000000000001",
		"do-reserved-ip-assigned do:reserved_ip:174.138.110.20",
		"do-database-version-supported do:dbaas:9d8c7b6a-0000-4000-8000-000000000001",
		"do-volume-attached do:volume:5a6b7c8d-0000-4000-8000-000000000002",
		"do-dns-record-not-dangling do:domain:acme.example",
		"do-app-env-secrets-encrypted do:app:a0a0a0a0-0000-4000-8000-000000000001",
		"do-certificate-not-expiring do:certificate:ce7ce7ce-0000-4000-8000-000000000001",
		"do-spaces-bucket-policy-not-public do:space:nyc3:acme-public-downloads",
		"do-spaces-key-not-full-access do:spaces_key:DO00EXAMPLEKEY0002",
		"do-cdn-custom-domain-certificate do:cdn:cd0cd0cd-0000-4000-8000-000000000002",
	} {
		if !fails[want] {
			t.Errorf("no FAIL for %s", want)
		}
	}
	for _, clean := range []string{
		"do-droplet-firewall-attached do:droplet:316449101",
		"do-volume-attached do:volume:5a6b7c8d-0000-4000-8000-000000000001",
		"do-spaces-bucket-not-public do:space:nyc3:acme-assets",
		"do-spaces-bucket-policy-not-public do:space:nyc3:acme-assets",
		"do-spaces-bucket-cors-restricted do:space:nyc3:acme-public-downloads",
		"do-spaces-key-not-full-access do:spaces_key:DO00EXAMPLEKEY0001",
	} {
		if fails[clean] {
			t.Errorf("clean resource failed: %s", clean)
		}
	}

	// The inventory is queryable afterwards.
	code, out, stderr := run(t, "query", "--db", db, "SELECT count(*) AS n FROM resources WHERE kind = 'do_droplet'")
	if code != 0 {
		t.Fatalf("query exit %d: %s", code, stderr)
	}
	if !strings.Contains(out, "2") {
		t.Errorf("query output %q, want 2 droplets", out)
	}
	if n := api.NonGET(); len(n) > 0 {
		t.Errorf("scan made non-GET API calls: %v", n)
	}
}

func TestScanDigitalOceanWithoutToken(t *testing.T) {
	t.Setenv("DIGITALOCEAN_TOKEN", "")
	code, _, stderr := run(t, "scan", "--provider", "digitalocean", "--db", filepath.Join(t.TempDir(), "x.db"))
	if code != ExitError || !strings.Contains(stderr, "DIGITALOCEAN_TOKEN") {
		t.Errorf("exit %d, stderr %q; want a usage error naming DIGITALOCEAN_TOKEN", code, stderr)
	}
}
