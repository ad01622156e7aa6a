package digitalocean

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
	"golang.org/x/sync/errgroup"

	"cloudward/internal/collect"
	"cloudward/internal/resource"
)

// spacesAPI is the read-only part of the S3 API the collector calls on
// Spaces.
type spacesAPI interface {
	ListBuckets(ctx context.Context, in *s3.ListBucketsInput, opts ...func(*s3.Options)) (*s3.ListBucketsOutput, error)
	GetBucketAcl(ctx context.Context, in *s3.GetBucketAclInput, opts ...func(*s3.Options)) (*s3.GetBucketAclOutput, error)
	GetBucketVersioning(ctx context.Context, in *s3.GetBucketVersioningInput, opts ...func(*s3.Options)) (*s3.GetBucketVersioningOutput, error)
	GetBucketLifecycleConfiguration(ctx context.Context, in *s3.GetBucketLifecycleConfigurationInput, opts ...func(*s3.Options)) (*s3.GetBucketLifecycleConfigurationOutput, error)
	GetBucketPolicy(ctx context.Context, in *s3.GetBucketPolicyInput, opts ...func(*s3.Options)) (*s3.GetBucketPolicyOutput, error)
	GetBucketCors(ctx context.Context, in *s3.GetBucketCorsInput, opts ...func(*s3.Options)) (*s3.GetBucketCorsOutput, error)
}

// spacesHost returns the endpoint for a region.
func spacesHost(template, region string) string {
	return strings.ReplaceAll(template, "{region}", region)
}

func newSpacesClient(opts Options, hc *http.Client, region string) spacesAPI {
	return s3.New(s3.Options{
		Region:                     region,
		BaseEndpoint:               aws.String(spacesHost(opts.SpacesEndpoint, region)),
		UsePathStyle:               true,
		Credentials:                credentials.NewStaticCredentialsProvider(opts.SpacesAccessKeyID, opts.SpacesSecretAccessKey, ""),
		HTTPClient:                 hc,
		RetryMaxAttempts:           opts.MaxAttempts,
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenRequired,
	})
}

// classifyS3 maps an S3 API error code to a collection error kind.
func classifyS3(err error) resource.ErrorKind {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		switch ae.ErrorCode() {
		case "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "Forbidden":
			return collect.Denied
		case "SlowDown", "TooManyRequests", "Throttling":
			return collect.Throttled
		}
	}
	return collect.Other
}

