package aws

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsaccount "github.com/aws/aws-sdk-go-v2/service/account"
	accounttypes "github.com/aws/aws-sdk-go-v2/service/account/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	smithyendpoints "github.com/aws/smithy-go/endpoints"
	"golang.org/x/sync/errgroup"
)

// accountAPI is every AWS Account Management operation the collector calls.
type accountAPI interface {
	GetAlternateContact(ctx context.Context, in *awsaccount.GetAlternateContactInput, optFns ...func(*awsaccount.Options)) (*awsaccount.GetAlternateContactOutput, error)
	GetContactInformation(ctx context.Context, in *awsaccount.GetContactInformationInput, optFns ...func(*awsaccount.Options)) (*awsaccount.GetContactInformationOutput, error)
}

// s3controlAPI is every S3 Control operation the collector calls.
type s3controlAPI interface {
	GetPublicAccessBlock(ctx context.Context, in *s3control.GetPublicAccessBlockInput, optFns ...func(*s3control.Options)) (*s3control.GetPublicAccessBlockOutput, error)
}

// collectAccountFacts emits the aws_account resource: root user summary,
// account-level S3 Block Public Access and contacts.
func collectAccountFacts(ctx context.Context, s *scope) error {
	a := s.acct
	p := obj{"account_id": a.id, "account_name": a.name, "is_management_account": a.mgmt}
	setNonEmpty(p, "organization_id", a.orgID)
	setNonEmpty(p, "email", a.email)

	// Every read is independent: run them at once.
	var mu sync.Mutex
	set := func(k string, v any) {
		mu.Lock()
		defer mu.Unlock()
		p[k] = v
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		summary, err := s.iam().GetAccountSummary(gctx, &iam.GetAccountSummaryInput{})
		if err != nil {
			return s.fail(ctx, "iam:GetAccountSummary", err)
		}
		sm := obj{}
		for _, k := range []string{
			"AccountMFAEnabled", "AccountAccessKeysPresent", "AccountSigningCertificatesPresent",
			"AccountPasswordPresent", "Users", "Roles", "Policies", "MFADevices", "MFADevicesInUse",
		} {
			sm[snake(k)] = summary.SummaryMap[k]
		}
		set("summary_map", sm)
		return nil
	})
	if a.mgmt {
		var orgc organizationsAPI = organizations.NewFromConfig(s.cfg(""))
		g.Go(func() error {
			admins, err := delegatedAdmins(gctx, orgc)
			if err != nil {
				return s.fail(ctx, "organizations:ListDelegatedAdministrators", err)
			}
			set("delegated_administrators", admins)
			return nil
		})
		g.Go(func() error {
			out, err := orgc.DescribeResourcePolicy(gctx, &organizations.DescribeResourcePolicyInput{})
			if isCode(err, "ResourcePolicyNotFoundException") {
				set("delegation_policy", obj{"present": false})
				return nil
			}
			if err != nil {
				return s.fail(ctx, "organizations:DescribeResourcePolicy", err)
			}
			dp := obj{"present": true}
			if rp := out.ResourcePolicy; rp != nil && rp.Content != nil {
				doc, err := parsePolicy(*rp.Content)
				if err != nil {
					return s.fail(ctx, "organizations:DescribeResourcePolicy", fmt.Errorf("delegation policy: %w", err))
				}
				dp["document"] = doc
			}
			set("delegation_policy", dp)
			return nil
		})
		// Organization-wide IAM features can only be read from the
		// management account (or a delegated administrator).
		g.Go(func() error {
			out, err := s.iam().ListOrganizationsFeatures(gctx, &iam.ListOrganizationsFeaturesInput{})
			if err != nil {
				return s.fail(ctx, "iam:ListOrganizationsFeatures", err)
			}
			feats := make([]string, 0, len(out.EnabledFeatures))
			for _, f := range out.EnabledFeatures {
				feats = append(feats, string(f))
			}
			set("organizations_features", obj{"organization_id": aws.ToString(out.OrganizationId), "enabled_features": feats})
			return nil
		})
	}
	g.Go(func() error {
		devs, err := rootVirtualMFA(gctx, s.iam())
		if err != nil {
			return s.fail(ctx, "iam:ListVirtualMFADevices", err)
		}
		set("root_virtual_mfa_devices", devs)
		return nil
	})
	g.Go(func() error {
		var ctl s3controlAPI = s3control.NewFromConfig(s.cfg(""), func(o *s3control.Options) {
			// Emulators serve S3 Control on the endpoint itself, not under
			// an account-ID host prefix.
			if u := s.c.s3ControlEndpoint(); u != nil {
				o.EndpointResolverV2 = fixedEndpoint{u: *u}
			}
		})
		pab, err := accountPAB(gctx, ctl, a.id)
		if err != nil {
			return s.fail(ctx, "s3:GetAccountPublicAccessBlock", err)
		}
		set("public_access_block", pab)
		return nil
	})
	var acc accountAPI = awsaccount.NewFromConfig(s.cfg(""))
	types := []accounttypes.AlternateContactType{accounttypes.AlternateContactTypeBilling, accounttypes.AlternateContactTypeOperations, accounttypes.AlternateContactTypeSecurity}
	contacts := make([]obj, len(types))
	contactErr := false
	for i, typ := range types {
		g.Go(func() error {
			out, err := acc.GetAlternateContact(gctx, &awsaccount.GetAlternateContactInput{AlternateContactType: typ})
			if isCode(err, "ResourceNotFoundException") {
				return nil
			}
			if err != nil {
				mu.Lock()
				contactErr = true
				mu.Unlock()
				return s.fail(ctx, "account:GetAlternateContact", err)
			}
			if c := out.AlternateContact; c != nil {
				contacts[i] = obj{
					"alternate_contact_type": string(c.AlternateContactType), "name": aws.ToString(c.Name),
					"email_address": aws.ToString(c.EmailAddress), "phone_number": aws.ToString(c.PhoneNumber),
					"title": aws.ToString(c.Title),
				}
			}
			return nil
		})
	}
	g.Go(func() error {
		ci, err := acc.GetContactInformation(gctx, &awsaccount.GetContactInformationInput{})
		switch {
		case isCode(err, "ResourceNotFoundException"):
		case err != nil:
			return s.fail(ctx, "account:GetContactInformation", err)
		case ci.ContactInformation != nil:
			c := ci.ContactInformation
			set("contact_information", obj{
				"full_name": aws.ToString(c.FullName), "company_name": aws.ToString(c.CompanyName),
				"country_code": aws.ToString(c.CountryCode), "phone_number": aws.ToString(c.PhoneNumber),
			})
		}
		return nil
	})
	if err := g.Wait(); err != nil {
		return err
	}
	// A contact list is only stated when every type could be read.
	if !contactErr {
		list := []obj{}
		for _, c := range contacts {
			if c != nil {
				list = append(list, c)
			}
		}
		p["alternate_contacts"] = list
	}
	return s.emit(ctx, "aws_account", a.uid, a.name, nil, time.Time{}, p)
}

