package governance_test

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mlguard/mlguard/stacks/aws-governance/awsmock"
	"github.com/mlguard/mlguard/stacks/aws-governance/governance"
)

var devConfig = map[string]string{
	"aws:region":                          awsmock.Region,
	"aws-governance:owner":                "ml-platform-team",
	"aws-governance:costCenter":           "cc-4711",
	"aws-governance:extraTags":            `{"environment":"dev"}`,
	"aws-governance:historyRetentionDays": "400",
}

// run executes the program under mocks with the given config.
func run(t *testing.T, config map[string]string) (*awsmock.Mocks, error) {
	t.Helper()
	b, err := json.Marshal(config)
	require.NoError(t, err)
	t.Setenv("PULUMI_CONFIG", string(b))
	mocks := &awsmock.Mocks{}
	err = pulumi.RunErr(governance.Program, pulumi.WithMocks("aws-governance", "dev", mocks))
	return mocks, err
}

func deployed(t *testing.T) *awsmock.Mocks {
	t.Helper()
	mocks, err := run(t, devConfig)
	require.NoError(t, err)
	return mocks
}

func one(t *testing.T, m *awsmock.Mocks, token string) pulumi.MockResourceArgs {
	t.Helper()
	rs := m.OfType(token)
	require.Len(t, rs, 1, token)
	return rs[0]
}

// get reads a nested input by dotted path.
func get(args pulumi.MockResourceArgs, path string) any {
	var v any = args.Inputs.Mappable()
	for _, seg := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[seg]
	}
	return v
}

func TestResourceCountsByType(t *testing.T) {
	counts := map[string]int{}
	for _, r := range deployed(t).Registered() {
		counts[r.TypeToken]++
	}
	want := map[string]int{
		"pulumi:providers:aws":                         1,
		"aws:kms/key:Key":                              4,
		"aws:kms/alias:Alias":                          3,
		"aws:s3/bucketV2:BucketV2":                     3,
		"aws:s3/bucketVersioningV2:BucketVersioningV2": 3,
		"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": 3,
		"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock":                                     3,
		"aws:s3/bucketOwnershipControls:BucketOwnershipControls":                                     3,
		"aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2":                       3,
		"aws:s3/bucketPolicy:BucketPolicy":                                                           3,
		"aws:s3/bucketLoggingV2:BucketLoggingV2":                                                     2,
		"aws:iam/role:Role":                                                                          3,
		"aws:iam/rolePolicy:RolePolicy":                                                              5,
		"aws:iam/rolePolicyAttachment:RolePolicyAttachment":                                          1,
		"aws:cfg/recorder:Recorder":                                                                  1,
		"aws:cfg/deliveryChannel:DeliveryChannel":                                                    1,
		"aws:cfg/recorderStatus:RecorderStatus":                                                      1,
		"aws:cfg/rule:Rule":                                                                          5,
		"aws:ec2/vpc:Vpc":                                                                            1,
		"aws:ec2/defaultSecurityGroup:DefaultSecurityGroup":                                          1,
		"aws:ec2/flowLog:FlowLog":                                                                    1,
		"aws:ec2/routeTable:RouteTable":                                                              1,
		"aws:ec2/subnet:Subnet":                                                                      2,
		"aws:ec2/routeTableAssociation:RouteTableAssociation":                                        2,
		"aws:ec2/vpcEndpoint:VpcEndpoint":                                                            5,
		"aws:ec2/securityGroup:SecurityGroup":                                                        1,
		"aws:ec2/securityGroupRule:SecurityGroupRule":                                                4,
		"aws:sagemaker/domain:Domain":                                                                1,
		"aws:codeartifact/domain:Domain":                                                             1,
		"aws:codeartifact/repository:Repository":                                                     2,
		"aws:codeartifact/domainPermissions:DomainPermissions":                                       1,
		"aws:codeartifact/repositoryPermissionsPolicy:RepositoryPermissionsPolicy":                   2,
		"aws:ecr/repository:Repository":                                                              1,
		"aws:ecr/lifecyclePolicy:LifecyclePolicy":                                                    1,
		"aws:sagemaker/model:Model":                                                                  1,
		"aws:sagemaker/endpointConfiguration:EndpointConfiguration":                                  1,
		"aws:sagemaker/endpoint:Endpoint":                                                            1,
		"aws:cloudwatch/logGroup:LogGroup":                                                           1,
		"aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration":             1,
		"aws:bedrock/guardrail:Guardrail":                                                            1,
	}
	assert.Equal(t, want, counts)
}

