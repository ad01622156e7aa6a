package aws

import (
	"context"
	"slices"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"golang.org/x/sync/errgroup"
)

// s3API is every S3 operation the collector calls.
type s3API interface {
	ListBuckets(ctx context.Context, in *s3.ListBucketsInput, optFns ...func(*s3.Options)) (*s3.ListBucketsOutput, error)
	GetBucketLocation(ctx context.Context, in *s3.GetBucketLocationInput, optFns ...func(*s3.Options)) (*s3.GetBucketLocationOutput, error)
	GetPublicAccessBlock(ctx context.Context, in *s3.GetPublicAccessBlockInput, optFns ...func(*s3.Options)) (*s3.GetPublicAccessBlockOutput, error)
	GetBucketPolicy(ctx context.Context, in *s3.GetBucketPolicyInput, optFns ...func(*s3.Options)) (*s3.GetBucketPolicyOutput, error)
	GetBucketPolicyStatus(ctx context.Context, in *s3.GetBucketPolicyStatusInput, optFns ...func(*s3.Options)) (*s3.GetBucketPolicyStatusOutput, error)
	GetBucketAcl(ctx context.Context, in *s3.GetBucketAclInput, optFns ...func(*s3.Options)) (*s3.GetBucketAclOutput, error)
	GetBucketEncryption(ctx context.Context, in *s3.GetBucketEncryptionInput, optFns ...func(*s3.Options)) (*s3.GetBucketEncryptionOutput, error)
	GetBucketVersioning(ctx context.Context, in *s3.GetBucketVersioningInput, optFns ...func(*s3.Options)) (*s3.GetBucketVersioningOutput, error)
	GetBucketLogging(ctx context.Context, in *s3.GetBucketLoggingInput, optFns ...func(*s3.Options)) (*s3.GetBucketLoggingOutput, error)
	GetBucketTagging(ctx context.Context, in *s3.GetBucketTaggingInput, optFns ...func(*s3.Options)) (*s3.GetBucketTaggingOutput, error)
	GetObjectLockConfiguration(ctx context.Context, in *s3.GetObjectLockConfigurationInput, optFns ...func(*s3.Options)) (*s3.GetObjectLockConfigurationOutput, error)
}

// s3Clients builds one S3 client per region, on demand.
type s3Clients struct {
	s  *scope
	mu sync.Mutex
	m  map[string]s3API
}

func (c *s3Clients) get(region string) s3API {
	c.mu.Lock()
	defer c.mu.Unlock()
	if api, ok := c.m[region]; ok {
		return api
	}
	api := s3.NewFromConfig(c.s.cfg(region), func(o *s3.Options) { o.UsePathStyle = c.s.c.pathStyle() })
	c.m[region] = api
	return api
}

// collectS3 lists the buckets once and reads each bucket's settings from
// its own region. Buckets in regions outside the scan are skipped.
func collectS3(ctx context.Context, s *scope) error {
	clients := &s3Clients{s: s, m: map[string]s3API{}}
	home := clients.get(s.acct.cfg.Region)
	var buckets []s3types.Bucket
	pages := s3.NewListBucketsPaginator(home, &s3.ListBucketsInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return s.fail(ctx, "s3:ListAllMyBuckets", err)
		}
		buckets = append(buckets, page.Buckets...)
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(s.c.opts.DetailConcurrency)
	for _, b := range buckets {
		g.Go(func() error {
			region := aws.ToString(b.BucketRegion)
			if region == "" {
				out, err := home.GetBucketLocation(gctx, &s3.GetBucketLocationInput{Bucket: b.Name})
				if err != nil {
					return s.fail(gctx, "s3:GetBucketLocation", err)
				}
				region = string(out.LocationConstraint)
				switch region {
				case "":
					region = "us-east-1"
				case "EU":
					region = "eu-west-1"
				}
			}
			if len(s.regions) > 0 && !slices.Contains(s.regions, region) {
				s.c.log.Debug("aws: bucket outside the scanned regions", "bucket", aws.ToString(b.Name), "region", region)
				return nil
			}
			return collectBucket(gctx, s, clients.get(region), b, region)
		})
	}
	return g.Wait()
}

