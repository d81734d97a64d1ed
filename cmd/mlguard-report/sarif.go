package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"path/filepath"
	"runtime/debug"
	"strings"
)

// SARIF 2.1.0, the parts code-scanning tools read.
type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                   `json:"tool"`
	AutomationDetails  *sarifAutomation            `json:"automationDetails,omitempty"`
	OriginalURIBaseIDs map[string]sarifArtifactLoc `json:"originalUriBaseIds,omitempty"`
	Results            []sarifResult               `json:"results"`
}

type sarifAutomation struct {
	ID string `json:"id"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID                   string           `json:"id"`
	Name                 string           `json:"name,omitempty"`
	ShortDescription     *sarifText       `json:"shortDescription,omitempty"`
	FullDescription      *sarifText       `json:"fullDescription,omitempty"`
	HelpURI              string           `json:"helpUri,omitempty"`
	Help                 *sarifText       `json:"help,omitempty"`
	DefaultConfiguration *sarifRuleConfig `json:"defaultConfiguration,omitempty"`
	Properties           map[string]any   `json:"properties,omitempty"`
}

type sarifRuleConfig struct {
	Level string `json:"level"`
}

type sarifResult struct {
	RuleID              string             `json:"ruleId"`
	RuleIndex           int                `json:"ruleIndex"`
	Level               string             `json:"level"`
	Message             sarifText          `json:"message"`
	Locations           []sarifLocation    `json:"locations"`
	PartialFingerprints map[string]string  `json:"partialFingerprints"`
	Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
	Properties          map[string]any     `json:"properties,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation *sarifPhysical `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogical `json:"logicalLocations,omitempty"`
	Message          *sarifText     `json:"message,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifactLoc `json:"artifactLocation"`
	Region           *sarifRegion     `json:"region,omitempty"`
}

type sarifArtifactLoc struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

type sarifLogical struct {
	Name               string `json:"name,omitempty"`
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind"`
}

type sarifSuppression struct {
	Kind          string `json:"kind"`
	Status        string `json:"status"`
	Justification string `json:"justification"`
}

const srcRoot = "%SRCROOT%"

// sarifLevel is a result's level from its enforcement level.
func sarifLevel(level string, exempted bool) string {
	switch {
	case exempted:
		return "note"
	case level == "mandatory":
		return "error"
	case level == "disabled":
		return "none"
	}
	return "warning"
}

// securitySeverity is GitHub code scanning's numeric severity, which ranks
// alerts; CVSS bands: critical ≥ 9, high ≥ 7, medium ≥ 4, low > 0.
var securitySeverity = map[string]string{"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0"}