func TestAWSConfig(t *testing.T) {
	m := deployed(t)
	rec := one(t, m, "aws:cfg/recorder:Recorder")
	assert.Equal(t, true, get(rec, "recordingGroup.allSupported"))
	assert.Equal(t, true, get(rec, "recordingGroup.includeGlobalResourceTypes"))
	assert.Contains(t, get(rec, "roleArn"), ":role/config-role", "the recorder uses the stack's own role, not a placeholder")

	ch := one(t, m, "aws:cfg/deliveryChannel:DeliveryChannel")
	assert.Equal(t, "Six_Hours", get(ch, "snapshotDeliveryProperties.deliveryFrequency"))
	assert.Equal(t, "config-history-0a1b2c3d", get(ch, "s3BucketName"))
	assert.Contains(t, get(ch, "s3KmsKeyArn"), ":key/data-key-id")

	status := one(t, m, "aws:cfg/recorderStatus:RecorderStatus")
	assert.Equal(t, true, get(status, "isEnabled"))
	assert.Equal(t, "default", get(status, "name"))
	require.NotNil(t, status.RegisterRPC)
	assert.True(t, dependsOnType(status.RegisterRPC.GetDependencies(), "DeliveryChannel"), "recording starts after the channel exists")

	var rules []string
	for _, r := range m.OfType("aws:cfg/rule:Rule") {
		rules = append(rules, get(r, "source.sourceIdentifier").(string))
		if get(r, "maximumExecutionFrequency") == nil {
			assert.Equal(t, "project", get(r, "scope.tagKey"), "change-triggered rules are scoped by tag")
			assert.Equal(t, "aws-governance", get(r, "scope.tagValue"))
		}
	}
	sort.Strings(rules)
	assert.Subset(t, rules, []string{"S3_BUCKET_VERSIONING_ENABLED", "SAGEMAKER_NOTEBOOK_NO_DIRECT_INTERNET_ACCESS", "SAGEMAKER_ENDPOINT_CONFIGURATION_KMS_KEY_CONFIGURED"})

	var trust map[string]any
	for _, r := range m.OfType("aws:iam/role:Role") {
		if r.Name == "config" {
			require.NoError(t, json.Unmarshal([]byte(get(r, "assumeRolePolicy").(string)), &trust))
		}
	}
	stmt := trust["Statement"].([]any)[0].(map[string]any)
	assert.Equal(t, map[string]any{"Service": "config.amazonaws.com"}, stmt["Principal"])
	assert.Equal(t, awsmock.Account, stmt["Condition"].(map[string]any)["StringEquals"].(map[string]any)["aws:SourceAccount"])
}

func dependsOnType(urns []string, typeName string) bool {
	for _, u := range urns {
		if strings.Contains(u, ":"+typeName+"::") {
			return true
		}
	}
	return false
}

func TestEveryBucketIsGoverned(t *testing.T) {
	m := deployed(t)
	for _, companion := range []string{
		"aws:s3/bucketVersioningV2:BucketVersioningV2",
		"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
		"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
	} {
		for _, r := range m.OfType(companion) {
			switch companion {
			case "aws:s3/bucketVersioningV2:BucketVersioningV2":
				assert.Equal(t, "Enabled", get(r, "versioningConfiguration.status"), r.Name)
			case "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock":
				for _, f := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
					assert.Equal(t, true, get(r, f), r.Name+" "+f)
				}
			default:
				rule := get(r, "rules").([]any)[0].(map[string]any)
				algo := rule["applyServerSideEncryptionByDefault"].(map[string]any)["sseAlgorithm"]
				if r.Name == "access-logs" {
					assert.Equal(t, "AES256", algo, "S3 cannot deliver access logs to an SSE-KMS bucket")
				} else {
					assert.Equal(t, "aws:kms", algo, r.Name)
					assert.Equal(t, true, rule["bucketKeyEnabled"], r.Name)
				}
			}
		}
	}
	var policy map[string]any
	for _, r := range m.OfType("aws:s3/bucketPolicy:BucketPolicy") {
		if r.Name == "config-history" {
			require.NoError(t, json.Unmarshal([]byte(get(r, "policy").(string)), &policy))
		}
	}
	var sids []string
	for _, s := range policy["Statement"].([]any) {
		sids = append(sids, s.(map[string]any)["Sid"].(string))
	}
	assert.Equal(t, []string{"DenyInsecureTransport", "AWSConfigBucketPermissionsCheck", "AWSConfigBucketDelivery"}, sids)
}

