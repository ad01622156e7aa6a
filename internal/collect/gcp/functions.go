package gcp

import (
	"context"
	"regexp"
	"slices"

	"golang.org/x/sync/errgroup"
	cloudfunctions "google.golang.org/api/cloudfunctions/v2"
)

// secretName matches environment variable names that usually hold a
// secret.
var secretName = regexp.MustCompile(`(?i)(pass(word|wd)?|secret|token|api[_-]?key|private[_-]?key|credential|auth)`)

// secretValue matches values shaped like well-known credentials: Google
// API keys, private keys, AWS access keys, GitHub and Slack tokens, JWTs.
var secretValue = regexp.MustCompile(`AIza[0-9A-Za-z_\-]{20,}|-----BEGIN [A-Z ]*PRIVATE KEY|AKIA[0-9A-Z]{16}|gh[pousr]_[0-9A-Za-z]{20,}|xox[abp]-[0-9A-Za-z-]{10,}|eyJ[0-9A-Za-z_\-]{10,}\.[0-9A-Za-z_\-]{10,}\.`)

// functions collects the project's Cloud Functions (v2 API, both
// generations, every location) with each function's IAM policy.
// Environment variable values are never stored: their names are kept,
// values replaced by Redacted, and the names of those that look like
// secrets (by name or by value) listed in
// service_config.secret_like_environment_variables.
func (s *scope) functions(ctx context.Context) error {
	schema := s.r.c.kinds["gcp_cloudfunctions_function"].Schema
	var all []*cloudfunctions.Function
	err := s.call(ctx, func() error {
		return s.r.c.fn.Projects.Locations.Functions.List("projects/"+s.id+"/locations/-").Context(ctx).Pages(ctx, func(l *cloudfunctions.ListFunctionsResponse) error {
			all = append(all, l.Functions...)
			return nil
		})
	})
	if err != nil {
		return s.fail(ctx, "", "cloudfunctions", "cloudfunctions.functions.list", err)
	}
	g, gctx := errgroup.WithContext(ctx)
	for _, fn := range all {
		g.Go(func() error {
			var secrets []any
			if sc := fn.ServiceConfig; sc != nil {
				names := make([]string, 0, len(sc.EnvironmentVariables))
				for k, v := range sc.EnvironmentVariables {
					if secretName.MatchString(k) || secretValue.MatchString(v) {
						names = append(names, k)
					}
					sc.EnvironmentVariables[k] = Redacted
				}
				slices.Sort(names)
				for _, n := range names {
					secrets = append(secrets, n)
				}
			}
			doc, err := shape(fn, except(schema, "iam_policy"), paths("service_config.vpc_connector", "service_config.vpc_connector_egress_settings",
				"kms_key_name", "event_trigger", "url", "service_config.uri"))
			if err != nil {
				return err
			}
			if sc, ok := doc["service_config"].(map[string]any); ok {
				if secrets == nil {
					secrets = []any{}
				}
				sc["secret_like_environment_variables"] = secrets
			}
			loc := zoneOf(fn.Name)
			var pol *cloudfunctions.Policy
			err = s.call(gctx, func() error {
				var err error
				pol, err = s.r.c.fn.Projects.Locations.Functions.GetIamPolicy(fn.Name).Context(gctx).Do()
				return err
			})
			if err != nil {
				if err := s.fail(gctx, loc, "cloudfunctions", "cloudfunctions.functions.getIamPolicy", err); err != nil {
					return err
				}
			} else if err := setShaped(doc, schema, "iam_policy", pol, nil); err != nil {
				return err
			}
			uid := "//cloudfunctions.googleapis.com/" + fn.Name
			if err := s.r.emit(gctx, "gcp_cloudfunctions_function", uid, s.id, loc, last(fn.Name), fn.Labels, fn.CreateTime, doc); err != nil {
				return err
			}
			if sc := fn.ServiceConfig; sc != nil {
				s.r.saEdge(uid, sc.ServiceAccountEmail, "runs_as")
			}
			s.r.edge(uid, kmsKeyUID(fn.KmsKeyName), "encrypted_with")
			return nil
		})
	}
	return g.Wait()
}
