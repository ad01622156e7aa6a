package gcp

import (
	"context"
	"strings"

	logging "google.golang.org/api/logging/v2"

	"cloudward/internal/collect"
	"cloudward/internal/resource"
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

// readSinks lists, once per scan (while planning), the sinks of the organization or folder in scope and
// of every folder below it, keeping those that export their children's
// entries (include_children). They count for every project below them.
// A parent whose sinks cannot be listed is a collection error.
func (a *ancestors) readSinks(ctx context.Context, c *Collector, sink collect.Sink) error {
	if len(a.parentOf) == 0 {
		return nil
	}
	schema := field(c.kinds["gcp_project"].Schema, "inherited_sinks").Fields
	a.sinksOf = map[string][]any{}
	for _, parent := range a.sorted() {
		var all []*logging.LogSink
		add := func(l *logging.ListSinksResponse) error {
			all = append(all, l.Sinks...)
			return nil
		}
		var err error
		if strings.HasPrefix(parent, "organizations/") {
			err = c.logs.Organizations.Sinks.List(parent).Context(ctx).Pages(ctx, add)
		} else {
			err = c.logs.Folders.Sinks.List(parent).Context(ctx).Pages(ctx, add)
		}
		if err != nil {
			if err := c.record(ctx, sink, parent, resource.GlobalRegion, "logging", "logging.sinks.list", err); err != nil {
				return err
			}
			continue
		}
		list := []any{}
		for _, k := range all {
			if !k.IncludeChildren {
				continue
			}
			m, err := shape(k, schema, paths("filter"))
			if err != nil {
				return err
			}
			m["name"] = parent + "/sinks/" + k.Name
			list = append(list, m)
		}
		a.sinksOf[parent] = list
	}
	return nil
}

// inheritedSinks returns the sinks of every ancestor of a project's
// parent, and whether all of them could be read (false for a project
// scope, where ancestors are not walked).
func (a *ancestors) inheritedSinks(parent string) ([]any, bool) {
	if a.sinksOf == nil || parent == "" {
		return nil, false
	}
	out := []any{}
	for p := parent; p != ""; p = a.parentOf[p] {
		sinks, ok := a.sinksOf[p]
		if !ok {
			return nil, false
		}
		out = append(out, sinks...)
	}
	return out, true
}
