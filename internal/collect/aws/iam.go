package aws

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"golang.org/x/sync/errgroup"
)

// iamAPI is every IAM operation the collector calls.
type iamAPI interface {
	GetAccountAuthorizationDetails(ctx context.Context, in *iam.GetAccountAuthorizationDetailsInput, optFns ...func(*iam.Options)) (*iam.GetAccountAuthorizationDetailsOutput, error)
	ListRoles(ctx context.Context, in *iam.ListRolesInput, optFns ...func(*iam.Options)) (*iam.ListRolesOutput, error)
	GenerateCredentialReport(ctx context.Context, in *iam.GenerateCredentialReportInput, optFns ...func(*iam.Options)) (*iam.GenerateCredentialReportOutput, error)
	GetCredentialReport(ctx context.Context, in *iam.GetCredentialReportInput, optFns ...func(*iam.Options)) (*iam.GetCredentialReportOutput, error)
	ListAccessKeys(ctx context.Context, in *iam.ListAccessKeysInput, optFns ...func(*iam.Options)) (*iam.ListAccessKeysOutput, error)
	ListMFADevices(ctx context.Context, in *iam.ListMFADevicesInput, optFns ...func(*iam.Options)) (*iam.ListMFADevicesOutput, error)
	ListPolicyTags(ctx context.Context, in *iam.ListPolicyTagsInput, optFns ...func(*iam.Options)) (*iam.ListPolicyTagsOutput, error)
	GetAccountPasswordPolicy(ctx context.Context, in *iam.GetAccountPasswordPolicyInput, optFns ...func(*iam.Options)) (*iam.GetAccountPasswordPolicyOutput, error)
	GetAccountSummary(ctx context.Context, in *iam.GetAccountSummaryInput, optFns ...func(*iam.Options)) (*iam.GetAccountSummaryOutput, error)
	ListVirtualMFADevices(ctx context.Context, in *iam.ListVirtualMFADevicesInput, optFns ...func(*iam.Options)) (*iam.ListVirtualMFADevicesOutput, error)
	ListServerCertificates(ctx context.Context, in *iam.ListServerCertificatesInput, optFns ...func(*iam.Options)) (*iam.ListServerCertificatesOutput, error)
	ListOrganizationsFeatures(ctx context.Context, in *iam.ListOrganizationsFeaturesInput, optFns ...func(*iam.Options)) (*iam.ListOrganizationsFeaturesOutput, error)
}

func (s *scope) iam() iamAPI { return iam.NewFromConfig(s.cfg("")) }

// collectIAM emits users, roles, customer managed policies and the password
// policy. One paginated GetAccountAuthorizationDetails call carries most of
// it; the credential report adds console and key usage; per-user calls are
// made only for users the report shows with keys or MFA.
func collectIAM(ctx context.Context, s *scope) error {
	api := s.iam()
	// The independent reads run at once: the password policy, the
	// authorization details, the credential report and the role listing.
	var (
		users    []iamtypes.UserDetail
		groups   []iamtypes.GroupDetail
		roles    []iamtypes.RoleDetail
		policies []iamtypes.ManagedPolicyDetail
		report   map[string]credRow
		extra    map[string]iamtypes.Role
		detailOK bool
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return collectPasswordPolicy(gctx, s, api) })
	g.Go(func() error { return collectServerCertificates(gctx, s, api) })
	g.Go(func() error {
		pages := iam.NewGetAccountAuthorizationDetailsPaginator(api, &iam.GetAccountAuthorizationDetailsInput{
			Filter: []iamtypes.EntityType{iamtypes.EntityTypeUser, iamtypes.EntityTypeGroup, iamtypes.EntityTypeRole, iamtypes.EntityTypeLocalManagedPolicy},
		})
		for pages.HasMorePages() {
			page, err := pages.NextPage(gctx)
			if err != nil {
				return s.fail(gctx, "iam:GetAccountAuthorizationDetails", err)
			}
			users = append(users, page.UserDetailList...)
			groups = append(groups, page.GroupDetailList...)
			roles = append(roles, page.RoleDetailList...)
			policies = append(policies, page.Policies...)
		}
		detailOK = true
		return nil
	})
	g.Go(func() (err error) {
		report, err = credentialReport(gctx, s, api)
		return err
	})
	g.Go(func() (err error) {
		extra, err = listRoles(gctx, s, api)
		return err
	})
	if err := g.Wait(); err != nil || !detailOK {
		return err
	}
	g, gctx = errgroup.WithContext(ctx)
	g.Go(func() error { return collectUsers(gctx, s, api, users, report) })
	g.Go(func() error { return collectRoles(gctx, s, roles, extra) })
	g.Go(func() error { return collectGroups(gctx, s, groups) })
	g.Go(func() error { return collectPolicies(gctx, s, api, policies) })
	return g.Wait()
}

