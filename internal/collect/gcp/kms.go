package gcp

import (
	"context"

	"golang.org/x/sync/errgroup"
	cloudkms "google.golang.org/api/cloudkms/v1"

	"cloudward/internal/resource"
)

var keyOptional = paths("rotation_period", "next_rotation_time", "primary")

// cryptoKeys collects the project's Cloud KMS keys: locations, key rings in
// each location, keys in each ring, and each key's IAM policy.
func (s *scope) cryptoKeys(ctx context.Context) error {
	schema := s.r.c.kinds["gcp_kms_crypto_key"].Schema
	var locs []string
	err := s.call(ctx, func() error {
		return s.r.c.kms.Projects.Locations.List("projects/"+s.id).Context(ctx).Pages(ctx, func(l *cloudkms.ListLocationsResponse) error {
			for _, loc := range l.Locations {
				locs = append(locs, loc.LocationId)
			}
			return nil
		})
	})
	if err != nil {
		return s.fail(ctx, "", "cloudkms", "cloudkms.locations.list", err)
	}
	g, gctx := errgroup.WithContext(ctx)
	for _, loc := range locs {
		g.Go(func() error {
			var rings []string
			err := s.call(gctx, func() error {
				return s.r.c.kms.Projects.Locations.KeyRings.List("projects/"+s.id+"/locations/"+loc).Context(gctx).Pages(gctx, func(l *cloudkms.ListKeyRingsResponse) error {
					for _, r := range l.KeyRings {
						rings = append(rings, r.Name)
					}
					return nil
				})
			})
			if err != nil {
				return s.fail(gctx, loc, "cloudkms", "cloudkms.keyRings.list", err)
			}
			for _, ring := range rings {
				var keys []*cloudkms.CryptoKey
				err := s.call(gctx, func() error {
					return s.r.c.kms.Projects.Locations.KeyRings.CryptoKeys.List(ring).Context(gctx).Pages(gctx, func(l *cloudkms.ListCryptoKeysResponse) error {
						keys = append(keys, l.CryptoKeys...)
						return nil
					})
				})
				if err != nil {
					if err := s.fail(gctx, loc, "cloudkms", "cloudkms.cryptoKeys.list", err); err != nil {
						return err
					}
					continue
				}
				for _, k := range keys {
					if err := s.cryptoKey(gctx, schema, loc, k); err != nil {
						return err
					}
				}
			}
			return nil
		})
	}
	return g.Wait()
}

func (s *scope) cryptoKey(ctx context.Context, schema []resource.Field, loc string, k *cloudkms.CryptoKey) error {
	doc, err := shape(k, except(schema, "iam_policy"), keyOptional)
	if err != nil {
		return err
	}
	var pol *cloudkms.Policy
	err = s.call(ctx, func() error {
		var err error
		pol, err = s.r.c.kms.Projects.Locations.KeyRings.CryptoKeys.GetIamPolicy(k.Name).Context(ctx).Do()
		return err
	})
	if err != nil {
		if err := s.fail(ctx, loc, "cloudkms", "cloudkms.cryptoKeys.getIamPolicy", err); err != nil {
			return err
		}
	} else if err := setShaped(doc, schema, "iam_policy", pol, nil); err != nil {
		return err
	}
	return s.r.emit(ctx, "gcp_kms_crypto_key", "//cloudkms.googleapis.com/"+k.Name, s.id, loc, last(k.Name), k.Labels, k.CreateTime, doc)
}
