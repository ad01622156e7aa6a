package gcp

import (
	"context"
	"strings"

	"golang.org/x/sync/errgroup"
	storage "google.golang.org/api/storage/v1"
)

var bucketOptional = paths("logging", "retention_policy", "encryption", "iam_configuration.uniform_bucket_level_access.locked_time")

// buckets collects the project's Cloud Storage buckets (buckets.list, full
// metadata) with each bucket's IAM policy. A policy that cannot be read is
// recorded and the bucket is stored without it.
func (s *scope) buckets(ctx context.Context) error {
	schema := s.r.c.kinds["gcp_storage_bucket"].Schema
	var all []*storage.Bucket
	err := s.call(ctx, func() error {
		return s.r.c.gcs.Buckets.List(s.id).Context(ctx).Pages(ctx, func(l *storage.Buckets) error {
			all = append(all, l.Items...)
			return nil
		})
	})
	if err != nil {
		return s.fail(ctx, "", "storage", "storage.buckets.list", err)
	}
	g, gctx := errgroup.WithContext(ctx)
	for _, b := range all {
		g.Go(func() error {
			doc, err := shape(b, except(schema, "iam_policy"), bucketOptional)
			if err != nil {
				return err
			}
			region := strings.ToLower(b.Location)
			var pol *storage.Policy
			err = s.call(gctx, func() error {
				var err error
				pol, err = s.r.c.gcs.Buckets.GetIamPolicy(b.Name).Context(gctx).Do()
				return err
			})
			if err != nil {
				if err := s.fail(gctx, region, "storage", "storage.buckets.getIamPolicy", err); err != nil {
					return err
				}
			} else if err := setShaped(doc, schema, "iam_policy", pol, nil); err != nil {
				return err
			}
			uid := "//storage.googleapis.com/projects/_/buckets/" + b.Name
			if err := s.r.emit(gctx, "gcp_storage_bucket", uid, s.id, region, b.Name, b.Labels, b.TimeCreated, doc); err != nil {
				return err
			}
			if b.Encryption != nil {
				s.r.edge(uid, kmsKeyUID(b.Encryption.DefaultKmsKeyName), "encrypted_with")
			}
			return nil
		})
	}
	return g.Wait()
}
