package mlworkspace

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

// Config is everything the stack lets its user choose. Every field has a
// default but owner and costCenter, which only the user can know.
type Config struct {
	Location string
	// Tags go on every taggable resource: owner, project, cost-center and
	// data-classification (what mlguard requires) plus extraTags.
	Tags map[string]string

	WorkspaceName string
	// PublicNetworkAccess of the workspace, key vault and storage account:
	// Disabled (reach them through private endpoints) or Enabled.
	PublicNetworkAccess string

	LogRetentionDays      int // Log Analytics
	KeyVaultRetentionDays int // soft-deleted secrets and keys
	BlobRetentionDays     int // deleted blobs and containers
	// AssignRoles grants the workspace identity its data-plane roles on the
	// key vault and storage account; the deployer then needs Owner or User
	// Access Administrator on the resource group.
	AssignRoles bool

	Featureset Featureset
}

// Featureset is the featureset the stack registers, with its entity.
type Featureset struct {
	Name            string   `json:"name"`
	Version         string   `json:"version"`
	Description     string   `json:"description"`
	Entity          string   `json:"entity"`
	EntityVersion   string   `json:"entityVersion"`
	IndexColumns    []Column `json:"indexColumns"`
	TimestampColumn string   `json:"timestampColumn"`
	Features        []Column `json:"features"`
	SourceDataset   string   `json:"sourceDataset"` // folder under the datasets container
	SourceLookback  int      `json:"sourceLookbackDays"`
	Stage           string   `json:"stage"`
}

// Column is a named, typed column.
type Column struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// DataClassifications are the values mlguard accepts for data-classification.
var DataClassifications = []string{"public", "internal", "confidential", "restricted"}

// HBIClassifications need an HBI workspace (mlguard's azureml-workspace-hbi).
var HBIClassifications = []string{"confidential", "restricted"}

// NetworkAccess values.
var NetworkAccess = []string{"Disabled", "Enabled"}

// ColumnTypes are the Azure ML feature store data types.
var ColumnTypes = []string{"String", "Integer", "Long", "Float", "Double", "Binary", "Datetime", "Boolean"}

// Stages of a featureset version.
var Stages = []string{"Development", "Production", "Archived"}

var (
	locationRe  = regexp.MustCompile(`^[a-z][a-z0-9]{2,39}$`)
	wsNameRe    = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$`)
	assetNameRe = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,254}$`)
	versionRe   = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,29}$`)
	columnRe    = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,127}$`)
	folderRe    = regexp.MustCompile(`^[a-z0-9][a-z0-9/_.-]{0,200}[a-z0-9]$`)
	tagKeyRe    = regexp.MustCompile(`^[^<>%&\\?/]{1,512}$`)
)

func defaultFeatureset() Featureset {
	return Featureset{
		Name:            "transactions",
		Version:         "1",
		Description:     "Rolling transaction aggregates per account",
		Entity:          "account",
		EntityVersion:   "1",
		IndexColumns:    []Column{{"accountID", "String"}},
		TimestampColumn: "timestamp",
		Features: []Column{
			{"transaction_amount_3d_sum", "Double"},
			{"transaction_amount_7d_avg", "Double"},
			{"transaction_3d_count", "Long"},
		},
		SourceDataset:  "transactions",
		SourceLookback: 7,
		Stage:          "Development",
	}
}

// LoadConfig reads the stack's configuration and checks it, naming every
// key that is wrong.
func LoadConfig(ctx *pulumi.Context) (*Config, error) {
	c := config.New(ctx, "")
	az := config.New(ctx, "azure-native")
	cfg := &Config{
		Location:            strings.ToLower(strings.ReplaceAll(orDefault(az.Get("location"), "westeurope"), " ", "")),
		WorkspaceName:       orDefault(c.Get("workspaceName"), ctx.Project()+"-"+ctx.Stack()),
		PublicNetworkAccess: orDefault(c.Get("publicNetworkAccess"), "Disabled"),
		Featureset:          defaultFeatureset(),
	}
	var problems []string
	for _, n := range []struct {
		key      string
		dst      *int
		def      int
		min, max int
		what     string
	}{
		{"logRetentionDays", &cfg.LogRetentionDays, 90, 30, 730, "days"},
		{"keyVaultRetentionDays", &cfg.KeyVaultRetentionDays, 90, 7, 90, "days"},
		{"blobRetentionDays", &cfg.BlobRetentionDays, 30, 1, 365, "days"},
	} {
		v, err := c.TryInt(n.key)
		switch {
		case isMissing(err):
			*n.dst = n.def
		case err != nil:
			problems = append(problems, fmt.Sprintf("%s: must be a whole number of %s (%v)", n.key, n.what, err))
		case v < n.min || v > n.max:
			problems = append(problems, fmt.Sprintf("%s: %d is not between %d and %d", n.key, v, n.min, n.max))
		default:
			*n.dst = v
		}
	}
	cfg.AssignRoles = true
	if v, err := c.TryBool("assignRoles"); err == nil {
		cfg.AssignRoles = v
	} else if !isMissing(err) {
		problems = append(problems, fmt.Sprintf("assignRoles: must be true or false (%v)", err))
	}

	var extra map[string]string
	if err := c.TryObject("extraTags", &extra); err != nil && !isMissing(err) {
		problems = append(problems, fmt.Sprintf("extraTags: must be a map of strings (%v)", err))
	}
	cfg.Tags = map[string]string{}
	for k, v := range extra {
		cfg.Tags[k] = v
	}
	// The required tags win over extraTags, whatever their case (Azure tag
	// names are case-insensitive, so "Owner" and "owner" would clash).
	for k := range cfg.Tags {
		for _, req := range []string{"owner", "project", "cost-center", "data-classification"} {
			if strings.EqualFold(k, req) {
				problems = append(problems, fmt.Sprintf("extraTags: %q is set from its own key (owner, project, costCenter, dataClassification), not from extraTags", k))
			}
		}
	}
	cfg.Tags["owner"] = c.Get("owner")
	cfg.Tags["project"] = orDefault(c.Get("project"), ctx.Project())
	cfg.Tags["cost-center"] = c.Get("costCenter")
	cfg.Tags["data-classification"] = orDefault(c.Get("dataClassification"), "confidential")

	// Decoded strictly, so that a misspelt field is named, not ignored.
	if raw := c.Get("featureset"); raw != "" {
		dec := json.NewDecoder(strings.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&cfg.Featureset); err != nil {
			problems = append(problems, fmt.Sprintf("featureset: must be an object with the fields of Pulumi.dev.yaml's example (%v)", err))
		}
	}
	problems = append(problems, cfg.validate()...)
	if len(problems) > 0 {
		sort.Strings(problems)
		return nil, fmt.Errorf("invalid configuration for stack %s: %s", ctx.Stack(), strings.Join(problems, "; "))
	}
	return cfg, nil
}

