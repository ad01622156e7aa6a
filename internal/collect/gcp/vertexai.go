package gcp

import (
	"context"
	"slices"
	"strings"

	"golang.org/x/sync/errgroup"
	aiplatform "google.golang.org/api/aiplatform/v1"
)

// vertexOptional are the paths of the Vertex AI kinds whose absence means
// "not configured".
var vertexOptional = paths("encryption_spec", "private_service_connect_config", "predict_request_response_logging_config",
	"container_spec", "input_data_config", "model_to_upload", "model_to_upload.encryption_spec",
	"job_spec.base_output_directory", "job_spec.worker_pool_specs.container_spec")

// vertexAI collects the project's Vertex AI endpoints, models, datasets,
// custom jobs, training pipelines and pipeline jobs in every location the
// API offers (projects.locations.list on the global host; each location's
// resources from its regional host). A disabled API is one collection
// error for the project; a failing location is recorded and the others go
// on.
func (s *scope) vertexAI(ctx context.Context) error {
	locs := slices.Clone(s.r.vertexLocations)
	if len(locs) == 0 {
		err := s.call(ctx, func() error {
			return s.r.c.ai.Projects.Locations.List("projects/"+s.id).Context(ctx).Pages(ctx, func(l *aiplatform.GoogleCloudLocationListLocationsResponse) error {
				for _, loc := range l.Locations {
					if loc.LocationId != "" && loc.LocationId != "global" {
						locs = append(locs, loc.LocationId)
					}
				}
				return nil
			})
		})
		if err != nil {
			return s.fail(ctx, "", "aiplatform", "aiplatform.locations.list", err)
		}
	}
	g, gctx := errgroup.WithContext(ctx)
	for _, loc := range locs {
		svc, err := s.r.c.aiAt(ctx, loc)
		if err != nil {
			return err
		}
		parent := "projects/" + s.id + "/locations/" + loc
		l := svc.Projects.Locations
		lists := []struct {
			kind, op string
			list     func(emit func(any, string) error) error
		}{
			{"gcp_vertex_ai_endpoint", "aiplatform.endpoints.list", func(emit func(any, string) error) error {
				return l.Endpoints.List(parent).Context(gctx).Pages(gctx, func(r *aiplatform.GoogleCloudAiplatformV1ListEndpointsResponse) error {
					for _, v := range r.Endpoints {
						if err := emit(v, v.DisplayName); err != nil {
							return err
						}
					}
					return nil
				})
			}},
			{"gcp_vertex_ai_model", "aiplatform.models.list", func(emit func(any, string) error) error {
				return l.Models.List(parent).Context(gctx).Pages(gctx, func(r *aiplatform.GoogleCloudAiplatformV1ListModelsResponse) error {
					for _, v := range r.Models {
						if err := emit(v, v.DisplayName); err != nil {
							return err
						}
					}
					return nil
				})
			}},
			{"gcp_vertex_ai_dataset", "aiplatform.datasets.list", func(emit func(any, string) error) error {
				return l.Datasets.List(parent).Context(gctx).Pages(gctx, func(r *aiplatform.GoogleCloudAiplatformV1ListDatasetsResponse) error {
					for _, v := range r.Datasets {
						if err := emit(v, v.DisplayName); err != nil {
							return err
						}
					}
					return nil
				})
			}},
			{"gcp_vertex_ai_custom_job", "aiplatform.customJobs.list", func(emit func(any, string) error) error {
				return l.CustomJobs.List(parent).Context(gctx).Pages(gctx, func(r *aiplatform.GoogleCloudAiplatformV1ListCustomJobsResponse) error {
					for _, v := range r.CustomJobs {
						if err := emit(v, v.DisplayName); err != nil {
							return err
						}
					}
					return nil
				})
			}},
			{"gcp_vertex_ai_training_pipeline", "aiplatform.trainingPipelines.list", func(emit func(any, string) error) error {
				return l.TrainingPipelines.List(parent).Context(gctx).Pages(gctx, func(r *aiplatform.GoogleCloudAiplatformV1ListTrainingPipelinesResponse) error {
					for _, v := range r.TrainingPipelines {
						if err := emit(v, v.DisplayName); err != nil {
							return err
						}
					}
					return nil
				})
			}},
			{"gcp_vertex_ai_pipeline_job", "aiplatform.pipelineJobs.list", func(emit func(any, string) error) error {
				return l.PipelineJobs.List(parent).Context(gctx).Pages(gctx, func(r *aiplatform.GoogleCloudAiplatformV1ListPipelineJobsResponse) error {
					for _, v := range r.PipelineJobs {
						if err := emit(v, v.DisplayName); err != nil {
							return err
						}
					}
					return nil
				})
			}},
		}
		for _, ls := range lists {
			g.Go(func() error {
				// Resources are shaped and emitted after the listing, so
				// that a failed page leaves no half-listed location.
				type item struct {
					v    any
					name string
				}
				var items []item
				err := s.call(gctx, func() error {
					return ls.list(func(v any, name string) error {
						items = append(items, item{v, name})
						return nil
					})
				})
				if err != nil {
					return s.fail(gctx, loc, "aiplatform", ls.op, err)
				}
				for _, it := range items {
					if err := s.vertexResource(gctx, ls.kind, loc, it.v, it.name); err != nil {
						return err
					}
				}
				return nil
			})
		}
	}
	return g.Wait()
}

