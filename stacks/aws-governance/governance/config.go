package governance

import (
	"errors"
	"fmt"
	"net"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

// Config is everything the stack lets its user choose. Every field has a
// default but owner and costCenter, which only the user can know.
type Config struct {
	Region string
	// Tags go on every resource: owner, project, cost-center and
	// data-classification (what mlguard requires) plus ExtraTags.
	Tags map[string]string

	SnapshotDeliveryFrequency string // AWS Config snapshots
	RecorderName              string
	HistoryRetentionDays      int // AWS Config history kept this long
	NoncurrentVersionDays     int // old object versions kept this long

	// Network: either existing ids, or a VPC created from VpcCidr.
	VpcID             string
	SubnetIDs         []string
	SecurityGroupIDs  []string
	VpcCidr           string
	AvailabilityZones []string

	SageMakerDomainName string
	ArtifactDomainName  string
	ExternalConnection  string // CodeArtifact upstream, e.g. public:pypi
}

// DataClassifications are the values mlguard accepts for data-classification.
var DataClassifications = []string{"public", "internal", "confidential", "restricted"}

// SnapshotFrequencies are the delivery frequencies mlguard accepts by default
// (no slower than six hours).
var SnapshotFrequencies = []string{"One_Hour", "Three_Hours", "Six_Hours"}

var (
	externalConnection = regexp.MustCompile(`^public:[a-z0-9-]+$`)
	dnsName            = regexp.MustCompile(`^[a-z][a-z0-9-]{1,48}[a-z0-9]$`)
)

// LoadConfig reads the stack's configuration and checks it, naming every
// key that is wrong.
func LoadConfig(ctx *pulumi.Context) (*Config, error) {
	c := config.New(ctx, "")
	aws := config.New(ctx, "aws")
	name := strings.ToLower(ctx.Project() + "-" + ctx.Stack())
	cfg := &Config{
		Region:                    orDefault(aws.Get("region"), "us-east-1"),
		SnapshotDeliveryFrequency: orDefault(c.Get("snapshotDeliveryFrequency"), "Six_Hours"),
		RecorderName:              orDefault(c.Get("recorderName"), "default"),
		VpcID:                     c.Get("vpcId"),
		VpcCidr:                   orDefault(c.Get("vpcCidr"), "10.42.0.0/16"),
		SageMakerDomainName:       orDefault(c.Get("sagemakerDomainName"), name),
		ArtifactDomainName:        orDefault(c.Get("artifactDomainName"), name),
		ExternalConnection:        orDefault(c.Get("externalConnection"), "public:pypi"),
	}
	var problems []string
	for _, n := range []struct {
		key string
		dst *int
		def int
	}{
		{"historyRetentionDays", &cfg.HistoryRetentionDays, 2555}, // seven years, a common audit horizon
		{"noncurrentVersionDays", &cfg.NoncurrentVersionDays, 365},
	} {
		v, err := c.TryInt(n.key)
		switch {
		case isMissing(err):
			*n.dst = n.def
		case err != nil:
			problems = append(problems, fmt.Sprintf("%s: must be a whole number of days (%v)", n.key, err))
		default:
			*n.dst = v
		}
	}
	for key, dst := range map[string]*[]string{
		"subnetIds": &cfg.SubnetIDs, "securityGroupIds": &cfg.SecurityGroupIDs, "availabilityZones": &cfg.AvailabilityZones,
	} {
		if err := c.TryObject(key, dst); err != nil && !isMissing(err) {
			problems = append(problems, fmt.Sprintf("%s: must be a list of strings (%v)", key, err))
		}
	}
	var extra map[string]string
	if err := c.TryObject("extraTags", &extra); err != nil && !isMissing(err) {
		problems = append(problems, fmt.Sprintf("extraTags: must be a map of strings (%v)", err))
	}
	cfg.Tags = map[string]string{}
	for k, v := range extra {
		cfg.Tags[k] = v
	}
	cfg.Tags["owner"] = c.Get("owner")
	cfg.Tags["project"] = orDefault(c.Get("project"), ctx.Project())
	cfg.Tags["cost-center"] = c.Get("costCenter")
	cfg.Tags["data-classification"] = orDefault(c.Get("dataClassification"), "confidential")
	if len(cfg.AvailabilityZones) == 0 {
		cfg.AvailabilityZones = []string{cfg.Region + "a", cfg.Region + "b"}
	}
	problems = append(problems, cfg.validate()...)
	if len(problems) > 0 {
		sort.Strings(problems)
		return nil, fmt.Errorf("invalid configuration for stack %s: %s", ctx.Stack(), strings.Join(problems, "; "))
	}
	return cfg, nil
}

func (cfg *Config) validate() []string {
	var problems []string
	for _, k := range []struct{ tag, key string }{{"owner", "owner"}, {"cost-center", "costCenter"}} {
		if strings.TrimSpace(cfg.Tags[k.tag]) == "" {
			problems = append(problems, fmt.Sprintf("%s: required (the %s tag on every resource)", k.key, k.tag))
		}
	}
	if !slices.Contains(DataClassifications, cfg.Tags["data-classification"]) {
		problems = append(problems, fmt.Sprintf("dataClassification: %q is not one of %s", cfg.Tags["data-classification"], strings.Join(DataClassifications, ", ")))
	}
	if !slices.Contains(SnapshotFrequencies, cfg.SnapshotDeliveryFrequency) {
		problems = append(problems, fmt.Sprintf("snapshotDeliveryFrequency: %q is not one of %s", cfg.SnapshotDeliveryFrequency, strings.Join(SnapshotFrequencies, ", ")))
	}
	if cfg.HistoryRetentionDays < 1 || cfg.NoncurrentVersionDays < 1 {
		problems = append(problems, "historyRetentionDays and noncurrentVersionDays: must be at least 1")
	}
	if cfg.VpcID != "" && (len(cfg.SubnetIDs) < 2 || len(cfg.SecurityGroupIDs) == 0) {
		problems = append(problems, "vpcId: an existing VPC needs subnetIds (two or more, in different zones) and securityGroupIds")
	}
	if cfg.VpcID == "" {
		if _, n, err := net.ParseCIDR(cfg.VpcCidr); err != nil || n.IP.To4() == nil {
			problems = append(problems, fmt.Sprintf("vpcCidr: %q is not an IPv4 CIDR block", cfg.VpcCidr))
		} else if ones, _ := n.Mask.Size(); ones > 20 {
			problems = append(problems, fmt.Sprintf("vpcCidr: %q is too small; use /20 or larger", cfg.VpcCidr))
		}
		if n := len(cfg.AvailabilityZones); n < 2 || n > 4 {
			problems = append(problems, fmt.Sprintf("availabilityZones: give two to four zones (SageMaker needs subnets in at least two), not %d", n))
		}
	}
	if !externalConnection.MatchString(cfg.ExternalConnection) {
		problems = append(problems, fmt.Sprintf("externalConnection: %q is not a CodeArtifact public connection such as public:pypi", cfg.ExternalConnection))
	}
	for key, v := range map[string]string{"sagemakerDomainName": cfg.SageMakerDomainName, "artifactDomainName": cfg.ArtifactDomainName} {
		if !dnsName.MatchString(v) {
			problems = append(problems, fmt.Sprintf("%s: %q must be 3-50 lowercase letters, digits and hyphens", key, v))
		}
	}
	return problems
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func isMissing(err error) bool { return errors.Is(err, config.ErrMissingVar) }
