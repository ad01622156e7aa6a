package demo

// Vertex AI and Workbench part of the Google Cloud demo estate (Kind.AI).
// acme-prod-4821 serves a fraud model privately with customer-managed keys,
// dedicated service accounts and a locked-down notebook; acme-data-1177
// experiments the quick way.
//
// Planted misconfigurations:
//   - endpoint recsys-public: public, Google-managed key, model served as
//     the Vertex AI service agent.
//   - model recsys-v1, dataset clickstream-images, training pipeline
//     automl-forecast, custom job train-recsys, pipeline run
//     weekly-features: Google-managed keys.
//   - dataset clickstream-images imports from the public web bucket.
//   - custom job train-recsys: outside the VPC, interactive shell on,
//     default identity; pipeline run weekly-features: default identity.
//   - Workbench analyst-notebook: public IP, root allowed, default compute
//     service account, Google-managed disks, no Secure Boot.

import (
	"strconv"

	"cloudward/internal/resource"
)

// gcpSAUID is the UID of the demo service account created n-th in gcpBase.
func gcpSAUID(p gcpProjectRef, n int) string {
	return "//iam.googleapis.com/projects/" + p.id + "/serviceAccounts/1" + p.number[:8] + strconv.Itoa(100000000+n)
}

// gcpAIBase adds the Vertex AI resources of the base estate.
func (e *estate) gcpAIBase() {
	prod, data := gcpProjects[0], gcpProjects[1]
	const prodLoc, dataLoc = "us-central1", "europe-west1"
	prodKey := gcpKeyName(prod, prodLoc, "prod-keyring", "disk-key")
	prodKeyUID := kmsKeyUID(prodKey)
	cmek := map[string]any{"kms_key_name": prodKey}
	name := func(p gcpProjectRef, loc, coll, id string) string {
		return "projects/" + p.number + "/locations/" + loc + "/" + coll + "/" + id
	}
	uidOf := func(n string) string { return "//aiplatform.googleapis.com/" + n }
	backend := gcpSAEmail(prod, "app-backend")
	backendUID := gcpSAUID(prod, 2)

	type res struct {
		kind, p                string
		proj                   gcpProjectRef
		loc, display, coll, id string
		age                    int
		props                  map[string]any
		plants                 [][2]string
	}
	var list []res
	add := func(r res) { list = append(list, r) }

	// acme-prod-4821: private, customer-managed keys, dedicated identities.
	prodModel := name(prod, prodLoc, "models", "7701")
	prodEndpoint := name(prod, prodLoc, "endpoints", "5501")
	prodDataset := name(prod, prodLoc, "datasets", "3301")
	add(res{kind: "gcp_vertex_ai_endpoint", proj: prod, loc: prodLoc, display: "fraud-scoring", coll: "endpoints", id: "5501", age: 150, props: map[string]any{
		"description": "Online fraud scoring", "dedicated_endpoint_enabled": false, "encryption_spec": cmek,
		"private_service_connect_config": map[string]any{"enable_private_service_connect": true, "project_allowlist": []string{prod.id}},
		"predict_request_response_logging_config": map[string]any{"enabled": true, "sampling_rate": 0.05,
			"bigquery_destination": map[string]any{"output_uri": "bq://" + prod.id + ".analytics.fraud_predictions"}},
		"deployed_models": []map[string]any{{"id": "901", "model": prodModel, "display_name": "fraud-v3", "service_account": backend,
			"disable_container_logging": false, "enable_access_logging": true, "create_time": e.ago(days(40))}},
	}})
	add(res{kind: "gcp_vertex_ai_model", proj: prod, loc: prodLoc, display: "fraud-v3", coll: "models", id: "7701", age: 45, props: map[string]any{
		"description": "Gradient-boosted fraud model", "version_id": "3", "artifact_uri": "gs://acme-prod-4821-assets/models/fraud/v3",
		"container_spec":    map[string]any{"image_uri": "us-docker.pkg.dev/vertex-ai/prediction/xgboost-cpu.2-1:latest"},
		"model_source_info": map[string]any{"source_type": "CUSTOM"}, "encryption_spec": cmek,
		"deployed_models": []map[string]any{{"endpoint": prodEndpoint, "deployed_model_id": "901"}},
	}})
	add(res{kind: "gcp_vertex_ai_dataset", proj: prod, loc: prodLoc, display: "transactions", coll: "datasets", id: "3301", age: 200, props: map[string]any{
		"description": "Labelled card transactions", "metadata_schema_uri": "gs://google-cloud-aiplatform/schema/dataset/metadata/tabular_1.0.0.yaml",
		"metadata":        map[string]any{"inputConfig": map[string]any{"bigquerySource": map[string]any{"uri": "bq://" + prod.id + ".analytics.transactions"}}},
		"encryption_spec": cmek,
	}})
	add(res{kind: "gcp_vertex_ai_custom_job", proj: prod, loc: prodLoc, display: "train-fraud-v3", coll: "customJobs", id: "8801", age: 46, props: map[string]any{
		"state": "JOB_STATE_SUCCEEDED", "end_time": e.ago(days(45)), "encryption_spec": cmek,
		"job_spec": map[string]any{"service_account": backend, "network": "projects/" + prod.number + "/global/networks/prod-vpc",
			"enable_web_access": false, "reserved_ip_ranges": []string{"vertex-training"},
			"base_output_directory": map[string]any{"output_uri_prefix": "gs://acme-prod-4821-assets/models/fraud"},
			"worker_pool_specs": []map[string]any{{"machine_spec": map[string]any{"machine_type": "n1-highmem-8"}, "replica_count": "1",
				"container_spec": map[string]any{"image_uri": "us-docker.pkg.dev/acme-prod-4821/train/fraud:3"}}}},
	}})
	add(res{kind: "gcp_vertex_ai_training_pipeline", proj: prod, loc: prodLoc, display: "automl-fraud-baseline", coll: "trainingPipelines", id: "6601", age: 190, props: map[string]any{
		"state": "PIPELINE_STATE_SUCCEEDED", "end_time": e.ago(days(189)),
		"training_task_definition": "gs://google-cloud-aiplatform/schema/trainingjob/definition/automl_tabular_1.0.0.yaml",
		"input_data_config":        map[string]any{"dataset_id": "3301"}, "encryption_spec": cmek,
		"model_to_upload": map[string]any{"display_name": "fraud-automl-baseline", "encryption_spec": cmek},
	}})
	add(res{kind: "gcp_vertex_ai_pipeline_job", proj: prod, loc: prodLoc, display: "nightly-retrain", coll: "pipelineJobs", id: "nightly-retrain-20261031", age: 1, props: map[string]any{
		"state": "PIPELINE_STATE_SUCCEEDED", "end_time": e.ago(days(1) - 3600e9), "service_account": backend,
		"network": "projects/" + prod.number + "/global/networks/prod-vpc", "template_uri": "https://us-central1-kfp.pkg.dev/acme-prod-4821/pipelines/retrain/v4",
		"encryption_spec": cmek,
	}})

	// acme-data-1177: quick experiments.
	dataModel := name(data, dataLoc, "models", "2201")
	add(res{kind: "gcp_vertex_ai_endpoint", proj: data, loc: dataLoc, display: "recsys-public", coll: "endpoints", id: "1101", age: 90, props: map[string]any{
		"description": "Recommendations for the partner portal", "dedicated_endpoint_enabled": true,
		"deployed_models": []map[string]any{{"id": "301", "model": dataModel, "display_name": "recsys-v1",
			"disable_container_logging": false, "enable_access_logging": false, "create_time": e.ago(days(88))}},
	}, plants: [][2]string{
		{"gcp-vertexai-endpoint-private", "public endpoint opened for a partner demo"},
		{"gcp-vertexai-endpoint-cmek", "created without a customer-managed key"},
		{"gcp-vertexai-endpoint-dedicated-sa", "the model is served as the Vertex AI service agent"},
	}})
	add(res{kind: "gcp_vertex_ai_model", proj: data, loc: dataLoc, display: "recsys-v1", coll: "models", id: "2201", age: 92, props: map[string]any{
		"version_id": "1", "artifact_uri": "gs://acme-data-1177-curated/models/recsys/v1",
		"container_spec":    map[string]any{"image_uri": "europe-docker.pkg.dev/vertex-ai/prediction/tf2-cpu.2-15:latest"},
		"model_source_info": map[string]any{"source_type": "CUSTOM"},
		"deployed_models":   []map[string]any{{"endpoint": name(data, dataLoc, "endpoints", "1101"), "deployed_model_id": "301"}},
	}, plants: [][2]string{{"gcp-vertexai-model-cmek", "uploaded without a customer-managed key"}}})
	add(res{kind: "gcp_vertex_ai_dataset", proj: data, loc: dataLoc, display: "clickstream-images", coll: "datasets", id: "4401", age: 120, props: map[string]any{
		"metadata_schema_uri": "gs://google-cloud-aiplatform/schema/dataset/metadata/image_1.0.0.yaml", "data_item_count": "48211",
		"metadata": map[string]any{"inputConfig": map[string]any{"gcsSource": map[string]any{"uri": []string{"gs://acme-prod-4821-public-web/screenshots/import.jsonl"}}}},
	}, plants: [][2]string{
		{"gcp-vertexai-dataset-cmek", "created without a customer-managed key"},
		{"gcp-vertexai-dataset-source-not-public", "imports screenshots from the public marketing bucket"},
	}})
	add(res{kind: "gcp_vertex_ai_custom_job", proj: data, loc: dataLoc, display: "train-recsys", coll: "customJobs", id: "9901", age: 93, props: map[string]any{
		"state": "JOB_STATE_SUCCEEDED", "end_time": e.ago(days(92)),
		"job_spec": map[string]any{"enable_web_access": true, "reserved_ip_ranges": []string{},
			"base_output_directory": map[string]any{"output_uri_prefix": "gs://acme-data-1177-curated/models/recsys"},
			"worker_pool_specs": []map[string]any{{"machine_spec": map[string]any{"machine_type": "a2-highgpu-1g"}, "replica_count": "1",
				"container_spec": map[string]any{"image_uri": "europe-docker.pkg.dev/acme-data-1177/train/recsys:latest"}}}},
	}, plants: [][2]string{
		{"gcp-vertexai-custom-job-vpc", "runs outside the VPC with open egress"},
		{"gcp-vertexai-custom-job-no-web-access", "interactive shell left on after debugging"},
		{"gcp-vertexai-custom-job-dedicated-sa", "runs as the default Custom Code Service Agent"},
		{"gcp-vertexai-custom-job-cmek", "created without a customer-managed key"},
	}})
	add(res{kind: "gcp_vertex_ai_training_pipeline", proj: data, loc: dataLoc, display: "automl-forecast", coll: "trainingPipelines", id: "5501", age: 60, props: map[string]any{
		"state": "PIPELINE_STATE_SUCCEEDED", "end_time": e.ago(days(59)),
		"training_task_definition": "gs://google-cloud-aiplatform/schema/trainingjob/definition/automl_forecasting_1.0.0.yaml",
		"model_to_upload":          map[string]any{"display_name": "demand-forecast"},
	}, plants: [][2]string{{"gcp-vertexai-training-pipeline-cmek", "created without a customer-managed key"}}})
	add(res{kind: "gcp_vertex_ai_pipeline_job", proj: data, loc: dataLoc, display: "weekly-features", coll: "pipelineJobs", id: "weekly-features-20261026", age: 6, props: map[string]any{
		"state": "PIPELINE_STATE_FAILED", "end_time": e.ago(days(6) - 1800e9), "template_uri": "https://europe-west1-kfp.pkg.dev/acme-data-1177/pipelines/features/v1",
	}, plants: [][2]string{
		{"gcp-vertexai-pipeline-job-dedicated-sa", "runs as the Compute Engine default service account"},
		{"gcp-vertexai-pipeline-job-cmek", "created without a customer-managed key"},
	}})

	for _, r := range list {
		n := name(r.proj, r.loc, r.coll, r.id)
		uid := uidOf(n)
		labels := gcpLabels(r.proj.owner, gcpEnv(r.proj))
		r.props["name"], r.props["display_name"], r.props["labels"] = n, r.display, labels
		r.props["create_time"] = e.ago(days(r.age))
		if r.kind == "gcp_vertex_ai_endpoint" || r.kind == "gcp_vertex_ai_model" || r.kind == "gcp_vertex_ai_dataset" {
			r.props["update_time"] = e.ago(days(r.age / 2))
		}
		e.gcpAdd(r.kind, uid, r.proj.id, r.loc, r.display, labels, days(r.age), r.props)
		for _, pl := range r.plants {
			e.plant(uid, pl[0], pl[1])
		}
		if _, ok := r.props["encryption_spec"]; ok {
			e.edge(uid, prodKeyUID, "encrypted_with")
		}
	}
	// What each AI resource reaches: data, models, identities.
	e.edge(uidOf(prodEndpoint), uidOf(prodModel), "serves")
	e.edge(uidOf(prodEndpoint), backendUID, "runs_as")
	e.edge(uidOf(prodEndpoint), "//bigquery.googleapis.com/projects/"+prod.id+"/datasets/analytics", "logs_to")
	e.edge(uidOf(prodModel), "//storage.googleapis.com/projects/_/buckets/acme-prod-4821-assets", "reads")
	e.edge(uidOf(prodDataset), "//bigquery.googleapis.com/projects/"+prod.id+"/datasets/analytics", "reads")
	e.edge(uidOf(name(prod, prodLoc, "customJobs", "8801")), backendUID, "runs_as")
	e.edge(uidOf(name(prod, prodLoc, "customJobs", "8801")), "//storage.googleapis.com/projects/_/buckets/acme-prod-4821-assets", "writes")
	e.edge(uidOf(name(prod, prodLoc, "trainingPipelines", "6601")), uidOf(prodDataset), "reads")
	e.edge(uidOf(name(prod, prodLoc, "pipelineJobs", "nightly-retrain-20261031")), backendUID, "runs_as")
	e.edge(uidOf(name(data, dataLoc, "endpoints", "1101")), uidOf(dataModel), "serves")
	e.edge(uidOf(dataModel), "//storage.googleapis.com/projects/_/buckets/acme-data-1177-curated", "reads")
	e.edge(uidOf(name(data, dataLoc, "datasets", "4401")), "//storage.googleapis.com/projects/_/buckets/acme-prod-4821-public-web", "reads")
	e.edge(uidOf(name(data, dataLoc, "customJobs", "9901")), "//storage.googleapis.com/projects/_/buckets/acme-data-1177-curated", "writes")

	e.gcpWorkbenchBase()
}