// vertexResource shapes and emits one Vertex AI resource and queues its
// edges to the data, keys, models and identities it uses.
func (s *scope) vertexResource(ctx context.Context, kind, loc string, v any, display string) error {
	doc, err := shape(v, s.r.c.kinds[kind].Schema, vertexOptional)
	if err != nil {
		return err
	}
	name := str(doc, "name")
	uid := "//aiplatform.googleapis.com/" + name
	if display == "" {
		display = last(name)
	}
	var tags map[string]string
	if m, ok := doc["labels"].(map[string]any); ok {
		tags = map[string]string{}
		for k, x := range m {
			if sv, ok := x.(string); ok {
				tags[k] = sv
			}
		}
	}
	if err := s.r.emit(ctx, kind, uid, s.id, loc, display, tags, str(doc, "create_time"), doc); err != nil {
		return err
	}
	if e, ok := doc["encryption_spec"].(map[string]any); ok {
		s.r.edge(uid, kmsKeyUID(str(e, "kms_key_name")), "encrypted_with")
	}
	switch x := v.(type) {
	case *aiplatform.GoogleCloudAiplatformV1Endpoint:
		for _, d := range x.DeployedModels {
			if d.Model != "" {
				s.r.edge(uid, "//aiplatform.googleapis.com/"+d.Model, "serves")
			}
			s.r.saEdge(uid, d.ServiceAccount, "runs_as")
		}
		if c := x.PredictRequestResponseLoggingConfig; c != nil && c.BigqueryDestination != nil {
			s.r.edge(uid, bigQueryDatasetUID(c.BigqueryDestination.OutputUri), "logs_to")
		}
	case *aiplatform.GoogleCloudAiplatformV1Model:
		s.r.edge(uid, bucketUID(x.ArtifactUri), "reads")
	case *aiplatform.GoogleCloudAiplatformV1Dataset:
		for _, u := range datasetSources(doc["metadata"]) {
			if strings.HasPrefix(u, "bq://") {
				s.r.edge(uid, bigQueryDatasetUID(u), "reads")
			} else {
				s.r.edge(uid, bucketUID(u), "reads")
			}
		}
	case *aiplatform.GoogleCloudAiplatformV1CustomJob:
		if js := x.JobSpec; js != nil {
			s.r.saEdge(uid, js.ServiceAccount, "runs_as")
			if js.BaseOutputDirectory != nil {
				s.r.edge(uid, bucketUID(js.BaseOutputDirectory.OutputUriPrefix), "writes")
			}
		}
	case *aiplatform.GoogleCloudAiplatformV1TrainingPipeline:
		if x.InputDataConfig != nil && x.InputDataConfig.DatasetId != "" {
			s.r.edge(uid, "//aiplatform.googleapis.com/"+strings.SplitN(name, "/trainingPipelines/", 2)[0]+"/datasets/"+x.InputDataConfig.DatasetId, "reads")
		}
	case *aiplatform.GoogleCloudAiplatformV1PipelineJob:
		s.r.saEdge(uid, x.ServiceAccount, "runs_as")
	}
	return nil
}

// bucketUID returns the UID of the bucket of a gs:// URI, or "".
func bucketUID(uri string) string {
	rest, ok := strings.CutPrefix(uri, "gs://")
	if !ok || rest == "" {
		return ""
	}
	b, _, _ := strings.Cut(rest, "/")
	return "//storage.googleapis.com/projects/_/buckets/" + b
}

// bigQueryDatasetUID returns the UID of the dataset of a bq://P.D[.T] URI,
// or "".
func bigQueryDatasetUID(uri string) string {
	rest, ok := strings.CutPrefix(uri, "bq://")
	if !ok {
		return ""
	}
	parts := strings.Split(rest, ".")
	if len(parts) < 2 || parts[0] == "" || parts[1] == "" {
		return ""
	}
	return "//bigquery.googleapis.com/projects/" + parts[0] + "/datasets/" + parts[1]
}

// datasetSources returns the gs:// and bq:// URIs a Vertex AI dataset's
// metadata names as its input (inputConfig.gcsSource.uri,
// inputConfig.bigquerySource.uri).
func datasetSources(meta any) []string {
	m, _ := meta.(map[string]any)
	in, _ := m["inputConfig"].(map[string]any)
	var out []string
	if gcs, ok := in["gcsSource"].(map[string]any); ok {
		switch u := gcs["uri"].(type) {
		case string:
			out = append(out, u)
		case []any:
			for _, x := range u {
				if s, ok := x.(string); ok {
					out = append(out, s)
				}
			}
		}
	}
	if bq, ok := in["bigquerySource"].(map[string]any); ok {
		if u, ok := bq["uri"].(string); ok {
			out = append(out, u)
		}
	}
	return out
}
