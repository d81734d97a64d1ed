package policypack

import (
	"testing"

	pt "github.com/mlguard/mlguard/policy/policytest"
)

// seedDomain is the SageMaker domain of seed 002, with its ids unknown at preview.
var seedDomain = map[string]any{
	"authMode":   "IAM",
	"domainName": "my-sagemaker-domain",
	"vpcId":      pt.Unknown,
	"subnetIds":  []any{pt.Unknown},
	"defaultUserSettings": map[string]any{
		"executionRole":  "arn:aws:iam::111122223333:role/sagemaker-exec",
		"securityGroups": []any{"sg-1"},
		"sharingSettings": map[string]any{
			"s3KmsKeyId":           "arn:aws:kms:eu-west-1:111122223333:key/abcd",
			"notebookOutputOption": "Allowed",
			"s3OutputPath":         "s3://my-sagemaker-bucket/output",
		},
	},
	"appNetworkAccessType": "VpcOnly",
	"kmsKeyId":             "arn:aws:kms:eu-west-1:111122223333:key/efs",
}

func TestSagemakerSharingKMS(t *testing.T) {
	const key = "defaultUserSettings.sharingSettings.s3KmsKeyId"
	profile := map[string]any{"userSettings": map[string]any{"sharingSettings": map[string]any{"notebookOutputOption": "Allowed", "s3KmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/k"}}}
	runSpecs(t, sagemakerSharingKMS, smDomain, []spec{
		{name: "compliant", props: seedDomain},
		{name: "key missing", props: pt.Without(seedDomain, key),
			violation: `aws:sagemaker/domain:Domain "r": defaultUserSettings.sharingSettings.s3KmsKeyId: is not set while notebookOutputOption is "Allowed"`},
		{name: "key blank", props: pt.With(seedDomain, key, "  "), violation: `is "  " while notebookOutputOption`},
		{name: "placeholder key", props: pt.With(seedDomain, key, "<KMS_KEY_ARN>"), violation: `a placeholder`},
		{name: "sharing disabled", props: pt.With(pt.Without(seedDomain, key), "defaultUserSettings.sharingSettings.notebookOutputOption", "Disabled")},
		{name: "no sharing settings", props: pt.Without(seedDomain, "defaultUserSettings.sharingSettings")},
		{name: "key unknown (seed: kms.Key(...).arn)", props: pt.With(seedDomain, key, pt.Unknown), unknown: "s3KmsKeyId is unknown"},
		{name: "option unknown", props: pt.With(seedDomain, "defaultUserSettings.sharingSettings.notebookOutputOption", pt.Unknown), unknown: "notebookOutputOption is unknown"},
		{name: "secret placeholder", props: pt.With(seedDomain, key, pt.Secret("<"+secretText+">")), violation: `is [secret], a placeholder`},
		{name: "user profile compliant", typ: smUserProfile, props: profile},
		{name: "user profile without key", typ: smUserProfile, props: pt.Without(profile, "userSettings.sharingSettings.s3KmsKeyId"),
			violation: `userSettings.sharingSettings.s3KmsKeyId: is not set`},
	})
}

func TestSagemakerDomainSettings(t *testing.T) {
	runSpecs(t, sagemakerDomainVPCOnly, smDomain, []spec{
		{name: "compliant", props: seedDomain},
		{name: "seed: public internet by default", props: pt.Without(seedDomain, "appNetworkAccessType"), violation: `appNetworkAccessType: is not set; set appNetworkAccessType = "VpcOnly"`},
		{name: "public", props: pt.With(seedDomain, "appNetworkAccessType", "PublicInternetOnly"), violation: `is "PublicInternetOnly"`},
		{name: "unknown", props: pt.With(seedDomain, "appNetworkAccessType", pt.Unknown), unknown: "appNetworkAccessType is unknown"},
	})
	runSpecs(t, sagemakerDomainKMS, smDomain, []spec{
		{name: "compliant", props: seedDomain},
		{name: "seed: no key", props: pt.Without(seedDomain, "kmsKeyId"), violation: `kmsKeyId: is not set; set kmsKeyId`},
		{name: "unknown", props: pt.With(seedDomain, "kmsKeyId", pt.Unknown), unknown: "kmsKeyId is unknown"},
		{name: "secret key is fine", props: pt.With(seedDomain, "kmsKeyId", pt.Secret(secretText))},
	})
	runSpecs(t, sagemakerDomainIAMAuth, smDomain, []spec{
		{name: "compliant", props: seedDomain},
		{name: "SSO", props: pt.With(seedDomain, "authMode", "SSO"), violation: `authMode: is "SSO"; set authMode = "IAM"`},
		{name: "unknown", props: pt.With(seedDomain, "authMode", pt.Unknown), unknown: "authMode is unknown"},
	})
	runSpecs(t, sagemakerDomainExecutionRole, smDomain, []spec{
		{name: "compliant", props: seedDomain},
		{name: "unknown (seed: Role(...).arn)", props: pt.With(seedDomain, "defaultUserSettings.executionRole", pt.Unknown), unknown: "executionRole is unknown"},
		{name: "missing", props: pt.Without(seedDomain, "defaultUserSettings.executionRole"), violation: `defaultUserSettings.executionRole: is not set`},
		{name: "placeholder", props: pt.With(seedDomain, "defaultUserSettings.executionRole", "<ARN_OF_AWS_CONFIG_SERVICE_ROLE>"), violation: `a placeholder`},
		{name: "secret placeholder", props: pt.With(seedDomain, "defaultUserSettings.executionRole", pt.Secret("<"+secretText+">")), violation: `is [secret], a placeholder`},
	})
}

