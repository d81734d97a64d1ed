package policypack

import "github.com/mlguard/mlguard/policy"

const glueCatalogEncryption = "aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings"

func gluePolicies() []*policy.Policy { return []*policy.Policy{glueCatalogEncrypted} }

var glueCatalogEncrypted = &policy.Policy{
	Name:        "glue-catalog-encryption",
	DisplayName: "The Glue Data Catalog is encrypted",
	Description: "Glue Data Catalog encryption settings encrypt metadata at rest with KMS (encryptionAtRest.catalogEncryptionMode = SSE-KMS or SSE-KMS-WITH-SERVICE-ROLE) and return connection passwords encrypted (connectionPasswordEncryption.returnConnectionPasswordEncrypted = true). " +
		"Mandatory: the catalog describes every training data set and its connections hold database passwords.",
	Severity:         policy.High,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "Set data_catalog_encryption_settings={\"encryption_at_rest\": {\"catalog_encryption_mode\": \"SSE-KMS\", \"sse_aws_kms_key_id\": key.arn}, \"connection_password_encryption\": {\"return_connection_password_encrypted\": True, \"aws_kms_key_id\": key.arn}}.",
	URL:              docsURL + "glue-catalog-encryption",
	Controls:         []policy.Control{checkov("CKV_AWS_94"), prowler("glue_data_catalogs_connection_passwords_encryption_enabled")},
	Tags:             []string{"glue", "encryption", "kms", "data-catalog"},
	Resource: &policy.ResourceRule{
		Types: []string{glueCatalogEncryption},
		Validate: func(c *policy.Check) {
			const base = "dataCatalogEncryptionSettings."
			if mode, ok := c.Known(base + "encryptionAtRest.catalogEncryptionMode"); ok {
				if s := str(mode); s != "SSE-KMS" && s != "SSE-KMS-WITH-SERVICE-ROLE" {
					c.Violatef(mode, "is %s; set it to \"SSE-KMS\" with sseAwsKmsKeyId", mode.Display())
				}
			}
			requireBool(c, base+"connectionPasswordEncryption.returnConnectionPasswordEncrypted", true, false, "set it to true, with awsKmsKeyId")
		},
	},
}
