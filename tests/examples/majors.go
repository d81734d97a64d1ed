package examples

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Programs written against today's provider majors, pulumi-aws 7.48 and
// azure-native 3.28. Their Go SDKs are not served here, so the programs
// register each resource by its type token with the inputs the v7 and v3
// typings declare, pinned to the provider version as a generated SDK pins it.

// Current majors' provider versions, which the loopback providers of these
// programs' tests answer as.
const (
	AWSv7Version         = "7.48.0"
	AzureNativeV3Version = "3.28.0"
)

// Raw is a resource registered by type token with untyped inputs.
type Raw struct{ pulumi.CustomResourceState }

func raw(ctx *pulumi.Context, token, name, version string, inputs pulumi.Map, opts ...pulumi.ResourceOption) (*Raw, error) {
	var r Raw
	err := ctx.RegisterResource(token, name, inputs, &r, append([]pulumi.ResourceOption{pulumi.Version(version)}, opts...)...)
	return &r, err
}

func governanceTags() pulumi.StringMap {
	return pulumi.StringMap{"owner": pulumi.String("ml-platform"), "project": pulumi.String("churn"),
		"cost-center": pulumi.String("cc-42"), "data-classification": pulumi.String("internal")}
}

// CurrentMajors are the programs against today's majors, with what each must
// produce: nothing for the compliant ones.
var CurrentMajors = []Example{
	{
		Name:    "aws-v7-bucket",
		About:   "pulumi-aws v7: a training-data bucket configured as the v7 docs recommend, by companion resources without V2",
		Config:  awsConfig,
		Program: awsV7Bucket(false),
	},
	{
		Name:    "aws-v7-bucket-suspended",
		About:   "pulumi-aws v7: the same bucket with versioning suspended by its BucketVersioning",
		Config:  awsConfig,
		Program: awsV7Bucket(true),
		Expect:  []Violation{{"s3-bucket-versioning-enabled", "data-versioning", true}},
	},
	{
		Name:    "azure-v3-storage",
		About:   "azure-native v3: a storage account, Application Insights (its v3 module) and an explicit API version account",
		Program: azureV3Storage(false),
	},
	{
		Name:    "azure-v3-storage-public",
		About:   "azure-native v3: an explicit API-version storage account allowing HTTP and public blobs",
		Program: azureV3Storage(true),
		Expect: []Violation{
			{"azure-storage-secure-transport", "features-v20230101", true},
			{"azure-storage-no-public-blob", "features-v20230101", true},
			{"azure-storage-private", "features-v20230101", false},
		},
	},
}