func TestSagemakerNotebook(t *testing.T) {
	nb := map[string]any{"directInternetAccess": "Disabled", "rootAccess": "Disabled", "kmsKeyId": "k", "subnetId": "subnet-1", "roleArn": "arn:aws:iam::111122223333:role/r"}
	runSpecs(t, sagemakerNotebookNoInternet, smNotebook, []spec{
		{name: "compliant", props: nb},
		{name: "default is enabled", props: pt.Without(nb, "directInternetAccess"), violation: `directInternetAccess: is not set; set directInternetAccess = "Disabled"`},
		{name: "enabled", props: pt.With(nb, "directInternetAccess", "Enabled"), violation: `is "Enabled"`},
		{name: "unknown", props: pt.With(nb, "directInternetAccess", pt.Unknown), unknown: "directInternetAccess is unknown"},
		{name: "secret", props: pt.With(nb, "directInternetAccess", pt.Secret(secretText)), violation: `is [secret]`},
	})
	runSpecs(t, sagemakerNotebookNoRoot, smNotebook, []spec{
		{name: "compliant", props: nb},
		{name: "default is enabled", props: pt.Without(nb, "rootAccess"), violation: `rootAccess: is not set`},
		{name: "unknown", props: pt.With(nb, "rootAccess", pt.Unknown), unknown: "rootAccess is unknown"},
	})
	runSpecs(t, sagemakerNotebookKMS, smNotebook, []spec{
		{name: "compliant", props: nb},
		{name: "missing", props: pt.Without(nb, "kmsKeyId"), violation: `kmsKeyId: is not set`},
		{name: "unknown", props: pt.With(nb, "kmsKeyId", pt.Unknown), unknown: "kmsKeyId is unknown"},
	})
	runSpecs(t, sagemakerNotebookInVPC, smNotebook, []spec{
		{name: "compliant", props: nb},
		{name: "missing", props: pt.Without(nb, "subnetId"), violation: `subnetId: is not set`},
		{name: "unknown", props: pt.With(nb, "subnetId", pt.Unknown), unknown: "subnetId is unknown"},
	})
}

func TestSagemakerEndpointAndFeatureStore(t *testing.T) {
	runSpecs(t, sagemakerEndpointConfigKMS, smEndpointConfig, []spec{
		{name: "compliant", props: map[string]any{"kmsKeyArn": "arn:aws:kms:eu-west-1:111122223333:key/k"}},
		{name: "missing", props: map[string]any{}, violation: `kmsKeyArn: is not set`},
		{name: "unknown", props: map[string]any{"kmsKeyArn": pt.Unknown}, unknown: "kmsKeyArn is unknown"},
	})
	fg := map[string]any{
		"offlineStoreConfig": map[string]any{"s3StorageConfig": map[string]any{"s3Uri": "s3://b/fs", "kmsKeyId": "k1"}},
		"onlineStoreConfig":  map[string]any{"enableOnlineStore": true, "securityConfig": map[string]any{"kmsKeyId": "k2"}},
	}
	runSpecs(t, sagemakerFeatureGroupKMS, smFeatureGroup, []spec{
		{name: "compliant", props: fg},
		{name: "offline without key", props: pt.Without(fg, "offlineStoreConfig.s3StorageConfig.kmsKeyId"), violation: `offlineStoreConfig.s3StorageConfig.kmsKeyId: is not set`},
		{name: "online without key", props: pt.Without(fg, "onlineStoreConfig.securityConfig"), violation: `onlineStoreConfig.securityConfig.kmsKeyId: is not set`},
		{name: "online disabled needs no key", props: pt.With(pt.Without(fg, "onlineStoreConfig.securityConfig"), "onlineStoreConfig.enableOnlineStore", false)},
		{name: "no offline store", props: pt.Without(fg, "offlineStoreConfig")},
		{name: "unknown offline key", props: pt.With(fg, "offlineStoreConfig.s3StorageConfig.kmsKeyId", pt.Unknown), unknown: "offlineStoreConfig"},
	})
}