func collectBucket(ctx context.Context, s *scope, api s3API, b s3types.Bucket, region string) error {
	name := aws.ToString(b.Name)
	arn := "arn:" + s.acct.partition + ":s3:::" + name
	p := obj{"name": name, "arn": arn, "region": region}
	setTS(p, "creation_date", b.CreationDate)
	fail := func(op string, err error) error { return s.failIn(ctx, region, op, err) }

	// The bucket's settings are independent reads: run them at once.
	var (
		mu     sync.Mutex
		keyARN string
		tags   map[string]string
	)
	set := func(k string, v any) {
		mu.Lock()
		defer mu.Unlock()
		p[k] = v
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		pab, err := api.GetPublicAccessBlock(gctx, &s3.GetPublicAccessBlockInput{Bucket: b.Name})
		switch {
		case isCode(err, "NoSuchPublicAccessBlockConfiguration"):
			set("public_access_block", pabDoc(nil, nil, nil, nil))
		case err != nil:
			if ferr := fail("s3:GetBucketPublicAccessBlock", err); ferr != nil {
				return ferr
			}
		default:
			c := pab.PublicAccessBlockConfiguration
			if c == nil {
				c = &s3types.PublicAccessBlockConfiguration{}
			}
			set("public_access_block", pabDoc(c.BlockPublicAcls, c.IgnorePublicAcls, c.BlockPublicPolicy, c.RestrictPublicBuckets))
		}
		return nil
	})

	g.Go(func() error {
		pol, err := api.GetBucketPolicy(gctx, &s3.GetBucketPolicyInput{Bucket: b.Name})
		switch {
		case isCode(err, "NoSuchBucketPolicy"):
		case err != nil:
			if ferr := fail("s3:GetBucketPolicy", err); ferr != nil {
				return ferr
			}
		case pol.Policy != nil:
			doc, err := parsePolicy(*pol.Policy)
			if err != nil {
				if ferr := fail("s3:GetBucketPolicy", err); ferr != nil {
					return ferr
				}
			} else {
				set("policy", doc)
			}
		}
		return nil
	})

	g.Go(func() error {
		st, err := api.GetBucketPolicyStatus(gctx, &s3.GetBucketPolicyStatusInput{Bucket: b.Name})
		switch {
		case isCode(err, "NoSuchBucketPolicy"):
			set("policy_status", obj{"is_public": false})
		case err != nil:
			if ferr := fail("s3:GetBucketPolicyStatus", err); ferr != nil {
				return ferr
			}
		default:
			pub := false
			if st.PolicyStatus != nil {
				pub = deref(st.PolicyStatus.IsPublic)
			}
			set("policy_status", obj{"is_public": pub})
		}
		return nil
	})

	g.Go(func() error {
		acl, err := api.GetBucketAcl(gctx, &s3.GetBucketAclInput{Bucket: b.Name})
		if err != nil {
			if ferr := fail("s3:GetBucketAcl", err); ferr != nil {
				return ferr
			}
		} else {
			owner := obj{}
			if acl.Owner != nil {
				owner["id"] = aws.ToString(acl.Owner.ID)
				setStr(owner, "display_name", acl.Owner.DisplayName)
			}
			grants := []obj{}
			for _, g := range acl.Grants {
				ge := obj{}
				if g.Grantee != nil {
					ge["type"] = string(g.Grantee.Type)
					setStr(ge, "id", g.Grantee.ID)
					setStr(ge, "uri", g.Grantee.URI)
				}
				grants = append(grants, obj{"grantee": ge, "permission": string(g.Permission)})
			}
			set("acl", obj{"owner": owner, "grants": grants})
		}
		return nil
	})

	g.Go(func() error {
		enc, err := api.GetBucketEncryption(gctx, &s3.GetBucketEncryptionInput{Bucket: b.Name})
		switch {
		case isCode(err, "ServerSideEncryptionConfigurationNotFoundError"):
			set("server_side_encryption_configuration", obj{"rules": []obj{}})
		case err != nil:
			if ferr := fail("s3:GetEncryptionConfiguration", err); ferr != nil {
				return ferr
			}
		default:
			rules := []obj{}
			if enc.ServerSideEncryptionConfiguration != nil {
				for _, r := range enc.ServerSideEncryptionConfiguration.Rules {
					def := obj{}
					if d := r.ApplyServerSideEncryptionByDefault; d != nil {
						def["sse_algorithm"] = string(d.SSEAlgorithm)
						setStr(def, "kms_master_key_id", d.KMSMasterKeyID)
						if keyARN == "" {
							keyARN = aws.ToString(d.KMSMasterKeyID)
						}
					}
					rules = append(rules, obj{"apply_server_side_encryption_by_default": def, "bucket_key_enabled": deref(r.BucketKeyEnabled)})
				}
			}
			set("server_side_encryption_configuration", obj{"rules": rules})
		}
		return nil
	})

	g.Go(func() error {
		ver, err := api.GetBucketVersioning(gctx, &s3.GetBucketVersioningInput{Bucket: b.Name})
		if err != nil {
			if ferr := fail("s3:GetBucketVersioning", err); ferr != nil {
				return ferr
			}
		} else {
			set("versioning", obj{"status": string(ver.Status), "mfa_delete": string(ver.MFADelete)})
		}
		return nil
	})

	g.Go(func() error {
		lg, err := api.GetBucketLogging(gctx, &s3.GetBucketLoggingInput{Bucket: b.Name})
		if err != nil {
			if ferr := fail("s3:GetBucketLogging", err); ferr != nil {
				return ferr
			}
		} else if le := lg.LoggingEnabled; le != nil {
			set("logging", obj{"target_bucket": aws.ToString(le.TargetBucket), "target_prefix": aws.ToString(le.TargetPrefix)})
		}
		return nil
	})

	g.Go(func() error {
		tg, err := api.GetBucketTagging(gctx, &s3.GetBucketTaggingInput{Bucket: b.Name})
		switch {
		case isCode(err, "NoSuchTagSet"):
		case err != nil:
			if ferr := fail("s3:GetBucketTagging", err); ferr != nil {
				return ferr
			}
		default:
			tags = tagMap(tg.TagSet, func(t s3types.Tag) (*string, *string) { return t.Key, t.Value })
		}
		return nil
	})

	g.Go(func() error {
		lock, err := api.GetObjectLockConfiguration(gctx, &s3.GetObjectLockConfigurationInput{Bucket: b.Name})
		switch {
		case isCode(err, "ObjectLockConfigurationNotFoundError"):
			set("object_lock_enabled", false)
		case err != nil:
			if ferr := fail("s3:GetBucketObjectLockConfiguration", err); ferr != nil {
				return ferr
			}
		default:
			set("object_lock_enabled", lock.ObjectLockConfiguration != nil &&
				lock.ObjectLockConfiguration.ObjectLockEnabled == s3types.ObjectLockEnabledEnabled)
		}
		return nil
	})

	if err := g.Wait(); err != nil {
		return err
	}

	if err := s.emitIn(ctx, region, "aws_s3_bucket", arn, name, tags, timeOf(b.CreationDate), p); err != nil {
		return err
	}
	if keyARN != "" && keyARN != "aws/s3" && keyARN != "alias/aws/s3" {
		return s.edge(ctx, arn, keyARN, "encrypted_with")
	}
	return nil
}
