package providers_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mlguard/mlguard/policy"
	pt "github.com/mlguard/mlguard/policy/policytest"
	"github.com/mlguard/mlguard/providers"
)

// resource is a resource of type typ whose provider, when version is not
// nil, says which version of its package it is.
func resource(typ string, version any, props map[string]any) *policy.Resource {
	r := pt.Resource(typ, "r", props)
	if version != nil {
		pkg := providers.PackageOf(typ)
		r.Provider = pt.Resource("pulumi:providers:"+pkg, "default", map[string]any{"version": version})
	}
	return r
}

func TestPackageOf(t *testing.T) {
	for token, want := range map[string]string{
		providers.S3Bucket:                       "aws",
		"azure-native:storage:StorageAccount":    "azure-native",
		"pulumi:providers:aws":                   "",
		"pulumi:pulumi:Stack":                    "",
		"random:index/randomString:RandomString": "random",
		"":                                       "",
	} {
		assert.Equal(t, want, providers.PackageOf(token), token)
	}
	assert.Equal(t, "aws", providers.AWSv7.Package())
	assert.Equal(t, "azure-native", providers.AzureNativeV2.Package())
}

func TestMajorsOf(t *testing.T) {
	aws := []providers.Major{providers.AWSv6, providers.AWSv7}
	for _, tc := range []struct {
		name    string
		typ     string
		version any
		want    []providers.Major
	}{
		{"v7 by version", providers.S3Bucket, "7.2.0", []providers.Major{providers.AWSv7}},
		{"v6 by version", providers.S3Bucket, "6.83.4", []providers.Major{providers.AWSv6}},
		{"a leading v and spaces", providers.S3Bucket, " v7.0.0 ", []providers.Major{providers.AWSv7}},
		{"a major alone", providers.S3Bucket, "6", []providers.Major{providers.AWSv6}},
		{"no provider", providers.S3Bucket, nil, aws},
		{"an unsupported major", providers.S3Bucket, "8.0.0", aws},
		{"a major that only starts like a supported one", providers.S3Bucket, "70.1.0", aws},
		{"an unknown version", providers.S3Bucket, pt.Unknown, aws},
		{"a version that is not a string", providers.S3Bucket, 7.0, aws},
		{"azure-native v3", "azure-native:storage:StorageAccount", "3.1.0",
			[]providers.Major{providers.AzureNativeV3}},
		{"azure-native, no version", "azure-native:storage:StorageAccount", nil,
			[]providers.Major{providers.AzureNativeV2, providers.AzureNativeV3}},
		// A provider of another package says nothing of this one's majors.
		{"aws's version on an azure resource", "azure-native:storage:StorageAccount", "7.0.0",
			[]providers.Major{providers.AzureNativeV2, providers.AzureNativeV3}},
		{"a package the pack does not know", "random:index/randomString:RandomString", "4.0.0", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, providers.MajorsOf(resource(tc.typ, tc.version, nil)))
		})
	}
}

func TestMajorsOfPackage(t *testing.T) {
	assert.Equal(t, []providers.Major{providers.AWSv6, providers.AWSv7}, providers.MajorsOfPackage("aws"))
	assert.Equal(t, []providers.Major{providers.AzureNativeV2, providers.AzureNativeV3}, providers.MajorsOfPackage("azure-native"))
	assert.Empty(t, providers.MajorsOfPackage("gcp"))
}

func TestKind(t *testing.T) {
	for token, want := range map[string]string{
		providers.S3Bucket:                                     providers.S3Bucket,
		"aws:s3/bucketV2:BucketV2":                             providers.S3Bucket,
		providers.S3BucketVersioning:                           providers.S3BucketVersioning,
		"aws:s3/bucketVersioningV2:BucketVersioningV2":         providers.S3BucketVersioning,
		"aws:s3/bucketLoggingV2:BucketLoggingV2":               providers.S3BucketLogging,
		"aws:s3/bucketAclV2:BucketAclV2":                       providers.S3BucketACL,
		"azure-native:insights:Component":                      providers.AppInsightsComponent,
		"azure-native:insights/v20200202:Component":            providers.AppInsightsComponent,
		"azure-native:storage/v20230101:StorageAccount":        "azure-native:storage:StorageAccount",
		"azure-native:storage/v20230101preview:StorageAccount": "azure-native:storage:StorageAccount",
		"azure-native:storage/v20230101privatepreview:Account": "azure-native:storage:Account",
		"azure-native:storage:StorageAccount":                  "azure-native:storage:StorageAccount",
		"azure-native:storage/v2023:StorageAccount":            "azure-native:storage/v2023:StorageAccount",
		"aws:s3/v20230101:Bucket":                              "aws:s3/v20230101:Bucket",
		providers.S3BucketPAB:                                  providers.S3BucketPAB,
		"pulumi:providers:aws":                                 "pulumi:providers:aws",
	} {
		assert.Equal(t, want, providers.Kind(token), token)
	}
}