func collectPasswordPolicy(ctx context.Context, s *scope, api iamAPI) error {
	p := obj{"password_policy_present": false}
	out, err := api.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{})
	switch {
	case isCode(err, "NoSuchEntity"):
	case err != nil:
		return s.fail(ctx, "iam:GetAccountPasswordPolicy", err)
	case out.PasswordPolicy != nil:
		pp := out.PasswordPolicy
		p = obj{
			"password_policy_present":        true,
			"minimum_password_length":        deref(pp.MinimumPasswordLength),
			"require_symbols":                pp.RequireSymbols,
			"require_numbers":                pp.RequireNumbers,
			"require_uppercase_characters":   pp.RequireUppercaseCharacters,
			"require_lowercase_characters":   pp.RequireLowercaseCharacters,
			"allow_users_to_change_password": pp.AllowUsersToChangePassword,
			"expire_passwords":               pp.ExpirePasswords,
			"max_password_age":               deref(pp.MaxPasswordAge),
			"password_reuse_prevention":      deref(pp.PasswordReusePrevention),
			"hard_expiry":                    deref(pp.HardExpiry),
		}
	}
	uid := s.arn("iam", "", "account-password-policy")
	return s.emit(ctx, "aws_iam_password_policy", uid, s.acct.name+"-password-policy", nil, time.Time{}, p)
}

// credRow is one user's line of the credential report.
type credRow map[string]string

// credentialReport generates the report, waits for it and parses it by
// user ARN. A failure is recorded and an empty report returned.
func credentialReport(ctx context.Context, s *scope, api iamAPI) (map[string]credRow, error) {
	for attempt := 0; ; attempt++ {
		out, err := api.GenerateCredentialReport(ctx, &iam.GenerateCredentialReportInput{})
		if err != nil {
			return nil, s.fail(ctx, "iam:GenerateCredentialReport", err)
		}
		if out.State == iamtypes.ReportStateTypeComplete {
			break
		}
		if attempt >= 30 {
			return nil, s.fail(ctx, "iam:GenerateCredentialReport", fmt.Errorf("credential report still %s after %d polls", out.State, attempt+1))
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(s.c.opts.ReportPollInterval):
		}
	}
	out, err := api.GetCredentialReport(ctx, &iam.GetCredentialReportInput{})
	if err != nil {
		return nil, s.fail(ctx, "iam:GetCredentialReport", err)
	}
	rows, err := parseCredentialReport(out.Content)
	if err != nil {
		return nil, s.fail(ctx, "iam:GetCredentialReport", err)
	}
	return rows, nil
}

// parseCredentialReport parses the CSV credential report into rows by ARN.
func parseCredentialReport(content []byte) (map[string]credRow, error) {
	if len(bytes.TrimSpace(content)) == 0 {
		return map[string]credRow{}, nil
	}
	r := csv.NewReader(bytes.NewReader(content))
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("credential report header: %w", err)
	}
	rows := map[string]credRow{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, fmt.Errorf("credential report: %w", err)
		}
		row := credRow{}
		for i, h := range header {
			if i < len(rec) {
				row[h] = rec[i]
			}
		}
		rows[row["arn"]] = row
	}
}

// reportTime returns the report field as RFC 3339, or "" for N/A,
// no_information and not_supported.
func (r credRow) time(key string) string {
	v := r[key]
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func collectUsers(ctx context.Context, s *scope, api iamAPI, users []iamtypes.UserDetail, report map[string]credRow) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(s.c.opts.DetailConcurrency)
	for _, u := range users {
		g.Go(func() error { return collectUser(gctx, s, api, u, report[aws.ToString(u.Arn)]) })
	}
	return g.Wait()
}

