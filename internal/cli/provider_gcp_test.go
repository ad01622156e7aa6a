package cli

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cloudward/internal/collect/gcp/gcptest"
)

// TestScanGCP runs `scan --provider gcp` end to end against the fake
// Google Cloud endpoint, and checks what was stored and found.
func TestScanGCP(t *testing.T) {
	srv := gcptest.New(t, filepath.Join("..", "collect", "gcp", "testdata", "api"))
	db := filepath.Join(t.TempDir(), "gcp.db")
	code, stdout, stderr := run(t, "scan", "--provider", "gcp", "--gcp-project", "acme-web-4821",
		"--gcp-endpoint", srv.URL, "--db", db, "-o", "json")
	if code != 0 && code != ExitFindings {
		t.Fatalf("exit %d\nstderr: %s", code, stderr)
	}
	var rep jsonReport
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("decode report: %v\n%s", err, stdout)
	}
	if rep.Snapshot.Resources != 56 {
		t.Errorf("snapshot holds %d resources, want the 56 of the fixtures", rep.Snapshot.Resources)
	}
	status := map[string]string{}
	for _, f := range rep.Findings {
		status[f.CheckID+" "+f.Resource.UID] = f.Status
	}
	const (
		p       = "acme-web-4821"
		cmp     = "//compute.googleapis.com/projects/" + p
		project = "//cloudresourcemanager.googleapis.com/projects/482190317745"
		sql     = "//cloudsql.googleapis.com/projects/" + p + "/instances/"
		kms     = "//cloudkms.googleapis.com/projects/" + p + "/locations/us-central1/keyRings/web-ring/cryptoKeys/"
		bucket  = "//storage.googleapis.com/projects/_/buckets/"
		sa      = "//iam.googleapis.com/projects/" + p + "/serviceAccounts/"
		gke     = "//container.googleapis.com/projects/" + p + "/locations/us-central1/clusters/web-gke"
		debug   = cmp + "/zones/europe-west1-b/instances/debug-vm"
		web     = cmp + "/zones/us-central1-a/instances/web-1"
		zone    = "//dns.googleapis.com/projects/" + p + "/managedZones/"
		dataset = "//bigquery.googleapis.com/projects/" + p + "/datasets/"
		vertex  = "//aiplatform.googleapis.com/projects/482190317745/locations/us-central1/"
		bench   = "//notebooks.googleapis.com/projects/" + p + "/locations/"
		fn      = "//cloudfunctions.googleapis.com/projects/" + p + "/locations/us-central1/functions/"
	)
	for _, want := range []string{
		"gcp-storage-bucket-not-public " + bucket + "acme-web-4821-public",
		"gcp-storage-bucket-uniform-access " + bucket + "acme-web-4821-public",
		"gcp-compute-instance-no-public-ip " + debug,
		"gcp-compute-instance-default-sa-full-scope " + debug,
		"gcp-compute-instance-serial-port-disabled " + debug,
		"gcp-compute-instance-block-project-ssh-keys " + debug,
		"gcp-compute-instance-ip-forwarding-disabled " + debug,
		"gcp-compute-instance-shielded-vm " + debug,
		"gcp-compute-firewall-no-public-ssh " + cmp + "/global/firewalls/default-allow-ssh",
		"gcp-compute-firewall-no-public-rdp " + cmp + "/global/firewalls/web-allow-rdp-range",
		"gcp-compute-network-not-default " + cmp + "/global/networks/default",
		"gcp-compute-subnetwork-flow-logs " + cmp + "/regions/europe-west1/subnetworks/default",
		"gcp-compute-subnetwork-private-google-access " + cmp + "/regions/europe-west1/subnetworks/default",
		"gcp-sql-instance-no-public-ip " + sql + "legacy-mysql",
		"gcp-sql-instance-no-public-authorized-network " + sql + "legacy-mysql",
		"gcp-sql-instance-ssl-required " + sql + "legacy-mysql",
		"gcp-sql-instance-backups-enabled " + sql + "legacy-mysql",
		"gcp-kms-key-rotation-90-days " + kms + "shared-key",
		"gcp-kms-key-not-public " + kms + "shared-key",
		"gcp-gke-cluster-legacy-abac-disabled " + gke,
		"gcp-gke-cluster-node-auto-upgrade " + gke,
		"gcp-iam-sa-no-user-managed-keys " + sa + "104820000000000000002",
		"gcp-iam-sa-key-rotated-90-days " + sa + "104820000000000000002",
		"gcp-iam-no-project-level-sa-user " + project,
		"gcp-iam-sa-no-admin-roles " + project,
		"gcp-dns-zone-ksk-not-rsasha1 " + zone + "acme-example",
		"gcp-dns-zone-dnssec-enabled " + zone + "legacy-example",
		"gcp-bigquery-dataset-not-public " + dataset + "shared",
		"gcp-bigquery-dataset-cmek " + dataset + "shared",
		"gcp-logging-metric-alert-audit-config-changes " + project,
		"gcp-logging-metric-alert-firewall-changes " + project,
		"gcp-logging-sink-bucket-retention-locked //logging.googleapis.com/projects/" + p + "/sinks/all-to-archive",
		"gcp-vertexai-endpoint-private " + vertex + "endpoints/5501",
		"gcp-vertexai-endpoint-cmek " + vertex + "endpoints/5501",
		"gcp-vertexai-custom-job-vpc " + vertex + "customJobs/8801",
		"gcp-vertexai-custom-job-no-web-access " + vertex + "customJobs/8801",
		"gcp-vertexai-custom-job-cmek " + vertex + "customJobs/8801",
		"gcp-vertexai-dataset-source-not-public " + vertex + "datasets/3302",
		"gcp-workbench-instance-no-public-ip " + bench + "us-central1-a/instances/ds-notebook-1",
		"gcp-workbench-instance-root-disabled " + bench + "us-central1-a/instances/ds-notebook-1",
		"gcp-workbench-instance-no-default-sa " + bench + "us-central1-a/instances/ds-notebook-1",
		"gcp-workbench-instance-cmek " + bench + "us-central1-a/instances/ds-notebook-1",
		"gcp-workbench-instance-secure-boot " + bench + "us-central1-a/instances/ds-notebook-1",
		"gcp-apikeys-none-in-project " + project,
		"gcp-apikeys-key-restricted-clients //apikeys.googleapis.com/projects/482190317745/locations/global/keys/k-old",
		"gcp-apikeys-key-api-restricted //apikeys.googleapis.com/projects/482190317745/locations/global/keys/k-ios",
		"gcp-apikeys-key-rotated-90-days //apikeys.googleapis.com/projects/482190317745/locations/global/keys/k-old",
		"gcp-compute-network-dns-logging " + cmp + "/global/networks/default",
		"gcp-compute-network-not-legacy " + cmp + "/global/networks/legacy-net",
		"gcp-compute-backend-service-logging " + cmp + "/regions/europe-west1/backendServices/admin-backend",
		"gcp-dataproc-cluster-cmek //dataproc.googleapis.com/projects/" + p + "/regions/europe-west1/clusters/adhoc",
		"gcp-cloudfunctions-function-not-public " + fn + "legacy-export",
		"gcp-cloudfunctions-function-ingress-restricted " + fn + "legacy-export",
		"gcp-cloudfunctions-function-dedicated-sa " + fn + "legacy-export",
		"gcp-cloudfunctions-function-no-plaintext-secrets " + fn + "legacy-export",
		"gcp-orgpolicy-storage-public-access-prevention " + project,
	} {
		if status[want] != "FAIL" {
			t.Errorf("%s: status %q, want FAIL", want, status[want])
		}
	}
	for _, clean := range []string{
		"gcp-storage-bucket-not-public " + bucket + "acme-web-4821-assets",
		"gcp-storage-bucket-uniform-access " + bucket + "acme-web-4821-assets",
		"gcp-compute-instance-no-public-ip " + web,
		"gcp-compute-instance-default-sa-full-scope " + web,
		"gcp-compute-instance-serial-port-disabled " + web,
		"gcp-compute-instance-block-project-ssh-keys " + web,
		"gcp-compute-instance-ip-forwarding-disabled " + web,
		"gcp-compute-instance-shielded-vm " + web,
		"gcp-compute-firewall-no-public-ssh " + cmp + "/global/firewalls/web-allow-internal",
		"gcp-compute-network-not-default " + cmp + "/global/networks/web-vpc",
		"gcp-compute-subnetwork-flow-logs " + cmp + "/regions/us-central1/subnetworks/web-us-central1",
		"gcp-sql-instance-no-public-ip " + sql + "web-pg",
		"gcp-sql-instance-ssl-required " + sql + "web-pg",
		"gcp-sql-instance-backups-enabled " + sql + "web-pg",
		"gcp-kms-key-rotation-90-days " + kms + "disk-key",
		"gcp-kms-key-not-public " + kms + "disk-key",
		"gcp-gke-cluster-private-nodes " + gke,
		"gcp-iam-sa-no-user-managed-keys " + sa + "104820000000000000001",
		"gcp-project-audit-logs-all-services " + project,
		"gcp-compute-project-os-login-enabled " + project,
		"gcp-dns-zone-zsk-not-rsasha1 " + zone + "acme-example",
		"gcp-bigquery-dataset-not-public " + dataset + "analytics",
		"gcp-bigquery-dataset-cmek " + dataset + "analytics",
		"gcp-logging-metric-alert-project-ownership-changes " + project,
		"gcp-logging-sink-exports-all-logs " + project,
		"gcp-vertexai-endpoint-private " + vertex + "endpoints/5502",
		"gcp-vertexai-endpoint-cmek " + vertex + "endpoints/5502",
		"gcp-vertexai-endpoint-dedicated-sa " + vertex + "endpoints/5501",
		"gcp-vertexai-custom-job-vpc " + vertex + "customJobs/8802",
		"gcp-vertexai-custom-job-dedicated-sa " + vertex + "customJobs/8801",
		"gcp-vertexai-dataset-source-not-public " + vertex + "datasets/3301",
		"gcp-vertexai-training-pipeline-cmek " + vertex + "trainingPipelines/6601",
		"gcp-workbench-instance-no-public-ip " + bench + "europe-west4-b/instances/secure-notebook",
		"gcp-workbench-instance-root-disabled " + bench + "europe-west4-b/instances/secure-notebook",
		"gcp-workbench-instance-no-default-sa " + bench + "europe-west4-b/instances/secure-notebook",
		"gcp-workbench-instance-cmek " + bench + "europe-west4-b/instances/secure-notebook",
		"gcp-workbench-instance-secure-boot " + bench + "europe-west4-b/instances/secure-notebook",
		"gcp-apikeys-key-restricted-clients //apikeys.googleapis.com/projects/482190317745/locations/global/keys/k-maps",
		"gcp-apikeys-key-api-restricted //apikeys.googleapis.com/projects/482190317745/locations/global/keys/k-maps",
		"gcp-project-essential-contacts " + project,
		"gcp-project-cloud-asset-inventory-enabled " + project,
		"gcp-compute-network-dns-logging " + cmp + "/global/networks/web-vpc",
		"gcp-compute-backend-service-logging " + cmp + "/global/backendServices/web-backend",
		"gcp-dataproc-cluster-cmek //dataproc.googleapis.com/projects/" + p + "/regions/us-central1/clusters/spark-etl",
		"gcp-cloudfunctions-function-not-public " + fn + "checkout-webhook",
		"gcp-cloudfunctions-function-ingress-restricted " + fn + "checkout-webhook",
		"gcp-cloudfunctions-function-dedicated-sa " + fn + "checkout-webhook",
		"gcp-cloudfunctions-function-no-plaintext-secrets " + fn + "checkout-webhook",
		"gcp-orgpolicy-sa-key-creation-disabled " + project,
		"gcp-orgpolicy-domain-restricted-sharing " + project,
	} {
		if status[clean] != "PASS" {
			t.Errorf("%s: status %q, want PASS", clean, status[clean])
		}
	}
	for k, s := range status {
		if s == "ERROR" && strings.HasPrefix(k, "gcp-") {
			t.Errorf("%s: ERROR on complete fixtures", k)
		}
	}

	// The inventory is queryable afterwards; metadata scripts are not in it.
	code, out, stderr := run(t, "query", "--db", db, "SELECT count(*) AS n FROM resources WHERE kind = 'gcp_compute_firewall'")
	if code != 0 {
		t.Fatalf("query exit %d: %s", code, stderr)
	}
	if !strings.Contains(out, "4") {
		t.Errorf("query output %q, want 4 firewall rules", out)
	}
	code, out, _ = run(t, "query", "--db", db, "SELECT count(*) AS n FROM resources WHERE properties LIKE '%echo hi%'")
	if code != 0 || !strings.Contains(out, "0") {
		t.Errorf("a startup script reached the store: %q", out)
	}

	// The whole organization: the denied project's checks are ERROR, and
	// the CIS framework reports against the collected estate.
	code, stdout, stderr = run(t, "scan", "--provider", "gcp", "--gcp-org", "100200300400",
		"--gcp-endpoint", srv.URL, "--db", db, "-o", "json")
	if code != 0 && code != ExitFindings {
		t.Fatalf("org scan exit %d: %s", code, stderr)
	}
	rep = jsonReport{}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("decode report: %v", err)
	}
	// A denied IAM policy, and a denied or disabled Cloud Monitoring API,
	// leave the checks over them ERROR, never a false FAIL or PASS.
	for _, denied := range []string{
		"gcp-iam-sa-no-admin-roles //cloudresourcemanager.googleapis.com/projects/331122334455",
		"gcp-logging-metric-alert-project-ownership-changes //cloudresourcemanager.googleapis.com/projects/331122334455",
		"gcp-logging-sink-exports-all-logs //cloudresourcemanager.googleapis.com/projects/331122334455",
		"gcp-logging-metric-alert-project-ownership-changes //cloudresourcemanager.googleapis.com/projects/117734562091",
		"gcp-orgpolicy-sa-key-creation-disabled //cloudresourcemanager.googleapis.com/projects/331122334455",
		"gcp-orgpolicy-domain-restricted-sharing //cloudresourcemanager.googleapis.com/projects/117734562091",
	} {
		found := false
		for _, f := range rep.Findings {
			if f.CheckID+" "+f.Resource.UID == denied {
				found = true
				if f.Status != "ERROR" {
					t.Errorf("%s: status %s, want ERROR (not collected)", denied, f.Status)
				}
			}
		}
		if !found {
			t.Errorf("no finding for %s", denied)
		}
	}
	// The organization's IAM policy reaches its projects: its allServices
	// audit configuration completes the lab project's, and its Token
	// Creator grant fails the lab project, whose own policy grants no
	// Service Account User or Token Creator.
	orgStatus := map[string]string{}
	for _, f := range rep.Findings {
		orgStatus[f.CheckID+" "+f.Resource.UID] = f.Status
	}
	for want, st := range map[string]string{
		"gcp-project-audit-logs-all-services //cloudresourcemanager.googleapis.com/projects/117734562091": "PASS",
		"gcp-iam-no-project-level-sa-user //cloudresourcemanager.googleapis.com/projects/117734562091":    "FAIL",
		"gcp-orgpolicy-storage-public-access-prevention " + project:                                       "FAIL",
	} {
		if orgStatus[want] != st {
			t.Errorf("org scan %s: status %q, want %s", want, orgStatus[want], st)
		}
	}
	code, out, stderr = run(t, "scan", "--provider", "gcp", "--gcp-org", "100200300400",
		"--gcp-endpoint", srv.URL, "--db", db, "--framework", "cis-gcp-foundations-v4.0,cis-gcp-foundations-v5.0")
	if code != 0 && code != ExitFindings {
		t.Fatalf("framework scan exit %d: %s", code, stderr)
	}
	if !strings.Contains(out, "CIS Google Cloud") || !strings.Contains(out, "5.0.0") {
		t.Errorf("framework report lacks the frameworks:\n%s", out)
	}
	for _, r := range srv.Requests() {
		if r.Method != http.MethodGet && !(r.Method == http.MethodPost && strings.HasSuffix(r.Path, ":getIamPolicy")) {
			t.Errorf("scan sent %s %s", r.Method, r.Path)
		}
	}
}

