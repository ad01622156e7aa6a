package aws

import (
	"context"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"golang.org/x/sync/errgroup"
)

// ec2RegionsAPI is the region discovery call.
type ec2RegionsAPI interface {
	DescribeRegions(ctx context.Context, in *ec2.DescribeRegionsInput, optFns ...func(*ec2.Options)) (*ec2.DescribeRegionsOutput, error)
}

// ec2API is every EC2 operation the collector calls.
type ec2API interface {
	ec2RegionsAPI
	DescribeInstances(ctx context.Context, in *ec2.DescribeInstancesInput, optFns ...func(*ec2.Options)) (*ec2.DescribeInstancesOutput, error)
	DescribeVolumes(ctx context.Context, in *ec2.DescribeVolumesInput, optFns ...func(*ec2.Options)) (*ec2.DescribeVolumesOutput, error)
	DescribeSecurityGroups(ctx context.Context, in *ec2.DescribeSecurityGroupsInput, optFns ...func(*ec2.Options)) (*ec2.DescribeSecurityGroupsOutput, error)
	DescribeVpcs(ctx context.Context, in *ec2.DescribeVpcsInput, optFns ...func(*ec2.Options)) (*ec2.DescribeVpcsOutput, error)
	DescribeFlowLogs(ctx context.Context, in *ec2.DescribeFlowLogsInput, optFns ...func(*ec2.Options)) (*ec2.DescribeFlowLogsOutput, error)
	DescribeNetworkAcls(ctx context.Context, in *ec2.DescribeNetworkAclsInput, optFns ...func(*ec2.Options)) (*ec2.DescribeNetworkAclsOutput, error)
	GetEbsEncryptionByDefault(ctx context.Context, in *ec2.GetEbsEncryptionByDefaultInput, optFns ...func(*ec2.Options)) (*ec2.GetEbsEncryptionByDefaultOutput, error)
	GetEbsDefaultKmsKeyId(ctx context.Context, in *ec2.GetEbsDefaultKmsKeyIdInput, optFns ...func(*ec2.Options)) (*ec2.GetEbsDefaultKmsKeyIdOutput, error)
	GetSnapshotBlockPublicAccessState(ctx context.Context, in *ec2.GetSnapshotBlockPublicAccessStateInput, optFns ...func(*ec2.Options)) (*ec2.GetSnapshotBlockPublicAccessStateOutput, error)
}

func ec2Tags(tags []ec2types.Tag) map[string]string {
	return tagMap(tags, func(t ec2types.Tag) (*string, *string) { return t.Key, t.Value })
}

func nameTag(tags map[string]string, fallback string) string {
	if n := tags["Name"]; n != "" {
		return n
	}
	return fallback
}

// collectEC2 emits the region's settings, instances, volumes, security
// groups and VPCs (with their flow logs). The regional settings resource is
// emitted even when some of its calls fail, since per-region checks hang
// off it.
func collectEC2(ctx context.Context, s *scope) error {
	var api ec2API = ec2.NewFromConfig(s.cfg(s.region))
	// The listings are independent: run them at once.
	g, gctx := errgroup.WithContext(ctx)
	for _, fn := range []func(context.Context, *scope, ec2API) error{
		collectRegionalSettings, collectInstances, collectVolumes, collectSecurityGroups, collectVPCs, collectNetworkACLs,
	} {
		g.Go(func() error { return fn(gctx, s, api) })
	}
	return g.Wait()
}