// delegatedAdmins lists the organization's delegated administrator accounts
// with the services each administers.
func delegatedAdmins(ctx context.Context, api organizationsAPI) ([]obj, error) {
	out := []obj{}
	pages := organizations.NewListDelegatedAdministratorsPaginator(api, &organizations.ListDelegatedAdministratorsInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, d := range page.DelegatedAdministrators {
			services := []string{}
			spages := organizations.NewListDelegatedServicesForAccountPaginator(api, &organizations.ListDelegatedServicesForAccountInput{AccountId: d.Id})
			for spages.HasMorePages() {
				sp, err := spages.NextPage(ctx)
				if err != nil {
					return nil, err
				}
				for _, sv := range sp.DelegatedServices {
					services = append(services, aws.ToString(sv.ServicePrincipal))
				}
			}
			da := obj{"id": aws.ToString(d.Id), "name": aws.ToString(d.Name), "services": services}
			setTS(da, "delegation_enabled_date", d.DelegationEnabledDate)
			out = append(out, da)
		}
	}
	return out, nil
}

// rootVirtualMFA lists the assigned virtual MFA devices whose user is the
// root user (ARN ending in ":root"): a root MFA that is not listed here is a
// hardware device.
func rootVirtualMFA(ctx context.Context, api iamAPI) ([]obj, error) {
	out := []obj{}
	pages := iam.NewListVirtualMFADevicesPaginator(api, &iam.ListVirtualMFADevicesInput{AssignmentStatus: iamtypes.AssignmentStatusTypeAssigned})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, d := range page.VirtualMFADevices {
			if d.User == nil || !strings.HasSuffix(aws.ToString(d.User.Arn), ":root") {
				continue
			}
			dev := obj{"serial_number": aws.ToString(d.SerialNumber)}
			setTS(dev, "enable_date", d.EnableDate)
			out = append(out, dev)
		}
	}
	return out, nil
}

// fixedEndpoint resolves every S3 Control call to one URL.
type fixedEndpoint struct{ u url.URL }

func (f fixedEndpoint) ResolveEndpoint(context.Context, s3control.EndpointParameters) (smithyendpoints.Endpoint, error) {
	return smithyendpoints.Endpoint{URI: f.u}, nil
}

// s3ControlEndpoint returns the overridden S3 Control endpoint, or nil.
func (c *Collector) s3ControlEndpoint() *url.URL {
	for _, raw := range []string{c.opts.EndpointURL, os.Getenv("AWS_ENDPOINT_URL_S3_CONTROL"), os.Getenv("AWS_ENDPOINT_URL")} {
		if raw == "" {
			continue
		}
		if u, err := url.Parse(raw); err == nil && u.Host != "" {
			return u
		}
	}
	return nil
}

func accountPAB(ctx context.Context, api s3controlAPI, id string) (obj, error) {
	out, err := api.GetPublicAccessBlock(ctx, &s3control.GetPublicAccessBlockInput{AccountId: aws.String(id)})
	if isCode(err, "NoSuchPublicAccessBlockConfiguration") {
		return pabDoc(nil, nil, nil, nil), nil
	}
	if err != nil {
		return nil, err
	}
	c := out.PublicAccessBlockConfiguration
	if c == nil {
		return pabDoc(nil, nil, nil, nil), nil
	}
	return pabDoc(c.BlockPublicAcls, c.IgnorePublicAcls, c.BlockPublicPolicy, c.RestrictPublicBuckets), nil
}

func pabDoc(acls, ignore, policy, restrict *bool) obj {
	return obj{
		"block_public_acls": deref(acls), "ignore_public_acls": deref(ignore),
		"block_public_policy": deref(policy), "restrict_public_buckets": deref(restrict),
	}
}

// snake converts an AWS field name to snake_case, keeping acronyms
// together: AccountMFAEnabled → account_mfa_enabled.
func snake(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		upper := r >= 'A' && r <= 'Z'
		if upper && i > 0 {
			prevLower := rs[i-1] >= 'a' && rs[i-1] <= 'z'
			nextLower := i+1 < len(rs) && rs[i+1] >= 'a' && rs[i+1] <= 'z'
			prevUpper := rs[i-1] >= 'A' && rs[i-1] <= 'Z'
			if prevLower || (prevUpper && nextLower) {
				b.WriteByte('_')
			}
		}
		if upper {
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}
