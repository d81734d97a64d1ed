package policypack

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/mlguard/mlguard/policy"
)

const (
	caDomain           = "aws:codeartifact/domain:Domain"
	caRepository       = "aws:codeartifact/repository:Repository"
	caDomainPerms      = "aws:codeartifact/domainPermissions:DomainPermissions"
	caRepositoryPolicy = "aws:codeartifact/repositoryPermissionsPolicy:RepositoryPermissionsPolicy"
)

func codeartifactPolicies() []*policy.Policy {
	return []*policy.Policy{
		codeartifactRepositoryDescription, codeartifactDomainKMS,
		codeartifactExternalConnections, codeartifactPolicyNoPublicPrincipal,
	}
}

type descriptionConfig struct {
	MinLength int `json:"minLength"`
}

var codeartifactRepositoryDescription = &policy.Policy{
	Name:             "codeartifact-repository-description",
	DisplayName:      "CodeArtifact repositories are described",
	Description:      "CodeArtifact repositories carry a description of at least minLength characters (default 10), so the packages behind a model can be traced to an owner and purpose.",
	Severity:         policy.Low,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "Set description to a sentence saying what the repository holds and for which models or pipelines.",
	URL:              docsURL + "codeartifact-repository-description",
	Tags:             []string{"codeartifact", "documentation", "dependencies"},
	Config: policy.ConfigFor[descriptionConfig](map[string]policy.Schema{
		"minLength": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 10,
			"description": "Minimum description length in characters, after trimming spaces."},
	}),
	Resource: &policy.ResourceRule{
		Types: []string{caRepository},
		Validate: func(c *policy.Check) {
			cfg := policy.ConfigOf[descriptionConfig](c)
			v, ok := c.Known("description")
			if !ok {
				return
			}
			s := str(v)
			switch {
			case s == "":
				c.Violatef(v, "is %s; describe what the repository holds", v.Display())
			case utf8.RuneCountInString(s) < cfg.MinLength:
				c.Violatef(v, "is %s, shorter than %d characters; describe what the repository holds", v.Display(), cfg.MinLength)
			}
		},
	},
}

var codeartifactDomainKMS = &policy.Policy{
	Name:             "codeartifact-domain-kms",
	DisplayName:      "CodeArtifact domains use a customer managed key",
	Description:      "CodeArtifact domains encrypt their assets with a customer managed KMS key (encryptionKey) instead of the AWS managed key.",
	Severity:         policy.Medium,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Set encryption_key to a customer managed KMS key ARN (it cannot change after creation: the domain is replaced).",
	URL:              docsURL + "codeartifact-domain-kms",
	Tags:             []string{"codeartifact", "encryption", "kms"},
	Resource: &policy.ResourceRule{
		Types: []string{caDomain},
		Validate: func(c *policy.Check) {
			requireString(c, "encryptionKey", "set encryptionKey to a customer managed KMS key ARN")
		},
	},
}

type externalConnectionsConfig struct {
	Allowed []string `json:"allowedConnections"`
	res     []*regexp.Regexp
}

// Validate compiles the patterns, anchored: a pattern must match the whole name.
func (c *externalConnectionsConfig) Validate() error {
	c.res = nil
	for i, p := range c.Allowed {
		re, err := regexp.Compile("^(?:" + p + ")$")
		if err != nil {
			return fmt.Errorf("field \"allowedConnections[%d]\": %q is not a valid regular expression: %v", i, p, err)
		}
		c.res = append(c.res, re)
	}
	return nil
}

// allows reports whether name matches an allowed pattern; the patterns were
// compiled by Validate, which every configuration passes (policy.ConfigFor).
func (c *externalConnectionsConfig) allows(name string) bool {
	for _, re := range c.res {
		if re.MatchString(name) {
			return true
		}
	}
	return false
}

var codeartifactExternalConnections = &policy.Policy{
	Name:             "codeartifact-external-connections",
	DisplayName:      "CodeArtifact upstreams come from an allowlist",
	Description:      "CodeArtifact repositories connect only to allowed public upstreams (externalConnections.externalConnectionName matches an allowedConnections pattern).",
	Severity:         policy.High,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "Remove the external connection, or proxy it through a vetted upstream repository; to allow it, add its name (or a pattern) to allowedConnections.",
	URL:              docsURL + "codeartifact-external-connections",
	Tags:             []string{"codeartifact", "supply-chain", "dependencies"},
	Config: policy.ConfigFor[externalConnectionsConfig](map[string]policy.Schema{
		"allowedConnections": {
			"type":        "array",
			"items":       map[string]any{"type": "string", "format": "regex", "minLength": 1},
			"default":     []string{"public:pypi", "public:npmjs", "public:maven-central"},
			"description": "Regular expressions, each matched against the whole external connection name (such as public:pypi, public:npmjs, public:maven-central, public:nuget-org).",
		},
	}),
	Resource: &policy.ResourceRule{
		Types: []string{caRepository},
		Validate: func(c *policy.Check) {
			cfg := policy.ConfigOf[externalConnectionsConfig](c)
			conns, ok := c.Known("externalConnections")
			if !ok {
				return
			}
			name := conns.Get("externalConnectionName")
			if s := str(name); s != "" && !cfg.allows(s) {
				c.Violatef(name, "is %s, not in allowedConnections (%s); remove it or add it to the allowlist", name.Display(), strings.Join(cfg.Allowed, ", "))
			}
		},
	},
}

var codeartifactPolicyNoPublicPrincipal = &policy.Policy{
	Name:             "codeartifact-policy-no-public-principal",
	DisplayName:      "CodeArtifact permission policies name their principals",
	Description:      "CodeArtifact domain and repository permission policies have no Allow statement for the wildcard principal (\"*\" or {\"AWS\": \"*\"}) unless a Condition constrains it (such as aws:PrincipalOrgID).",
	Severity:         policy.Critical,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "Name the accounts or roles in Principal, or keep \"*\" only together with a Condition such as {\"StringEquals\": {\"aws:PrincipalOrgID\": \"o-...\"}}.",
	URL:              docsURL + "codeartifact-policy-no-public-principal",
	Tags:             []string{"codeartifact", "public-access", "iam"},
	Resource: &policy.ResourceRule{
		Types: []string{caDomainPerms, caRepositoryPolicy},
		Validate: func(c *policy.Check) {
			checkPolicyDocument(c, "policyDocument", true)
		},
	},
}

// checkPolicyDocument reports wildcard-principal Allow statements of the
// IAM-style document at path (a JSON string or an object).
func checkPolicyDocument(c *policy.Check, path string, unlessCondition bool) {
	v, ok := c.Known(path)
	if !ok || v.IsAbsent() {
		return
	}
	if s, isStr := v.Str(); isStr && !strings.Contains(s, "*") && !strings.Contains(s, `\u`) {
		// No "*" anywhere (nor an escape that could spell one, \u002a): no
		// wildcard principal, only validity is in question, and json.Valid
		// does not build the document.
		if !json.Valid([]byte(s)) {
			c.Violatef(v, "is not a JSON policy document; give a valid document")
		}
		return
	}
	doc, ok := decodeJSON(v)
	if !ok {
		c.Violatef(v, "is not a JSON policy document; give a valid document")
		return
	}
	for _, i := range wildcardStatements(doc, unlessCondition) {
		if unlessCondition {
			c.Violatef(v, "Statement[%d] allows the wildcard principal \"*\" without a Condition; name the principals or add a Condition such as aws:PrincipalOrgID", i)
		} else {
			c.Violatef(v, "Statement[%d] allows the wildcard principal \"*\"; name the trusted accounts, roles or services", i)
		}
	}
}