func collectRegionalSettings(ctx context.Context, s *scope, api ec2API) error {
	p := obj{"account_id": s.acct.id, "region": s.region}
	var mu sync.Mutex
	set := func(k string, v any) {
		mu.Lock()
		defer mu.Unlock()
		p[k] = v
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		out, err := api.GetEbsEncryptionByDefault(gctx, &ec2.GetEbsEncryptionByDefaultInput{})
		if err != nil {
			return s.fail(ctx, "ec2:GetEbsEncryptionByDefault", err)
		}
		set("ebs_encryption_by_default", deref(out.EbsEncryptionByDefault))
		return nil
	})
	g.Go(func() error {
		out, err := api.GetEbsDefaultKmsKeyId(gctx, &ec2.GetEbsDefaultKmsKeyIdInput{})
		if err != nil {
			return s.fail(ctx, "ec2:GetEbsDefaultKmsKeyId", err)
		}
		set("ebs_default_kms_key_id", aws.ToString(out.KmsKeyId))
		return nil
	})
	g.Go(func() error {
		out, err := api.GetSnapshotBlockPublicAccessState(gctx, &ec2.GetSnapshotBlockPublicAccessStateInput{})
		if err != nil {
			return s.fail(ctx, "ec2:GetSnapshotBlockPublicAccessState", err)
		}
		set("snapshot_block_public_access_state", string(out.State))
		return nil
	})
	if err := g.Wait(); err != nil {
		return err
	}
	uid := s.arn("ec2", s.region, "regional-settings")
	return s.emit(ctx, "aws_ec2_regional_settings", uid, s.acct.name+"/"+s.region, nil, time.Time{}, p)
}