func collectUser(ctx context.Context, s *scope, api iamAPI, u iamtypes.UserDetail, row credRow) error {
	name := aws.ToString(u.UserName)
	p := obj{
		"user_name": name, "user_id": aws.ToString(u.UserId), "arn": aws.ToString(u.Arn),
		"path": aws.ToString(u.Path), "password_enabled": row["password_enabled"] == "true",
		"mfa_active": row["mfa_active"] == "true",
	}
	setTS(p, "create_date", u.CreateDate)
	setNonEmpty(p, "password_last_used", row.time("password_last_used"))
	setNonEmpty(p, "password_last_changed", row.time("password_last_changed"))

	mfa := []obj{}
	if row == nil || row["mfa_active"] == "true" {
		pages := iam.NewListMFADevicesPaginator(api, &iam.ListMFADevicesInput{UserName: u.UserName})
		for pages.HasMorePages() {
			page, err := pages.NextPage(ctx)
			if err != nil {
				if ferr := s.fail(ctx, "iam:ListMFADevices", err); ferr != nil {
					return ferr
				}
				break
			}
			for _, d := range page.MFADevices {
				m := obj{"serial_number": aws.ToString(d.SerialNumber)}
				setTS(m, "enable_date", d.EnableDate)
				mfa = append(mfa, m)
			}
		}
		if row == nil {
			p["mfa_active"] = len(mfa) > 0
		}
	}
	p["mfa_devices"] = mfa

	keys := []obj{}
	if row == nil || row["access_key_1_last_rotated"] != "N/A" || row["access_key_2_last_rotated"] != "N/A" {
		pages := iam.NewListAccessKeysPaginator(api, &iam.ListAccessKeysInput{UserName: u.UserName})
		for pages.HasMorePages() {
			page, err := pages.NextPage(ctx)
			if err != nil {
				if ferr := s.fail(ctx, "iam:ListAccessKeys", err); ferr != nil {
					return ferr
				}
				break
			}
			for _, k := range page.AccessKeyMetadata {
				m := obj{"access_key_id": aws.ToString(k.AccessKeyId), "status": string(k.Status)}
				created := ts(k.CreateDate)
				setNonEmpty(m, "create_date", created)
				// The report's key N is the key whose last rotation is its
				// creation time.
				for _, n := range []string{"1", "2"} {
					if created != "" && row.time("access_key_"+n+"_last_rotated") == created {
						if used := row.time("access_key_" + n + "_last_used_date"); used != "" {
							m["last_used_date"] = used
							m["last_used_service"] = row["access_key_"+n+"_last_used_service"]
						}
					}
				}
				keys = append(keys, m)
			}
		}
	}
	p["access_keys"] = keys
	p["attached_policies"] = attached(u.AttachedManagedPolicies)
	inline := []string{}
	for _, ip := range u.UserPolicyList {
		inline = append(inline, aws.ToString(ip.PolicyName))
	}
	p["inline_policy_names"] = inline
	p["groups"] = strs(u.GroupList)
	tags := tagMap(u.Tags, func(t iamtypes.Tag) (*string, *string) { return t.Key, t.Value })
	return s.emit(ctx, "aws_iam_user", aws.ToString(u.Arn), name, tags, timeOf(u.CreateDate), p)
}

func attached(ps []iamtypes.AttachedPolicy) []obj {
	out := make([]obj, 0, len(ps))
	for _, a := range ps {
		out = append(out, obj{"policy_name": aws.ToString(a.PolicyName), "policy_arn": aws.ToString(a.PolicyArn)})
	}
	return out
}

// listRoles reads what the authorization details lack: description and
// maximum session duration, by role ARN.
func listRoles(ctx context.Context, s *scope, api iamAPI) (map[string]iamtypes.Role, error) {
	extra := map[string]iamtypes.Role{}
	pages := iam.NewListRolesPaginator(api, &iam.ListRolesInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return extra, s.fail(ctx, "iam:ListRoles", err)
		}
		for _, r := range page.Roles {
			extra[aws.ToString(r.Arn)] = r
		}
	}
	return extra, nil
}

func collectRoles(ctx context.Context, s *scope, roles []iamtypes.RoleDetail, extra map[string]iamtypes.Role) error {
	for _, r := range roles {
		arn := aws.ToString(r.Arn)
		p := obj{
			"role_name": aws.ToString(r.RoleName), "role_id": aws.ToString(r.RoleId), "arn": arn,
			"path": aws.ToString(r.Path), "attached_policies": attached(r.AttachedManagedPolicies),
		}
		setTS(p, "create_date", r.CreateDate)
		if e, ok := extra[arn]; ok {
			p["description"] = aws.ToString(e.Description)
			p["max_session_duration"] = deref(e.MaxSessionDuration)
		}
		if r.AssumeRolePolicyDocument != nil {
			doc, err := parsePolicy(*r.AssumeRolePolicyDocument)
			if err != nil {
				if ferr := s.fail(ctx, "iam:GetAccountAuthorizationDetails", fmt.Errorf("role %s trust policy: %w", arn, err)); ferr != nil {
					return ferr
				}
			} else {
				p["assume_role_policy_document"] = doc
			}
		}
		inline := []string{}
		for _, ip := range r.RolePolicyList {
			inline = append(inline, aws.ToString(ip.PolicyName))
		}
		p["inline_policy_names"] = inline
		last := obj{}
		if r.RoleLastUsed != nil {
			setTS(last, "last_used_date", r.RoleLastUsed.LastUsedDate)
			setStr(last, "region", r.RoleLastUsed.Region)
		}
		p["role_last_used"] = last
		tags := tagMap(r.Tags, func(t iamtypes.Tag) (*string, *string) { return t.Key, t.Value })
		if err := s.emit(ctx, "aws_iam_role", arn, aws.ToString(r.RoleName), tags, timeOf(r.CreateDate), p); err != nil {
			return err
		}
	}
	return nil
}

