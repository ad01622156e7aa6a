package gcp

import (
	"context"

	sqladmin "google.golang.org/api/sqladmin/v1"
)

var sqlOptional = paths("settings.database_flags", "settings.ip_configuration.authorized_networks",
	"settings.ip_configuration.require_ssl")

// sqlInstances collects the project's Cloud SQL instances (instances.list).
func (s *scope) sqlInstances(ctx context.Context) error {
	schema := s.r.c.kinds["gcp_sql_instance"].Schema
	var all []*sqladmin.DatabaseInstance
	err := s.call(ctx, func() error {
		return s.r.c.sql.Instances.List(s.id).Context(ctx).Pages(ctx, func(l *sqladmin.InstancesListResponse) error {
			all = append(all, l.Items...)
			return nil
		})
	})
	if err != nil {
		return s.fail(ctx, "", "sqladmin", "sqladmin.instances.list", err)
	}
	for _, in := range all {
		doc, err := shape(in, schema, sqlOptional)
		if err != nil {
			return err
		}
		var labels map[string]string
		if in.Settings != nil {
			labels = in.Settings.UserLabels
		}
		uid := "//cloudsql.googleapis.com/projects/" + s.id + "/instances/" + in.Name
		if err := s.r.emit(ctx, "gcp_sql_instance", uid, s.id, in.Region, in.Name, labels, in.CreateTime, doc); err != nil {
			return err
		}
	}
	return nil
}