// awsV7Bucket: a data bucket logging into a log bucket; every bucket
// versioned, blocked from the public, TLS-only with ACLs off, and the data
// bucket KMS-encrypted.
func awsV7Bucket(suspended bool) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		v := AWSv7Version
		key, err := raw(ctx, "aws:kms/key:Key", "data-key", v, pulumi.Map{
			"description": pulumi.String("training data"), "enableKeyRotation": pulumi.Bool(true), "tags": governanceTags()})
		if err != nil {
			return err
		}
		status := "Enabled"
		if suspended {
			status = "Suspended"
		}
		logs, err := raw(ctx, "aws:s3/bucket:Bucket", "logs", v, pulumi.Map{"tags": governanceTags()})
		if err != nil {
			return err
		}
		data, err := raw(ctx, "aws:s3/bucket:Bucket", "data", v, pulumi.Map{"tags": governanceTags()})
		if err != nil {
			return err
		}
		for name, b := range map[string]*Raw{"logs": logs, "data": data} {
			versioningStatus := "Enabled"
			if name == "data" {
				versioningStatus = status
			}
			if _, err := raw(ctx, "aws:s3/bucketVersioning:BucketVersioning", name+"-versioning", v, pulumi.Map{
				"bucket": b.ID(), "versioningConfiguration": pulumi.Map{"status": pulumi.String(versioningStatus)}}); err != nil {
				return err
			}
			if _, err := raw(ctx, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", name+"-public-access", v, pulumi.Map{
				"bucket": b.ID(), "blockPublicAcls": pulumi.Bool(true), "blockPublicPolicy": pulumi.Bool(true),
				"ignorePublicAcls": pulumi.Bool(true), "restrictPublicBuckets": pulumi.Bool(true)}); err != nil {
				return err
			}
			if _, err := raw(ctx, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", name+"-ownership", v, pulumi.Map{
				"bucket": b.ID(), "rule": pulumi.Map{"objectOwnership": pulumi.String("BucketOwnerEnforced")}}); err != nil {
				return err
			}
			if _, err := raw(ctx, "aws:s3/bucketPolicy:BucketPolicy", name+"-tls-only", v, pulumi.Map{
				"bucket": b.ID(), "policy": tlsOnlyPolicy(b.ID().ToStringOutput())}); err != nil {
				return err
			}
		}
		if _, err := raw(ctx, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "data-encryption", v, pulumi.Map{
			"bucket": data.ID(), "rules": pulumi.Array{pulumi.Map{
				"applyServerSideEncryptionByDefault": pulumi.Map{"sseAlgorithm": pulumi.String("aws:kms"), "kmsMasterKeyId": key.ID()},
				"bucketKeyEnabled":                   pulumi.Bool(true)}}}); err != nil {
			return err
		}
		_, err = raw(ctx, "aws:s3/bucketLogging:BucketLogging", "data-logging", v, pulumi.Map{
			"bucket": data.ID(), "targetBucket": logs.ID(), "targetPrefix": pulumi.String("data/")})
		return err
	}
}

// tlsOnlyPolicy is a bucket policy denying every request made without TLS.
func tlsOnlyPolicy(bucket pulumi.StringOutput) pulumi.StringOutput {
	return pulumi.Sprintf(`{"Version":"2012-10-17","Statement":[{"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":"*","Action":"s3:*",`+
		`"Resource":["arn:aws:s3:::%[1]s","arn:aws:s3:::%[1]s/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`, bucket)
}

// azureV3Storage: a resource group, Application Insights and two storage
// accounts, one by the default token and one by an explicit API version.
func azureV3Storage(public bool) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		v := AzureNativeV3Version
		location := pulumi.String("westeurope")
		rg, err := raw(ctx, "azure-native:resources:ResourceGroup", "ml", v, pulumi.Map{"location": location, "tags": governanceTags()})
		if err != nil {
			return err
		}
		if _, err := raw(ctx, "azure-native:applicationinsights:Component", "insights", v, pulumi.Map{
			"resourceGroupName": rg.ID(), "location": location, "kind": pulumi.String("web"),
			"applicationType": pulumi.String("web"), "tags": governanceTags()}); err != nil {
			return err
		}
		account := func(token, name string, https, publicBlobs bool) error {
			defaultAction := "Deny" // a public account is open on every count
			if publicBlobs {
				defaultAction = "Allow"
			}
			_, err := raw(ctx, token, name, v, pulumi.Map{
				"resourceGroupName": rg.ID(), "location": location, "kind": pulumi.String("StorageV2"),
				"sku":                    pulumi.Map{"name": pulumi.String("Standard_LRS")},
				"enableHttpsTrafficOnly": pulumi.Bool(https), "minimumTlsVersion": pulumi.String("TLS1_2"),
				"allowBlobPublicAccess": pulumi.Bool(publicBlobs), "tags": governanceTags(),
				"networkRuleSet": pulumi.Map{"bypass": pulumi.String("AzureServices"), "defaultAction": pulumi.String(defaultAction)}})
			return err
		}
		if err := account("azure-native:storage:StorageAccount", "features", true, false); err != nil {
			return err
		}
		return account("azure-native:storage/v20230101:StorageAccount", "features-v20230101", !public, public)
	}
}