func TestScanGCPUsage(t *testing.T) {
	empty := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(empty, []byte("\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"no scope", nil, "--gcp-project"},
		{"two scopes", []string{"--gcp-project", "a", "--gcp-org", "1"}, "exclude each other"},
		{"empty token file", []string{"--gcp-project", "a", "--gcp-token-file", empty}, "gcp-token-file"},
		{"bad concurrency", []string{"--gcp-project", "a", "--gcp-max-in-flight", "0"}, "gcp-max-in-flight"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"scan", "--provider", "gcp", "--db", filepath.Join(t.TempDir(), "x.db")}, tt.args...)
			code, _, stderr := run(t, args...)
			if code != ExitError || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want a usage error naming %s", code, stderr, tt.want)
			}
		})
	}
}

// A scope the collector could not read at all (here a project the API does
// not know) stores its collection errors and reports them, but the scan
// exits 2: zero findings there is not a pass.
func TestScanNothingCollected(t *testing.T) {
	srv := gcptest.New(t, filepath.Join("..", "collect", "gcp", "testdata", "api"))
	db := filepath.Join(t.TempDir(), "gcp.db")
	code, stdout, stderr := run(t, "scan", "--provider", "gcp", "--gcp-project", "no-such-project-1",
		"--gcp-endpoint", srv.URL, "--db", db)
	if code != ExitError {
		t.Fatalf("exit %d, want %d (stderr %q)", code, ExitError, stderr)
	}
	if !strings.Contains(stderr, "nothing was collected") || !strings.Contains(stdout, "Collection errors") {
		t.Errorf("stderr %q; report has no collection errors section:\n%s", stderr, stdout)
	}
}