func TestTokensByMajor(t *testing.T) {
	assert.Equal(t, map[providers.Major][]string{
		providers.AWSv6: {"aws:s3/bucketVersioningV2:BucketVersioningV2"},
		providers.AWSv7: {providers.S3BucketVersioning, "aws:s3/bucketVersioningV2:BucketVersioningV2"},
	}, providers.TokensByMajor(providers.S3BucketVersioning))
	assert.Equal(t, map[providers.Major][]string{
		providers.AzureNativeV2: {"azure-native:insights:Component"},
		providers.AzureNativeV3: {providers.AppInsightsComponent},
	}, providers.TokensByMajor(providers.AppInsightsComponent))
	// A kind not listed is its own token in every major of its package.
	assert.Equal(t, map[providers.Major][]string{
		providers.AWSv6: {providers.S3BucketPAB},
		providers.AWSv7: {providers.S3BucketPAB},
	}, providers.TokensByMajor(providers.S3BucketPAB))
	assert.Empty(t, providers.TokensByMajor("pulumi:pulumi:Stack"))
}

// Every companion token is placed, each once, in the order sorted by token.
func TestCompanionPlacements(t *testing.T) {
	var tokens []string
	for _, pl := range providers.S3BucketKeyEnabled.At {
		if pl.Path == "rules[].bucketKeyEnabled" {
			tokens = append(tokens, pl.Token)
		}
	}
	assert.Equal(t, []string{
		"aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
		"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
	}, tokens)
}

func TestProperties(t *testing.T) {
	all := providers.Properties()
	for _, p := range []*providers.Property{
		providers.S3VersioningEnabled, providers.S3SSEAlgorithm, providers.S3BucketKeyEnabled,
		providers.S3Logging, providers.AMLFeaturesetVersionProperties,
	} {
		assert.Contains(t, all, p, p.Name)
	}
}

func displays(vs []policy.Value) []string {
	out := []string{}
	for _, v := range vs {
		out = append(out, v.Path()+"="+v.Display())
	}
	return out
}

func TestPropertyValues(t *testing.T) {
	for _, tc := range []struct {
		name    string
		prop    *providers.Property
		typ     string
		version any
		props   map[string]any
		want    []string
	}{
		{"an object path", providers.S3VersioningEnabled, providers.S3Bucket, nil,
			map[string]any{"versioning": map[string]any{"enabled": true}}, []string{"versioning.enabled=true"}},
		{"not set", providers.S3VersioningEnabled, providers.S3Bucket, nil,
			map[string]any{"versioning": map[string]any{}}, []string{}},
		{"null is not set", providers.S3VersioningEnabled, providers.S3Bucket, nil,
			map[string]any{"versioning": map[string]any{"enabled": nil}}, []string{}},
		{"unknown on the way is returned", providers.S3VersioningEnabled, providers.S3Bucket, nil,
			map[string]any{"versioning": pt.Unknown}, []string{"versioning=unknown until the update"}},
		{"the other token's path is not read", providers.S3VersioningEnabled, providers.S3Bucket, nil,
			map[string]any{"versionings": []any{map[string]any{"enabled": true}}}, []string{}},
		{"every element of a list", providers.S3VersioningEnabled, "aws:s3/bucketV2:BucketV2", nil,
			map[string]any{"versionings": []any{map[string]any{"enabled": true}, map[string]any{}, map[string]any{"enabled": false}}},
			[]string{"versionings.0.enabled=true", "versionings.2.enabled=false"}},
		{"an unknown list", providers.S3VersioningEnabled, "aws:s3/bucketV2:BucketV2", nil,
			map[string]any{"versionings": pt.Unknown}, []string{"versionings=unknown until the update"}},
		{"an unknown element", providers.S3VersioningEnabled, "aws:s3/bucketV2:BucketV2", nil,
			map[string]any{"versionings": []any{pt.Unknown}}, []string{"versionings.0=unknown until the update"}},
		{"a list path ending in the list", providers.S3Logging, providers.S3Bucket, "6.0.0",
			map[string]any{"loggings": []any{map[string]any{"targetBucket": "logs"}}, "logging": map[string]any{"targetBucket": "x"}},
			[]string{"loggings.0=an object"}},
		{"v7's placement", providers.S3Logging, providers.S3Bucket, "7.0.0",
			map[string]any{"loggings": []any{map[string]any{"targetBucket": "logs"}}, "logging": map[string]any{"targetBucket": "x"}},
			[]string{"logging=an object"}},
		{"either major when the provider does not say, in placement order", providers.S3Logging, providers.S3Bucket, nil,
			map[string]any{"loggings": []any{map[string]any{"targetBucket": "logs"}}, "logging": map[string]any{"targetBucket": "x"}},
			[]string{"loggings.0=an object", "logging=an object"}},
		{"an explicit API version fits its token", providers.AMLFeaturesetVersionProperties,
			"azure-native:machinelearningservices/v20240401:FeaturesetVersion", "3.0.0",
			map[string]any{"properties": map[string]any{}, "featuresetVersionProperties": map[string]any{}},
			[]string{"properties=an object"}},
		{"another type", providers.S3VersioningEnabled, "aws:s3/bucketVersioning:BucketVersioning", nil,
			map[string]any{"versioning": map[string]any{"enabled": true}}, []string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, displays(tc.prop.Values(resource(tc.typ, tc.version, tc.props))))
		})
	}
}

