package policypack

// Secret safety (issue 8): every policy, run over fixtures in which every
// string is secret, still judges them as it judges the plain fixtures, and
// nothing it says — violations, not-applicable reasons, the runtime's
// diagnostics and log lines — carries one of those strings.

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/mlguard/mlguard/analyzer"
	"github.com/mlguard/mlguard/analyzer/analyzertest"
	"github.com/mlguard/mlguard/policy"
	pt "github.com/mlguard/mlguard/policy/policytest"
	"github.com/mlguard/mlguard/providers"
)

// fixture is one resource of a secret-safety case.
type fixture struct {
	typ      string
	props    map[string]any
	provider map[string]any
}

// secretCase runs one policy over fixtures, violating or compliant.
type secretCase struct {
	policy     *policy.Policy
	name       string
	resources  []fixture // one for a resource policy; the stack for a stack policy
	violations int       // how many the plain fixture has
}

func one(typ string, props map[string]any) []fixture { return []fixture{{typ: typ, props: props}} }

const (
	kmsARN  = "arn:aws:kms:eu-west-1:111122223333:key/1f2e3d4c-aaaa-bbbb-cccc-000011112222"
	roleARN = "arn:aws:iam::111122223333:role/sagemaker-exec"
)

func wildcardDoc(effect string, principal any) map[string]any {
	return map[string]any{"Version": "2012-10-17", "Statement": []any{
		map[string]any{"Effect": effect, "Principal": principal, "Action": "sts:AssumeRole"},
	}}
}

