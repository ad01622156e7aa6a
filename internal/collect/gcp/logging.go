package gcp

import (
	"context"

	logging "google.golang.org/api/logging/v2"
)

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
	}
	return nil
}
