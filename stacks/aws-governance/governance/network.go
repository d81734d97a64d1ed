package governance

import (
	"encoding/binary"
	"fmt"
	"net"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// network is where the SageMaker domain runs: private subnets with no route
// to the internet, reaching AWS APIs through VPC endpoints.
type network struct {
	VpcID            pulumi.StringInput
	SubnetIDs        pulumi.StringArray
	SecurityGroupIDs pulumi.StringArray
}

// interfaceEndpoints are the AWS APIs a VpcOnly SageMaker domain calls.
var interfaceEndpoints = []string{"sagemaker.api", "sagemaker.runtime", "sts", "logs"}

func newNetwork(ctx *pulumi.Context, cfg *Config, b *buckets, opts []pulumi.ResourceOption) (*network, error) {
	if cfg.VpcID != "" {
		return &network{
			VpcID:            pulumi.String(cfg.VpcID),
			SubnetIDs:        pulumi.ToStringArray(cfg.SubnetIDs),
			SecurityGroupIDs: pulumi.ToStringArray(cfg.SecurityGroupIDs),
		}, nil
	}
	vpc, err := ec2.NewVpc(ctx, "ml", &ec2.VpcArgs{
		CidrBlock:          pulumi.String(cfg.VpcCidr),
		EnableDnsHostnames: pulumi.Bool(true), // private DNS of the interface endpoints
		EnableDnsSupport:   pulumi.Bool(true),
	}, opts...)
	if err != nil {
		return nil, err
	}
	child := append([]pulumi.ResourceOption{pulumi.Parent(vpc)}, opts...)
	// The default security group allows nothing.
	if _, err := ec2.NewDefaultSecurityGroup(ctx, "ml-default", &ec2.DefaultSecurityGroupArgs{VpcId: vpc.ID()}, child...); err != nil {
		return nil, err
	}
	if _, err := ec2.NewFlowLog(ctx, "ml", &ec2.FlowLogArgs{
		VpcId:              vpc.ID(),
		TrafficType:        pulumi.String("ALL"),
		LogDestinationType: pulumi.String("s3"),
		LogDestination:     pulumi.Sprintf("%s/%s/", b.AccessLogs.Arn, flowLogPrefix),
	}, child...); err != nil {
		return nil, err
	}
	routes, err := ec2.NewRouteTable(ctx, "ml-private", &ec2.RouteTableArgs{VpcId: vpc.ID()}, child...)
	if err != nil {
		return nil, err
	}
	cidrs, err := subnetCIDRs(cfg.VpcCidr, len(cfg.AvailabilityZones))
	if err != nil {
		return nil, err
	}
	n := &network{VpcID: vpc.ID()}
	for i, zone := range cfg.AvailabilityZones {
		subnet, err := ec2.NewSubnet(ctx, fmt.Sprintf("ml-private-%s", zone), &ec2.SubnetArgs{
			VpcId:               vpc.ID(),
			CidrBlock:           pulumi.String(cidrs[i]),
			AvailabilityZone:    pulumi.String(zone),
			MapPublicIpOnLaunch: pulumi.Bool(false),
		}, child...)
		if err != nil {
			return nil, err
		}
		if _, err := ec2.NewRouteTableAssociation(ctx, fmt.Sprintf("ml-private-%s", zone), &ec2.RouteTableAssociationArgs{
			SubnetId: subnet.ID(), RouteTableId: routes.ID(),
		}, child...); err != nil {
			return nil, err
		}
		n.SubnetIDs = append(n.SubnetIDs, subnet.ID())
	}
	s3Endpoint, err := ec2.NewVpcEndpoint(ctx, "s3", &ec2.VpcEndpointArgs{
		VpcId:           vpc.ID(),
		ServiceName:     pulumi.String("com.amazonaws." + cfg.Region + ".s3"),
		VpcEndpointType: pulumi.String("Gateway"),
		RouteTableIds:   pulumi.StringArray{routes.ID()},
	}, child...)
	if err != nil {
		return nil, err
	}
	sg, err := ec2.NewSecurityGroup(ctx, "sagemaker", &ec2.SecurityGroupArgs{
		VpcId:       vpc.ID(),
		Description: pulumi.String("SageMaker domain apps and the VPC endpoints they call"),
	}, child...)
	if err != nil {
		return nil, err
	}
	sgOpts := append([]pulumi.ResourceOption{pulumi.Parent(sg)}, opts...)
	for _, r := range []struct {
		name string
		args *ec2.SecurityGroupRuleArgs
	}{
		// Studio apps talk to each other and to the domain's EFS volume.
		{"self-ingress", &ec2.SecurityGroupRuleArgs{Type: pulumi.String("ingress"), Protocol: pulumi.String("-1"), FromPort: pulumi.Int(0), ToPort: pulumi.Int(0), Self: pulumi.Bool(true), Description: pulumi.String("between apps of the domain")}},
		{"self-egress", &ec2.SecurityGroupRuleArgs{Type: pulumi.String("egress"), Protocol: pulumi.String("-1"), FromPort: pulumi.Int(0), ToPort: pulumi.Int(0), Self: pulumi.Bool(true), Description: pulumi.String("between apps of the domain")}},
		{"https-vpc", &ec2.SecurityGroupRuleArgs{Type: pulumi.String("egress"), Protocol: pulumi.String("tcp"), FromPort: pulumi.Int(443), ToPort: pulumi.Int(443), CidrBlocks: pulumi.StringArray{pulumi.String(cfg.VpcCidr)}, Description: pulumi.String("interface endpoints")}},
		{"https-s3", &ec2.SecurityGroupRuleArgs{Type: pulumi.String("egress"), Protocol: pulumi.String("tcp"), FromPort: pulumi.Int(443), ToPort: pulumi.Int(443), PrefixListIds: pulumi.StringArray{s3Endpoint.PrefixListId}, Description: pulumi.String("S3 through the gateway endpoint")}},
	} {
		r.args.SecurityGroupId = sg.ID()
		if _, err := ec2.NewSecurityGroupRule(ctx, "sagemaker-"+r.name, r.args, sgOpts...); err != nil {
			return nil, err
		}
	}
	n.SecurityGroupIDs = pulumi.StringArray{sg.ID()}
	for _, service := range interfaceEndpoints {
		if _, err := ec2.NewVpcEndpoint(ctx, service, &ec2.VpcEndpointArgs{
			VpcId:             vpc.ID(),
			ServiceName:       pulumi.String("com.amazonaws." + cfg.Region + "." + service),
			VpcEndpointType:   pulumi.String("Interface"),
			PrivateDnsEnabled: pulumi.Bool(true),
			SubnetIds:         n.SubnetIDs,
			SecurityGroupIds:  n.SecurityGroupIDs,
		}, child...); err != nil {
			return nil, err
		}
	}
	return n, nil
}

// flowLogPrefix is where VPC flow logs land in the access-log bucket.
const flowLogPrefix = "vpc-flow-logs"

// subnetCIDRs splits a VPC block into quarters and returns the first count.
func subnetCIDRs(vpcCidr string, count int) ([]string, error) {
	_, block, err := net.ParseCIDR(vpcCidr)
	if err != nil || block.IP.To4() == nil {
		return nil, fmt.Errorf("vpcCidr %q is not an IPv4 block", vpcCidr)
	}
	ones, _ := block.Mask.Size()
	if count > 4 || ones > 26 {
		return nil, fmt.Errorf("vpcCidr %q cannot hold %d subnets", vpcCidr, count)
	}
	base := binary.BigEndian.Uint32(block.IP.To4())
	step := uint32(1) << (32 - (ones + 2))
	out := make([]string, count)
	for i := range out {
		ip := make(net.IP, 4)
		binary.BigEndian.PutUint32(ip, base+uint32(i)*step)
		out[i] = fmt.Sprintf("%s/%d", ip, ones+2)
	}
	return out, nil
}