func collectInstances(ctx context.Context, s *scope, api ec2API) error {
	pages := ec2.NewDescribeInstancesPaginator(api, &ec2.DescribeInstancesInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return s.fail(ctx, "ec2:DescribeInstances", err)
		}
		for _, res := range page.Reservations {
			for _, in := range res.Instances {
				if err := emitInstance(ctx, s, in); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func emitInstance(ctx context.Context, s *scope, in ec2types.Instance) error {
	id := aws.ToString(in.InstanceId)
	uid := s.arn("ec2", s.region, "instance/"+id)
	p := obj{
		"instance_id": id, "instance_type": string(in.InstanceType), "image_id": aws.ToString(in.ImageId),
		"vpc_id": aws.ToString(in.VpcId), "subnet_id": aws.ToString(in.SubnetId),
		"private_ip_address": aws.ToString(in.PrivateIpAddress), "platform_details": aws.ToString(in.PlatformDetails),
	}
	if in.State != nil {
		p["state"] = obj{"name": string(in.State.Name)}
	}
	setTS(p, "launch_time", in.LaunchTime)
	setStr(p, "public_ip_address", in.PublicIpAddress)
	if ip := in.IamInstanceProfile; ip != nil {
		p["iam_instance_profile"] = obj{"arn": aws.ToString(ip.Arn), "id": aws.ToString(ip.Id)}
	}
	if m := in.MetadataOptions; m != nil {
		p["metadata_options"] = obj{
			"http_tokens": string(m.HttpTokens), "http_endpoint": string(m.HttpEndpoint),
			"http_put_response_hop_limit": deref(m.HttpPutResponseHopLimit),
		}
	}
	bdm := []obj{}
	var volumes []string
	for _, b := range in.BlockDeviceMappings {
		m := obj{"device_name": aws.ToString(b.DeviceName)}
		if e := b.Ebs; e != nil {
			eb := obj{"volume_id": aws.ToString(e.VolumeId), "status": string(e.Status), "delete_on_termination": deref(e.DeleteOnTermination)}
			setTS(eb, "attach_time", e.AttachTime)
			m["ebs"] = eb
			volumes = append(volumes, aws.ToString(e.VolumeId))
		}
		bdm = append(bdm, m)
	}
	p["block_device_mappings"] = bdm
	sgs := []obj{}
	for _, g := range in.SecurityGroups {
		sgs = append(sgs, obj{"group_id": aws.ToString(g.GroupId), "group_name": aws.ToString(g.GroupName)})
	}
	p["security_groups"] = sgs
	if in.Monitoring != nil {
		p["monitoring"] = obj{"state": string(in.Monitoring.State)}
	}
	tags := ec2Tags(in.Tags)
	if err := s.emit(ctx, "aws_ec2_instance", uid, nameTag(tags, id), tags, timeOf(in.LaunchTime), p); err != nil {
		return err
	}
	for _, v := range volumes {
		if err := s.edge(ctx, uid, s.arn("ec2", s.region, "volume/"+v), "attached_volume"); err != nil {
			return err
		}
	}
	for _, g := range in.SecurityGroups {
		if err := s.edge(ctx, uid, s.arn("ec2", s.region, "security-group/"+aws.ToString(g.GroupId)), "uses_security_group"); err != nil {
			return err
		}
	}
	if ip := in.IamInstanceProfile; ip != nil {
		if err := s.edge(ctx, uid, aws.ToString(ip.Arn), "instance_profile"); err != nil {
			return err
		}
	}
	return nil
}

func collectVolumes(ctx context.Context, s *scope, api ec2API) error {
	pages := ec2.NewDescribeVolumesPaginator(api, &ec2.DescribeVolumesInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return s.fail(ctx, "ec2:DescribeVolumes", err)
		}
		for _, v := range page.Volumes {
			id := aws.ToString(v.VolumeId)
			uid := s.arn("ec2", s.region, "volume/"+id)
			p := obj{
				"volume_id": id, "size": deref(v.Size), "volume_type": string(v.VolumeType), "state": string(v.State),
				"encrypted": deref(v.Encrypted), "availability_zone": aws.ToString(v.AvailabilityZone),
				"snapshot_id": aws.ToString(v.SnapshotId), "iops": deref(v.Iops),
			}
			setStr(p, "kms_key_id", v.KmsKeyId)
			setTS(p, "create_time", v.CreateTime)
			att := []obj{}
			for _, a := range v.Attachments {
				att = append(att, obj{"instance_id": aws.ToString(a.InstanceId), "device": aws.ToString(a.Device), "state": string(a.State)})
			}
			p["attachments"] = att
			tags := ec2Tags(v.Tags)
			if err := s.emit(ctx, "aws_ebs_volume", uid, nameTag(tags, id), tags, timeOf(v.CreateTime), p); err != nil {
				return err
			}
			if err := s.edge(ctx, uid, aws.ToString(v.KmsKeyId), "encrypted_with"); err != nil {
				return err
			}
		}
	}
	return nil
}

func ipPerms(perms []ec2types.IpPermission) []obj {
	out := make([]obj, 0, len(perms))
	for _, p := range perms {
		m := obj{"ip_protocol": aws.ToString(p.IpProtocol)}
		if aws.ToString(p.IpProtocol) != "-1" {
			if p.FromPort != nil {
				m["from_port"] = *p.FromPort
			}
			if p.ToPort != nil {
				m["to_port"] = *p.ToPort
			}
		}
		v4 := []obj{}
		for _, r := range p.IpRanges {
			e := obj{"cidr_ip": aws.ToString(r.CidrIp)}
			setStr(e, "description", r.Description)
			v4 = append(v4, e)
		}
		v6 := []obj{}
		for _, r := range p.Ipv6Ranges {
			e := obj{"cidr_ipv6": aws.ToString(r.CidrIpv6)}
			setStr(e, "description", r.Description)
			v6 = append(v6, e)
		}
		pairs := []obj{}
		for _, g := range p.UserIdGroupPairs {
			pairs = append(pairs, obj{"group_id": aws.ToString(g.GroupId), "user_id": aws.ToString(g.UserId)})
		}
		pls := []obj{}
		for _, pl := range p.PrefixListIds {
			pls = append(pls, obj{"prefix_list_id": aws.ToString(pl.PrefixListId)})
		}
		m["ip_ranges"], m["ipv6_ranges"], m["user_id_group_pairs"], m["prefix_list_ids"] = v4, v6, pairs, pls
		out = append(out, m)
	}
	return out
}

func collectSecurityGroups(ctx context.Context, s *scope, api ec2API) error {
	pages := ec2.NewDescribeSecurityGroupsPaginator(api, &ec2.DescribeSecurityGroupsInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return s.fail(ctx, "ec2:DescribeSecurityGroups", err)
		}
		for _, g := range page.SecurityGroups {
			id := aws.ToString(g.GroupId)
			p := obj{
				"group_id": id, "group_name": aws.ToString(g.GroupName), "description": aws.ToString(g.Description),
				"vpc_id": aws.ToString(g.VpcId), "owner_id": aws.ToString(g.OwnerId),
				"ip_permissions": ipPerms(g.IpPermissions), "ip_permissions_egress": ipPerms(g.IpPermissionsEgress),
			}
			uid := s.arn("ec2", s.region, "security-group/"+id)
			if err := s.emit(ctx, "aws_ec2_security_group", uid, aws.ToString(g.GroupName), ec2Tags(g.Tags), time.Time{}, p); err != nil {
				return err
			}
		}
	}
	return nil
}

func collectVPCs(ctx context.Context, s *scope, api ec2API) error {
	// One DescribeFlowLogs listing for the region, joined by resource ID.
	flows := map[string][]obj{}
	fpages := ec2.NewDescribeFlowLogsPaginator(api, &ec2.DescribeFlowLogsInput{})
	flowsOK := true
	for fpages.HasMorePages() {
		page, err := fpages.NextPage(ctx)
		if err != nil {
			if ferr := s.fail(ctx, "ec2:DescribeFlowLogs", err); ferr != nil {
				return ferr
			}
			flowsOK = false
			break
		}
		for _, f := range page.FlowLogs {
			id := aws.ToString(f.ResourceId)
			flows[id] = append(flows[id], obj{
				"flow_log_id": aws.ToString(f.FlowLogId), "flow_log_status": aws.ToString(f.FlowLogStatus),
				"deliver_logs_status": aws.ToString(f.DeliverLogsStatus), "traffic_type": string(f.TrafficType),
				"log_destination_type": string(f.LogDestinationType), "log_destination": aws.ToString(f.LogDestination),
			})
		}
	}
	pages := ec2.NewDescribeVpcsPaginator(api, &ec2.DescribeVpcsInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return s.fail(ctx, "ec2:DescribeVpcs", err)
		}
		for _, v := range page.Vpcs {
			id := aws.ToString(v.VpcId)
			p := obj{
				"vpc_id": id, "cidr_block": aws.ToString(v.CidrBlock), "is_default": deref(v.IsDefault),
				"state": string(v.State), "instance_tenancy": string(v.InstanceTenancy), "dhcp_options_id": aws.ToString(v.DhcpOptionsId),
			}
			if flowsOK {
				fl := flows[id]
				if fl == nil {
					fl = []obj{}
				}
				p["flow_logs"] = fl
			}
			tags := ec2Tags(v.Tags)
			uid := s.arn("ec2", s.region, "vpc/"+id)
			if err := s.emit(ctx, "aws_vpc", uid, nameTag(tags, id), tags, time.Time{}, p); err != nil {
				return err
			}
		}
	}
	return nil
}