var secretCases = []secretCase{
	{s3BucketVersioningEnabled, "versioning off", one(s3Bucket, map[string]any{"bucket": "config-history", "versioning": map[string]any{"enabled": "false"}}), 1},
	{s3BucketVersioningEnabled, "versioning on", one(s3Bucket, map[string]any{"bucket": "config-history", "versioning": map[string]any{"enabled": "true"}}), 0},
	{s3BucketVersioningEnabled, "BucketVersioning suspended", one(s3BucketVersioning, map[string]any{"bucket": "b-1", "versioningConfiguration": map[string]any{"status": "Suspended"}}), 1},
	{s3BucketVersioningEnabled, "no versioning", []fixture{{typ: s3BucketV2Token, props: map[string]any{"bucket": "data-123"}}}, 1},
	{s3BucketVersioningEnabled, "companion by name", []fixture{{typ: s3BucketV2Token, props: map[string]any{"bucket": "data-123"}},
		{typ: s3BucketVersioning, props: map[string]any{"bucket": "data-123", "versioningConfiguration": map[string]any{"status": "Enabled"}}}}, 0},
	{s3BucketNoPublicACL, "public-read", one(s3Bucket, map[string]any{"acl": "public-read"}), 1},
	{s3BucketNoPublicACL, "private", one(s3Bucket, map[string]any{"acl": "private"}), 0},
	{s3BucketPublicAccessBlock, "no block", []fixture{{typ: s3Bucket, props: map[string]any{"bucket": "config-bucket-1"}}}, 1},
	{s3BucketPublicAccessBlock, "a flag off", []fixture{{typ: s3Bucket, props: map[string]any{"bucket": "config-bucket-1"}},
		{typ: s3BucketPAB, props: map[string]any{"bucket": "config-bucket-1", "blockPublicAcls": "true", "blockPublicPolicy": "true", "ignorePublicAcls": "false", "restrictPublicBuckets": "true"}}}, 1},
	{s3BucketPublicAccessBlock, "full block", []fixture{{typ: s3Bucket, props: map[string]any{"bucket": "config-bucket-1"}},
		{typ: s3BucketPAB, props: map[string]any{"bucket": "config-bucket-1", "blockPublicAcls": true, "blockPublicPolicy": true, "ignorePublicAcls": true, "restrictPublicBuckets": true}}}, 0},
	{s3BucketKMSEncryption, "AES256", []fixture{{typ: s3Bucket, props: map[string]any{"bucket": "b-1",
		"serverSideEncryptionConfiguration": map[string]any{"rule": map[string]any{"applyServerSideEncryptionByDefault": map[string]any{"sseAlgorithm": "AES256"}}}}}}, 1},
	{s3BucketKMSEncryption, "KMS with a bucket key", []fixture{{typ: s3Bucket, props: map[string]any{"bucket": "b-1",
		"serverSideEncryptionConfiguration": map[string]any{"rule": map[string]any{"bucketKeyEnabled": true,
			"applyServerSideEncryptionByDefault": map[string]any{"sseAlgorithm": "aws:kms", "kmsMasterKeyId": kmsARN}}}}}}, 0},
	{s3BucketAccessLogging, "no logging", []fixture{{typ: s3Bucket, props: map[string]any{"bucket": "b-1"}}}, 1},
	{s3BucketAccessLogging, "inline logging", []fixture{{typ: s3Bucket, props: map[string]any{"bucket": "b-1", "loggings": []any{map[string]any{"targetBucket": "access-logs-1"}}}}}, 0},
	{awsConfigRecorderAllResources, "not every type", one(cfgRecorder, map[string]any{"name": "rec", "recordingGroup": map[string]any{"allSupported": "false"}}), 2},
	{awsConfigRecorderAllResources, "every type", one(cfgRecorder, map[string]any{"name": "rec", "recordingGroup": map[string]any{"allSupported": true, "includeGlobalResourceTypes": "true"}}), 0},
	{awsConfigRecorderDelivery, "recorder alone", []fixture{{typ: cfgRecorder, props: map[string]any{"name": "rec-main"}}}, 2},
	{awsConfigRecorderDelivery, "recorder, channel, status", []fixture{{typ: cfgRecorder, props: map[string]any{"name": "rec-main"}},
		{typ: cfgDeliveryChannel, props: map[string]any{"s3BucketName": "config-history"}},
		{typ: cfgRecorderStatus, props: map[string]any{"name": "rec-main", "isEnabled": true}}}, 0},
	{awsConfigDeliveryFrequency, "daily", one(cfgDeliveryChannel, map[string]any{"snapshotDeliveryProperties": map[string]any{"deliveryFrequency": "TwentyFour_Hours"}}), 1},
	{awsConfigDeliveryFrequency, "hourly", one(cfgDeliveryChannel, map[string]any{"snapshotDeliveryProperties": map[string]any{"deliveryFrequency": "One_Hour"}}), 0},
	{sagemakerSharingKMS, "placeholder key", one(smDomain, map[string]any{"defaultUserSettings": map[string]any{"sharingSettings": map[string]any{"notebookOutputOption": "Allowed", "s3KmsKeyId": "REPLACE_WITH_KEY"}}}), 1},
	{sagemakerSharingKMS, "profile without key", one(smUserProfile, map[string]any{"userSettings": map[string]any{"sharingSettings": map[string]any{"notebookOutputOption": "Allowed", "s3OutputPath": "s3://out/p"}}}), 1},
	{sagemakerSharingKMS, "real key", one(smDomain, map[string]any{"defaultUserSettings": map[string]any{"sharingSettings": map[string]any{"notebookOutputOption": "Allowed", "s3KmsKeyId": kmsARN}}}), 0},
	{sagemakerDomainVPCOnly, "public", one(smDomain, map[string]any{"appNetworkAccessType": "PublicInternetOnly"}), 1},
	{sagemakerDomainVPCOnly, "VPC only", one(smDomain, map[string]any{"appNetworkAccessType": "VpcOnly"}), 0},
	{sagemakerDomainKMS, "blank key", one(smDomain, map[string]any{"kmsKeyId": "   "}), 1},
	{sagemakerDomainKMS, "key", one(smDomain, map[string]any{"kmsKeyId": kmsARN}), 0},
	{sagemakerDomainIAMAuth, "SSO", one(smDomain, map[string]any{"authMode": "SSO"}), 1},
	{sagemakerDomainIAMAuth, "IAM", one(smDomain, map[string]any{"authMode": "IAM"}), 0},
	{sagemakerDomainExecutionRole, "placeholder role", one(smDomain, map[string]any{"defaultUserSettings": map[string]any{"executionRole": "<ARN_OF_ROLE>"}}), 1},
	{sagemakerDomainExecutionRole, "role", one(smDomain, map[string]any{"defaultUserSettings": map[string]any{"executionRole": roleARN}}), 0},
	{sagemakerNotebookNoInternet, "internet", one(smNotebook, map[string]any{"directInternetAccess": "Enabled"}), 1},
	{sagemakerNotebookNoInternet, "no internet", one(smNotebook, map[string]any{"directInternetAccess": "Disabled"}), 0},
	{sagemakerNotebookNoRoot, "root", one(smNotebook, map[string]any{"rootAccess": "Enabled"}), 1},
	{sagemakerNotebookNoRoot, "no root", one(smNotebook, map[string]any{"rootAccess": "Disabled"}), 0},
	{sagemakerNotebookKMS, "no key", one(smNotebook, map[string]any{"kmsKeyId": ""}), 1},
	{sagemakerNotebookKMS, "key", one(smNotebook, map[string]any{"kmsKeyId": kmsARN}), 0},
	{sagemakerNotebookInVPC, "no subnet", one(smNotebook, map[string]any{"subnetId": " "}), 1},
	{sagemakerNotebookInVPC, "subnet", one(smNotebook, map[string]any{"subnetId": "subnet-0abc1234"}), 0},
	{sagemakerEndpointConfigKMS, "no key", one(smEndpointConfig, map[string]any{"kmsKeyArn": ""}), 1},
	{sagemakerEndpointConfigKMS, "key", one(smEndpointConfig, map[string]any{"kmsKeyArn": kmsARN}), 0},
	{sagemakerFeatureGroupKMS, "no keys", one(smFeatureGroup, map[string]any{"offlineStoreConfig": map[string]any{"s3StorageConfig": map[string]any{"s3Uri": "s3://features/x"}},
		"onlineStoreConfig": map[string]any{"enableOnlineStore": "true"}}), 2},
	{sagemakerFeatureGroupKMS, "keys", one(smFeatureGroup, map[string]any{"offlineStoreConfig": map[string]any{"s3StorageConfig": map[string]any{"s3Uri": "s3://features/x", "kmsKeyId": kmsARN}},
		"onlineStoreConfig": map[string]any{"enableOnlineStore": true, "securityConfig": map[string]any{"kmsKeyId": kmsARN}}}), 0},
	{codeartifactRepositoryDescription, "short", one(caRepository, map[string]any{"description": "pkgs"}), 1},
	{codeartifactRepositoryDescription, "described", one(caRepository, map[string]any{"description": "Python packages for the churn model"}), 0},
	{codeartifactDomainKMS, "no key", one(caDomain, map[string]any{"domain": "ml-artifacts"}), 1},
	{codeartifactDomainKMS, "key", one(caDomain, map[string]any{"domain": "ml-artifacts", "encryptionKey": kmsARN}), 0},
	{codeartifactExternalConnections, "nuget", one(caRepository, map[string]any{"externalConnections": map[string]any{"externalConnectionName": "public:nuget-org"}}), 1},
	{codeartifactExternalConnections, "pypi", one(caRepository, map[string]any{"externalConnections": map[string]any{"externalConnectionName": "public:pypi"}}), 0},
	{codeartifactPolicyNoPublicPrincipal, "wildcard, JSON", one(caRepositoryPolicy, map[string]any{"policyDocument": `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"codeartifact:ReadFromRepository"}]}`}), 1},
	{codeartifactPolicyNoPublicPrincipal, "wildcard, object", one(caDomainPerms, map[string]any{"policyDocument": wildcardDoc("Allow", map[string]any{"AWS": "*"})}), 1},
	{codeartifactPolicyNoPublicPrincipal, "named, object", one(caDomainPerms, map[string]any{"policyDocument": wildcardDoc("Allow", map[string]any{"AWS": "arn:aws:iam::111122223333:root"})}), 0},
	{codeartifactPolicyNoPublicPrincipal, "wildcard denied, object", one(caDomainPerms, map[string]any{"policyDocument": wildcardDoc("Deny", "*")}), 0},
	{requiredTags, "blank and unlisted values", one(s3Bucket, map[string]any{"bucket": "b-1", "tags": map[string]any{"owner": " ", "project": "churn", "cost-center": "cc-42", "data-classification": "top-secret"}}), 2},
	{requiredTags, "missing", one(smDomain, map[string]any{"domainName": "d-1", "tags": map[string]any{"owner": "ml-platform"}}), 1},
	{requiredTags, "tagged", one(s3Bucket, map[string]any{"bucket": "b-1", "tags": goodTags}), 0},
	{requiredTags, "provider default tags, object", []fixture{{typ: s3Bucket, props: map[string]any{"bucket": "b-1", "tags": map[string]any{"data-classification": "internal"}},
		provider: map[string]any{"defaultTags": map[string]any{"tags": map[string]any{"owner": "ml-platform", "project": "churn", "cost-center": "cc-42"}}}}}, 0},
	{requiredTags, "provider default tags, object, not allowed", []fixture{{typ: s3Bucket, props: map[string]any{"bucket": "b-1"},
		provider: map[string]any{"defaultTags": map[string]any{"tags": map[string]any{"owner": "ml-platform", "project": "churn", "cost-center": "cc-42", "data-classification": "top-secret"}}}}}, 1},
	{requiredTags, "provider default tags, JSON", []fixture{{typ: s3Bucket, props: map[string]any{"bucket": "b-1"},
		provider: map[string]any{"defaultTags": `{"tags":{"owner":"ml-platform","project":"churn","cost-center":"cc-42","data-classification":"top-secret"}}`}}}, 1},
	{iamRoleTrustNoWildcard, "wildcard", one(iamRole, map[string]any{"assumeRolePolicy": wildcardDoc("Allow", map[string]any{"AWS": "*"})}), 1},
	{iamRoleTrustNoWildcard, "wildcard list, JSON", one(iamRole, map[string]any{"assumeRolePolicy": `{"Statement":{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root","*"]}}}`}), 1},
	{iamRoleTrustNoWildcard, "service", one(iamRole, map[string]any{"assumeRolePolicy": wildcardDoc("Allow", map[string]any{"Service": "sagemaker.amazonaws.com"})}), 0},
	{iamRoleTrustNoWildcard, "wildcard denied", one(iamRole, map[string]any{"assumeRolePolicy": wildcardDoc("Deny", "*")}), 0},
	{kmsKeyRotation, "no rotation", one(kmsKey, map[string]any{"customerMasterKeySpec": "SYMMETRIC_DEFAULT", "enableKeyRotation": "false"}), 1},
	{kmsKeyRotation, "rotation", one(kmsKey, map[string]any{"customerMasterKeySpec": "SYMMETRIC_DEFAULT", "enableKeyRotation": true}), 0},
	{kmsKeyRotation, "asymmetric", one(kmsKey, map[string]any{"customerMasterKeySpec": "RSA_2048"}), 0},
	{azuremlWorkspaceIdentity, "no identity", one(amlWorkspace, map[string]any{"identity": map[string]any{"type": "None"}}), 1},
	{azuremlWorkspaceIdentity, "identity", one(amlWorkspace, map[string]any{"identity": map[string]any{"type": "SystemAssigned,UserAssigned"}}), 0},
	{azuremlWorkspacePrivate, "public", one(amlWorkspace, map[string]any{"publicNetworkAccess": "Enabled"}), 1},
	{azuremlWorkspacePrivate, "private", one(amlWorkspace, map[string]any{"publicNetworkAccess": "Disabled"}), 0},
	{azuremlWorkspaceHBI, "confidential, not HBI", one(amlWorkspace, map[string]any{"tags": map[string]any{"data-classification": "confidential"}, "hbiWorkspace": "false"}), 1},
	{azuremlWorkspaceHBI, "confidential, HBI", one(amlWorkspace, map[string]any{"tags": map[string]any{"data-classification": "confidential"}, "hbiWorkspace": true}), 0},
	{azuremlFeaturesetDataReference, "empty references", one(amlFeaturesetVersion, map[string]any{"featuresetVersionProperties": map[string]any{
		"specification": map[string]any{"path": ""}, "entities": []any{"azureml:customer:1", ""}, "dataVersionId": " "}}), 3},
	{azuremlFeaturesetDataReference, "references", one(amlFeaturesetVersion, map[string]any{"featuresetVersionProperties": map[string]any{
		"specification": map[string]any{"path": "azureml://datastores/fs/paths/churn/spec"}, "entities": []any{"azureml:customer:1"}}}), 0},
	{azureStorageSecureTransport, "http and TLS 1.0", one(azStorageAccount, map[string]any{"enableHttpsTrafficOnly": "false", "minimumTlsVersion": "TLS1_0"}), 2},
	{azureStorageSecureTransport, "https and TLS 1.2", one(azStorageAccount, map[string]any{"enableHttpsTrafficOnly": true, "minimumTlsVersion": "TLS1_2"}), 0},
	{azureStorageNoPublicBlob, "public blobs", one(azStorageAccount, map[string]any{"allowBlobPublicAccess": "true"}), 1},
	{azureStorageNoPublicBlob, "no public blobs", one(azStorageAccount, map[string]any{"allowBlobPublicAccess": false}), 0},
	{azureKeyVaultPurgeProtection, "no purge protection", one(azKeyVault, map[string]any{"properties": map[string]any{"enablePurgeProtection": "false"}}), 1},
	{azureKeyVaultPurgeProtection, "purge protection", one(azKeyVault, map[string]any{"properties": map[string]any{"enablePurgeProtection": true}}), 0},
	{azuremlWorkspaceDependencies, "no dependencies", one(amlWorkspace, map[string]any{"workspaceName": "ws-1"}), 3},
	{azuremlWorkspaceDependencies, "dependencies", one(amlWorkspace, map[string]any{"storageAccount": "/subscriptions/0/sa", "keyVault": "/subscriptions/0/kv", "applicationInsights": "/subscriptions/0/ai"}), 0},
	{azuremlWorkspaceLegacyModeOff, "legacy mode", one(amlWorkspace, map[string]any{"v1LegacyMode": "true"}), 1},
	{azuremlWorkspaceLegacyModeOff, "v2 mode", one(amlWorkspace, map[string]any{"v1LegacyMode": false}), 0},
	{azuremlWorkspaceVNetNoPublic, "public behind vnet", one(amlWorkspace, map[string]any{"allowPublicAccessWhenBehindVnet": "true"}), 1},
	{azuremlWorkspaceVNetNoPublic, "private behind vnet", one(amlWorkspace, map[string]any{"allowPublicAccessWhenBehindVnet": false}), 0},
	{azuremlWorkspaceUserAssignedIdentity, "not required", one(amlWorkspace, map[string]any{"identity": map[string]any{"type": "SystemAssigned"}}), 0},
	{azuremlWorkspaceUserAssignedIdentity, "no primary identity", one(amlWorkspace, map[string]any{"identity": map[string]any{"type": "UserAssigned"}, "primaryUserAssignedIdentity": ""}), 1},
	{azuremlWorkspaceManagedNetwork, "internet outbound", []fixture{{typ: amlWorkspace, provider: map[string]any{"version": "3.28.0"}, props: map[string]any{"managedNetwork": map[string]any{"isolationMode": "AllowInternetOutbound"}}}}, 1},
	{azuremlWorkspaceManagedNetwork, "approved outbound", []fixture{{typ: amlWorkspace, provider: map[string]any{"version": "3.28.0"}, props: map[string]any{"managedNetwork": map[string]any{"isolationMode": "AllowOnlyApprovedOutbound"}}}}, 0},
	{azuremlWorkspaceDiagnostics, "no diagnostic setting", one(amlWorkspace, map[string]any{"workspaceName": "ws-1", "id": wsID}), 1},
	{azuremlWorkspaceDiagnostics, "diagnostic setting", []fixture{{typ: amlWorkspace, props: map[string]any{"workspaceName": "ws-1", "id": wsID}},
		{typ: providers.DiagnosticSetting, props: map[string]any{"resourceUri": wsID}}}, 0},
	{azuremlWorkspacePrivateEndpoint, "no private endpoint", one(amlWorkspace, map[string]any{"publicNetworkAccess": "Disabled", "id": wsID}), 1},
	{azuremlWorkspacePrivateEndpoint, "private endpoint", []fixture{{typ: amlWorkspace, props: map[string]any{"publicNetworkAccess": "Disabled", "id": wsID}},
		{typ: providers.PrivateEndpoint, props: map[string]any{"privateLinkServiceConnections": []any{map[string]any{"privateLinkServiceId": wsID}}}}}, 0},
	{azuremlComputeInVNet, "no subnet", one(amlCompute, map[string]any{"properties": map[string]any{"computeType": "ComputeInstance", "properties": map[string]any{"vmSize": "STANDARD_DS3_V2"}}}), 1},
	{azuremlComputeInVNet, "subnet", one(amlCompute, governedInstance), 0},
	{azuremlComputeLocalAuthDisabled, "local auth", one(amlCompute, map[string]any{"properties": map[string]any{"computeType": "AmlCompute", "disableLocalAuth": "false"}}), 1},
	{azuremlComputeLocalAuthDisabled, "no local auth", one(amlCompute, governedCluster), 0},
	{azuremlComputeIdleShutdown, "start schedule only", one(amlCompute, map[string]any{"properties": map[string]any{"computeType": "ComputeInstance", "properties": map[string]any{
		"schedules": map[string]any{"computeStartStop": []any{map[string]any{"action": "Start"}}}}}}), 1},
	{azuremlComputeIdleShutdown, "stop schedule", one(amlCompute, governedInstance), 0},
	{azuremlComputeNoPublicIP, "public IP", one(amlCompute, map[string]any{"properties": map[string]any{"computeType": "AmlCompute", "properties": map[string]any{"enableNodePublicIp": "true"}}}), 1},
	{azuremlComputeNoPublicIP, "no public IP", one(amlCompute, governedCluster), 0},
	{azuremlComputeSSHDisabled, "public SSH", one(amlCompute, map[string]any{"properties": map[string]any{"computeType": "ComputeInstance", "properties": map[string]any{"sshSettings": map[string]any{"sshPublicAccess": "Enabled"}}}}), 1},
	{azuremlComputeSSHDisabled, "no SSH", one(amlCompute, governedCluster), 0},
	{azuremlClusterScaleToZero, "warm nodes", one(amlCompute, map[string]any{"properties": map[string]any{"computeType": "AmlCompute", "properties": map[string]any{"scaleSettings": map[string]any{"minNodeCount": "1"}}}}), 1},
	{azuremlClusterScaleToZero, "to zero", one(amlCompute, governedCluster), 0},
	{azuremlOnlineEndpointPrivate, "public endpoint", one(amlOnlineEndpoint, map[string]any{"onlineEndpointProperties": map[string]any{"publicNetworkAccess": "Enabled"}}), 1},
	{azuremlOnlineEndpointPrivate, "private endpoint", one(amlOnlineEndpoint, map[string]any{"onlineEndpointProperties": map[string]any{"publicNetworkAccess": "Disabled"}}), 0},
	{azuremlOnlineEndpointAADAuth, "keys", one(amlOnlineEndpoint, map[string]any{"onlineEndpointProperties": map[string]any{"authMode": "Key"}}), 1},
	{azuremlOnlineEndpointAADAuth, "AAD", one(amlOnlineEndpoint, map[string]any{"onlineEndpointProperties": map[string]any{"authMode": "AADToken"}}), 0},
	{azuremlOnlineDeploymentNoPublicEgress, "egress", one(amlOnlineDeployment, map[string]any{"onlineDeploymentProperties": map[string]any{"endpointComputeType": "Managed", "egressPublicNetworkAccess": "Enabled"}}), 1},
	{azuremlOnlineDeploymentNoPublicEgress, "no egress", one(amlOnlineDeployment, map[string]any{"onlineDeploymentProperties": map[string]any{"endpointComputeType": "Managed", "egressPublicNetworkAccess": "Disabled"}}), 0},
	{azuremlRegistryPrivate, "public registry", one(amlRegistry, map[string]any{"registryProperties": map[string]any{"publicNetworkAccess": "Enabled"}}), 1},
	{azuremlRegistryPrivate, "private registry", one(amlRegistry, map[string]any{"registryProperties": map[string]any{"publicNetworkAccess": "Disabled"}}), 0},
	{azuremlDatastoreIdentityAccess, "account key", one(amlDatastore, map[string]any{"datastoreProperties": map[string]any{"credentials": map[string]any{
		"credentialsType": "AccountKey", "secrets": map[string]any{"secretsType": "AccountKey", "key": "c3RvcmFnZS1hY2NvdW50LWtleQ=="}}}}), 1},
	{azuremlDatastoreIdentityAccess, "identity", one(amlDatastore, map[string]any{"datastoreProperties": map[string]any{"credentials": map[string]any{"credentialsType": "None"}}}), 0},
	{acrAdminUserDisabled, "admin user", one(acrRegistry, map[string]any{"adminUserEnabled": "true"}), 1},
	{acrAdminUserDisabled, "no admin user", one(acrRegistry, governedRegistry), 0},
	{acrAnonymousPullDisabled, "anonymous pull", []fixture{{typ: acrRegistry, provider: map[string]any{"version": "3.28.0"}, props: map[string]any{"anonymousPullEnabled": "true"}}}, 1},
	{acrAnonymousPullDisabled, "no anonymous pull", []fixture{{typ: acrRegistry, provider: map[string]any{"version": "3.28.0"}, props: map[string]any{"anonymousPullEnabled": false}}}, 0},
	{acrPrivate, "open registry", one(acrRegistry, map[string]any{"publicNetworkAccess": "Enabled", "networkRuleSet": map[string]any{"defaultAction": "Allow"}}), 1},
	{acrPrivate, "deny by default", one(acrRegistry, map[string]any{"publicNetworkAccess": "Enabled", "networkRuleSet": map[string]any{"defaultAction": "Deny"}}), 0},
	{acrRetentionPolicy, "no retention", one(acrRegistry, map[string]any{"policies": map[string]any{"retentionPolicy": map[string]any{"status": "disabled"}}}), 1},
	{acrRetentionPolicy, "retention", one(acrRegistry, governedRegistry), 0},
	{acrCMK, "CMK without a key", one(acrRegistry, map[string]any{"encryption": map[string]any{"status": "enabled", "keyVaultProperties": map[string]any{"identity": "11111111-2222-3333-4444-555555555555"}}}), 1},
	{acrCMK, "CMK", one(acrRegistry, map[string]any{"encryption": map[string]any{"status": "enabled", "keyVaultProperties": map[string]any{
		"keyIdentifier": "https://kv.vault.azure.net/keys/acr", "identity": "11111111-2222-3333-4444-555555555555"}}}), 0},
	{aiServicesLocalAuthDisabled, "keys", one(aiAccount, map[string]any{"properties": map[string]any{"disableLocalAuth": "false"}}), 1},
	{aiServicesLocalAuthDisabled, "no keys", one(aiAccount, governedOpenAI), 0},
	{aiServicesPrivate, "open", one(aiAccount, map[string]any{"properties": map[string]any{"publicNetworkAccess": "Enabled"}}), 1},
	{aiServicesPrivate, "private", one(aiAccount, governedOpenAI), 0},
	{aiServicesCMK, "Microsoft-managed key", one(aiAccount, map[string]any{"properties": map[string]any{"encryption": map[string]any{"keySource": "Microsoft.CognitiveServices"}}}), 1},
	{aiServicesCMK, "customer-managed key", one(aiAccount, governedOpenAI), 0},
	{aiServicesManagedIdentity, "no identity", one(aiAccount, map[string]any{"identity": map[string]any{"type": "None"}}), 1},
	{aiServicesManagedIdentity, "identity", one(aiAccount, governedOpenAI), 0},
	{aiServicesOutboundRestricted, "unrestricted", one(aiAccount, map[string]any{"kind": "OpenAI", "properties": map[string]any{"restrictOutboundNetworkAccess": "false"}}), 1},
	{aiServicesOutboundRestricted, "restricted", one(aiAccount, governedOpenAI), 0},
	{aiDeploymentContentFilter, "no content filter", one(aiDeployment, map[string]any{"properties": map[string]any{"raiPolicyName": " "}}), 1},
	{aiDeploymentContentFilter, "content filter", one(aiDeployment, map[string]any{"properties": map[string]any{"raiPolicyName": "ml-strict"}}), 0},
	{azuremlWorkspaceCMK, "CMK without a key", one(amlWorkspace, map[string]any{"encryption": map[string]any{"status": "Enabled", "keyVaultProperties": map[string]any{"keyVaultArmId": "/subscriptions/0/kv"}}}), 1},
	{azuremlWorkspaceCMK, "CMK", one(amlWorkspace, map[string]any{"encryption": map[string]any{"status": "Enabled", "keyVaultProperties": map[string]any{
		"keyVaultArmId": "/subscriptions/0/kv", "keyIdentifier": "https://kv.vault.azure.net/keys/ws/0123"}}}), 0},
	{azureAllowedLocations, "outside the allowlist", one(amlWorkspace, map[string]any{"location": "eastus"}), 1},
	{azureAllowedLocations, "inside the allowlist", one(amlWorkspace, map[string]any{"location": "West Europe"}), 0},
	{azureKeyVaultRBAC, "access policies", one(azKeyVault, map[string]any{"properties": map[string]any{"enableRbacAuthorization": "false"}}), 1},
	{azureKeyVaultRBAC, "RBAC", one(azKeyVault, map[string]any{"properties": map[string]any{"enableRbacAuthorization": true}}), 0},
	{azureKeyVaultSoftDelete, "soft delete off", one(azKeyVault, map[string]any{"properties": map[string]any{"enableSoftDelete": "false"}}), 1},
	{azureKeyVaultSoftDelete, "soft delete", one(azKeyVault, map[string]any{"properties": map[string]any{"enableSoftDelete": true, "softDeleteRetentionInDays": 30}}), 0},
	{azureKeyVaultPrivate, "open vault", one(azKeyVault, map[string]any{"properties": map[string]any{"publicNetworkAccess": "Enabled", "networkAcls": map[string]any{"defaultAction": "Allow"}}}), 1},
	{azureKeyVaultPrivate, "private vault", one(azKeyVault, map[string]any{"properties": map[string]any{"publicNetworkAccess": "Disabled"}}), 0},
	{azureStoragePrivate, "open account", one(azStorageAccount, map[string]any{"publicNetworkAccess": "Enabled"}), 1},
	{azureStoragePrivate, "private account", one(azStorageAccount, mlData), 0},
	{azureStorageSharedKeyDisabled, "datastore on a shared-key account", []fixture{{typ: azStorageAccount, props: map[string]any{"accountName": "mldata1", "allowSharedKeyAccess": "true"}},
		{typ: providers.AMLDatastore, props: map[string]any{"datastoreProperties": map[string]any{"accountName": "mldata1"}}}}, 1},
	{azureStorageSharedKeyDisabled, "datastore on an Entra-only account", []fixture{{typ: azStorageAccount, props: map[string]any{"accountName": "mldata1", "allowSharedKeyAccess": false}},
		{typ: providers.AMLDatastore, props: map[string]any{"datastoreProperties": map[string]any{"accountName": "mldata1"}}}}, 0},
	{azureStorageHBIPrivate, "public HBI storage", []fixture{{typ: azStorageAccount, props: map[string]any{"id": "/subscriptions/0/sa", "publicNetworkAccess": "Enabled"}},
		{typ: amlWorkspace, props: map[string]any{"hbiWorkspace": true, "storageAccount": "/subscriptions/0/sa"}}}, 1},
	{azureStorageHBIPrivate, "private HBI storage", []fixture{{typ: azStorageAccount, props: map[string]any{"id": "/subscriptions/0/sa", "publicNetworkAccess": "Disabled"}},
		{typ: amlWorkspace, props: map[string]any{"hbiWorkspace": true, "storageAccount": "/subscriptions/0/sa"}}}, 0},
	{exemptionValid, "expired, malformed", one(s3Bucket, map[string]any{"tags": map[string]any{
		"mlguard-exemption": "s3-bucket-no-public-acl:2001-01-01:approved by the data-governance board", "mlguard-exemption:kms-key-rotation": "sometime:because"}}), 2},
	{exemptionValid, "current", one(s3Bucket, map[string]any{"tags": map[string]any{"mlguard-exemption": "s3-bucket-access-logging:" + daysFromNow(30) + ":approved by the data-governance board"}}), 0},
	{exemptionValid, "closed to tags, too long", one(s3Bucket, map[string]any{"tags": map[string]any{
		"mlguard-exemption": "s3-bucket-no-public-acl:2999-12-31:approved by the data-governance board", "mlguard-exemption:kms-key-rotation": "2999-12-31:because"}}), 2},
}

