package aws

import (
	"context"
	"math"
	"regexp"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"golang.org/x/sync/errgroup"
)

// lambdaAPI is every Lambda operation the collector calls.
type lambdaAPI interface {
	ListFunctions(ctx context.Context, in *lambda.ListFunctionsInput, optFns ...func(*lambda.Options)) (*lambda.ListFunctionsOutput, error)
	GetFunctionUrlConfig(ctx context.Context, in *lambda.GetFunctionUrlConfigInput, optFns ...func(*lambda.Options)) (*lambda.GetFunctionUrlConfigOutput, error)
	GetPolicy(ctx context.Context, in *lambda.GetPolicyInput, optFns ...func(*lambda.Options)) (*lambda.GetPolicyOutput, error)
	ListTags(ctx context.Context, in *lambda.ListTagsInput, optFns ...func(*lambda.Options)) (*lambda.ListTagsOutput, error)
}

// collectLambda emits the region's functions. Environment variable values
// never leave this function: only names and a looks_like_secret flag.
func collectLambda(ctx context.Context, s *scope) error {
	var api lambdaAPI = lambda.NewFromConfig(s.cfg(s.region))
	var fns []lambdatypes.FunctionConfiguration
	pages := lambda.NewListFunctionsPaginator(api, &lambda.ListFunctionsInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return s.fail(ctx, "lambda:ListFunctions", err)
		}
		fns = append(fns, page.Functions...)
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(s.c.opts.DetailConcurrency)
	for _, f := range fns {
		g.Go(func() error { return collectFunction(gctx, s, api, f) })
	}
	return g.Wait()
}

func collectFunction(ctx context.Context, s *scope, api lambdaAPI, f lambdatypes.FunctionConfiguration) error {
	arn := aws.ToString(f.FunctionArn)
	p := obj{
		"function_name": aws.ToString(f.FunctionName), "function_arn": arn, "runtime": string(f.Runtime),
		"package_type": string(f.PackageType), "role": aws.ToString(f.Role), "handler": aws.ToString(f.Handler),
		"code_size": f.CodeSize, "memory_size": deref(f.MemorySize), "timeout": deref(f.Timeout),
		"architectures": enumStrs(f.Architectures),
	}
	if t, err := time.Parse("2006-01-02T15:04:05.000-0700", aws.ToString(f.LastModified)); err == nil {
		p["last_modified"] = t.UTC().Format(time.RFC3339)
	}
	vars := []obj{}
	if f.Environment != nil {
		for _, k := range sortedKeys(f.Environment.Variables) {
			vars = append(vars, obj{"name": k, "looks_like_secret": looksLikeSecret(k, f.Environment.Variables[k])})
		}
	}
	p["environment"] = obj{"variables": vars}
	vpc := obj{"subnet_ids": []string{}, "security_group_ids": []string{}}
	if v := f.VpcConfig; v != nil {
		vpc = obj{"subnet_ids": strs(v.SubnetIds), "security_group_ids": strs(v.SecurityGroupIds)}
	}
	p["vpc_config"] = vpc
	if f.TracingConfig != nil {
		p["tracing_config"] = obj{"mode": string(f.TracingConfig.Mode)}
	}
	url, err := api.GetFunctionUrlConfig(ctx, &lambda.GetFunctionUrlConfigInput{FunctionName: f.FunctionArn})
	switch {
	case isCode(err, "ResourceNotFoundException"):
	case err != nil:
		if ferr := s.fail(ctx, "lambda:GetFunctionUrlConfig", err); ferr != nil {
			return ferr
		}
	default:
		p["function_url_config"] = obj{"function_url": aws.ToString(url.FunctionUrl), "auth_type": string(url.AuthType)}
	}
	// The resource-based policy: who may invoke or manage the function.
	pol, err := api.GetPolicy(ctx, &lambda.GetPolicyInput{FunctionName: f.FunctionArn})
	switch {
	case isCode(err, "ResourceNotFoundException"):
		p["policy"] = nil
	case err != nil:
		if ferr := s.fail(ctx, "lambda:GetPolicy", err); ferr != nil {
			return ferr
		}
	default:
		if err := setResourcePolicy(ctx, s, p, "policy", "lambda:GetPolicy", aws.ToString(pol.Policy)); err != nil {
			return err
		}
	}
	var tags map[string]string
	tg, err := api.ListTags(ctx, &lambda.ListTagsInput{Resource: f.FunctionArn})
	if err != nil {
		if ferr := s.fail(ctx, "lambda:ListTags", err); ferr != nil {
			return ferr
		}
	} else if len(tg.Tags) > 0 {
		tags = tg.Tags
	}
	if err := s.emit(ctx, "aws_lambda_function", arn, aws.ToString(f.FunctionName), tags, time.Time{}, p); err != nil {
		return err
	}
	return s.edge(ctx, arn, aws.ToString(f.Role), "execution_role")
}

var (
	secretName  = regexp.MustCompile(`(?i)(secret|passw(or)?d|pwd|token|api_?key|private_?key|access_?key|credential|auth)`)
	secretValue = regexp.MustCompile(`^(AKIA|ASIA)[A-Z0-9]{16}$|^sk_(live|test)_|^xox[bpa]-|^gh[pousr]_[A-Za-z0-9]{20,}|-----BEGIN [A-Z ]*PRIVATE KEY-----`)
)

// looksLikeSecret reports whether an environment variable looks like a
// credential, by its name, a known token shape, or a long high-entropy
// value.
func looksLikeSecret(name, value string) bool {
	if secretName.MatchString(name) || secretValue.MatchString(value) {
		return true
	}
	return len(value) >= 24 && !strings.ContainsAny(value, " /:.") && entropy(value) >= 4.0
}

// entropy is the Shannon entropy of s in bits per character.
func entropy(s string) float64 {
	counts := map[rune]float64{}
	for _, r := range s {
		counts[r]++
	}
	n := float64(len([]rune(s)))
	var h float64
	for _, c := range counts {
		p := c / n
		h -= p * math.Log2(p)
	}
	return h
}