// gcpWorkbenchBase adds one locked-down and one wide-open Workbench
// instance.
func (e *estate) gcpWorkbenchBase() {
	prod, data := gcpProjects[0], gcpProjects[1]
	for _, w := range []struct {
		p          gcpProjectRef
		zone, name string
		bad        bool
	}{{prod, "us-central1-a", "ds-secure-1", false}, {data, "europe-west1-b", "analyst-notebook", true}} {
		region := w.zone[:len(w.zone)-2]
		labels := gcpLabels(w.p.owner, gcpEnv(w.p))
		n := "projects/" + w.p.id + "/locations/" + w.zone + "/instances/" + w.name
		uid := "//notebooks.googleapis.com/" + n
		vpc := "prod-vpc"
		if w.bad {
			vpc = "data-vpc"
		}
		setup := map[string]any{
			"machine_type": "e2-standard-4", "disable_public_ip": true, "enable_ip_forwarding": false,
			"service_accounts":   []map[string]any{{"email": gcpSAEmail(w.p, "app-backend"), "scopes": []string{gcpScopeAll}}},
			"network_interfaces": []map[string]any{{"network": gcpNetworkURL(w.p, vpc), "subnet": gcpSubnetURL(w.p, region, vpc[:4]+"-"+region), "nic_type": "GVNIC"}},
			"boot_disk": map[string]any{"disk_type": "PD_BALANCED", "disk_size_gb": "150", "disk_encryption": "CMEK",
				"kms_key": gcpKeyName(prod, "us-central1", "prod-keyring", "disk-key")},
			"data_disks": []map[string]any{{"disk_type": "PD_BALANCED", "disk_size_gb": "200", "disk_encryption": "CMEK",
				"kms_key": gcpKeyName(prod, "us-central1", "prod-keyring", "disk-key")}},
			"shielded_instance_config": map[string]any{"enable_secure_boot": true, "enable_vtpm": true, "enable_integrity_monitoring": true},
			"metadata":                 map[string]any{"notebook-disable-root": "true", "notebook-disable-downloads": "true", "idle-timeout-seconds": "10800"},
		}
		if w.bad {
			setup["disable_public_ip"] = false
			setup["service_accounts"] = []map[string]any{{"email": gcpDefaultSA(w.p), "scopes": []string{gcpScopeAll}}}
			setup["boot_disk"] = map[string]any{"disk_type": "PD_BALANCED", "disk_size_gb": "150", "disk_encryption": "GMEK"}
			setup["data_disks"] = []map[string]any{{"disk_type": "PD_BALANCED", "disk_size_gb": "500", "disk_encryption": "GMEK"}}
			setup["shielded_instance_config"] = map[string]any{"enable_secure_boot": false, "enable_vtpm": true, "enable_integrity_monitoring": true}
			setup["metadata"] = map[string]any{"notebook-disable-root": "false", "post-startup-script": "[redacted]"}
		}
		e.gcpAdd("gcp_workbench_instance", uid, w.p.id, region, w.name, labels, days(120), map[string]any{
			"name": n, "id": gcpID(uint64(900 + len(w.name))), "creator": "analyst@acme.example", "state": "ACTIVE", "health_state": "HEALTHY",
			"create_time": e.ago(days(120)), "update_time": e.ago(days(10)), "labels": labels,
			"disable_proxy_access": false, "instance_owners": []string{}, "gce_setup": setup,
		})
		if w.bad {
			for _, pl := range [][2]string{
				{"gcp-workbench-instance-no-public-ip", "external IP kept to pip-install from a mirror"},
				{"gcp-workbench-instance-root-disabled", "analysts may sudo"},
				{"gcp-workbench-instance-no-default-sa", "runs as the Compute Engine default service account"},
				{"gcp-workbench-instance-cmek", "disks on Google-managed keys"},
				{"gcp-workbench-instance-secure-boot", "Secure Boot off (the default)"},
			} {
				e.plant(uid, pl[0], pl[1])
			}
		} else {
			e.edge(uid, gcpSAUID(w.p, 2), "runs_as")
			e.edge(uid, kmsKeyUID(gcpKeyName(prod, "us-central1", "prod-keyring", "disk-key")), "encrypted_with")
		}
	}
	_ = resource.GlobalRegion
}