// allSecret wraps every string of a fixture in a secret.
func allSecret(v any) any {
	switch x := v.(type) {
	case string:
		return pt.Secret(x)
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = allSecret(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = allSecret(e)
		}
		return out
	}
	return v
}

// stringsOf returns the strings of a fixture, longer than two characters.
func stringsOf(v any, out map[string]bool) {
	switch x := v.(type) {
	case string:
		if len(x) > 2 {
			out[x] = true
		}
	case map[string]any:
		for _, e := range x {
			stringsOf(e, out)
		}
	case []any:
		for _, e := range x {
			stringsOf(e, out)
		}
	}
}

func (c secretCase) build(secret bool) []*policy.Resource {
	var out []*policy.Resource
	for i, f := range c.resources {
		props, prov := f.props, f.provider
		if secret {
			props, _ = allSecret(props).(map[string]any)
			if prov != nil {
				prov, _ = allSecret(prov).(map[string]any)
			}
		}
		r := res(f.typ, fmt.Sprintf("r%d", i), props, nil)
		if prov != nil {
			r.Provider = pt.Resource("pulumi:providers:aws", "default", prov)
		}
		out = append(out, r)
	}
	return out
}

func (c secretCase) run(secret bool) pt.Result {
	rs := c.build(secret)
	config := secretConfigs[c.policy.Name]
	if c.policy.Stack != nil {
		return pt.CheckStack(c.policy, rs, config)
	}
	return pt.Check(c.policy, rs[0], config)
}

