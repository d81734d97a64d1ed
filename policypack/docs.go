package policypack

import (
	"fmt"

	"github.com/mlguard/mlguard/policy"
)

// Documentation beside the policies: docs/policies.md is generated from the
// pack's metadata and these (go run ./internal/gendocs > docs/policies.md).

// docTypes lists the types of rules that name none themselves: stack rules,
// and resource rules that run on every resource and choose inside.
var docTypes = map[string][]string{
	"s3-bucketv2-versioning-enabled": {s3BucketV2, s3BucketVersioning},
	"s3-bucket-public-access-block":  {s3Bucket, s3BucketV2, s3BucketPAB, s3AccountPAB},
	"s3-bucket-kms-encryption":       {s3Bucket, s3BucketV2, s3BucketSSE},
	"s3-bucket-access-logging":       {s3Bucket, s3BucketV2, s3BucketLogging},
	"awsconfig-recorder-delivery":    {cfgRecorder, cfgDeliveryChannel, cfgRecorderStatus},
	"required-tags":                  append(append([]string(nil), TaggableTypes...), fmt.Sprintf("the %d pulumi-aws types whose arguments take tags (policypack/taggable_aws_gen.go)", len(awsTaggable)), "every azure-native:* resource with a location (ARM tracked resources)", "any other aws:* or azure-native:* resource whose inputs carry tags or tagsAll"),
	"exemption-valid":                {"every resource carrying an exemption tag"},
}

// DocTypes returns the resource types a policy looks at.
func DocTypes(p *policy.Policy) []string {
	if t, ok := docTypes[p.Name]; ok {
		return t
	}
	if p.Resource != nil {
		return p.Resource.Types
	}
	return nil
}

// Example is a compliant and a non-compliant program snippet (Python).
type Example struct{ Compliant, NonCompliant string }

