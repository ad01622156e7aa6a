package gcp

import (
	"context"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"
	bigquery "google.golang.org/api/bigquery/v2"
)

// datasets collects the project's BigQuery datasets: datasets.list, then
// datasets.get for each (the list holds no access entries or encryption).
// A dataset that cannot be read is recorded and skipped.
func (s *scope) datasets(ctx context.Context) error {
	schema := s.r.c.kinds["gcp_bigquery_dataset"].Schema
	var ids []string
	err := s.call(ctx, func() error {
		return s.r.c.bq.Datasets.List(s.id).Context(ctx).Pages(ctx, func(l *bigquery.DatasetList) error {
			for _, d := range l.Datasets {
				if d.DatasetReference != nil {
					ids = append(ids, d.DatasetReference.DatasetId)
				}
			}
			return nil
		})
	})
	if err != nil {
		return s.fail(ctx, "", "bigquery", "bigquery.datasets.list", err)
	}
	g, gctx := errgroup.WithContext(ctx)
	for _, id := range ids {
		g.Go(func() error {
			var d *bigquery.Dataset
			err := s.call(gctx, func() error {
				var err error
				d, err = s.r.c.bq.Datasets.Get(s.id, id).Context(gctx).Do()
				return err
			})
			if err != nil {
				return s.fail(gctx, "", "bigquery", "bigquery.datasets.get", err)
			}
			doc, err := shape(d, schema, paths("default_encryption_configuration"))
			if err != nil {
				return err
			}
			var created string
			if d.CreationTime > 0 {
				created = time.UnixMilli(d.CreationTime).UTC().Format(time.RFC3339Nano)
			}
			uid := "//bigquery.googleapis.com/projects/" + s.id + "/datasets/" + id
			if err := s.r.emit(gctx, "gcp_bigquery_dataset", uid, s.id, strings.ToLower(d.Location), id, d.Labels, created, doc); err != nil {
				return err
			}
			if e := d.DefaultEncryptionConfiguration; e != nil {
				s.r.edge(uid, kmsKeyUID(e.KmsKeyName), "encrypted_with")
			}
			return nil
		})
	}
	return g.Wait()
}