func TestPropertyWhere(t *testing.T) {
	r := resource("aws:s3/bucketV2:BucketV2", nil, map[string]any{"versionings": []any{}})
	assert.Equal(t, "versionings", providers.S3VersioningEnabled.Where(r).Path(), "up to the first list")
	r = resource(providers.S3Bucket, "7.1.0", nil)
	assert.Equal(t, "logging", providers.S3Logging.Where(r).Path())
	r = resource(providers.S3Bucket, "6.1.0", nil)
	assert.Equal(t, "loggings", providers.S3Logging.Where(r).Path())
	r = resource("aws:s3/bucketV2:BucketV2", "7.1.0", nil)
	assert.Equal(t, "loggings", providers.S3Logging.Where(r).Path(), "the first placement that fits")
	r = resource(providers.S3BucketPAB, nil, map[string]any{"versioning": map[string]any{"enabled": true}})
	w := providers.S3VersioningEnabled.Where(r)
	assert.Equal(t, "versioning.enabled", w.Path(), "the first placement's when none fits")
	assert.Equal(t, "true", w.Display(), "read from the resource")
}

func TestPropertyInputs(t *testing.T) {
	assert.Equal(t, []string{"serverSideEncryptionConfiguration"},
		providers.S3SSEAlgorithm.Inputs(resource(providers.S3Bucket, nil, nil)))
	assert.Equal(t, []string{"serverSideEncryptionConfigurations"},
		providers.S3SSEAlgorithm.Inputs(resource("aws:s3/bucketV2:BucketV2", nil, nil)))
	assert.Equal(t, []string{"rules"},
		providers.S3SSEAlgorithm.Inputs(resource("aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", nil, nil)))
	assert.Equal(t, []string{"loggings", "logging"}, providers.S3Logging.Inputs(resource(providers.S3Bucket, nil, nil)))
	assert.Equal(t, []string{"logging"}, providers.S3Logging.Inputs(resource(providers.S3Bucket, "7.0.0", nil)))
	assert.Empty(t, providers.S3Logging.Inputs(resource(providers.S3BucketPAB, nil, nil)))
}

func TestTaggable(t *testing.T) {
	for _, tc := range []struct {
		typ     string
		version any
		want    bool
	}{
		{providers.S3Bucket, nil, true},
		{providers.S3Bucket, "7.0.0", true},
		{providers.S3BucketVersioning, nil, false},
		// BucketV2 takes tags in both majors.
		{"aws:s3/bucketV2:BucketV2", "6.0.0", true},
		{"azure-native:storage:StorageAccount", nil, true},
		{"azure-native:storage/v20230101:StorageAccount", "3.0.0", true},
		{"azure-native:storage:BlobContainer", nil, false},
		{"pulumi:providers:aws", nil, false},
		{"random:index/randomString:RandomString", nil, false},
	} {
		assert.Equal(t, tc.want, providers.Taggable(resource(tc.typ, tc.version, nil)), "%s %v", tc.typ, tc.version)
	}
}

// A type that takes tags in one major only is taggable only there, and
// either way when the provider does not say.
func TestTaggableByMajor(t *testing.T) {
	for typ, major := range map[string]string{
		"aws:appsync/api:Api":                  "7.0.0", // new in v7
		"aws:opsworks/customLayer:CustomLayer": "6.0.0", // gone in v7
	} {
		other := map[string]string{"7.0.0": "6.0.0", "6.0.0": "7.0.0"}[major]
		assert.True(t, providers.Taggable(resource(typ, major, nil)), typ)
		assert.False(t, providers.Taggable(resource(typ, other, nil)), typ)
		assert.True(t, providers.Taggable(resource(typ, nil, nil)), typ)
	}
}

func TestTaggableCount(t *testing.T) {
	for _, m := range providers.Majors {
		assert.Greater(t, providers.TaggableCount(m), 100, m)
	}
	assert.Zero(t, providers.TaggableCount("gcp/v1"))
}