// Examples holds one example per policy, keyed by policy name.
var Examples = map[string]Example{
	"s3-bucket-versioning-enabled": {
		Compliant:    `aws.s3.Bucket("data", versioning={"enabled": True})`,
		NonCompliant: `aws.s3.Bucket("config-bucket")`,
	},
	"s3-bucketv2-versioning-enabled": {
		Compliant: `b = aws.s3.BucketV2("data")
aws.s3.BucketVersioningV2("data", bucket=b.id, versioning_configuration={"status": "Enabled"})`,
		NonCompliant: `aws.s3.BucketV2("data")  # no BucketVersioningV2`,
	},
	"s3-bucket-no-public-acl": {
		Compliant:    `aws.s3.Bucket("data", acl="private")`,
		NonCompliant: `aws.s3.Bucket("data", acl="public-read")`,
	},
	"s3-bucket-public-access-block": {
		Compliant: `aws.s3.BucketPublicAccessBlock("data", bucket=b.id, block_public_acls=True,
    block_public_policy=True, ignore_public_acls=True, restrict_public_buckets=True)`,
		NonCompliant: `aws.s3.Bucket("config-bucket")  # no public access block`,
	},
	"s3-bucket-kms-encryption": {
		Compliant: `aws.s3.BucketServerSideEncryptionConfigurationV2("data", bucket=b.id, rules=[{
    "apply_server_side_encryption_by_default": {"sse_algorithm": "aws:kms", "kms_master_key_id": key.arn},
    "bucket_key_enabled": True}])`,
		NonCompliant: `aws.s3.Bucket("config-bucket")  # SSE-S3 only`,
	},
	"s3-bucket-access-logging": {
		Compliant:    `aws.s3.BucketLoggingV2("data", bucket=b.id, target_bucket=logs.id, target_prefix="data/")`,
		NonCompliant: `aws.s3.Bucket("config-bucket")  # no access logging`,
	},
	"awsconfig-recorder-all-resources": {
		Compliant:    `aws.cfg.Recorder("rec", role_arn=role.arn, recording_group={"all_supported": True, "include_global_resource_types": True})`,
		NonCompliant: `aws.cfg.Recorder("rec", role_arn=role.arn, recording_group={"all_supported": True})`,
	},
	"awsconfig-recorder-delivery": {
		Compliant: `rec = aws.cfg.Recorder("rec", role_arn=role.arn)
ch = aws.cfg.DeliveryChannel("ch", s3_bucket_name=bucket.id)
aws.cfg.RecorderStatus("on", name=rec.name, is_enabled=True, opts=pulumi.ResourceOptions(depends_on=[ch]))`,
		NonCompliant: `rec = aws.cfg.Recorder("rec", role_arn=role.arn)
aws.cfg.DeliveryChannel("ch", s3_bucket_name=bucket.id)  # never started: no RecorderStatus`,
	},
	"awsconfig-delivery-frequency": {
		Compliant:    `aws.cfg.DeliveryChannel("ch", s3_bucket_name=bucket.id, snapshot_delivery_properties={"delivery_frequency": "Six_Hours"})`,
		NonCompliant: `aws.cfg.DeliveryChannel("ch", s3_bucket_name=bucket.id)  # TwentyFour_Hours`,
	},
	"sagemaker-sharing-kms": {
		Compliant:    `default_user_settings={"execution_role": role.arn, "sharing_settings": {"notebook_output_option": "Allowed", "s3_output_path": "s3://b/out", "s3_kms_key_id": key.arn}}`,
		NonCompliant: `default_user_settings={"execution_role": role.arn, "sharing_settings": {"notebook_output_option": "Allowed", "s3_output_path": "s3://b/out"}}`,
	},
	"sagemaker-domain-vpc-only": {
		Compliant:    `aws.sagemaker.Domain("d", app_network_access_type="VpcOnly", ...)`,
		NonCompliant: `aws.sagemaker.Domain("d", ...)  # PublicInternetOnly`,
	},
	"sagemaker-domain-kms": {
		Compliant:    `aws.sagemaker.Domain("d", kms_key_id=key.arn, ...)`,
		NonCompliant: `aws.sagemaker.Domain("d", ...)  # AWS managed key`,
	},
	"sagemaker-domain-iam-auth": {
		Compliant:    `aws.sagemaker.Domain("d", auth_mode="IAM", ...)`,
		NonCompliant: `aws.sagemaker.Domain("d", auth_mode="SSO", ...)`,
	},
	"sagemaker-domain-execution-role": {
		Compliant:    `default_user_settings={"execution_role": sagemaker_role.arn}`,
		NonCompliant: `default_user_settings={"execution_role": "<ARN_OF_EXECUTION_ROLE>"}`,
	},
	"sagemaker-notebook-no-direct-internet": {
		Compliant:    `aws.sagemaker.NotebookInstance("nb", direct_internet_access="Disabled", subnet_id=subnet.id, ...)`,
		NonCompliant: `aws.sagemaker.NotebookInstance("nb", role_arn=role.arn, instance_type="ml.t3.medium")`,
	},
	"sagemaker-notebook-no-root": {
		Compliant:    `aws.sagemaker.NotebookInstance("nb", root_access="Disabled", ...)`,
		NonCompliant: `aws.sagemaker.NotebookInstance("nb", ...)  # root access Enabled`,
	},
	"sagemaker-notebook-kms": {
		Compliant:    `aws.sagemaker.NotebookInstance("nb", kms_key_id=key.id, ...)`,
		NonCompliant: `aws.sagemaker.NotebookInstance("nb", ...)`,
	},
	"sagemaker-notebook-in-vpc": {
		Compliant:    `aws.sagemaker.NotebookInstance("nb", subnet_id=private_subnet.id, security_groups=[sg.id], ...)`,
		NonCompliant: `aws.sagemaker.NotebookInstance("nb", ...)`,
	},
	"sagemaker-endpoint-config-kms": {
		Compliant:    `aws.sagemaker.EndpointConfiguration("ec", kms_key_arn=key.arn, production_variants=[...])`,
		NonCompliant: `aws.sagemaker.EndpointConfiguration("ec", production_variants=[...])`,
	},
	"sagemaker-feature-group-kms": {
		Compliant:    `offline_store_config={"s3_storage_config": {"s3_uri": "s3://b/fs", "kms_key_id": key.arn}}`,
		NonCompliant: `offline_store_config={"s3_storage_config": {"s3_uri": "s3://b/fs"}}`,
	},
	"codeartifact-repository-description": {
		Compliant:    `aws.codeartifact.Repository("repo", domain=d.domain, repository="ml-deps", description="Repository for ML Model Dependencies")`,
		NonCompliant: `aws.codeartifact.Repository("repo", domain=d.domain, repository="ml-deps")`,
	},
	"codeartifact-domain-kms": {
		Compliant:    `aws.codeartifact.Domain("d", domain="ml", encryption_key=key.arn)`,
		NonCompliant: `aws.codeartifact.Domain("my_codeartifact_domain", domain="ml")`,
	},
	"codeartifact-external-connections": {
		Compliant:    `external_connections={"external_connection_name": "public:pypi"}`,
		NonCompliant: `external_connections={"external_connection_name": "public:maven-clojars"}`,
	},
	"codeartifact-policy-no-public-principal": {
		Compliant:    `{"Effect": "Allow", "Principal": "*", "Action": "codeartifact:ReadFromRepository", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc"}}}`,
		NonCompliant: `{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "codeartifact:*"}`,
	},
	"required-tags": {
		Compliant:    `aws.s3.Bucket("data", tags={"owner": "ml-platform", "project": "churn", "cost-center": "cc-42", "data-classification": "internal"})`,
		NonCompliant: `aws.s3.Bucket("config-bucket")  # untagged`,
	},
	"iam-role-trust-no-wildcard": {
		Compliant:    `{"Effect": "Allow", "Principal": {"Service": ["config.amazonaws.com"]}, "Action": "sts:AssumeRole"}`,
		NonCompliant: `{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}`,
	},
	"kms-key-rotation": {
		Compliant:    `aws.kms.Key("k", enable_key_rotation=True)`,
		NonCompliant: `aws.kms.Key("sagemaker_kms_key")`,
	},
	"azureml-workspace-managed-identity": {
		Compliant:    `machinelearningservices.Workspace("ws", identity={"type": "SystemAssigned"}, ...)`,
		NonCompliant: `machinelearningservices.Workspace("ws", identity={"type": "None"}, ...)`,
	},
	"azureml-workspace-private": {
		Compliant:    `machinelearningservices.Workspace("ws", public_network_access="Disabled", ...)`,
		NonCompliant: `machinelearningservices.Workspace("mlWorkspace", ...)  # public network access Enabled`,
	},
	"azureml-workspace-hbi": {
		Compliant:    `machinelearningservices.Workspace("ws", hbi_workspace=True, tags={"data-classification": "confidential", ...}, ...)`,
		NonCompliant: `machinelearningservices.Workspace("ws", tags={"data-classification": "restricted", ...}, ...)`,
	},
	"azureml-featureset-data-reference": {
		Compliant:    `featureset_version_properties={"specification": {"path": "azureml://datastores/fs/paths/txn/spec"}, "entities": ["azureml:account:1"]}`,
		NonCompliant: `featureset_version_properties={"data_version_id": ""}`,
	},
	"azure-storage-secure-transport": {
		Compliant:    `storage.StorageAccount("sa", enable_https_traffic_only=True, minimum_tls_version="TLS1_2", ...)`,
		NonCompliant: `storage.StorageAccount("sa", minimum_tls_version="TLS1_0", ...)`,
	},
	"azure-storage-no-public-blob": {
		Compliant:    `storage.StorageAccount("sa", allow_blob_public_access=False, ...)`,
		NonCompliant: `storage.StorageAccount("sa", allow_blob_public_access=True, ...)`,
	},
	"azure-keyvault-purge-protection": {
		Compliant:    `keyvault.Vault("kv", properties={"enable_purge_protection": True, ...}, ...)`,
		NonCompliant: `keyvault.Vault("kv", properties={"enable_soft_delete": True, ...}, ...)`,
	},
	"exemption-valid": {
		Compliant:    `tags={"mlguard-exemption": "s3-bucket-access-logging:2026-12-31:this is the log bucket", ...}`,
		NonCompliant: `tags={"mlguard-exemption": "s3-bucket-access-logging:2024-01-31:legacy"}  # expired`,
	},
}