func TestSageMakerDomain(t *testing.T) {
	d := one(t, deployed(t), "aws:sagemaker/domain:Domain")
	assert.Equal(t, "IAM", get(d, "authMode"))
	assert.Equal(t, "VpcOnly", get(d, "appNetworkAccessType"))
	assert.Contains(t, get(d, "kmsKeyId"), ":key/sagemaker-key-id")
	assert.Equal(t, "aws-governance-dev", get(d, "domainName"))
	assert.Len(t, get(d, "subnetIds"), 2)
	assert.Contains(t, get(d, "defaultUserSettings.executionRole"), ":role/sagemaker-execution-role")
	assert.Equal(t, "Allowed", get(d, "defaultUserSettings.sharingSettings.notebookOutputOption"))
	assert.Contains(t, get(d, "defaultUserSettings.sharingSettings.s3KmsKeyId"), ":key/sagemaker-key-id")
	assert.Equal(t, "s3://sagemaker-output-0a1b2c3d/sharing", get(d, "defaultUserSettings.sharingSettings.s3OutputPath"))
}

func TestCodeArtifact(t *testing.T) {
	m := deployed(t)
	assert.Contains(t, get(one(t, m, "aws:codeartifact/domain:Domain"), "encryptionKey"), ":key/artifacts-key-id")
	repos := map[string]pulumi.MockResourceArgs{}
	for _, r := range m.OfType("aws:codeartifact/repository:Repository") {
		repos[r.Name] = r
		assert.GreaterOrEqual(t, len(get(r, "description").(string)), 20, r.Name)
	}
	assert.Equal(t, "public:pypi", get(repos["public-proxy"], "externalConnections.externalConnectionName"))
	assert.Equal(t, []any{map[string]any{"repositoryName": "public-proxy"}}, get(repos["ml-dependencies"], "upstreams"))
	for _, token := range []string{"aws:codeartifact/domainPermissions:DomainPermissions", "aws:codeartifact/repositoryPermissionsPolicy:RepositoryPermissionsPolicy"} {
		for _, r := range m.OfType(token) {
			doc := get(r, "policyDocument").(string)
			assert.Contains(t, doc, `"AWS":"arn:aws:iam::`+awsmock.Account+`:root"`, r.Name)
			assert.NotContains(t, doc, `"*"`, r.Name)
		}
	}
}

// Every AWS resource goes through the one provider whose default tags carry
// the required tags, and the taggable ones accept them.
func TestTagsEverywhere(t *testing.T) {
	m := deployed(t)
	prov := one(t, m, "pulumi:providers:aws")
	tags := map[string]string{}
	raw := prov.Inputs["defaultTags"]
	var dt any = raw.Mappable()
	if s, ok := dt.(string); ok { // provider config may arrive JSON-encoded
		require.NoError(t, json.Unmarshal([]byte(s), &dt))
	}
	for k, v := range dt.(map[string]any)["tags"].(map[string]any) {
		tags[k] = v.(string)
	}
	assert.Equal(t, map[string]string{
		"owner": "ml-platform-team", "project": "aws-governance", "cost-center": "cc-4711",
		"data-classification": "confidential", "environment": "dev",
	}, tags)
	for _, r := range m.Registered() {
		if strings.HasPrefix(r.TypeToken, "pulumi:providers:") {
			continue
		}
		assert.Contains(t, r.Provider, "pulumi:providers:aws::aws::", "%s %s uses the tagged provider", r.TypeToken, r.Name)
	}
}

func TestExistingNetwork(t *testing.T) {
	config := map[string]string{
		"aws-governance:vpcId":            "vpc-0123",
		"aws-governance:subnetIds":        `["subnet-a","subnet-b"]`,
		"aws-governance:securityGroupIds": `["sg-1"]`,
	}
	for k, v := range devConfig {
		config[k] = v
	}
	m, err := run(t, config)
	require.NoError(t, err)
	assert.Empty(t, m.OfType("aws:ec2/vpc:Vpc"))
	d := one(t, m, "aws:sagemaker/domain:Domain")
	assert.Equal(t, "vpc-0123", get(d, "vpcId"))
	assert.Equal(t, []any{"subnet-a", "subnet-b"}, get(d, "subnetIds"))
}