func buildSARIF(r *run, loc locator, fallback *location) sarifLog {
	driver := sarifDriver{Name: "mlguard", Version: r.Pack.Version, InformationURI: "https://github.com/mlguard/mlguard"}
	if driver.Version == "" { // from an event log alone: the report's own version, if released
		if bi, ok := debug.ReadBuildInfo(); ok {
			driver.Version = releaseVersion(bi.Main.Version)
		}
	}
	index := map[[2]string]int{}
	for _, p := range r.Policies {
		key := [2]string{p.Pack, p.Name}
		if _, dup := index[key]; dup {
			continue
		}
		index[key] = len(driver.Rules)
		driver.Rules = append(driver.Rules, sarifRuleFor(p))
	}
	run := sarifRun{
		Tool:              sarifTool{Driver: driver},
		AutomationDetails: &sarifAutomation{ID: "mlguard/" + r.Project + "/" + r.Stack + "/"},
		OriginalURIBaseIDs: map[string]sarifArtifactLoc{
			srcRoot: {URI: (&url.URL{Scheme: "file", Path: filepath.ToSlash(loc.repoRoot) + "/"}).String()},
		},
		Results: []sarifResult{},
	}
	for _, v := range r.Violations {
		key := [2]string{v.Pack, v.Policy}
		i, ok := index[key]
		if !ok { // a violation of a policy no metadata named: a rule from the event alone
			i = len(run.Tool.Driver.Rules)
			index[key] = i
			run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRuleFor(policyInfo{Pack: v.Pack, Name: v.Policy, Severity: v.Severity, Level: v.Level}))
		}
		res := sarifResult{
			RuleID: run.Tool.Driver.Rules[i].ID, RuleIndex: i, Level: sarifLevel(v.Level, v.Exemption != nil),
			Message:             sarifText{Text: v.Message},
			PartialFingerprints: map[string]string{"mlguardViolation/v1": fingerprint(v)},
			Properties:          map[string]any{"pack": v.Pack, "packVersion": v.PackVersion, "enforcementLevel": v.Level},
		}
		if v.Severity != "" {
			res.Properties["severity"] = v.Severity
		}
		l := sarifLocation{}
		if v.URN != "" {
			_, _, name, _ := parseURN(v.URN)
			l.LogicalLocations = []sarifLogical{{Name: name, FullyQualifiedName: v.URN, Kind: "resource"}}
		}
		where := v.Location
		if where == nil && fallback != nil {
			// Code scanning needs a file: the project's Pulumi.yaml stands in
			// for a resource without a position, and the message says so.
			where = fallback
			l.Message = &sarifText{Text: "no source position for this resource; shown on the project file"}
		}
		if where != nil {
			l.PhysicalLocation = &sarifPhysical{
				ArtifactLocation: sarifArtifactLoc{URI: (&url.URL{Path: where.File}).String(), URIBaseID: srcRoot},
				Region:           &sarifRegion{StartLine: where.Line, StartColumn: where.Column},
			}
		}
		res.Locations = []sarifLocation{l}
		if v.Exemption != nil {
			res.Suppressions = []sarifSuppression{{Kind: "external", Status: "accepted", Justification: v.Exemption.Source + ": " + v.Exemption.Note}}
		}
		run.Results = append(run.Results, res)
	}
	return sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{run}}
}

func sarifRuleFor(p policyInfo) sarifRule {
	// pack/policy, from a results file or an event log alike, so that code
	// scanning tracks the same alerts whichever input a job uses.
	id := p.Pack + "/" + p.Name
	rule := sarifRule{ID: id, HelpURI: p.URL, Properties: map[string]any{"pack": p.Pack}}
	if p.Description != "" {
		rule.ShortDescription = &sarifText{Text: p.Description}
		rule.FullDescription = &sarifText{Text: p.Description}
	} else {
		rule.ShortDescription = &sarifText{Text: "policy " + p.Name + " of pack " + p.Pack}
	}
	if p.Remedy != "" {
		rule.Help = &sarifText{Text: p.Remedy}
	}
	if p.DisplayName != "" {
		rule.Name = p.DisplayName
	}
	if p.Level != "" {
		rule.DefaultConfiguration = &sarifRuleConfig{Level: sarifLevel(p.Level, false)}
	}
	if s, ok := securitySeverity[p.Severity]; ok {
		rule.Properties["security-severity"] = s
		rule.Properties["severity"] = p.Severity
	}
	rule.Properties["tags"] = []string{"pulumi", "policy-as-code"}
	return rule
}

// fingerprint identifies a violation across runs, so code scanning tracks
// one alert per finding, not one per line the code moved to.
func fingerprint(v violation) string {
	h := sha256.Sum256([]byte(v.Pack + "\x00" + v.Policy + "\x00" + v.URN + "\x00" + v.Message))
	return hex.EncodeToString(h[:16])
}

// releaseVersion is "1.2.3" for a module version "v1.2.3", and "" for a
// build from a checkout ("(devel)"): SARIF wants a version that starts with
// a digit, or none.
func releaseVersion(v string) string {
	v = strings.TrimPrefix(v, "v")
	if v == "" || v[0] < '0' || v[0] > '9' {
		return ""
	}
	return v
}

func marshalSARIF(l sarifLog) ([]byte, error) {
	b, err := json.MarshalIndent(l, "", "  ")
	return append(b, '\n'), err
}
