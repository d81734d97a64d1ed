package mlworkspace

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-azure-native-sdk/storage/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// featureStore is the featureset and its entity, registered in the feature
// store workspace, with the specification the featureset version points at.
type featureStore struct {
	Entity        *FeaturestoreEntityContainer
	EntityVersion *FeaturestoreEntityVersion
	Spec          *storage.Blob
	SpecPath      pulumi.StringOutput // folder holding FeaturesetSpec.yaml
	Container     *FeaturesetContainer
	Version       *FeaturesetVersion
}

func newFeatureStore(ctx *pulumi.Context, cfg *Config, rg pulumi.StringOutput, ws *Workspace, data *dataStorage, tags pulumi.StringMap) (*featureStore, error) {
	fs := cfg.Featureset
	f := &featureStore{}
	var err error
	f.Entity, err = NewFeaturestoreEntityContainer(ctx, fs.Entity, &FeaturestoreEntityContainerArgs{
		Name:              pulumi.String(fs.Entity),
		ResourceGroupName: rg,
		WorkspaceName:     ws.Name,
		FeaturestoreEntityContainerProperties: AssetContainerArgs{
			Description: pulumi.String("Entity " + fs.Entity + ", identified by " + columnNames(fs.IndexColumns)),
			Tags:        tags,
		},
	})
	if err != nil {
		return nil, err
	}
	var index []IndexColumnArgs
	for _, c := range fs.IndexColumns {
		index = append(index, IndexColumnArgs{ColumnName: pulumi.String(c.Name), DataType: pulumi.String(c.Type)})
	}
	f.EntityVersion, err = NewFeaturestoreEntityVersion(ctx, fs.Entity+"-"+fs.EntityVersion, &FeaturestoreEntityVersionArgs{
		Name:              pulumi.String(fs.Entity),
		Version:           pulumi.String(fs.EntityVersion),
		ResourceGroupName: rg,
		WorkspaceName:     ws.Name,
		FeaturestoreEntityVersionProperties: FeaturestoreEntityVersionPropertiesArgs{
			Description:  pulumi.String("Index columns of entity " + fs.Entity),
			IndexColumns: index,
			Tags:         tags,
		},
	}, pulumi.DependsOn([]pulumi.Resource{f.Entity}))
	if err != nil {
		return nil, err
	}

	// The specification lives in the stack's own storage account, uploaded
	// by the stack, so the version's path is never a placeholder.
	folder := fmt.Sprintf("featuresets/%s/%s/spec", fs.Name, fs.Version)
	f.SpecPath = data.ABFSS(FeatureStoreContainer, folder)
	spec := data.Account.Name.ApplyT(func(account string) pulumi.AssetOrArchive {
		return pulumi.NewStringAsset(FeaturesetSpecYAML(fs, abfss(account, DatasetsContainer, fs.SourceDataset)))
	}).(pulumi.AssetOrArchiveOutput)
	f.Spec, err = storage.NewBlob(ctx, fs.Name+"-"+fs.Version+"-spec", &storage.BlobArgs{
		ResourceGroupName: rg,
		AccountName:       data.Account.Name,
		ContainerName:     data.FeatureStore.Name,
		BlobName:          pulumi.String(folder + "/FeaturesetSpec.yaml"),
		Type:              storage.BlobTypeBlock,
		ContentType:       pulumi.String("application/x-yaml"),
		Source:            spec,
	})
	if err != nil {
		return nil, err
	}

	f.Container, err = NewFeaturesetContainer(ctx, fs.Name, &FeaturesetContainerArgs{
		Name:              pulumi.String(fs.Name),
		ResourceGroupName: rg,
		WorkspaceName:     ws.Name,
		FeaturesetContainerProperties: AssetContainerArgs{
			Description: pulumi.String(fs.Description),
			Tags:        tags,
		},
	})
	if err != nil {
		return nil, err
	}
	f.Version, err = NewFeaturesetVersion(ctx, fs.Name+"-"+fs.Version, &FeaturesetVersionArgs{
		Name:              pulumi.String(fs.Name),
		Version:           pulumi.String(fs.Version),
		ResourceGroupName: rg,
		WorkspaceName:     ws.Name,
		FeaturesetVersionProperties: FeaturesetVersionPropertiesArgs{
			Description:   pulumi.String(fs.Description),
			Entities:      pulumi.StringArray{pulumi.String("azureml:" + fs.Entity + ":" + fs.EntityVersion)},
			Specification: FeaturesetSpecificationArgs{Path: f.SpecPath},
			Stage:         pulumi.String(fs.Stage),
			Tags:          tags,
		},
	}, pulumi.DependsOn([]pulumi.Resource{f.Container, f.EntityVersion, f.Spec}))
	if err != nil {
		return nil, err
	}
	return f, nil
}

func columnNames(cols []Column) string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	return strings.Join(names, ", ")
}

// FeaturesetSpecYAML renders the featureset's FeaturesetSpec.yaml: its
// source dataset (parquet under sourcePath), timestamp and index columns,
// and features.
func FeaturesetSpecYAML(fs Featureset, sourcePath string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "$schema: http://azureml/sdk-2-0/FeatureSetSpec.json\n")
	fmt.Fprintf(&b, "source:\n  type: parquet\n  path: %s/\n  timestamp_column:\n    name: %s\n", strings.TrimSuffix(sourcePath, "/"), fs.TimestampColumn)
	fmt.Fprintf(&b, "features:\n")
	for _, c := range fs.Features {
		fmt.Fprintf(&b, "  - name: %s\n    type: %s\n", c.Name, strings.ToLower(c.Type))
	}
	fmt.Fprintf(&b, "index_columns:\n")
	for _, c := range fs.IndexColumns {
		fmt.Fprintf(&b, "  - name: %s\n    type: %s\n", c.Name, strings.ToLower(c.Type))
	}
	fmt.Fprintf(&b, "source_lookback:\n  days: %d\n  hours: 0\n  minutes: 0\n", fs.SourceLookback)
	fmt.Fprintf(&b, "temporal_join_lookback:\n  days: %d\n  hours: 0\n  minutes: 0\n", fs.SourceLookback)
	return b.String()
}
