package providers

// Azure kinds whose tokens differ between azure-native majors.
const (
	AppInsightsComponent = "azure-native:applicationinsights:Component"
)

// AMLFeaturesetVersion is an Azure ML feature store's featureset version.
const AMLFeaturesetVersion = "azure-native:machinelearningservices:FeaturesetVersion"

// AMLFeaturesetVersionProperties is the featureset version's properties
// object, which azure-native v3 renamed.
var AMLFeaturesetVersionProperties = property("featureset version properties",
	Placement{Token: AMLFeaturesetVersion, Majors: []Major{AzureNativeV2}, Path: "featuresetVersionProperties"},
	Placement{Token: AMLFeaturesetVersion, Majors: []Major{AzureNativeV3}, Path: "properties"})