// secretConfigs are the configurations the secret cases of policies that
// judge nothing unconfigured run with.
var secretConfigs = map[string]map[string]any{
	azureAllowedLocations.Name: {"locations": []any{"westeurope"}},
}

// secretValues are the strings a case's fixtures hold.
func (c secretCase) secretValues() []string {
	seen := map[string]bool{}
	for _, f := range c.resources {
		stringsOf(f.props, seen)
		stringsOf(f.provider, seen)
	}
	out := make([]string, 0, len(seen))
	for s := range seen {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// assertNoneOf fails if text holds a value (the mask itself is taken out
// first, so that a value such as "cre" is not "found" inside "[secret]").
func assertNoneOf(t *testing.T, what, text string, values []string) {
	t.Helper()
	masked := strings.ReplaceAll(text, "[secret]", "\x00")
	for _, v := range values {
		assert.NotContains(t, masked, v, "a secret leaked into %s: %q", what, text)
	}
}

func TestEveryPolicyHasSecretCases(t *testing.T) {
	violating, compliant := map[string]bool{}, map[string]bool{}
	for _, c := range secretCases {
		if c.violations > 0 {
			violating[c.policy.Name] = true
		} else {
			compliant[c.policy.Name] = true
		}
	}
	for _, p := range Pack().Policies {
		assert.True(t, violating[p.Name], "%s has no violating secret case", p.Name)
		assert.True(t, compliant[p.Name], "%s has no compliant secret case", p.Name)
	}
}

// TestSecretFixturesJudgedAlike: rules read secret values as they read plain
// ones, and print none of them. The rule alone (no runtime scrubbing) must
// not print a value except where its own text says the same word.
func TestSecretFixturesJudgedAlike(t *testing.T) {
	for _, c := range secretCases {
		t.Run(c.policy.Name+"/"+c.name, func(t *testing.T) {
			plain := c.run(false)
			require.Len(t, plain.Violations, c.violations, "plain fixture: %q", plain.Violations)
			assert.Empty(t, plain.NotApplicable)

			secret := c.run(true)
			assert.Len(t, secret.Violations, c.violations, "the same fixture with every string secret: %q", secret.Violations)
			assert.Empty(t, secret.NotApplicable)
			own := c.policy.DisplayName + " " + c.policy.Description + " " + c.policy.RemediationSteps + " " + strings.Join(plain.Violations, " ")
			var values []string
			for _, v := range c.secretValues() {
				// A value the rule's own words hold ("Enabled", "public-read")
				// cannot be told from them in a message without scrubbing;
				// the runtime test below covers those.
				if !strings.Contains(strings.ReplaceAll(own, strconvQuote(v), ""), v) {
					values = append(values, v)
				}
			}
			for _, m := range secret.Violations {
				assertNoneOf(t, "a violation", m, values)
			}
			assertNoneOf(t, "the not-applicable reason", secret.NotApplicable, values)
		})
	}
}

func strconvQuote(s string) string { return fmt.Sprintf("%q", s) }

func rpcResource(r *policy.Resource) *pulumirpc.AnalyzerResource {
	out := &pulumirpc.AnalyzerResource{Type: r.Type, Name: r.Name, Urn: r.URN, Properties: r.Props.Raw().GetStructValue()}
	if r.Provider != nil {
		out.Provider = &pulumirpc.AnalyzerProviderResource{Type: r.Provider.Type, Name: r.Provider.Name, Urn: r.Provider.URN,
			Properties: r.Provider.Props.Raw().GetStructValue()}
	}
	return out
}

// analyzeThroughRuntime runs the whole pack, as the engine would, and returns
// the diagnostics of policy p and every message the pack produced.
func analyzeThroughRuntime(t *testing.T, p *policy.Policy, rs []*policy.Resource) (diags []*pulumirpc.AnalyzeDiagnostic, said []string) {
	t.Helper()
	log := &analyzertest.LogRecorder{}
	s, err := analyzer.NewServer(Pack(), log)
	require.NoError(t, err)
	ctx := context.Background()
	if config, ok := secretConfigs[p.Name]; ok {
		props, err := structpb.NewStruct(config)
		require.NoError(t, err)
		_, err = s.Configure(ctx, &pulumirpc.ConfigureAnalyzerRequest{PolicyConfig: map[string]*pulumirpc.PolicyConfig{
			p.Name: {EnforcementLevel: pulumirpc.EnforcementLevel_MANDATORY, Properties: props}}})
		require.NoError(t, err)
	}
	var responses []*pulumirpc.AnalyzeResponse
	if p.Stack != nil {
		req := &pulumirpc.AnalyzeStackRequest{}
		for _, r := range rs {
			req.Resources = append(req.Resources, rpcResource(r))
		}
		resp, err := s.AnalyzeStack(ctx, req)
		require.NoError(t, err)
		responses = append(responses, resp)
	} else {
		for _, r := range rs {
			x := rpcResource(r)
			resp, err := s.Analyze(ctx, &pulumirpc.AnalyzeRequest{Type: x.Type, Name: x.Name, Urn: x.Urn, Properties: x.Properties, Provider: x.Provider})
			require.NoError(t, err)
			responses = append(responses, resp)
			rem, err := s.Remediate(ctx, &pulumirpc.AnalyzeRequest{Type: x.Type, Name: x.Name, Urn: x.Urn, Properties: x.Properties, Provider: x.Provider})
			require.NoError(t, err)
			for _, m := range rem.GetRemediations() {
				said = append(said, m.Diagnostic)
			}
		}
	}
	for _, resp := range responses {
		for _, d := range resp.GetDiagnostics() {
			said = append(said, d.Message)
			if d.PolicyName == p.Name {
				diags = append(diags, d)
			}
		}
		for _, na := range resp.GetNotApplicable() {
			said = append(said, na.Reason)
		}
	}
	said = append(said, log.Take()...)
	return diags, said
}

// TestSecretFixturesThroughTheRuntime: through Analyze and AnalyzeStack, with
// the runtime's scrubbing, nothing the pack says — any policy's diagnostic,
// any reason, any log line — holds a secret string, and the policy under
// test reports what it reports on the plain fixture.
func TestSecretFixturesThroughTheRuntime(t *testing.T) {
	for _, c := range secretCases {
		t.Run(c.policy.Name+"/"+c.name, func(t *testing.T) {
			plain, _ := analyzeThroughRuntime(t, c.policy, c.build(false))
			require.Len(t, plain, c.violations)
			secret, said := analyzeThroughRuntime(t, c.policy, c.build(true))
			assert.Len(t, secret, c.violations)
			for i := range secret {
				if i < len(plain) {
					assert.Equal(t, plain[i].EnforcementLevel, secret[i].EnforcementLevel)
				}
			}
			values := c.secretValues()
			for _, m := range said {
				assertNoneOf(t, "what the pack said", m, values)
			}
		})
	}
}

// TestSecretExemptionShowsNoPartOfIt: a secret exemption tag still exempts,
// and the note says nothing of it — before, its expiry date was shown.
func TestSecretExemptionShowsNoPartOfIt(t *testing.T) {
	fixNow(t, "2026-06-01")
	for _, tags := range []map[string]any{
		{"mlguard-exemption": pt.Secret("kms-key-rotation:2026-07-31:approved by the data-governance board")},
		{"mlguard-exemption:kms-key-rotation": pt.Secret("2026-07-31:approved by the data-governance board")},
	} {
		r := pt.Resource(kmsKey, "k", map[string]any{"customerMasterKeySpec": "SYMMETRIC_DEFAULT", "enableKeyRotation": false, "tags": tags})
		diags, said := analyzeThroughRuntime(t, kmsKeyRotation, []*policy.Resource{r})
		require.Len(t, diags, 1)
		assert.Equal(t, pulumirpc.EnforcementLevel_ADVISORY, diags[0].EnforcementLevel)
		assert.Contains(t, diags[0].Message, "[exempted: tag mlguard-exemption exempts it until [secret]: [secret]]")
		for _, m := range said {
			assertNoneOf(t, "what the pack said", m, []string{"2026-07-31", "approved by"})
		}
	}
}
