package gcp

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"cloudward/internal/resource"
)

// TestVertexAIAndMonitoring covers the Vertex AI, Workbench, log-metric and
// alert-policy collection of the complete fixture project: regional hosts,
// paging, secrets left out, edges to what AI resources use, and the
// project's record of what it could read.
func TestVertexAIAndMonitoring(t *testing.T) {
	srv := fixtures(t)
	sink := collectAll(t, newCollector(t, srv, Options{Organization: org}))
	byUID := map[string]resource.Resource{}
	for _, r := range sink.res {
		byUID[r.UID] = r
		for _, secret := range []string{"do-not-store", "hunter2", "secret-setup", "must-not-be-stored", "do-not-store-dp", "AIzaSyA"} {
			if strings.Contains(string(r.Properties), secret) {
				t.Errorf("%s: a secret (%s) reached the properties", r.UID, secret)
			}
		}
	}

	// Each location's resources come from its own host; the global
	// location is not read.
	regional := map[string]bool{}
	for _, r := range srv.Requests() {
		if strings.HasPrefix(r.Path, "/aiplatform/") {
			regional[strings.Split(r.Path, "/")[2]] = true
		}
		if strings.Contains(r.Path, "/locations/global/endpoints") {
			t.Errorf("read the global location: %s", r.Path)
		}
	}
	for _, want := range []string{"us-central1", "europe-west4", "v1"} {
		if !regional[want] {
			t.Errorf("no request to aiplatform/%s", want)
		}
	}

	const loc = "//aiplatform.googleapis.com/projects/482190317745/locations/us-central1/"
	pub := byUID[loc+"endpoints/5501"]
	if pub.Region != "us-central1" || pub.Name != "fraud-public" || pub.Tags["owner"] != "ml-team" {
		t.Errorf("public endpoint = %+v", pub)
	}
	var doc map[string]any
	json.Unmarshal(pub.Properties, &doc)
	if _, ok := doc["encryption_spec"]; ok {
		t.Error("an endpoint without CMEK carries encryption_spec")
	}
	if _, ok := doc["private_service_connect_config"]; ok {
		t.Error("a public endpoint carries private_service_connect_config")
	}

	nb := byUID["//notebooks.googleapis.com/projects/acme-web-4821/locations/us-central1-a/instances/ds-notebook-1"]
	json.Unmarshal(nb.Properties, &doc)
	gs := doc["gce_setup"].(map[string]any)
	md := gs["metadata"].(map[string]any)
	if md["notebook-disable-root"] != "false" || md["hf-token"] != Redacted || gs["disable_public_ip"] != false {
		t.Errorf("workbench gce_setup = %v", gs)
	}
	if nb.Region != "us-central1" {
		t.Errorf("workbench region %q, want us-central1", nb.Region)
	}

	edges := map[string]bool{}
	for _, e := range sink.edges {
		edges[e.From+" "+e.Type+" "+e.To] = true
	}
	for _, want := range []string{
		loc + "endpoints/5501 serves " + loc + "models/7701",
		loc + "endpoints/5501 runs_as //iam.googleapis.com/projects/acme-web-4821/serviceAccounts/104820000000000000001",
		loc + "endpoints/5502 logs_to //bigquery.googleapis.com/projects/acme-web-4821/datasets/analytics",
		loc + "endpoints/5502 encrypted_with //cloudkms.googleapis.com/projects/acme-web-4821/locations/us-central1/keyRings/web-ring/cryptoKeys/disk-key",
		loc + "models/7701 reads //storage.googleapis.com/projects/_/buckets/acme-web-4821-assets",
		loc + "datasets/3301 reads //bigquery.googleapis.com/projects/acme-web-4821/datasets/analytics",
		loc + "datasets/3302 reads //storage.googleapis.com/projects/_/buckets/acme-web-4821-public",
		loc + "customJobs/8801 writes //storage.googleapis.com/projects/_/buckets/acme-web-4821-assets",
		loc + "trainingPipelines/6601 reads " + loc + "datasets/3302",
		"//monitoring.googleapis.com/projects/acme-web-4821/alertPolicies/1201 watches //logging.googleapis.com/projects/acme-web-4821/metrics/owner-changes",
		"//monitoring.googleapis.com/projects/acme-web-4821/alertPolicies/1202 watches //logging.googleapis.com/projects/acme-web-4821/metrics/audit_config_changes",
	} {
		if !edges[want] {
			t.Errorf("missing edge %s", want)
		}
	}

	// The project records which services it read completely.
	collected := map[string][]string{}
	for _, r := range sink.res {
		if r.Kind != "gcp_project" {
			continue
		}
		var p struct {
			Collected map[string]bool `json:"collected"`
		}
		json.Unmarshal(r.Properties, &p)
		for k := range p.Collected {
			collected[r.Account] = append(collected[r.Account], k)
		}
		slices.Sort(collected[r.Account])
	}
	want := map[string][]string{
		"acme-web-4821": {"aiplatform", "apikeys", "bigquery", "cloudfunctions", "cloudkms", "container", "dataproc", "dns", "essentialcontacts", "iam", "logging", "monitoring", "orgpolicy", "serviceusage", "sqladmin", "storage"},
		"acme-lab-1177": {"bigquery", "cloudkms", "essentialcontacts", "iam", "logging", "serviceusage", "storage"},
		"acme-sec-3311": nil,
	}
	for p, w := range want {
		if !slices.Equal(collected[p], w) {
			t.Errorf("%s collected %v, want %v", p, collected[p], w)
		}
	}
}

func TestVertexLocationsOption(t *testing.T) {
	srv := fixtures(t)
	sink := collectAll(t, newCollector(t, srv, Options{Projects: []string{"acme-web-4821"}, VertexLocations: []string{"europe-west4"}}))
	for _, r := range sink.res {
		if strings.HasPrefix(r.Kind, "gcp_vertex_ai_") {
			t.Errorf("%s collected outside the named location", r.UID)
		}
	}
	for _, r := range srv.Requests() {
		if strings.HasSuffix(r.Path, "/locations") && strings.HasPrefix(r.Path, "/aiplatform/") {
			t.Errorf("locations listed although named: %s", r.Path)
		}
	}
}

func TestLogMetricsIn(t *testing.T) {
	for in, want := range map[string][]string{
		`metric.type="logging.googleapis.com/user/owner-changes" AND resource.type="global"`: {"owner-changes"},
		`sum(rate(logging_googleapis_com:user_audit_config_changes[5m])) > 0`:                {"audit_config_changes"},
		`metric.type="compute.googleapis.com/instance/cpu/utilization"`:                      nil,
	} {
		if got := logMetricsIn(in); !slices.Equal(got, want) {
			t.Errorf("logMetricsIn(%q) = %v, want %v", in, got, want)
		}
	}
}