func (cfg *Config) validate() []string {
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	if !locationRe.MatchString(cfg.Location) {
		bad("azure-native:location: %q is not an Azure region name such as westeurope", cfg.Location)
	}
	for _, k := range []struct{ tag, key string }{{"owner", "owner"}, {"cost-center", "costCenter"}, {"project", "project"}} {
		if strings.TrimSpace(cfg.Tags[k.tag]) == "" {
			bad("%s: required (the %s tag on every resource)", k.key, k.tag)
		}
	}
	if !slices.Contains(DataClassifications, cfg.Tags["data-classification"]) {
		bad("dataClassification: %q is not one of %s", cfg.Tags["data-classification"], strings.Join(DataClassifications, ", "))
	}
	for k, v := range cfg.Tags {
		if !tagKeyRe.MatchString(k) || len(v) > 256 {
			bad("extraTags: %q is not a valid Azure tag (name without <>%%&\\?/, value up to 256 characters)", k)
		}
	}
	if len(cfg.Tags) > 50 {
		bad("extraTags: Azure allows 50 tags per resource, not %d", len(cfg.Tags))
	}
	if !slices.Contains(NetworkAccess, cfg.PublicNetworkAccess) {
		bad("publicNetworkAccess: %q is not one of %s", cfg.PublicNetworkAccess, strings.Join(NetworkAccess, ", "))
	}
	if !wsNameRe.MatchString(cfg.WorkspaceName) {
		bad("workspaceName: %q must be 3-33 letters, digits, hyphens and underscores, starting with a letter or digit", cfg.WorkspaceName)
	}
	problems = append(problems, cfg.Featureset.validate()...)
	return problems
}

func (f *Featureset) validate() []string {
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	for key, v := range map[string]string{"featureset.name": f.Name, "featureset.entity": f.Entity} {
		if !assetNameRe.MatchString(v) {
			bad("%s: %q must be letters, digits, '.', '-' and '_', starting with a letter or digit", key, v)
		}
	}
	for key, v := range map[string]string{"featureset.version": f.Version, "featureset.entityVersion": f.EntityVersion} {
		if !versionRe.MatchString(v) {
			bad("%s: %q is not a version such as 1 or 2024.1", key, v)
		}
	}
	if !columnRe.MatchString(f.TimestampColumn) {
		bad("featureset.timestampColumn: %q is not a column name", f.TimestampColumn)
	}
	if !folderRe.MatchString(f.SourceDataset) || strings.Contains(f.SourceDataset, "..") {
		bad("featureset.sourceDataset: %q is not a lowercase folder path in the datasets container", f.SourceDataset)
	}
	if f.SourceLookback < 1 || f.SourceLookback > 365 {
		bad("featureset.sourceLookbackDays: %d is not between 1 and 365", f.SourceLookback)
	}
	if !slices.Contains(Stages, f.Stage) {
		bad("featureset.stage: %q is not one of %s", f.Stage, strings.Join(Stages, ", "))
	}
	for key, cols := range map[string][]Column{"featureset.indexColumns": f.IndexColumns, "featureset.features": f.Features} {
		if len(cols) == 0 {
			bad("%s: give at least one column", key)
		}
		seen := map[string]bool{}
		for i, col := range cols {
			switch {
			case !columnRe.MatchString(col.Name):
				bad("%s[%d].name: %q is not a column name", key, i, col.Name)
			case seen[col.Name]:
				bad("%s[%d].name: %q appears twice", key, i, col.Name)
			}
			seen[col.Name] = true
			if !slices.Contains(ColumnTypes, col.Type) {
				bad("%s[%d].type: %q is not one of %s", key, i, col.Type, strings.Join(ColumnTypes, ", "))
			}
		}
	}
	return problems
}

// HBI reports whether the workspace must be high business impact.
func (cfg *Config) HBI() bool {
	return slices.Contains(HBIClassifications, cfg.Tags["data-classification"])
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func isMissing(err error) bool { return errors.Is(err, config.ErrMissingVar) }
