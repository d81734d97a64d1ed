package policypack

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	pt "github.com/mlguard/mlguard/policy/policytest"
)

func TestCodeartifactRepositoryDescription(t *testing.T) {
	seed := map[string]any{"domain": pt.Unknown, "repository": "my_ml_model_repository", "description": "Repository for ML Model Dependencies"}
	runSpecs(t, codeartifactRepositoryDescription, caRepository, []spec{
		{name: "seed 004 is compliant", props: seed},
		{name: "missing", props: pt.Without(seed, "description"), violation: `aws:codeartifact/repository:Repository "r": description: is not set; describe what the repository holds`},
		{name: "blank", props: pt.With(seed, "description", "   "), violation: `description: is "   "`},
		{name: "too short", props: pt.With(seed, "description", "ml deps"), violation: `is "ml deps", shorter than 10 characters`},
		{name: "configured length", props: pt.With(seed, "description", "ml deps"), config: map[string]any{"minLength": 3}},
		{name: "exactly the configured length", props: pt.With(seed, "description", "ml deps"), config: map[string]any{"minLength": 7}},
		{name: "one character short of the configured length", props: pt.With(seed, "description", "ml deps"), config: map[string]any{"minLength": 8}, violation: `shorter than 8 characters`},
		{name: "unknown", props: pt.With(seed, "description", pt.Unknown), unknown: "description is unknown"},
		{name: "secret short", props: pt.With(seed, "description", pt.Secret("s3c")), violation: `is [secret], shorter`},
	})
}

func TestCodeartifactDomainKMS(t *testing.T) {
	runSpecs(t, codeartifactDomainKMS, caDomain, []spec{
		{name: "compliant", props: map[string]any{"domain": "ml", "encryptionKey": "arn:aws:kms:eu-west-1:111122223333:key/k"}},
		{name: "seed 004: no key", props: map[string]any{"domain": "my-codeartifact-domain"}, violation: `encryptionKey: is not set`},
		{name: "unknown", props: map[string]any{"encryptionKey": pt.Unknown}, unknown: "encryptionKey is unknown"},
	})
}

func TestCodeartifactExternalConnections(t *testing.T) {
	repo := map[string]any{"repository": "r", "externalConnections": map[string]any{"externalConnectionName": "public:pypi"}}
	runSpecs(t, codeartifactExternalConnections, caRepository, []spec{
		{name: "pypi", props: repo},
		{name: "none", props: pt.Without(repo, "externalConnections")},
		{name: "not allowed", props: pt.With(repo, "externalConnections.externalConnectionName", "public:maven-clojars"),
			violation: `externalConnections.externalConnectionName: is "public:maven-clojars", not in allowedConnections (public:pypi, public:npmjs, public:maven-central)`},
		{name: "patterns are anchored", props: pt.With(repo, "externalConnections.externalConnectionName", "public:pypi-mirror"), violation: `not in allowedConnections`},
		{name: "regex config", props: pt.With(repo, "externalConnections.externalConnectionName", "public:maven-googleandroid"), config: map[string]any{"allowedConnections": []any{"public:maven-.*"}}},
		{name: "unknown", props: pt.With(repo, "externalConnections", pt.Unknown), unknown: "externalConnections is unknown"},
		{name: "secret", props: pt.With(repo, "externalConnections.externalConnectionName", pt.Secret(secretText)), violation: `is [secret], not in`},
	})
}

func TestCodeartifactExternalConnectionsConfig(t *testing.T) {
	_, err := codeartifactExternalConnections.Config.Resolve(map[string]any{"allowedConnections": []any{"public:(pypi"}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `allowedConnections[0]`)
	assert.Contains(t, err.Error(), "regular expression")
}

func TestCodeartifactPolicyNoPublicPrincipal(t *testing.T) {
	named := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"codeartifact:*","Resource":"*"}]}`
	star := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"codeartifact:ReadFromRepository","Resource":"*"}]}`
	awsStar := `{"Statement":{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root","*"]},"Action":"codeartifact:*"}}`
	conditioned := `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"codeartifact:*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc"}}}]}`
	deny := `{"Statement":[{"Effect":"Deny","Principal":"*","Action":"codeartifact:*"}]}`
	runSpecs(t, codeartifactPolicyNoPublicPrincipal, caRepositoryPolicy, []spec{
		{name: "named principal", props: map[string]any{"policyDocument": named}},
		{name: "star", props: map[string]any{"policyDocument": star}, violation: `policyDocument: Statement[0] allows the wildcard principal "*" without a Condition`},
		{name: "AWS list with star, single statement object", typ: caDomainPerms, props: map[string]any{"policyDocument": awsStar}, violation: `Statement[0]`},
		{name: "conditioned star", props: map[string]any{"policyDocument": conditioned}},
		{name: "star with an empty Condition", props: map[string]any{"policyDocument": strings.Replace(conditioned, `{"StringEquals":{"aws:PrincipalOrgID":"o-abc"}}`, `{}`, 1)}, violation: `Statement[0] allows the wildcard principal "*" without a Condition`},
		{name: "deny star", props: map[string]any{"policyDocument": deny}},
		{name: "not JSON", props: map[string]any{"policyDocument": "{"}, violation: `is not a JSON policy document`},
		{name: "unknown", props: map[string]any{"policyDocument": pt.Unknown}, unknown: "policyDocument is unknown"},
		{name: "secret star", props: map[string]any{"policyDocument": pt.Secret(star)}, violation: `Statement[0]`},
	})
}