func TestBadConfigNamesEveryKey(t *testing.T) {
	tests := []struct {
		name   string
		change map[string]string
		want   []string
	}{
		{"owner and cost center are required", map[string]string{"aws-governance:owner": "", "aws-governance:costCenter": " "}, []string{"owner: required", "costCenter: required"}},
		{"classification", map[string]string{"aws-governance:dataClassification": "secret"}, []string{`dataClassification: "secret" is not one of public, internal, confidential, restricted`}},
		{"frequency", map[string]string{"aws-governance:snapshotDeliveryFrequency": "TwentyFour_Hours"}, []string{`snapshotDeliveryFrequency: "TwentyFour_Hours" is not one of`}},
		{"retention", map[string]string{"aws-governance:historyRetentionDays": "a year"}, []string{"historyRetentionDays: must be a whole number"}},
		{"existing vpc without subnets", map[string]string{"aws-governance:vpcId": "vpc-1"}, []string{"vpcId: an existing VPC needs subnetIds"}},
		{"cidr", map[string]string{"aws-governance:vpcCidr": "10.0.0.0/24"}, []string{`vpcCidr: "10.0.0.0/24" is too small`}},
		{"external connection", map[string]string{"aws-governance:externalConnection": "pypi"}, []string{`externalConnection: "pypi" is not a CodeArtifact public connection`}},
		{"tags shape", map[string]string{"aws-governance:extraTags": `["a"]`}, []string{"extraTags: must be a map of strings"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			config := map[string]string{}
			for k, v := range devConfig {
				config[k] = v
			}
			for k, v := range tc.change {
				config[k] = v
			}
			m, err := run(t, config)
			require.Error(t, err)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.Empty(t, m.Registered(), "nothing is created from a bad configuration")
		})
	}
}

// The Config history bucket takes Object Lock (chosen at creation); the
// SageMaker execution role carries no full-access managed policy.
func TestAuditBucketLockedAndRolesLeastPrivilege(t *testing.T) {
	m := deployed(t)
	locked := map[string]bool{}
	for _, b := range m.OfType("aws:s3/bucketV2:BucketV2") {
		locked[b.Name] = get(b, "objectLockEnabled") == true
	}
	assert.Equal(t, map[string]bool{"config-history": true, "sagemaker-output": false, "access-logs": false}, locked)
	for _, a := range m.OfType("aws:iam/rolePolicyAttachment:RolePolicyAttachment") {
		assert.NotContains(t, get(a, "policyArn"), "FullAccess", a.Name)
		assert.NotContains(t, get(a, "policyArn"), "AdministratorAccess", a.Name)
	}
}

// The model serving path and Bedrock, as a team copying the stack gets them.
func TestServingAndGenAI(t *testing.T) {
	m := deployed(t)
	repo := one(t, m, "aws:ecr/repository:Repository")
	assert.Equal(t, "IMMUTABLE", get(repo, "imageTagMutability"))
	assert.Equal(t, true, get(repo, "imageScanningConfiguration.scanOnPush"))
	model := one(t, m, "aws:sagemaker/model:Model")
	assert.Equal(t, true, get(model, "enableNetworkIsolation"))
	assert.Equal(t, awsmock.Account+".dkr.ecr."+awsmock.Region+".amazonaws.com/model-images:1.0.0", get(model, "primaryContainer.image"))
	ec := one(t, m, "aws:sagemaker/endpointConfiguration:EndpointConfiguration")
	assert.Equal(t, true, get(ec, "dataCaptureConfig.enableCapture"))
	assert.Contains(t, get(ec, "dataCaptureConfig.kmsKeyId"), ":key/sagemaker-key-id")
	variants := ec.Inputs.Mappable()["productionVariants"].([]any)
	require.Len(t, variants, 1)
	assert.EqualValues(t, 2, variants[0].(map[string]any)["initialInstanceCount"])
	one(t, m, "aws:sagemaker/endpoint:Endpoint")
	logging := one(t, m, "aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration")
	assert.Equal(t, "/aws/bedrock/aws-governance-dev/invocations", get(logging, "loggingConfig.cloudwatchConfig.logGroupName"))
	group := one(t, m, "aws:cloudwatch/logGroup:LogGroup")
	assert.Contains(t, get(group, "kmsKeyId"), ":key/invocation-logs-key-id")
	guardrail := one(t, m, "aws:bedrock/guardrail:Guardrail")
	filters := get(guardrail, "contentPolicyConfig").(map[string]any)["filtersConfigs"].([]any)
	assert.Equal(t, map[string]any{"type": "PROMPT_ATTACK", "inputStrength": "HIGH", "outputStrength": "NONE"}, filters[0])
}
