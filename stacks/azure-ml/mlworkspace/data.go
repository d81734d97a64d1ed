package mlworkspace

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-azure-native-sdk/storage/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Blob containers of the data storage account.
const (
	DatasetsContainer     = "datasets"     // source datasets, versioned
	FeatureStoreContainer = "featurestore" // featureset specifications
)

// dataStorage is the workspace's storage account: HTTPS only, TLS 1.2, no
// anonymous access, blob versioning, soft delete and a change feed, so that
// every version of a dataset or specification stays traceable.
type dataStorage struct {
	Account      *storage.StorageAccount
	BlobService  *storage.BlobServiceProperties
	Datasets     *storage.BlobContainer
	FeatureStore *storage.BlobContainer
}

func newDataStorage(ctx *pulumi.Context, cfg *Config, rg pulumi.StringOutput, tags pulumi.StringMap) (*dataStorage, error) {
	d := &dataStorage{}
	var err error
	// Reached like the key vault: with public access disabled only through
	// the network (mlguard's azure-storage-private, and
	// azure-storage-hbi-private for an HBI workspace's storage), so the
	// runner that uploads the featureset specification must reach it
	// privately too.
	defaultAction := "Allow"
	if cfg.PublicNetworkAccess == "Disabled" {
		defaultAction = "Deny"
	}
	d.Account, err = storage.NewStorageAccount(ctx, "mldata", &storage.StorageAccountArgs{
		ResourceGroupName:            rg,
		Location:                     pulumi.String(cfg.Location),
		Kind:                         pulumi.String("StorageV2"),
		Sku:                          &storage.SkuArgs{Name: pulumi.String("Standard_LRS")},
		EnableHttpsTrafficOnly:       pulumi.Bool(true),
		MinimumTlsVersion:            pulumi.String("TLS1_2"),
		AllowBlobPublicAccess:        pulumi.Bool(false),
		AllowCrossTenantReplication:  pulumi.Bool(false),
		DefaultToOAuthAuthentication: pulumi.Bool(true),
		// Shared key access stays on: with the workspace API version of
		// azure-native 2.x (2023-04-01) the workspace's system datastores
		// authenticate with the account key (identity-based system
		// datastores came later), and the provider uploads the featureset
		// specification blob with it. Entra ID stays the portal default.
		AllowSharedKeyAccess: pulumi.Bool(true),
		// The workspace's default storage must not use a hierarchical
		// namespace; abfss:// paths still work on a flat namespace.
		IsHnsEnabled:        pulumi.Bool(false),
		PublicNetworkAccess: pulumi.String(cfg.PublicNetworkAccess),
		NetworkRuleSet: &storage.NetworkRuleSetArgs{
			Bypass:        pulumi.String("AzureServices"),
			DefaultAction: storage.DefaultAction(defaultAction),
		},
		Tags: tags,
	})
	if err != nil {
		return nil, err
	}
	days := pulumi.Int(cfg.BlobRetentionDays)
	d.BlobService, err = storage.NewBlobServiceProperties(ctx, "mldata-blob", &storage.BlobServicePropertiesArgs{
		ResourceGroupName:              rg,
		AccountName:                    d.Account.Name,
		BlobServicesName:               pulumi.String("default"),
		IsVersioningEnabled:            pulumi.Bool(true),
		DeleteRetentionPolicy:          &storage.DeleteRetentionPolicyArgs{Enabled: pulumi.Bool(true), Days: days},
		ContainerDeleteRetentionPolicy: &storage.DeleteRetentionPolicyArgs{Enabled: pulumi.Bool(true), Days: days},
		ChangeFeed:                     &storage.ChangeFeedArgs{Enabled: pulumi.Bool(true)},
	})
	if err != nil {
		return nil, err
	}
	for _, c := range []struct {
		name string
		dst  **storage.BlobContainer
	}{{DatasetsContainer, &d.Datasets}, {FeatureStoreContainer, &d.FeatureStore}} {
		*c.dst, err = storage.NewBlobContainer(ctx, c.name, &storage.BlobContainerArgs{
			ResourceGroupName: rg,
			AccountName:       d.Account.Name,
			ContainerName:     pulumi.String(c.name),
			PublicAccess:      storage.PublicAccessNone,
			Metadata:          pulumi.StringMap{"dataclassification": pulumi.String(cfg.Tags["data-classification"])},
		}, pulumi.DependsOn([]pulumi.Resource{d.BlobService}))
		if err != nil {
			return nil, err
		}
	}
	return d, nil
}

// ABFSS is the abfss:// URI of a folder in one of the account's containers.
func (d *dataStorage) ABFSS(container, folder string) pulumi.StringOutput {
	return d.Account.Name.ApplyT(func(account string) string {
		return abfss(account, container, folder)
	}).(pulumi.StringOutput)
}

func abfss(account, container, folder string) string {
	return fmt.Sprintf("abfss://%s@%s.dfs.core.windows.net/%s", container, account, strings.Trim(folder, "/"))
}

// DatasetsPath is where source datasets are written.
func (d *dataStorage) DatasetsPath() pulumi.StringOutput { return d.ABFSS(DatasetsContainer, "") }
