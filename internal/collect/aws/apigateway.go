package aws

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	agtypes "github.com/aws/aws-sdk-go-v2/service/apigateway/types"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	ag2types "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
)

// apiGatewayAPI is every API Gateway (REST APIs, v1) operation the
// collector calls.
type apiGatewayAPI interface {
	GetRestApis(ctx context.Context, in *apigateway.GetRestApisInput, optFns ...func(*apigateway.Options)) (*apigateway.GetRestApisOutput, error)
	GetStages(ctx context.Context, in *apigateway.GetStagesInput, optFns ...func(*apigateway.Options)) (*apigateway.GetStagesOutput, error)
}

// apiGatewayV2API is every API Gateway v2 (HTTP and WebSocket APIs)
// operation the collector calls.
type apiGatewayV2API interface {
	GetApis(ctx context.Context, in *apigatewayv2.GetApisInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.GetApisOutput, error)
	GetStages(ctx context.Context, in *apigatewayv2.GetStagesInput, optFns ...func(*apigatewayv2.Options)) (*apigatewayv2.GetStagesOutput, error)
}

// collectAPIGateway emits the stages of the region's REST, HTTP and
// WebSocket APIs: one listing per API family, one stage listing per API
// (stages carry their tags).
func collectAPIGateway(ctx context.Context, s *scope) error {
	cfg := s.cfg(s.region)
	var v1 apiGatewayAPI = apigateway.NewFromConfig(cfg)
	var v2 apiGatewayV2API = apigatewayv2.NewFromConfig(cfg)
	if err := collectRestAPIs(ctx, s, v1); err != nil {
		return err
	}
	return collectV2APIs(ctx, s, v2)
}

func collectRestAPIs(ctx context.Context, s *scope, api apiGatewayAPI) error {
	pages := apigateway.NewGetRestApisPaginator(api, &apigateway.GetRestApisInput{Limit: aws.Int32(500)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return s.fail(ctx, "apigateway:GetRestApis", err)
		}
		for _, ra := range page.Items {
			out, err := api.GetStages(ctx, &apigateway.GetStagesInput{RestApiId: ra.Id})
			if err != nil {
				if ferr := s.fail(ctx, "apigateway:GetStages", err); ferr != nil {
					return ferr
				}
				continue
			}
			for _, st := range out.Item {
				if err := emitRestStage(ctx, s, ra, st); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func emitRestStage(ctx context.Context, s *scope, ra agtypes.RestApi, st agtypes.Stage) error {
	id, name := aws.ToString(ra.Id), aws.ToString(st.StageName)
	uid := "arn:" + s.acct.partition + ":apigateway:" + s.region + "::/restapis/" + id + "/stages/" + name
	p := obj{
		"api_id": id, "api_name": aws.ToString(ra.Name), "api_type": "REST", "stage_name": name,
		"deployment_id": aws.ToString(st.DeploymentId), "tracing_enabled": st.TracingEnabled,
		"cache_cluster_enabled": st.CacheClusterEnabled,
	}
	endpoint := []string{}
	if ra.EndpointConfiguration != nil {
		endpoint = enumStrs(ra.EndpointConfiguration.Types)
	}
	p["endpoint_types"] = endpoint
	setTS(p, "created_date", st.CreatedDate)
	setTS(p, "last_updated_date", st.LastUpdatedDate)
	setStr(p, "web_acl_arn", st.WebAclArn)
	setStr(p, "client_certificate_id", st.ClientCertificateId)
	if a := st.AccessLogSettings; a != nil && aws.ToString(a.DestinationArn) != "" {
		p["access_log_settings"] = obj{"destination_arn": aws.ToString(a.DestinationArn), "format": aws.ToString(a.Format)}
	}
	level := "OFF"
	if ms, ok := st.MethodSettings["*/*"]; ok && aws.ToString(ms.LoggingLevel) != "" {
		level = aws.ToString(ms.LoggingLevel)
	}
	p["default_logging_level"] = level
	return emitStage(ctx, s, uid, id+"/"+name, st.Tags, st.CreatedDate, p)
}

func collectV2APIs(ctx context.Context, s *scope, api apiGatewayV2API) error {
	in := &apigatewayv2.GetApisInput{MaxResults: aws.String("500")}
	for {
		page, err := api.GetApis(ctx, in)
		if err != nil {
			return s.fail(ctx, "apigateway:GetApis", err)
		}
		for _, a := range page.Items {
			sin := &apigatewayv2.GetStagesInput{ApiId: a.ApiId, MaxResults: aws.String("500")}
			for {
				out, err := api.GetStages(ctx, sin)
				if err != nil {
					if ferr := s.fail(ctx, "apigateway:GetStages", err); ferr != nil {
						return ferr
					}
					break
				}
				for _, st := range out.Items {
					if err := emitV2Stage(ctx, s, a, st); err != nil {
						return err
					}
				}
				if aws.ToString(out.NextToken) == "" {
					break
				}
				sin.NextToken = out.NextToken
			}
		}
		if aws.ToString(page.NextToken) == "" {
			return nil
		}
		in.NextToken = page.NextToken
	}
}

func emitV2Stage(ctx context.Context, s *scope, a ag2types.Api, st ag2types.Stage) error {
	id, name := aws.ToString(a.ApiId), aws.ToString(st.StageName)
	uid := "arn:" + s.acct.partition + ":apigateway:" + s.region + "::/apis/" + id + "/stages/" + name
	p := obj{
		"api_id": id, "api_name": aws.ToString(a.Name), "api_type": string(a.ProtocolType), "stage_name": name,
		"endpoint_types": []string{"REGIONAL"},
	}
	setTS(p, "created_date", st.CreatedDate)
	setTS(p, "last_updated_date", st.LastUpdatedDate)
	setStr(p, "client_certificate_id", st.ClientCertificateId)
	setStr(p, "deployment_id", st.DeploymentId)
	if al := st.AccessLogSettings; al != nil && aws.ToString(al.DestinationArn) != "" {
		p["access_log_settings"] = obj{"destination_arn": aws.ToString(al.DestinationArn), "format": aws.ToString(al.Format)}
	}
	level := "OFF"
	if rs := st.DefaultRouteSettings; rs != nil && rs.LoggingLevel != "" {
		level = string(rs.LoggingLevel)
	}
	p["default_logging_level"] = level
	return emitStage(ctx, s, uid, aws.ToString(a.Name)+"/"+name, st.Tags, st.CreatedDate, p)
}

func emitStage(ctx context.Context, s *scope, uid, name string, tags map[string]string, created *time.Time, p obj) error {
	if err := s.emit(ctx, "aws_apigateway_stage", uid, name, tags, timeOf(created), p); err != nil {
		return err
	}
	if al, ok := p["access_log_settings"].(obj); ok {
		return s.edge(ctx, uid, al["destination_arn"].(string), "logs_to")
	}
	return nil
}