func collectNetworkACLs(ctx context.Context, s *scope, api ec2API) error {
	pages := ec2.NewDescribeNetworkAclsPaginator(api, &ec2.DescribeNetworkAclsInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return s.fail(ctx, "ec2:DescribeNetworkAcls", err)
		}
		for _, n := range page.NetworkAcls {
			id := aws.ToString(n.NetworkAclId)
			entries := make([]obj, 0, len(n.Entries))
			for _, e := range n.Entries {
				en := obj{"rule_number": deref(e.RuleNumber), "protocol": aws.ToString(e.Protocol),
					"rule_action": string(e.RuleAction), "egress": deref(e.Egress)}
				setStr(en, "cidr_block", e.CidrBlock)
				setStr(en, "ipv6_cidr_block", e.Ipv6CidrBlock)
				if e.PortRange != nil {
					en["port_range"] = obj{"from": deref(e.PortRange.From), "to": deref(e.PortRange.To)}
				}
				entries = append(entries, en)
			}
			assocs := make([]obj, 0, len(n.Associations))
			for _, a := range n.Associations {
				assocs = append(assocs, obj{"network_acl_association_id": aws.ToString(a.NetworkAclAssociationId),
					"subnet_id": aws.ToString(a.SubnetId)})
			}
			p := obj{"network_acl_id": id, "vpc_id": aws.ToString(n.VpcId), "is_default": deref(n.IsDefault),
				"owner_id": aws.ToString(n.OwnerId), "entries": entries, "associations": assocs}
			tags := ec2Tags(n.Tags)
			uid := s.arn("ec2", s.region, "network-acl/"+id)
			if err := s.emit(ctx, "aws_ec2_network_acl", uid, nameTag(tags, id), tags, time.Time{}, p); err != nil {
				return err
			}
		}
	}
	return nil
}
