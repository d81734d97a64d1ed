package schema

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func mustLoad(t *testing.T) *Index {
	t.Helper()
	idx, err := Load()
	require.NoError(t, err)
	return idx
}

func TestMajorsAndVersions(t *testing.T) {
	idx := mustLoad(t)
	assert.Equal(t, []Major{AWSv6, AWSv7, AzureNativev2, AzureNativev3}, idx.Majors())
	for m, want := range map[Major][2]string{
		AWSv6:         {"@pulumi/aws", "6.83.4"},
		AWSv7:         {"@pulumi/aws", "7.48.0"},
		AzureNativev2: {"@pulumi/azure-native", "2.90.0"},
		AzureNativev3: {"@pulumi/azure-native", "3.28.0"},
	} {
		assert.Equal(t, want[0], idx.Package(m), m)
		assert.Equal(t, want[1], idx.Version(m), m)
	}
	assert.Empty(t, idx.Version("aws/v5"))
	assert.Empty(t, idx.Package("aws/v5"))
	assert.Nil(t, idx.Types("aws/v5"))
}

func TestHasType(t *testing.T) {
	idx := mustLoad(t)
	for _, c := range []struct {
		major Major
		token string
		want  bool
	}{
		{AWSv6, "aws:s3/bucket:Bucket", true},
		{AWSv6, "aws:s3/bucketV2:BucketV2", true},
		{AWSv6, "aws:s3/bucketVersioningV2:BucketVersioningV2", true},
		{AWSv6, "aws:s3/bucketVersioning:BucketVersioning", false}, // new in v7
		{AWSv7, "aws:s3/bucketVersioning:BucketVersioning", true},
		{AWSv7, "aws:s3/bucketVersioningV2:BucketVersioningV2", true}, // deprecated, still there
		{AWSv7, "aws:sagemaker/domain:Domain", true},
		{AWSv7, "aws:codeartifact/repository:Repository", true},
		{AWSv7, "aws:cfg/recorder:Recorder", true},
		{AWSv7, "pulumi:providers:aws", true},
		{AWSv7, "aws:lambda/function:Function", false}, // not a governed module
		{AzureNativev2, "azure-native:insights:Component", true},
		{AzureNativev2, "azure-native:applicationinsights:Component", false},
		{AzureNativev3, "azure-native:applicationinsights:Component", true},
		{AzureNativev3, "azure-native:insights:Component", false},
		{AzureNativev2, "azure-native:storage:StorageAccount", true},
		{AzureNativev2, "azure-native:storage/v20230101:StorageAccount", true},
		{AzureNativev3, "azure-native:storage/v20230101:StorageAccount", false}, // v3 ships no API-version modules
		{AzureNativev3, "azure-native:machinelearningservices:Workspace", true},
		{AzureNativev3, "azure-native:network:PrivateEndpoint", true},
		{AzureNativev3, "azure-native:network:VirtualNetwork", false}, // network: private endpoints only
		{AzureNativev3, "pulumi:providers:azure-native", true},
		{"aws/v5", "aws:s3/bucket:Bucket", false},
	} {
		assert.Equal(t, c.want, idx.HasType(c.major, c.token), "%s %s", c.major, c.token)
	}
}

