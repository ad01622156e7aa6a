package aws

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/configservice"
)

// configAPI is every AWS Config operation the collector calls.
type configAPI interface {
	DescribeConfigurationRecorders(ctx context.Context, in *configservice.DescribeConfigurationRecordersInput, optFns ...func(*configservice.Options)) (*configservice.DescribeConfigurationRecordersOutput, error)
	DescribeConfigurationRecorderStatus(ctx context.Context, in *configservice.DescribeConfigurationRecorderStatusInput, optFns ...func(*configservice.Options)) (*configservice.DescribeConfigurationRecorderStatusOutput, error)
}

// collectConfig emits the region's configuration recorders with status.
func collectConfig(ctx context.Context, s *scope) error {
	var api configAPI = configservice.NewFromConfig(s.cfg(s.region))
	recs, err := api.DescribeConfigurationRecorders(ctx, &configservice.DescribeConfigurationRecordersInput{})
	if err != nil {
		return s.fail(ctx, "config:DescribeConfigurationRecorders", err)
	}
	if len(recs.ConfigurationRecorders) == 0 {
		return nil
	}
	status := map[string]obj{}
	st, err := api.DescribeConfigurationRecorderStatus(ctx, &configservice.DescribeConfigurationRecorderStatusInput{})
	if err != nil {
		if ferr := s.fail(ctx, "config:DescribeConfigurationRecorderStatus", err); ferr != nil {
			return ferr
		}
	} else {
		for _, r := range st.ConfigurationRecordersStatus {
			o := obj{"recording": r.Recording, "last_status": string(r.LastStatus)}
			setTS(o, "last_start_time", r.LastStartTime)
			status[aws.ToString(r.Name)] = o
		}
	}
	for _, r := range recs.ConfigurationRecorders {
		name := aws.ToString(r.Name)
		p := obj{"name": name, "role_arn": aws.ToString(r.RoleARN)}
		if g := r.RecordingGroup; g != nil {
			p["recording_group"] = obj{
				"all_supported": g.AllSupported, "include_global_resource_types": g.IncludeGlobalResourceTypes,
				"resource_types": enumStrs(g.ResourceTypes),
			}
		}
		if o, ok := status[name]; ok {
			p["status"] = o
		}
		uid := aws.ToString(r.Arn)
		if uid == "" {
			uid = s.arn("config", s.region, "configuration-recorder/"+name)
		}
		if err := s.emit(ctx, "aws_config_configuration_recorder", uid, name, nil, time.Time{}, p); err != nil {
			return err
		}
	}
	return nil
}
