package gcp

import (
	"context"
	"strings"

	logging "google.golang.org/api/logging/v2"
)

// logs collects the project's Cloud Logging sinks and log-based metrics.
func (s *scope) logs(ctx context.Context) error {
	if err := s.sinks(ctx); err != nil {
		return err
	}
	return s.logMetrics(ctx)
}

// sinks collects the project's Cloud Logging sinks.
func (s *scope) sinks(ctx context.Context) error {
	schema := s.r.c.kinds["gcp_logging_sink"].Schema
	var all []*logging.LogSink
	err := s.call(ctx, func() error {
		return s.r.c.logs.Projects.Sinks.List("projects/"+s.id).Context(ctx).Pages(ctx, func(l *logging.ListSinksResponse) error {
			all = append(all, l.Sinks...)
			return nil
		})
	})
	if err != nil {
		return s.fail(ctx, "", "logging", "logging.sinks.list", err)
	}
	for _, k := range all {
		doc, err := shape(k, schema, paths("filter", "create_time", "update_time"))
		if err != nil {
			return err
		}
		uid := "//logging.googleapis.com/projects/" + s.id + "/sinks/" + k.Name
		if err := s.r.emit(ctx, "gcp_logging_sink", uid, s.id, "", k.Name, nil, k.CreateTime, doc); err != nil {
			return err
		}
		s.r.edge(uid, sinkDestinationUID(k.Destination), "exports_to")
	}
	return nil
}

// logMetrics collects the project's user-defined log-based metrics
// (projects.metrics.list), which alert policies watch as
// logging.googleapis.com/user/NAME.
func (s *scope) logMetrics(ctx context.Context) error {
	schema := s.r.c.kinds["gcp_logging_metric"].Schema
	var all []*logging.LogMetric
	err := s.call(ctx, func() error {
		return s.r.c.logs.Projects.Metrics.List("projects/"+s.id).Context(ctx).Pages(ctx, func(l *logging.ListLogMetricsResponse) error {
			all = append(all, l.Metrics...)
			return nil
		})
	})
	if err != nil {
		return s.fail(ctx, "", "logging", "logging.metrics.list", err)
	}
	for _, m := range all {
		doc, err := shape(m, schema, paths("create_time", "update_time", "bucket_name"))
		if err != nil {
			return err
		}
		doc["metric_type"] = "logging.googleapis.com/user/" + m.Name
		uid := "//logging.googleapis.com/projects/" + s.id + "/metrics/" + m.Name
		if err := s.r.emit(ctx, "gcp_logging_metric", uid, s.id, "", m.Name, nil, m.CreateTime, doc); err != nil {
			return err
		}
	}
	return nil
}

// sinkDestinationUID returns the UID of a sink's Cloud Storage bucket or
// BigQuery dataset destination, or "" for other destinations.
func sinkDestinationUID(dest string) string {
	if b, ok := strings.CutPrefix(dest, "storage.googleapis.com/"); ok && b != "" {
		return "//storage.googleapis.com/projects/_/buckets/" + b
	}
	if d, ok := strings.CutPrefix(dest, "bigquery.googleapis.com/"); ok && strings.Contains(d, "/datasets/") {
		return "//bigquery.googleapis.com/" + d
	}
	return ""
}