func TestHasPath(t *testing.T) {
	idx := mustLoad(t)
	for _, c := range []struct {
		major       Major
		token, path string
		want        bool
	}{
		// v7 Bucket: the inline blocks are objects, not lists.
		{AWSv7, "aws:s3/bucket:Bucket", "versioning.enabled", true},
		{AWSv7, "aws:s3/bucket:Bucket", "versioning", true},
		{AWSv7, "aws:s3/bucket:Bucket", "logging.targetBucket", true},
		{AWSv7, "aws:s3/bucket:Bucket", "serverSideEncryptionConfiguration.rule.applyServerSideEncryptionByDefault.sseAlgorithm", true},
		{AWSv7, "aws:s3/bucket:Bucket", "region", true},
		{AWSv7, "aws:s3/bucket:Bucket", "versioning.0.enabled", false},
		{AWSv7, "aws:s3/bucket:Bucket", "versionings.0.enabled", false},
		{AWSv7, "aws:s3/bucket:Bucket", "versioning.enable", false},
		{AWSv7, "aws:s3/bucket:Bucket", "tagsAll", false}, // an output, not an input
		// map keys and list elements in the rule's dotted form and the index form
		{AWSv7, "aws:s3/bucket:Bucket", "tags.owner", true},
		{AWSv7, "aws:s3/bucket:Bucket", "tags{}", true},
		{AWSv7, "aws:s3/bucket:Bucket", "tags.owner.x", false},
		{AWSv7, "aws:s3/bucket:Bucket", "lifecycleRules.0.transitions.1.storageClass", true},
		{AWSv7, "aws:s3/bucket:Bucket", "lifecycleRules[].transitions[].storageClass", true},
		{AWSv7, "aws:s3/bucket:Bucket", "lifecycleRules[0].transitions[1].storageClass", true},
		{AWSv7, "aws:s3/bucket:Bucket", "lifecycleRules{}.enabled", false},
		{AWSv7, "aws:s3/bucket:Bucket", "lifecycleRules.enabled", false},
		{AWSv7, "aws:s3/bucket:Bucket", "lifecycleRules.0.tags.team", true},
		{AWSv7, "aws:s3/bucketVersioning:BucketVersioning", "versioningConfiguration.status", true},
		{AWSv7, "aws:s3/bucketVersioningV2:BucketVersioningV2", "versioningConfiguration.status", true},
		{AWSv7, "pulumi:providers:aws", "defaultTags.tags.owner", true},
		{AWSv7, "pulumi:providers:aws", "region", true},
		// v6: Bucket is the legacy shape, BucketV2 has lists
		{AWSv6, "aws:s3/bucketV2:BucketV2", "versionings[].enabled", true},
		{AWSv6, "aws:s3/bucketV2:BucketV2", "versionings.0.enabled", true},
		{AWSv6, "aws:s3/bucketV2:BucketV2", "versioning.enabled", false},
		{AWSv6, "aws:s3/bucket:Bucket", "versioning.enabled", true},
		{AWSv6, "aws:s3/bucket:Bucket", "region", false},
		{AWSv6, "aws:s3/bucketVersioningV2:BucketVersioningV2", "versioningConfiguration.status", true},
		{AWSv6, "aws:s3/bucketVersioningV2:BucketVersioningV2", "region", false},
		// azure-native: default and explicit API-version tokens
		{AzureNativev2, "azure-native:storage/v20230101:StorageAccount", "enableHttpsTrafficOnly", true},
		{AzureNativev2, "azure-native:storage/v20230101:StorageAccount", "allowBlobPublicAccess", true},
		{AzureNativev2, "azure-native:storage:StorageAccount", "minimumTlsVersion", true},
		{AzureNativev2, "azure-native:storage:StorageAccount", "enableHttpsTrafficOnly.x", false},
		{AzureNativev3, "azure-native:storage:StorageAccount", "encryption.services.blob.enabled", true},
		{AzureNativev3, "azure-native:keyvault:Vault", "properties.enablePurgeProtection", true},
		{AzureNativev3, "azure-native:machinelearningservices:Workspace", "publicNetworkAccess", true},
		{AzureNativev3, "azure-native:machinelearningservices:Workspace", "identity.type", true},
		{AzureNativev3, "azure-native:machinelearningservices:Workspace", "tags.owner", true},
		{AzureNativev3, "azure-native:applicationinsights:Component", "workspaceResourceId", true},
		// malformed paths and unknown types
		{AWSv7, "aws:s3/bucket:Bucket", "", false},
		{AWSv7, "aws:s3/bucket:Bucket", ".versioning", false},
		{AWSv7, "aws:s3/bucket:Bucket", "versioning..enabled", false},
		{AWSv7, "aws:s3/bucket:Bucket", "lifecycleRules[x]", false},
		{AWSv7, "aws:s3/bucket:Bucket", "lifecycleRules[", false},
		{AWSv7, "aws:s3/bucket:Bucket", "tags}", false},
		{AWSv7, "aws:s3/bucket:Bucket", "[0]", false},
		{AWSv7, "aws:s3/bucket:Bucket", "lifecycleRules.[0]", false},
		{AWSv7, "aws:s3/bucket:Bucket", "lifecycleRules[0][1]", false},
		{AWSv7, "aws:s3/bucket:Nope", "versioning", false},
		{"aws/v5", "aws:s3/bucket:Bucket", "versioning", false},
	} {
		assert.Equal(t, c.want, idx.HasPath(c.major, c.token, c.path), "%s %s %q", c.major, c.token, c.path)
	}
}

