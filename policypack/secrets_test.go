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
	{s3BucketAccessLogging, "inline logging, v7", []fixture{{typ: s3Bucket, props: map[string]any{"bucket": "b-1", "logging": map[string]any{"targetBucket": "access-logs-1"}}}}, 0},
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
	{azuremlFeaturesetDataReference, "empty references, v3", one(amlFeaturesetVersion, map[string]any{"properties": map[string]any{
		"specification": map[string]any{"path": ""}, "entities": []any{"azureml:customer:1", ""}, "dataVersionId": " "}}), 3},
	{azuremlFeaturesetDataReference, "references, v3", one(amlFeaturesetVersion, map[string]any{"properties": map[string]any{
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
	{awsConfigRuleInputParameters, "a comment in the JSON", one(cfgRule, map[string]any{"source": map[string]any{"owner": "AWS", "sourceIdentifier": "S3_BUCKET_VERSIONING_ENABLED"},
		"inputParameters": `{ "desired_value":"true" # Define parameters for the rule }`}), 1},
	{awsConfigRuleInputParameters, "a parameter the rule does not take", one(cfgRule, map[string]any{"source": map[string]any{"owner": "AWS", "sourceIdentifier": "S3_BUCKET_VERSIONING_ENABLED"},
		"inputParameters": `{"desired_value":"true"}`}), 1},
	{awsConfigRuleInputParameters, "parameters the rule takes", one(cfgRule, map[string]any{"source": map[string]any{"owner": "AWS", "sourceIdentifier": "S3_BUCKET_VERSIONING_ENABLED"},
		"inputParameters": `{"isMfaDeleteEnabled":"false"}`}), 0},
	{awsARNPlaceholder, "placeholder role", one(cfgRecorder, map[string]any{"name": "rec-main", "roleArn": "<ARN_OF_AWS_CONFIG_SERVICE_ROLE>"}), 1},
	{awsARNPlaceholder, "documentation account, nested", one(smDomain, map[string]any{"defaultUserSettings": map[string]any{"executionRole": "arn:aws:iam::123456789012:role/x"}}), 1},
	{awsARNPlaceholder, "real role", one(cfgRecorder, map[string]any{"name": "rec-main", "roleArn": roleARN}), 0},
	{sagemakerModelNetworkIsolation, "isolation off", one(smModel, map[string]any{"enableNetworkIsolation": "false"}), 1},
	{sagemakerModelNetworkIsolation, "isolated", one(smModel, map[string]any{"enableNetworkIsolation": true}), 0},
	{sagemakerModelVPC, "no subnets", one(smModel, map[string]any{"vpcConfig": map[string]any{"subnets": []any{}, "securityGroupIds": []any{"sg-0abc1234"}}}), 1},
	{sagemakerModelVPC, "VPC", one(smModel, map[string]any{"vpcConfig": map[string]any{"subnets": []any{"subnet-0abc1234"}, "securityGroupIds": []any{"sg-0abc1234"}}}), 0},
	{sagemakerModelPrivateRegistry, "public image", one(smModel, map[string]any{"primaryContainer": map[string]any{"image": "docker.io/library/python:3.12"}}), 1},
	{sagemakerModelPrivateRegistry, "ECR image", one(smModel, map[string]any{"primaryContainer": map[string]any{"image": ecrImage}}), 0},
	{sagemakerEndpointDataCaptureKMS, "capture without key", one(smEndpointConfig, map[string]any{"dataCaptureConfig": map[string]any{"enableCapture": "true", "destinationS3Uri": "s3://capture/x"}}), 1},
	{sagemakerEndpointDataCaptureKMS, "capture with key", one(smEndpointConfig, map[string]any{"dataCaptureConfig": map[string]any{"enableCapture": true, "kmsKeyId": kmsARN}}), 0},
	{sagemakerEndpointInstanceCount, "one instance", one(smEndpointConfig, map[string]any{"productionVariants": []any{map[string]any{"modelName": "churn-model", "initialInstanceCount": 1}}}), 1},
	{sagemakerEndpointInstanceCount, "two instances", one(smEndpointConfig, map[string]any{"productionVariants": []any{map[string]any{"modelName": "churn-model", "initialInstanceCount": "2"}}}), 0},
	{sagemakerNotebookIMDSv2, "v1 allowed", one(smNotebook, map[string]any{"instanceMetadataServiceConfiguration": map[string]any{"minimumInstanceMetadataServiceVersion": "1"}}), 1},
	{sagemakerNotebookIMDSv2, "v2 only", one(smNotebook, map[string]any{"instanceMetadataServiceConfiguration": map[string]any{"minimumInstanceMetadataServiceVersion": "2"}}), 0},
	{sagemakerNotebookPlatform, "Amazon Linux 1", one(smNotebook, map[string]any{"platformIdentifier": "notebook-al1-v1"}), 1},
	{sagemakerNotebookPlatform, "AL2023", one(smNotebook, map[string]any{"platformIdentifier": "notebook-al2023-v1"}), 0},
	{sagemakerMonitoringKMS, "no keys", one(smDataQualityJob, map[string]any{"dataQualityJobOutputConfig": map[string]any{"kmsKeyId": ""}}), 2},
	{sagemakerMonitoringKMS, "keys", one(smDataQualityJob, dqJobProps), 0},
	{sagemakerMonitoringNetwork, "not isolated", one(smDataQualityJob, map[string]any{"networkConfig": map[string]any{"enableInterContainerTrafficEncryption": "true", "enableNetworkIsolation": "false"}}), 1},
	{sagemakerMonitoringNetwork, "isolated", one(smDataQualityJob, dqJobProps), 0},
	{sagemakerDomainSharingRules, "profile opts back in", []fixture{{typ: smDomain, props: map[string]any{"id": "d-abc123", "defaultUserSettings": map[string]any{"sharingSettings": map[string]any{"notebookOutputOption": "Disabled"}}}},
		{typ: smUserProfile, props: map[string]any{"domainId": "d-abc123", "userSettings": map[string]any{"sharingSettings": map[string]any{"notebookOutputOption": "Allowed"}}}}}, 1},
	{sagemakerDomainSharingRules, "profile inherits", []fixture{{typ: smDomain, props: map[string]any{"id": "d-abc123", "defaultUserSettings": map[string]any{"sharingSettings": map[string]any{"notebookOutputOption": "Disabled"}}}},
		{typ: smUserProfile, props: map[string]any{"domainId": "d-abc123", "userProfileName": "alice"}}}, 0},
	{sagemakerFlowDefinitionKMS, "no key", one(smFlowDefinition, map[string]any{"outputConfig": map[string]any{"s3OutputPath": "s3://review/out"}}), 1},
	{sagemakerFlowDefinitionKMS, "key", one(smFlowDefinition, map[string]any{"outputConfig": map[string]any{"s3OutputPath": "s3://review/out", "kmsKeyId": kmsARN}}), 0},
	{bedrockGuardrailPromptAttack, "prompt attack at LOW", one(brGuardrail, map[string]any{"contentPolicyConfig": map[string]any{"filtersConfigs": []any{map[string]any{"type": "PROMPT_ATTACK", "inputStrength": "LOW"}}}}), 1},
	{bedrockGuardrailPromptAttack, "prompt attack at HIGH", one(brGuardrail, guardrailProps), 0},
	{bedrockGuardrailSensitiveInfo, "detect only", one(brGuardrail, map[string]any{"sensitiveInformationPolicyConfig": map[string]any{"piiEntitiesConfigs": []any{map[string]any{"type": "EMAIL", "action": "NONE"}}}}), 1},
	{bedrockGuardrailSensitiveInfo, "masked", one(brGuardrail, guardrailProps), 0},
	{bedrockAgentKMS, "no key", one(brAgent, map[string]any{"agentName": "support-agent"}), 1},
	{bedrockAgentKMS, "key", one(brAgent, map[string]any{"agentName": "support-agent", "customerEncryptionKeyArn": kmsARN}), 0},
	{bedrockAgentGuardrail, "no guardrail", one(brAgent, map[string]any{"agentName": "support-agent"}), 1},
	{bedrockAgentGuardrail, "guardrail", one(brAgent, map[string]any{"guardrailConfigurations": []any{map[string]any{"guardrailIdentifier": "gr-abc123", "guardrailVersion": "DRAFT"}}}), 0},
	{bedrockInvocationLogging, "no logging", []fixture{{typ: brGuardrail, props: guardrailProps}}, 1},
	{bedrockInvocationLogging, "log group without key", []fixture{{typ: brGuardrail, props: guardrailProps}, {typ: cwLogGroup, props: map[string]any{"name": "/bedrock/invocations"}},
		{typ: brInvocationLogs, props: map[string]any{"loggingConfig": map[string]any{"cloudwatchConfig": map[string]any{"logGroupName": "/bedrock/invocations"}}}}}, 1},
	{bedrockInvocationLogging, "log group with key", []fixture{{typ: brGuardrail, props: guardrailProps}, {typ: cwLogGroup, props: map[string]any{"name": "/bedrock/invocations", "kmsKeyId": kmsARN}},
		{typ: brInvocationLogs, props: map[string]any{"loggingConfig": map[string]any{"cloudwatchConfig": map[string]any{"logGroupName": "/bedrock/invocations"}}}}}, 0},
	{bedrockDataSourceKMS, "no key", one(brDataSource, map[string]any{"name": "docs-source"}), 1},
	{bedrockDataSourceKMS, "key", one(brDataSource, map[string]any{"serverSideEncryptionConfiguration": map[string]any{"kmsKeyArn": kmsARN}}), 0},
	{bedrockCustomModelKMS, "no key", one(brCustomModel, map[string]any{"customModelName": "churn-ft"}), 1},
	{bedrockCustomModelKMS, "key", one(brCustomModel, map[string]any{"customModelKmsKeyId": kmsARN}), 0},
	{bedrockPromptKMS, "no key", one(brPrompt, map[string]any{"name": "triage-prompt"}), 1},
	{bedrockPromptKMS, "key", one(brPrompt, map[string]any{"customerEncryptionKeyArn": kmsARN}), 0},
	{ecrScanOnPush, "no scan", one(ecrRepository, map[string]any{"imageScanningConfiguration": map[string]any{"scanOnPush": "false"}}), 1},
	{ecrScanOnPush, "scan", one(ecrRepository, ecrRepoProps), 0},
	{ecrImmutableTags, "mutable", one(ecrRepository, map[string]any{"imageTagMutability": "MUTABLE"}), 1},
	{ecrImmutableTags, "immutable", one(ecrRepository, ecrRepoProps), 0},
	{ecrKMS, "AES256", one(ecrRepository, map[string]any{"encryptionConfigurations": []any{map[string]any{"encryptionType": "AES256"}}}), 1},
	{ecrKMS, "KMS", one(ecrRepository, ecrRepoProps), 0},
	{ecrLifecycle, "no lifecycle policy", []fixture{{typ: ecrRepository, props: ecrRepoProps}}, 1},
	{ecrLifecycle, "lifecycle policy", []fixture{{typ: ecrRepository, props: ecrRepoProps}, {typ: ecrLifecyclePolicy, props: map[string]any{"repository": "churn-model", "policy": `{"rules":[]}`}}}, 0},
	{ecrNoPublicPolicy, "public", one(ecrRepositoryPolicy, map[string]any{"policy": wildcardDoc("Allow", "*")}), 1},
	{ecrNoPublicPolicy, "named", one(ecrRepositoryPolicy, map[string]any{"policy": wildcardDoc("Allow", map[string]any{"AWS": "arn:aws:iam::111122223333:root"})}), 0},
	{s3BucketTLSOnly, "no TLS deny", []fixture{{typ: s3Bucket, props: map[string]any{"bucket": "data-123"}}, {typ: s3BucketPolicy, props: map[string]any{"bucket": "data-123", "policy": wildcardDoc("Allow", "*")}}}, 1},
	{s3BucketTLSOnly, "TLS deny", []fixture{{typ: s3Bucket, props: map[string]any{"bucket": "data-123"}}, {typ: s3BucketPolicy, props: map[string]any{"bucket": "data-123", "policy": tlsDeny}}}, 0},
	{s3BucketOwnershipEnforced, "ACLs on", []fixture{{typ: s3Bucket, props: map[string]any{"bucket": "data-123"}}, {typ: s3BucketOwnership, props: map[string]any{"bucket": "data-123", "rule": map[string]any{"objectOwnership": "ObjectWriter"}}}}, 1},
	{s3BucketOwnershipEnforced, "ACLs off", []fixture{{typ: s3Bucket, props: map[string]any{"bucket": "data-123"}}, {typ: s3BucketOwnership, props: map[string]any{"bucket": "data-123", "rule": map[string]any{"objectOwnership": "BucketOwnerEnforced"}}}}, 0},
	{s3AuditBucketObjectLock, "history without lock", []fixture{{typ: s3BucketV2Token, props: map[string]any{"bucket": "config-history"}}, {typ: cfgDeliveryChannel, props: map[string]any{"s3BucketName": "config-history"}}}, 1},
	{s3AuditBucketObjectLock, "history with lock", []fixture{{typ: s3BucketV2Token, props: map[string]any{"bucket": "config-history", "objectLockEnabled": "true"}}, {typ: cfgDeliveryChannel, props: map[string]any{"s3BucketName": "config-history"}}}, 0},
	{kmsKeyPolicyNoPublic, "public", one(kmsKey, map[string]any{"policy": wildcardDoc("Allow", "*")}), 1},
	{kmsKeyPolicyNoPublic, "account", one(kmsKey, map[string]any{"policy": wildcardDoc("Allow", map[string]any{"AWS": "arn:aws:iam::111122223333:root"})}), 0},
	{kmsKeyLockoutSafety, "bypassed", one(kmsKey, map[string]any{"bypassPolicyLockoutSafetyCheck": "true"}), 1},
	{kmsKeyLockoutSafety, "kept", one(kmsKey, map[string]any{"bypassPolicyLockoutSafetyCheck": false}), 0},
	{iamMLRoleNoBroadPolicy, "full access", []fixture{{typ: iamRole, props: map[string]any{"name": "exec-role", "assumeRolePolicy": scopedSageMakerTrust}},
		{typ: iamRolePolicyAttachment, props: map[string]any{"role": "exec-role", "policyArn": "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess"}}}, 1},
	{iamMLRoleNoBroadPolicy, "own policy", []fixture{{typ: iamRole, props: map[string]any{"name": "exec-role", "assumeRolePolicy": scopedSageMakerTrust}},
		{typ: iamRolePolicyAttachment, props: map[string]any{"role": "exec-role", "policyArn": "arn:aws:iam::111122223333:policy/churn-training"}}}, 0},
	{iamMLRoleNoWildcardAction, "star action", []fixture{{typ: iamRole, props: map[string]any{"name": "exec-role", "assumeRolePolicy": scopedSageMakerTrust}},
		{typ: iamRolePolicy, props: map[string]any{"role": "exec-role", "policy": `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`}}}, 1},
	{iamMLRoleNoWildcardAction, "scoped", []fixture{{typ: iamRole, props: map[string]any{"name": "exec-role", "assumeRolePolicy": scopedSageMakerTrust}},
		{typ: iamRolePolicy, props: map[string]any{"role": "exec-role", "policy": `{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::data/*"}]}`}}}, 0},
	{iamServiceTrustScoped, "unscoped", one(iamRole, map[string]any{"assumeRolePolicy": wildcardDoc("Allow", map[string]any{"Service": "bedrock.amazonaws.com"})}), 1},
	{iamServiceTrustScoped, "scoped", one(iamRole, map[string]any{"assumeRolePolicy": scopedSageMakerTrust}), 0},
	{cloudtrailMultiRegion, "regional", one(ctTrail, map[string]any{"isMultiRegionTrail": "false"}), 1},
	{cloudtrailMultiRegion, "multi-region", one(ctTrail, trailProps), 0},
	{cloudtrailLogValidation, "no validation", one(ctTrail, map[string]any{"enableLogFileValidation": "false"}), 1},
	{cloudtrailLogValidation, "validation", one(ctTrail, trailProps), 0},
	{cloudtrailKMS, "no key", one(ctTrail, map[string]any{"name": "org-trail"}), 1},
	{cloudtrailKMS, "key", one(ctTrail, trailProps), 0},
	{glueCatalogEncrypted, "not encrypted", one(glueCatalogEncryption, map[string]any{"dataCatalogEncryptionSettings": map[string]any{
		"encryptionAtRest": map[string]any{"catalogEncryptionMode": "DISABLED"}, "connectionPasswordEncryption": map[string]any{"returnConnectionPasswordEncrypted": "false"}}}), 2},
	{glueCatalogEncrypted, "encrypted", one(glueCatalogEncryption, glueProps), 0},
	{awsRegionAllowlist, "provider outside the allowlist", []fixture{{typ: ecrRepository, props: map[string]any{"name": "models"}, provider: map[string]any{"region": "us-east-1"}}}, 1},
	{bedrockGuardrailKMS, "no key", one(brGuardrail, guardrailProps), 1},
	{bedrockGuardrailKMS, "key", one(brGuardrail, map[string]any{"name": "ml-guardrail", "kmsKeyArn": kmsARN}), 0},
	{sagemakerModelRegistryNoPublic, "public", one(smModelPackageGroupPolicy, map[string]any{"resourcePolicy": wildcardDoc("Allow", "*")}), 1},
	{sagemakerModelRegistryNoPublic, "named", one(smModelPackageGroupPolicy, map[string]any{"resourcePolicy": wildcardDoc("Allow", map[string]any{"AWS": "arn:aws:iam::444455556666:root"})}), 0},
	{cloudtrailS3DataEvents, "no data events", []fixture{{typ: s3Bucket, props: map[string]any{"bucket": "churn-training", "tags": map[string]any{"data-classification": "confidential"}}},
		{typ: ctTrail, props: map[string]any{"s3BucketName": "audit-logs"}}}, 1},
	{cloudtrailS3DataEvents, "data events", []fixture{{typ: s3Bucket, props: map[string]any{"bucket": "churn-training", "tags": map[string]any{"data-classification": "confidential"}}},
		{typ: ctTrail, props: map[string]any{"s3BucketName": "audit-logs", "eventSelectors": []any{map[string]any{"dataResources": []any{map[string]any{"type": "AWS::S3::Object", "values": []any{"arn:aws:s3:::churn-training/"}}}}}}}}, 0},
	{sagemakerMonitoringScheduleJob, "unprotected definition", []fixture{{typ: smDataQualityJob, props: map[string]any{"name": "churn-dq"}},
		{typ: smMonitoringSchedule, props: map[string]any{"monitoringScheduleConfig": map[string]any{"monitoringJobDefinitionName": "churn-dq"}}}}, 1},
	{sagemakerMonitoringScheduleJob, "protected definition", []fixture{{typ: smDataQualityJob, props: pt.With(dqJobProps, "name", "churn-dq")},
		{typ: smMonitoringSchedule, props: map[string]any{"monitoringScheduleConfig": map[string]any{"monitoringJobDefinitionName": "churn-dq"}}}}, 0},
	{awsRegionAllowlist, "provider in the allowlist", []fixture{{typ: ecrRepository, props: map[string]any{"name": "models"}, provider: map[string]any{"region": "eu-west-1"}}}, 0},
}

// secretConfigs configure the policies that check nothing by default.
var secretConfigs = map[string]map[string]any{
	"aws-region-allowlist":     {"allowedRegions": []any{"eu-west-1"}},
	azureAllowedLocations.Name: {"locations": []any{"westeurope"}},
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

// shaped builds the case's fixtures in one shape (shapes_test.go).
func (c secretCase) shaped(secret bool, sh shape) []*policy.Resource {
	rs := c.build(secret)
	for i, r := range rs {
		rs[i] = sh.resource(r, nil)
		rs[i].Provider = mergeProvider(rs[i].Provider, r.Provider)
	}
	return rs
}

// run judges the case's fixtures in one shape.
func (c secretCase) run(secret bool, sh shape) pt.Result {
	rs := c.shaped(secret, sh)
	if c.policy.Stack != nil {
		return pt.CheckStack(c.policy, rs, secretConfigs[c.policy.Name])
	}
	return pt.Check(c.policy, rs[0], secretConfigs[c.policy.Name])
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
// secretCaseMajors are the majors of the cases whose fixtures are written
// in one major's shape (by policy and case name); the others run in every major.
var secretCaseMajors = map[string][]providers.Major{
	"s3-bucket-access-logging/inline logging":                {providers.AWSv6},
	"s3-bucket-access-logging/inline logging, v7":            {providers.AWSv7},
	"azureml-featureset-data-reference/empty references":     {providers.AzureNativeV2},
	"azureml-featureset-data-reference/references":           {providers.AzureNativeV2},
	"azureml-featureset-data-reference/empty references, v3": {providers.AzureNativeV3},
	"azureml-featureset-data-reference/references, v3":       {providers.AzureNativeV3},
	// Written in azure-native v2's shape (v3 nests these under properties).
	"azure-storage-shared-key-disabled/datastore on a shared-key account": {providers.AzureNativeV2},
	"azureml-datastore-identity-access/identity":                          {providers.AzureNativeV2},
	"azureml-online-deployment-no-public-egress/no egress":                {providers.AzureNativeV2},
	"azureml-online-endpoint-aad-auth/AAD":                                {providers.AzureNativeV2},
	"azureml-online-endpoint-private/private endpoint":                    {providers.AzureNativeV2},
	"azureml-registry-private/private registry":                           {providers.AzureNativeV2},
	// Settings that v2's default API version does not have.
	"acr-anonymous-pull-disabled/anonymous pull":          {providers.AzureNativeV3},
	"azureml-workspace-managed-network/internet outbound": {providers.AzureNativeV3},
}

// shapes are the shapes a case's fixtures are written in.
func (c secretCase) shapes() []shape {
	var types []string
	for _, f := range c.resources {
		types = append(types, f.typ)
	}
	return shapesOf(types, secretCaseMajors[c.policy.Name+"/"+c.name])
}

// mergeProvider is the shape's provider with the fixture's provider inputs.
func mergeProvider(shaped, fixture *policy.Resource) *policy.Resource {
	if fixture == nil || shaped == nil {
		return shaped
	}
	props := fixture.Props.Raw().GetStructValue()
	merged := &structpb.Struct{Fields: map[string]*structpb.Value{}}
	for k, v := range props.GetFields() {
		merged.Fields[k] = v
	}
	merged.Fields["version"] = shaped.Props.Raw().GetStructValue().GetFields()["version"]
	return fixture.WithProps(policy.Props(merged))
}

func TestSecretFixturesJudgedAlike(t *testing.T) {
	for _, c := range secretCases {
		for _, sh := range c.shapes() {
			t.Run(c.policy.Name+"/"+c.name+"/"+sh.name, func(t *testing.T) { c.judgedAlike(t, sh) })
		}
	}
}

func (c secretCase) judgedAlike(t *testing.T, sh shape) {
	plain := c.run(false, sh)
	require.Len(t, plain.Violations, c.violations, "plain fixture: %q", plain.Violations)
	assert.Empty(t, plain.NotApplicable)

	secret := c.run(true, sh)
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
	if cfg := secretConfigs[p.Name]; cfg != nil {
		_, err := s.Configure(ctx, &pulumirpc.ConfigureAnalyzerRequest{PolicyConfig: map[string]*pulumirpc.PolicyConfig{
			p.Name: {EnforcementLevel: pulumirpc.EnforcementLevel_MANDATORY, Properties: pt.Props(cfg)}}})
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
		sh := c.shapes()[0]
		t.Run(c.policy.Name+"/"+c.name, func(t *testing.T) {
			plain, _ := analyzeThroughRuntime(t, c.policy, c.shaped(false, sh))
			require.Len(t, plain, c.violations)
			secret, said := analyzeThroughRuntime(t, c.policy, c.shaped(true, sh))
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