func s3Code(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

type granteeDoc struct {
	Type string `json:"type"`
	ID   string `json:"id,omitempty"`
	URI  string `json:"uri,omitempty"`
}

type grantDoc struct {
	Grantee    granteeDoc `json:"grantee"`
	Permission string     `json:"permission"`
}

type ownerDoc struct {
	ID          string `json:"id"`
	DisplayName string `json:"display_name"`
}

type aclDoc struct {
	Owner  ownerDoc   `json:"owner"`
	Grants []grantDoc `json:"grants"`
}

type versioningDoc struct {
	Status string `json:"status,omitempty"`
}

type expirationDoc struct {
	Days int32 `json:"days"`
}

type abortDoc struct {
	DaysAfterInitiation int32 `json:"days_after_initiation"`
}

type lifecycleRuleDoc struct {
	ID                             string         `json:"id"`
	Status                         string         `json:"status"`
	Prefix                         string         `json:"prefix"`
	Expiration                     *expirationDoc `json:"expiration,omitempty"`
	AbortIncompleteMultipartUpload *abortDoc      `json:"abort_incomplete_multipart_upload,omitempty"`
}

type corsRuleDoc struct {
	AllowedOrigins []string `json:"allowed_origins"`
	AllowedMethods []string `json:"allowed_methods"`
	AllowedHeaders []string `json:"allowed_headers"`
	MaxAgeSeconds  int32    `json:"max_age_seconds"`
}

// Policy read outcomes (spaceDoc.PolicyStatus).
const (
	policyPresent = "present"
	policyNone    = "none"
	policyUnread  = "unread"
)

// spaceDoc is a bucket's properties. A configuration the bucket does not
// have is explicit (no lifecycle rules: []; no CORS rules: []; no policy:
// policy null with policy_status "none"); a configuration that could not be
// read is absent (policy_status "unread" for the policy), so that a check
// reading it gives ERROR, never PASS, and the failure is a collection error.
type spaceDoc struct {
	Name           string             `json:"name"`
	Region         string             `json:"region"`
	CreationDate   string             `json:"creation_date"`
	Endpoint       string             `json:"endpoint"`
	ACL            *aclDoc            `json:"acl,omitempty"`
	Versioning     *versioningDoc     `json:"versioning,omitempty"`
	LifecycleRules []lifecycleRuleDoc `json:"lifecycle_rules,omitzero"`
	PolicyStatus   string             `json:"policy_status"`
	// Policy is *policyField so that "no policy" encodes as null and
	// "unread" is left out.
	Policy    *policyField  `json:"policy,omitempty"`
	CORSRules []corsRuleDoc `json:"cors_rules,omitzero"`
}

// policyField is the policy property: a normalised policy document, or
// JSON null when the bucket has none.
type policyField struct {
	doc map[string]any
}

// MarshalJSON implements json.Marshaler.
func (p *policyField) MarshalJSON() ([]byte, error) {
	if p.doc == nil {
		return []byte("null"), nil
	}
	return json.Marshal(p.doc)
}

// bucketRef is a bucket as ListBuckets names it: what a Spaces job needs
// to collect it.
type bucketRef struct {
	Name string `json:"name"`
	// Created is the bucket's creation date, RFC 3339 (empty when the
	// listing gave none).
	Created string `json:"created,omitempty"`
}

// spacesRegion is a Spaces region holding buckets, as planSpaces found it.
type spacesRegion struct {
	region  string
	buckets []bucketRef
}

// planSpaces lists the buckets of every Spaces region through the S3 API
// (at most Options.Concurrency regions at once) and returns the regions
// holding some, in Options.SpacesRegions order. A bucket name listed by
// more than one regional endpoint is kept once, in the first region that
// lists it. A region whose listing fails is a collection error; without a
// Spaces key nothing is listed and a collection error says so.
func (r *run) planSpaces(ctx context.Context) ([]spacesRegion, error) {
	var out []spacesRegion
	scope := collect.Scope{Provider: resource.DigitalOcean, Account: r.account, Region: resource.GlobalRegion, Service: spacesService}
	err := collect.Guard(ctx, r.sink, r.c.log, scope, func() error {
		if r.c.spaces == nil {
			return r.sink.Error(ctx, collect.Error{
				Provider: resource.DigitalOcean, Account: r.account, Region: resource.GlobalRegion, Service: spacesService,
				Op: "s3:ListBuckets", Kind: collect.Denied,
				Message: "no Spaces access key: set SPACES_ACCESS_KEY_ID and SPACES_SECRET_ACCESS_KEY to collect Spaces buckets",
			})
		}
		regions := r.c.opts.SpacesRegions
		lists := make([]*s3.ListBucketsOutput, len(regions))
		errs := make([]error, len(regions))
		var g errgroup.Group
		g.SetLimit(r.c.opts.Concurrency)
		for i, region := range regions {
			g.Go(func() error {
				lists[i], errs[i] = r.c.spaces(region).ListBuckets(ctx, &s3.ListBucketsInput{})
				return nil
			})
		}
		_ = g.Wait() // the listings report into lists and errs
		seen := map[string]bool{}
		for i, region := range regions {
			if errs[i] != nil {
				if err := r.fail(ctx, spacesService, region, "s3:ListBuckets", errs[i]); err != nil {
					return err
				}
				continue
			}
			sr := spacesRegion{region: region}
			for _, b := range lists[i].Buckets {
				name := aws.ToString(b.Name)
				if seen[name] {
					continue
				}
				seen[name] = true
				ref := bucketRef{Name: name}
				if b.CreationDate != nil {
					ref.Created = ts(*b.CreationDate)
				}
				sr.buckets = append(sr.buckets, ref)
			}
			if len(sr.buckets) > 0 {
				out = append(out, sr)
			}
		}
		return nil
	})
	return out, err
}

// collectSpacesRegion collects the buckets planSpaces found in one region,
// Options.Concurrency buckets at once.
func collectSpacesRegion(ctx context.Context, r *run, region string, buckets []bucketRef) error {
	if r.c.spaces == nil {
		// Only a worker can get here: the scan that planned the job had a
		// Spaces key, this process has none.
		return r.sink.Error(ctx, collect.Error{
			Provider: resource.DigitalOcean, Account: r.account, Region: region, Service: spacesService,
			Op: "s3:ListBuckets", Kind: collect.Denied,
			Message: "this worker has no Spaces access key: set SPACES_ACCESS_KEY_ID and SPACES_SECRET_ACCESS_KEY where it runs",
		})
	}
	cl := r.c.spaces(region)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(r.c.opts.Concurrency)
	for _, b := range buckets {
		g.Go(func() error {
			doc, err := r.space(gctx, cl, region, b.Name)
			if err != nil {
				return err
			}
			doc.CreationDate = b.Created
			uid := "do:space:" + region + ":" + b.Name
			return r.emit(gctx, "do_spaces_bucket", uid, region, b.Name, nil, doc.CreationDate, doc)
		})
	}
	return g.Wait()
}

// space reads one bucket's configuration. A failing call is recorded and
// leaves its field absent; a configuration that does not exist is explicit
// (see spaceDoc).
func (r *run) space(ctx context.Context, cl spacesAPI, region, name string) (spaceDoc, error) {
	doc := spaceDoc{Name: name, Region: region, Endpoint: name + "." + region + ".digitaloceanspaces.com"}
	in := aws.String(name)
	fail := func(op string, err error) error { return r.fail(ctx, "spaces", region, op+" "+name, err) }

	if acl, err := cl.GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: in}); err != nil {
		if err := fail("s3:GetBucketAcl", err); err != nil {
			return doc, err
		}
	} else {
		a := &aclDoc{Grants: []grantDoc{}}
		if acl.Owner != nil {
			a.Owner = ownerDoc{ID: aws.ToString(acl.Owner.ID), DisplayName: aws.ToString(acl.Owner.DisplayName)}
		}
		for _, g := range acl.Grants {
			gd := grantDoc{Permission: string(g.Permission)}
			if g.Grantee != nil {
				gd.Grantee = granteeDoc{Type: string(g.Grantee.Type), ID: aws.ToString(g.Grantee.ID), URI: aws.ToString(g.Grantee.URI)}
			}
			a.Grants = append(a.Grants, gd)
		}
		doc.ACL = a
	}

	if v, err := cl.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: in}); err != nil {
		if err := fail("s3:GetBucketVersioning", err); err != nil {
			return doc, err
		}
	} else {
		doc.Versioning = &versioningDoc{Status: string(v.Status)}
	}

	if lc, err := cl.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: in}); err != nil {
		if s3Code(err) == "NoSuchLifecycleConfiguration" {
			doc.LifecycleRules = []lifecycleRuleDoc{}
		} else if err := fail("s3:GetBucketLifecycleConfiguration", err); err != nil {
			return doc, err
		}
	} else {
		doc.LifecycleRules = []lifecycleRuleDoc{}
		for _, rule := range lc.Rules {
			doc.LifecycleRules = append(doc.LifecycleRules, lifecycleRuleOf(rule))
		}
	}

	doc.PolicyStatus = policyUnread
	if p, err := cl.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: in}); err != nil {
		if s3Code(err) == "NoSuchBucketPolicy" {
			doc.PolicyStatus, doc.Policy = policyNone, &policyField{}
		} else if err := fail("s3:GetBucketPolicy", err); err != nil {
			return doc, err
		}
	} else if pd, perr := parseBucketPolicy(aws.ToString(p.Policy)); perr != nil {
		if err := fail("s3:GetBucketPolicy", fmt.Errorf("decode the policy of bucket %s: %w", name, perr)); err != nil {
			return doc, err
		}
	} else {
		doc.PolicyStatus, doc.Policy = policyPresent, &policyField{doc: pd}
	}

	if c, err := cl.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: in}); err != nil {
		if s3Code(err) == "NoSuchCORSConfiguration" {
			doc.CORSRules = []corsRuleDoc{}
		} else if err := fail("s3:GetBucketCors", err); err != nil {
			return doc, err
		}
	} else {
		doc.CORSRules = []corsRuleDoc{}
		for _, cr := range c.CORSRules {
			doc.CORSRules = append(doc.CORSRules, corsRuleDoc{
				AllowedOrigins: nonNil(cr.AllowedOrigins), AllowedMethods: nonNil(cr.AllowedMethods),
				AllowedHeaders: nonNil(cr.AllowedHeaders), MaxAgeSeconds: aws.ToInt32(cr.MaxAgeSeconds),
			})
		}
	}
	return doc, nil
}

func lifecycleRuleOf(rule types.LifecycleRule) lifecycleRuleDoc {
	d := lifecycleRuleDoc{ID: aws.ToString(rule.ID), Status: string(rule.Status), Prefix: aws.ToString(rule.Prefix)}
	if d.Prefix == "" && rule.Filter != nil {
		d.Prefix = aws.ToString(rule.Filter.Prefix)
	}
	if rule.Expiration != nil && rule.Expiration.Days != nil {
		d.Expiration = &expirationDoc{Days: *rule.Expiration.Days}
	}
	if a := rule.AbortIncompleteMultipartUpload; a != nil && a.DaysAfterInitiation != nil {
		d.AbortIncompleteMultipartUpload = &abortDoc{DaysAfterInitiation: *a.DaysAfterInitiation}
	}
	return d
}