// An azure discriminated union contributes every member's paths.
func TestUnionMembersContributePaths(t *testing.T) {
	idx := mustLoad(t)
	const compute = "azure-native:machinelearningservices:Compute"
	for _, p := range []string{
		"properties.computeType",
		"properties.properties.enableNodePublicIp",         // AmlCompute
		"properties.properties.agentCount",                 // AKS
		"properties.properties.sshSettings.adminPublicKey", // ComputeInstance
	} {
		assert.True(t, idx.HasPath(AzureNativev3, compute, p), p)
	}
}

func TestPaths(t *testing.T) {
	idx := mustLoad(t)
	paths := idx.Paths(AWSv7, "aws:s3/bucketVersioning:BucketVersioning")
	assert.Equal(t, []string{"bucket", "expectedBucketOwner", "mfa", "region",
		"versioningConfiguration.mfaDelete", "versioningConfiguration.status"}, paths)
	paths[0] = "changed"
	assert.Equal(t, "bucket", idx.Paths(AWSv7, "aws:s3/bucketVersioning:BucketVersioning")[0], "Paths returns a copy")
	assert.Nil(t, idx.Paths(AWSv7, "aws:s3/bucket:Nope"))
	// A token that shares an earlier token's entry has the same paths.
	assert.Equal(t, idx.Paths(AWSv7, "aws:s3/bucketVersioning:BucketVersioning"),
		idx.Paths(AWSv7, "aws:s3/bucketVersioningV2:BucketVersioningV2"))
}

// Every stored path is well formed and a path of its own type.
func TestEveryStoredPathParses(t *testing.T) {
	idx := mustLoad(t)
	for _, m := range idx.Majors() {
		types := idx.Types(m)
		require.NotEmpty(t, types, m)
		for _, token := range types {
			for _, p := range idx.Paths(m, token) {
				_, ok := parsePath(p)
				require.True(t, ok, "%s %s: %q", m, token, p)
				require.True(t, idx.HasPath(m, token, p), "%s %s: %q", m, token, p)
			}
		}
	}
}

func TestParseRejectsMalformedIndex(t *testing.T) {
	for _, c := range []struct{ name, text, want string }{
		{"path first", "major aws/v7\npackage @pulumi/aws 7.48.0\n\tversioning\n", "a path before any type"},
		{"no version", "major aws/v7\npackage @pulumi/aws\n", "a package line without a version"},
		{"no header", "aws:s3/bucket:Bucket\n\tacl\n", "no major or package line"},
		{"twice", "major aws/v7\npackage @pulumi/aws 7.48.0\na:b:C\n\tx\na:b:C\n\ty\n", "a type listed twice"},
		{"forward share", "major aws/v7\npackage @pulumi/aws 7.48.0\na:b:C = a:b:D\na:b:D\n\tx\n", "shares the paths of a type not listed before it"},
		{"spaces", "major aws/v7\npackage @pulumi/aws 7.48.0\na b\n", "not a type token"},
	} {
		_, _, err := parse("x.txt", []byte(c.text))
		require.Error(t, err, c.name)
		assert.Contains(t, err.Error(), c.want, c.name)
		assert.True(t, strings.HasPrefix(err.Error(), "x.txt"), "%s: the error names the file: %v", c.name, err)
	}
	m, mj, err := parse("x.txt", []byte("# comment\nmajor aws/v7\npackage @pulumi/aws 7.48.0\n\nb:c:D\n\tx.y\na:b:C = b:c:D\n"))
	require.NoError(t, err)
	assert.Equal(t, AWSv7, m)
	assert.Equal(t, []string{"a:b:C", "b:c:D"}, mj.tokens)
	assert.Equal(t, []string{"x.y"}, mj.types["a:b:C"].paths)
}
