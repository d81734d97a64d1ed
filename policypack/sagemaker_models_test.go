package policypack

import (
	"testing"

	"github.com/mlguard/mlguard/policy"
	pt "github.com/mlguard/mlguard/policy/policytest"
	"github.com/mlguard/mlguard/providers"
)

const ecrImage = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/churn:1.4.2"

var smModelProps = map[string]any{
	"executionRoleArn":       roleARN,
	"enableNetworkIsolation": true,
	"vpcConfig":              map[string]any{"subnets": []any{"subnet-1"}, "securityGroupIds": []any{"sg-1"}},
	"primaryContainer":       map[string]any{"image": ecrImage, "modelDataUrl": "s3://models/churn.tar.gz"},
}

func TestSagemakerModel(t *testing.T) {
	runSpecs(t, sagemakerModelNetworkIsolation, smModel, []spec{
		{name: "compliant", props: smModelProps},
		{name: "default is off", props: pt.Without(smModelProps, "enableNetworkIsolation"), violation: `aws:sagemaker/model:Model "r": enableNetworkIsolation: is not set; set enableNetworkIsolation = true`},
		{name: "off", props: pt.With(smModelProps, "enableNetworkIsolation", false), violation: `is false`},
		{name: "unknown", props: pt.With(smModelProps, "enableNetworkIsolation", pt.Unknown), unknown: "enableNetworkIsolation is unknown"},
	})
	runSpecs(t, sagemakerModelVPC, smModel, []spec{
		{name: "compliant", props: smModelProps},
		{name: "no VPC", props: pt.Without(smModelProps, "vpcConfig"), violation: `vpcConfig: is not set; give the model a vpcConfig`},
		{name: "no subnets", props: pt.With(smModelProps, "vpcConfig.subnets", []any{}), violation: `vpcConfig.subnets: is a list of 0; name at least one`},
		{name: "unknown", props: pt.With(smModelProps, "vpcConfig", pt.Unknown), unknown: "vpcConfig is unknown"},
	})
	public := pt.With(smModelProps, "primaryContainer.image", "docker.io/library/python:3.12")
	runSpecs(t, sagemakerModelPrivateRegistry, smModel, []spec{
		{name: "compliant: ECR", props: smModelProps},
		{name: "public registry", props: public, violation: `primaryContainer.image: is "docker.io/library/python:3.12", not an ECR image, and imageConfig.repositoryAccessMode is not set`},
		{name: "private registry through the VPC", props: pt.With(public, "primaryContainer.imageConfig", map[string]any{"repositoryAccessMode": "Vpc"})},
		{name: "Platform access to a non-ECR image", props: pt.With(public, "primaryContainer.imageConfig", map[string]any{"repositoryAccessMode": "Platform"}), violation: `repositoryAccessMode is "Platform"`},
		{name: "containers list", props: pt.With(pt.Without(smModelProps, "primaryContainer"), "containers", []any{map[string]any{"image": ecrImage}, map[string]any{"image": "quay.io/x/y"}}),
			violation: `containers.1.image: is "quay.io/x/y"`},
		{name: "model package, no image", props: pt.With(smModelProps, "primaryContainer", map[string]any{"modelPackageName": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/churn/1"})},
		{name: "unknown image", props: pt.With(smModelProps, "primaryContainer.image", pt.Unknown), unknown: "primaryContainer.image is unknown"},
		{name: "unknown containers", props: pt.With(pt.Without(smModelProps, "primaryContainer"), "containers", pt.Unknown), unknown: "containers is unknown"},
		{name: "secret public image", props: pt.With(smModelProps, "primaryContainer.image", pt.Secret("docker.io/"+secretText)), violation: `is [secret], not an ECR image`},
	})
}

var smEndpointConfigProps = map[string]any{
	"kmsKeyArn": kmsARN,
	"productionVariants": []any{
		map[string]any{"variantName": "primary", "modelName": "churn", "initialInstanceCount": 2, "instanceType": "ml.m5.large"},
	},
	"dataCaptureConfig": map[string]any{"enableCapture": true, "initialSamplingPercentage": 100, "destinationS3Uri": "s3://capture/churn", "kmsKeyId": kmsARN,
		"captureOptions": []any{map[string]any{"captureMode": "Input"}, map[string]any{"captureMode": "Output"}}},
}

func TestSagemakerEndpointConfig(t *testing.T) {
	runSpecs(t, sagemakerEndpointDataCaptureKMS, smEndpointConfig, []spec{
		{name: "compliant", props: smEndpointConfigProps},
		{name: "capture without key", props: pt.Without(smEndpointConfigProps, "dataCaptureConfig.kmsKeyId"), violation: `dataCaptureConfig.kmsKeyId: is not set`},
		{name: "capture off", props: pt.With(pt.Without(smEndpointConfigProps, "dataCaptureConfig.kmsKeyId"), "dataCaptureConfig.enableCapture", false)},
		{name: "no capture", props: pt.Without(smEndpointConfigProps, "dataCaptureConfig")},
		{name: "unknown key", props: pt.With(smEndpointConfigProps, "dataCaptureConfig.kmsKeyId", pt.Unknown), unknown: "dataCaptureConfig.kmsKeyId is unknown"},
	})
	runSpecs(t, sagemakerEndpointInstanceCount, smEndpointConfig, []spec{
		{name: "compliant", props: smEndpointConfigProps},
		{name: "one instance", props: pt.With(smEndpointConfigProps, "productionVariants", []any{map[string]any{"modelName": "m", "initialInstanceCount": 1}}),
			violation: `productionVariants.0.initialInstanceCount: is 1; set initialInstanceCount to 2 or more`},
		{name: "serverless", props: pt.With(smEndpointConfigProps, "productionVariants", []any{map[string]any{"modelName": "m", "serverlessConfig": map[string]any{"maxConcurrency": 5, "memorySizeInMb": 2048}}})},
		{name: "unset count", props: pt.With(smEndpointConfigProps, "productionVariants", []any{map[string]any{"modelName": "m"}}), violation: `initialInstanceCount: is not set`},
		{name: "unknown", props: pt.With(smEndpointConfigProps, "productionVariants", []any{map[string]any{"modelName": "m", "initialInstanceCount": pt.Unknown}}), unknown: "initialInstanceCount is unknown"},
		{name: "unknown variants", props: pt.With(smEndpointConfigProps, "productionVariants", pt.Unknown), unknown: "productionVariants is unknown"},
	})
}

func TestSagemakerNotebookHardening(t *testing.T) {
	nb := map[string]any{"instanceType": "ml.t3.medium", "platformIdentifier": "notebook-al2023-v1",
		"instanceMetadataServiceConfiguration": map[string]any{"minimumInstanceMetadataServiceVersion": "2"}}
	runSpecs(t, sagemakerNotebookIMDSv2, smNotebook, []spec{
		{name: "compliant", props: nb},
		{name: "default allows v1", props: pt.Without(nb, "instanceMetadataServiceConfiguration"), violation: `instanceMetadataServiceConfiguration.minimumInstanceMetadataServiceVersion: is not set`},
		{name: "v1", props: pt.With(nb, "instanceMetadataServiceConfiguration.minimumInstanceMetadataServiceVersion", "1"), violation: `is "1"`},
		{name: "unknown", props: pt.With(nb, "instanceMetadataServiceConfiguration", pt.Unknown), unknown: "instanceMetadataServiceConfiguration"},
	})
	runSpecs(t, sagemakerNotebookPlatform, smNotebook, []spec{
		{name: "compliant", props: nb},
		{name: "service default", props: pt.Without(nb, "platformIdentifier")},
		{name: "Amazon Linux 1", props: pt.With(nb, "platformIdentifier", "notebook-al1-v1"), violation: `platformIdentifier: is "notebook-al1-v1", not a supported platform`},
		{name: "unknown", props: pt.With(nb, "platformIdentifier", pt.Unknown), unknown: "platformIdentifier is unknown"},
	})
}

var dqJobProps = map[string]any{
	"roleArn":                    roleARN,
	"dataQualityJobOutputConfig": map[string]any{"kmsKeyId": kmsARN, "monitoringOutputs": map[string]any{"s3Output": map[string]any{"s3Uri": "s3://monitoring/out"}}},
	"jobResources":               map[string]any{"clusterConfig": map[string]any{"instanceCount": 1, "instanceType": "ml.m5.large", "volumeSizeInGb": 20, "volumeKmsKeyId": kmsARN}},
	"networkConfig":              map[string]any{"enableInterContainerTrafficEncryption": true, "enableNetworkIsolation": true},
}

var inlineScheduleProps = map[string]any{"monitoringScheduleConfig": map[string]any{"monitoringType": "DataQuality", "monitoringJobDefinition": map[string]any{
	"roleArn":                roleARN,
	"monitoringOutputConfig": map[string]any{"kmsKeyId": kmsARN},
	"monitoringResources":    map[string]any{"clusterConfig": map[string]any{"instanceCount": 1, "instanceType": "ml.m5.large", "volumeSizeInGb": 20, "volumeKmsKeyId": kmsARN}},
	"networkConfig":          map[string]any{"enableInterContainerTrafficEncryption": true, "enableNetworkIsolation": true},
}}}

func TestSagemakerMonitoring(t *testing.T) {
	const inline = "monitoringScheduleConfig.monitoringJobDefinition."
	v7 := []providers.Major{providers.AWSv7}
	byName := map[string]any{"monitoringScheduleConfig": map[string]any{"monitoringType": "DataQuality", "monitoringJobDefinitionName": "churn-dq"}}
	runSpecs(t, sagemakerMonitoringKMS, smDataQualityJob, []spec{
		{name: "compliant", props: dqJobProps},
		{name: "output without key", props: pt.Without(dqJobProps, "dataQualityJobOutputConfig.kmsKeyId"), violation: `dataQualityJobOutputConfig.kmsKeyId: is not set; set it to a customer managed KMS key ARN`},
		{name: "volume without key", props: pt.Without(dqJobProps, "jobResources.clusterConfig.volumeKmsKeyId"), violation: `jobResources.clusterConfig.volumeKmsKeyId: is not set`},
		{name: "unknown", props: pt.With(dqJobProps, "jobResources.clusterConfig.volumeKmsKeyId", pt.Unknown), unknown: "volumeKmsKeyId is unknown"},
		{name: "schedule inline compliant", typ: smMonitoringSchedule, props: inlineScheduleProps, majors: v7},
		{name: "schedule inline without keys", typ: smMonitoringSchedule, props: pt.Without(pt.Without(inlineScheduleProps, inline+"monitoringOutputConfig.kmsKeyId"), inline+"monitoringResources.clusterConfig.volumeKmsKeyId"), majors: v7,
			violation: inline + "monitoringOutputConfig.kmsKeyId: is not set", more: []string{inline + "monitoringResources.clusterConfig.volumeKmsKeyId: is not set"}},
		{name: "schedule naming its job definition", typ: smMonitoringSchedule, props: byName},
	})
	runSpecs(t, sagemakerMonitoringNetwork, smDataQualityJob, []spec{
		{name: "compliant", props: dqJobProps},
		{name: "no network config", props: pt.Without(dqJobProps, "networkConfig"),
			violation: `networkConfig.enableInterContainerTrafficEncryption: is not set; set it to true`, more: []string{`networkConfig.enableNetworkIsolation: is not set`}},
		{name: "isolation off", props: pt.With(dqJobProps, "networkConfig.enableNetworkIsolation", false), violation: `networkConfig.enableNetworkIsolation: is false`},
		{name: "unknown", props: pt.With(dqJobProps, "networkConfig.enableNetworkIsolation", pt.Unknown), unknown: "enableNetworkIsolation is unknown"},
		{name: "schedule inline compliant", typ: smMonitoringSchedule, props: inlineScheduleProps, majors: v7},
		{name: "schedule inline, not isolated", typ: smMonitoringSchedule, props: pt.With(inlineScheduleProps, inline+"networkConfig.enableNetworkIsolation", false), majors: v7,
			violation: inline + "networkConfig.enableNetworkIsolation: is false"},
		{name: "schedule naming its job definition", typ: smMonitoringSchedule, props: byName},
	})
}

func TestSagemakerDomainSharingRules(t *testing.T) {
	closed := res(smDomain, "domain", map[string]any{"id": "d-1", "defaultUserSettings": map[string]any{"sharingSettings": map[string]any{"notebookOutputOption": "Disabled"}}}, nil)
	open := res(smDomain, "domain", map[string]any{"id": "d-1", "defaultUserSettings": map[string]any{"sharingSettings": map[string]any{"notebookOutputOption": "Allowed", "s3KmsKeyId": kmsARN}}}, nil)
	sharing := func(dep *policy.Resource) *policy.Resource {
		return res(smUserProfile, "profile", map[string]any{"domainId": pt.Unknown, "userSettings": map[string]any{"sharingSettings": map[string]any{"notebookOutputOption": "Allowed"}}},
			map[string]*policy.Resource{"domainId": dep})
	}
	shared := res(smSpace, "space", map[string]any{"domainId": "d-1", "spaceSharingSettings": map[string]any{"sharingType": "Shared"}}, nil)
	private := res(smSpace, "space", map[string]any{"domainId": "d-1", "spaceSharingSettings": map[string]any{"sharingType": "Private"}}, nil)
	runStackSpecs(t, sagemakerDomainSharingRules, []stackSpec{
		{name: "compliant: sharing domain", resources: []*policy.Resource{open, sharing(open), shared}},
		{name: "compliant: private space", resources: []*policy.Resource{closed, private}},
		{name: "profile opts back in", resources: []*policy.Resource{closed, sharing(closed)},
			violation: `aws:sagemaker/userProfile:UserProfile "profile": userSettings.sharingSettings.notebookOutputOption: is "Allowed" while its domain "domain" does not allow sharing`},
		{name: "shared space", resources: []*policy.Resource{closed, shared}, violation: `aws:sagemaker/space:Space "space": spaceSharingSettings.sharingType: is "Shared"`},
		{name: "profile of another domain", resources: []*policy.Resource{closed, res(smUserProfile, "p", map[string]any{"domainId": "d-2", "userSettings": map[string]any{"sharingSettings": map[string]any{"notebookOutputOption": "Allowed"}}}, nil)}},
		{name: "unknown domainId, no dependency", resources: []*policy.Resource{closed, res(smSpace, "s", map[string]any{"domainId": pt.Unknown}, nil)}, unknown: "domainId of a user profile or space is unknown"},
		{name: "unknown domain option", resources: []*policy.Resource{res(smDomain, "domain", map[string]any{"defaultUserSettings": map[string]any{"sharingSettings": map[string]any{"notebookOutputOption": pt.Unknown}}}, nil), shared},
			unknown: "notebookOutputOption is unknown"},
	})
}

func TestSagemakerFlowDefinitionKMS(t *testing.T) {
	fd := map[string]any{"flowDefinitionName": "review", "roleArn": roleARN, "outputConfig": map[string]any{"s3OutputPath": "s3://review/out", "kmsKeyId": kmsARN}}
	runSpecs(t, sagemakerFlowDefinitionKMS, smFlowDefinition, []spec{
		{name: "compliant", props: fd},
		{name: "no key", props: pt.Without(fd, "outputConfig.kmsKeyId"), violation: `outputConfig.kmsKeyId: is not set`},
		{name: "unknown", props: pt.With(fd, "outputConfig.kmsKeyId", pt.Unknown), unknown: "outputConfig.kmsKeyId is unknown"},
	})
}

func TestSagemakerModelRegistryNoPublic(t *testing.T) {
	runSpecs(t, sagemakerModelRegistryNoPublic, smModelPackageGroupPolicy, []spec{
		{name: "another account", props: map[string]any{"modelPackageGroupName": "churn", "resourcePolicy": `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"sagemaker:DescribeModelPackage"}]}`}},
		{name: "public", props: map[string]any{"modelPackageGroupName": "churn", "resourcePolicy": `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"sagemaker:*"}]}`},
			violation: `aws:sagemaker/modelPackageGroupPolicy:ModelPackageGroupPolicy "r": resourcePolicy: Statement[0] allows the wildcard principal "*" without a Condition`},
		{name: "organization only", props: map[string]any{"modelPackageGroupName": "churn", "resourcePolicy": `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"sagemaker:DescribeModelPackage","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc"}}}]}`}},
		{name: "unknown", props: map[string]any{"modelPackageGroupName": "churn", "resourcePolicy": pt.Unknown}, unknown: "resourcePolicy is unknown"},
	})
}

func TestSagemakerMonitoringScheduleJob(t *testing.T) {
	def := res(smDataQualityJob, "dq", pt.With(dqJobProps, "name", "churn-dq"), nil)
	open := res(smDataQualityJob, "dq", pt.With(pt.Without(dqJobProps, "networkConfig"), "name", "churn-dq"), nil)
	byName := res(smMonitoringSchedule, "schedule", map[string]any{"monitoringScheduleConfig": map[string]any{"monitoringType": "DataQuality", "monitoringJobDefinitionName": "churn-dq"}}, nil)
	byDep := func(d *policy.Resource) *policy.Resource {
		return res(smMonitoringSchedule, "schedule", map[string]any{"monitoringScheduleConfig": map[string]any{"monitoringType": "DataQuality", "monitoringJobDefinitionName": pt.Unknown}},
			map[string]*policy.Resource{"monitoringScheduleConfig": d})
	}
	runStackSpecs(t, sagemakerMonitoringScheduleJob, []stackSpec{
		{name: "protected definition, by name", resources: []*policy.Resource{def, byName}},
		{name: "protected definition, by dependency", resources: []*policy.Resource{def, byDep(def)}},
		{name: "unprotected definition", resources: []*policy.Resource{open, byDep(open)},
			violation: `aws:sagemaker/monitoringSchedule:MonitoringSchedule "schedule": monitoringScheduleConfig.monitoringJobDefinitionName: names job definition "dq", which does not set networkConfig.enableInterContainerTrafficEncryption, networkConfig.enableNetworkIsolation`},
		{name: "definition outside the stack", resources: []*policy.Resource{byName}},
		{name: "unknown name, no dependency", resources: []*policy.Resource{def, res(smMonitoringSchedule, "s", map[string]any{"monitoringScheduleConfig": map[string]any{"monitoringJobDefinitionName": pt.Unknown}}, nil)},
			unknown: "the job definition it names is unknown"},
		{name: "unknown setting", resources: []*policy.Resource{res(smDataQualityJob, "dq", pt.With(pt.With(dqJobProps, "name", "churn-dq"), "networkConfig.enableNetworkIsolation", pt.Unknown), nil), byName},
			unknown: "enableNetworkIsolation is unknown"},
	})
}
