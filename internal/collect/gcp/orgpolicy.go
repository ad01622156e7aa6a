package gcp

import (
	"context"
	"sync"

	"golang.org/x/sync/errgroup"
	orgpolicy "google.golang.org/api/orgpolicy/v2"
)

// OrgPolicyConstraints are the organization policy constraints whose
// effective policy is read for every project: those the CIS benchmark and
// common hardening guides ask to enforce.
var OrgPolicyConstraints = []string{
	"constraints/compute.disableSerialPortAccess",
	"constraints/compute.requireOsLogin",
	"constraints/compute.requireShieldedVm",
	"constraints/compute.skipDefaultNetworkCreation",
	"constraints/compute.vmExternalIpAccess",
	"constraints/iam.allowedPolicyMemberDomains",
	"constraints/iam.automaticIamGrantsForDefaultServiceAccounts",
	"constraints/iam.disableServiceAccountKeyCreation",
	"constraints/sql.restrictPublicIp",
	"constraints/storage.publicAccessPrevention",
	"constraints/storage.uniformBucketLevelAccess",
}

// orgPolicies reads the effective policy of each of OrgPolicyConstraints
// for the project (Org Policy v2 projects.policies.getEffectivePolicy:
// the project's own policy merged with those of its folders and
// organization). The first constraint is read alone, so that a disabled
// API or a denied project is one collection error; the others then run at
// once. On any failure the project gets no org_policies, so checks over
// them are ERROR.
func (s *scope) orgPolicies(ctx context.Context) error {
	schema := field(s.r.c.kinds["gcp_project"].Schema, "org_policies").Fields
	out := make([]any, len(OrgPolicyConstraints))
	get := func(ctx context.Context, i int) error {
		c := OrgPolicyConstraints[i]
		name := "projects/" + s.number + "/policies/" + c[len("constraints/"):]
		var pol *orgpolicy.GoogleCloudOrgpolicyV2Policy
		if err := s.call(ctx, func() error {
			var err error
			pol, err = s.r.c.orgpol.Projects.Policies.GetEffectivePolicy(name).Context(ctx).Do()
			return err
		}); err != nil {
			return err
		}
		m, err := shape(pol, schema, orgPolicyOptional)
		if err != nil {
			return err
		}
		m["constraint"] = c
		out[i] = m
		return nil
	}
	var (
		mu    sync.Mutex
		first error
	)
	err := get(ctx, 0)
	if err == nil {
		g, gctx := errgroup.WithContext(ctx)
		for i := 1; i < len(OrgPolicyConstraints); i++ {
			g.Go(func() error {
				if err := get(gctx, i); err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
					return err
				}
				return nil
			})
		}
		g.Wait()
		err = first
	}
	if err != nil {
		return s.fail(ctx, "", "orgpolicy", "orgpolicy.projects.policies.getEffectivePolicy", err)
	}
	s.mu.Lock()
	s.extra["org_policies"] = out
	s.mu.Unlock()
	return nil
}

// orgPolicyOptional are the parts of an effective policy absent when the
// API omits them: a rule's values exist only for list constraints.
var orgPolicyOptional = paths("spec.rules.values", "spec.rules.values.allowed_values", "spec.rules.values.denied_values")
