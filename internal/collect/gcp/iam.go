package gcp

import (
	"context"

	"golang.org/x/sync/errgroup"
	iam "google.golang.org/api/iam/v1"
)

// serviceAccounts collects the project's service accounts, each with its
// keys (user- and system-managed). A key listing that fails is recorded and
// the account is stored without keys, so checks over keys are ERROR.
func (s *scope) serviceAccounts(ctx context.Context) error {
	schema := s.r.c.kinds["gcp_iam_service_account"].Schema
	var all []*iam.ServiceAccount
	err := s.call(ctx, func() error {
		return s.r.c.iam.Projects.ServiceAccounts.List("projects/"+s.id).Context(ctx).Pages(ctx, func(l *iam.ListServiceAccountsResponse) error {
			all = append(all, l.Accounts...)
			return nil
		})
	})
	if err != nil {
		return s.fail(ctx, "", "iam", "iam.serviceAccounts.list", err)
	}
	keySchema := field(schema, "keys").Fields
	g, gctx := errgroup.WithContext(ctx)
	for _, sa := range all {
		g.Go(func() error {
			doc, err := shape(sa, except(schema, "keys"), nil)
			if err != nil {
				return err
			}
			var keys *iam.ListServiceAccountKeysResponse
			err = s.call(gctx, func() error {
				var err error
				keys, err = s.r.c.iam.Projects.ServiceAccounts.Keys.List(sa.Name).Context(gctx).Do()
				return err
			})
			if err != nil {
				if err := s.fail(gctx, "", "iam", "iam.serviceAccounts.keys.list", err); err != nil {
					return err
				}
			} else {
				list := make([]any, 0, len(keys.Keys))
				for _, k := range keys.Keys {
					m, err := shape(k, keySchema, nil)
					if err != nil {
						return err
					}
					list = append(list, m)
				}
				doc["keys"] = list
			}
			uid := "//iam.googleapis.com/projects/" + s.id + "/serviceAccounts/" + sa.UniqueId
			s.r.serviceAccount(sa.Email, uid)
			return s.r.emit(gctx, "gcp_iam_service_account", uid, s.id, "", sa.Email, nil, "", doc)
		})
	}
	return g.Wait()
}