func collectPolicies(ctx context.Context, s *scope, api iamAPI, policies []iamtypes.ManagedPolicyDetail) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(s.c.opts.DetailConcurrency)
	for _, pol := range policies {
		g.Go(func() error {
			arn := aws.ToString(pol.Arn)
			p := obj{
				"policy_name": aws.ToString(pol.PolicyName), "policy_id": aws.ToString(pol.PolicyId), "arn": arn,
				"path": aws.ToString(pol.Path), "default_version_id": aws.ToString(pol.DefaultVersionId),
				"attachment_count": deref(pol.AttachmentCount), "is_attachable": pol.IsAttachable,
			}
			setTS(p, "create_date", pol.CreateDate)
			setTS(p, "update_date", pol.UpdateDate)
			for _, v := range pol.PolicyVersionList {
				if !v.IsDefaultVersion || v.Document == nil {
					continue
				}
				doc, err := parsePolicy(*v.Document)
				if err != nil {
					if ferr := s.fail(gctx, "iam:GetAccountAuthorizationDetails", fmt.Errorf("policy %s: %w", arn, err)); ferr != nil {
						return ferr
					}
					continue
				}
				p["default_version_document"] = doc
			}
			var tags map[string]string
			pages := iam.NewListPolicyTagsPaginator(api, &iam.ListPolicyTagsInput{PolicyArn: pol.Arn})
			for pages.HasMorePages() {
				page, err := pages.NextPage(gctx)
				if err != nil {
					if ferr := s.fail(gctx, "iam:ListPolicyTags", err); ferr != nil {
						return ferr
					}
					break
				}
				for k, v := range tagMap(page.Tags, func(t iamtypes.Tag) (*string, *string) { return t.Key, t.Value }) {
					if tags == nil {
						tags = map[string]string{}
					}
					tags[k] = v
				}
			}
			return s.emit(gctx, "aws_iam_policy", arn, aws.ToString(pol.PolicyName), tags, timeOf(pol.CreateDate), p)
		})
	}
	return g.Wait()
}

// collectServerCertificates emits the server certificates stored in IAM.
func collectServerCertificates(ctx context.Context, s *scope, api iamAPI) error {
	pages := iam.NewListServerCertificatesPaginator(api, &iam.ListServerCertificatesInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return s.fail(ctx, "iam:ListServerCertificates", err)
		}
		for _, c := range page.ServerCertificateMetadataList {
			arn := aws.ToString(c.Arn)
			name := aws.ToString(c.ServerCertificateName)
			p := obj{"server_certificate_name": name, "server_certificate_id": aws.ToString(c.ServerCertificateId),
				"arn": arn, "path": aws.ToString(c.Path)}
			setTS(p, "upload_date", c.UploadDate)
			setTS(p, "expiration", c.Expiration)
			if err := s.emit(ctx, "aws_iam_server_certificate", arn, name, nil, timeOf(c.UploadDate), p); err != nil {
				return err
			}
		}
	}
	return nil
}

// collectGroups emits IAM groups with their attached and inline policies.
func collectGroups(ctx context.Context, s *scope, groups []iamtypes.GroupDetail) error {
	for _, g := range groups {
		arn := aws.ToString(g.Arn)
		inline := []string{}
		for _, ip := range g.GroupPolicyList {
			inline = append(inline, aws.ToString(ip.PolicyName))
		}
		p := obj{
			"group_name": aws.ToString(g.GroupName), "group_id": aws.ToString(g.GroupId), "arn": arn,
			"path": aws.ToString(g.Path), "attached_policies": attached(g.AttachedManagedPolicies),
			"inline_policy_names": inline,
		}
		setTS(p, "create_date", g.CreateDate)
		if err := s.emit(ctx, "aws_iam_group", arn, aws.ToString(g.GroupName), nil, timeOf(g.CreateDate), p); err != nil {
			return err
		}
	}
	return nil
}
