package policypack

import (
	"fmt"
	"strings"

	"github.com/mlguard/mlguard/policy"
)

const iamRole = "aws:iam/role:Role"

func iamPolicies() []*policy.Policy { return []*policy.Policy{iamRoleTrustNoWildcard} }

var iamRoleTrustNoWildcard = &policy.Policy{
	Name:             "iam-role-trust-no-wildcard",
	DisplayName:      "IAM roles trust named principals only",
	Description:      "IAM role trust policies (assumeRolePolicy) have no Allow statement for the wildcard principal (\"*\" or {\"AWS\": \"*\"}), with or without a Condition.",
	Severity:         policy.Critical,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "Name the trusted service (for example {\"Service\": \"sagemaker.amazonaws.com\"}), account or role in Principal; a wildcard lets any AWS account assume the role.",
	URL:              docsURL + "iam-role-trust-no-wildcard",
	Controls:         []policy.Control{checkov("CKV_AWS_60")},
	Tags:             []string{"iam", "identity", "public-access"},
	Resource: &policy.ResourceRule{
		Types:    []string{iamRole},
		Validate: func(c *policy.Check) { checkPolicyDocument(c, "assumeRolePolicy", false) },
	},
}

const (
	iamRolePolicy           = "aws:iam/rolePolicy:RolePolicy"
	iamRolePolicyAttachment = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
)

func iamMLPolicies() []*policy.Policy {
	return []*policy.Policy{iamMLRoleNoBroadPolicy, iamMLRoleNoWildcardAction, iamServiceTrustScoped}
}

// mlServices are the services whose execution roles are ML roles.
var mlServices = []string{"sagemaker.amazonaws.com", "bedrock.amazonaws.com"}

// mlTrust is what a role's trust policy says of the ML services.
type mlTrust struct {
	services []string
	known    bool
}

// trustedMLServices returns the ML services a role's trust policy lets
// assume it, and whether the trust policy is known. Two rules ask of every
// role of the stack, so the answer is kept with the role.
func trustedMLServices(r *policy.Resource) (services []string, known bool) {
	t := policy.Derived(r, "iam.mlTrust", readMLTrust)
	return t.services, t.known
}

func readMLTrust(r *policy.Resource) mlTrust {
	v := r.Get("assumeRolePolicy")
	if v.HasUnknown() {
		return mlTrust{}
	}
	if s, isStr := v.Str(); isStr && !strings.Contains(s, "sagemaker") && !strings.Contains(s, "bedrock") && !strings.Contains(s, `\u`) {
		return mlTrust{known: true} // names neither service: no need to parse it
	}
	var services []string
	doc, _ := decodeJSON(v)
	for _, st := range statements(doc) {
		if st == nil || !allows(st) {
			continue
		}
		p, _ := st["Principal"].(map[string]any)
		for _, s := range stringsIn(p["Service"]) {
			if contains(mlServices, strings.TrimSpace(s)) && !contains(services, s) {
				services = append(services, s)
			}
		}
	}
	return mlTrust{services, true}
}

// broadManagedPolicies are AWS managed policies no ML execution role needs.
var broadManagedPolicies = []string{"AdministratorAccess", "AmazonSageMakerFullAccess", "AmazonBedrockFullAccess"}

func broadManagedPolicy(arn string) string {
	for _, p := range broadManagedPolicies {
		if strings.HasSuffix(arn, ":policy/"+p) {
			return p
		}
	}
	return ""
}

// mlRoles calls fn for every role in the stack that SageMaker or Bedrock
// may assume.
func mlRoles(c *policy.StackCheck, fn func(role *policy.Resource)) {
	for _, role := range c.OfType(iamRole) {
		services, known := trustedMLServices(role)
		if !known {
			c.NotApplicable(fmt.Sprintf("%s %q: its trust policy is unknown", role.Type, role.Name))
			continue
		}
		if len(services) > 0 {
			fn(role)
		}
	}
}

var iamMLRoleNoBroadPolicy = &policy.Policy{
	Name:        "iam-ml-role-no-broad-managed-policy",
	DisplayName: "ML execution roles carry no administrator or full-access managed policy",
	Description: "Roles that SageMaker or Bedrock assume (execution roles, agents' roles) have none of AdministratorAccess, AmazonSageMakerFullAccess or AmazonBedrockFullAccess, in managedPolicyArns or through a RolePolicyAttachment (joined by role). " +
		"Mandatory: a model, notebook or agent with such a role can read every data set and change the account.",
	Severity:         policy.Critical,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "Replace the managed policy with an inline or customer managed policy granting the job's own buckets, keys and repositories only.",
	URL:              docsURL + "iam-ml-role-no-broad-managed-policy",
	Controls:         []policy.Control{checkov("CKV_AWS_274")},
	Tags:             []string{"iam", "least-privilege", "sagemaker", "bedrock"},
	Stack: func(c *policy.StackCheck) {
		mlRoles(c, func(role *policy.Resource) {
			for _, a := range role.Get("managedPolicyArns").Elems() {
				if p := broadManagedPolicy(str(a)); p != "" {
					c.Violatef(role, a, "attaches %s to a role that SageMaker or Bedrock assumes; grant only what the job needs", shownUnlessSecret(a, p, "a full-access managed policy"))
				}
			}
			attachments, undecided := companions(c, role, iamRolePolicyAttachment, "role", "name", "id")
			if undecided {
				c.NotApplicable(fmt.Sprintf("%s %q: the role of a RolePolicyAttachment is unknown", role.Type, role.Name))
			}
			for _, at := range attachments {
				if v, ok := c.Known(at, "policyArn"); ok {
					if p := broadManagedPolicy(str(v)); p != "" {
						c.Violatef(at, v, "attaches %s to role %q, which SageMaker or Bedrock assumes; grant only what the job needs", shownUnlessSecret(v, p, "a full-access managed policy"), role.Name)
					}
				}
			}
		})
	},
}

// wildcardActions returns the indexes of Allow statements whose Action is
// "*" (or "*:*").
func wildcardActions(doc any) []int {
	var out []int
	for i, st := range statements(doc) {
		if st == nil || !allows(st) {
			continue
		}
		for _, a := range stringsIn(st["Action"]) {
			if a = strings.TrimSpace(a); a == "*" || a == "*:*" {
				out = append(out, i)
				break
			}
		}
	}
	return out
}

var iamMLRoleNoWildcardAction = &policy.Policy{
	Name:        "iam-ml-role-no-wildcard-action",
	DisplayName: "ML execution roles' inline policies allow no \"*\" action",
	Description: "No inline policy of a role that SageMaker or Bedrock assumes (Role.inlinePolicies, or a RolePolicy joined by role) has an Allow statement with Action \"*\". " +
		"Mandatory: it is administrator access by another name.",
	Severity:         policy.Critical,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "List the actions the job calls (s3:GetObject, kms:Decrypt, ...) and the resources it calls them on.",
	URL:              docsURL + "iam-ml-role-no-wildcard-action",
	Controls:         []policy.Control{checkov("CKV_AWS_63")},
	Tags:             []string{"iam", "least-privilege", "sagemaker", "bedrock"},
	Stack: func(c *policy.StackCheck) {
		report := func(r *policy.Resource, v policy.Value, role string) {
			if v.HasUnknown() {
				c.NotApplicable(fmt.Sprintf("%s %q: %s is unknown", r.Type, r.Name, v.Path()))
				return
			}
			doc, _ := decodeJSON(v)
			for _, i := range wildcardActions(doc) {
				c.Violatef(r, v, "Statement[%d] allows every action (\"*\") to role %q, which SageMaker or Bedrock assumes; list the actions it needs", i, role)
			}
		}
		mlRoles(c, func(role *policy.Resource) {
			for _, ip := range role.Get("inlinePolicies").Elems() {
				report(role, ip.Get("policy"), role.Name)
			}
			policies, undecided := companions(c, role, iamRolePolicy, "role", "name", "id")
			if undecided {
				c.NotApplicable(fmt.Sprintf("%s %q: the role of a RolePolicy is unknown", role.Type, role.Name))
			}
			for _, rp := range policies {
				report(rp, rp.Get("policy"), role.Name)
			}
		})
	},
}

// hasSourceCondition reports whether a statement's Condition tests
// aws:SourceAccount or aws:SourceArn under any operator.
func hasSourceCondition(st map[string]any) bool {
	cond, _ := st["Condition"].(map[string]any)
	for _, tests := range cond {
		m, _ := tests.(map[string]any)
		for k := range m {
			if strings.EqualFold(k, "aws:SourceAccount") || strings.EqualFold(k, "aws:SourceArn") {
				return true
			}
		}
	}
	return false
}

var iamServiceTrustScoped = &policy.Policy{
	Name:        "iam-service-trust-scoped",
	DisplayName: "SageMaker and Bedrock trust is scoped to the account",
	Description: "Every trust statement that lets sagemaker.amazonaws.com or bedrock.amazonaws.com assume a role has a Condition on aws:SourceAccount or aws:SourceArn, so the service acts for this account only (the confused-deputy guard). " +
		"Advisory: the service principal alone is already limited to AWS.",
	Severity:         policy.Medium,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Add \"Condition\": {\"StringEquals\": {\"aws:SourceAccount\": \"<this account id>\"}} (or aws:SourceArn of the agent, job or domain) to the trust statement.",
	URL:              docsURL + "iam-service-trust-scoped",
	Tags:             []string{"iam", "identity", "confused-deputy"},
	Resource: &policy.ResourceRule{
		Types: []string{iamRole},
		Validate: func(c *policy.Check) {
			v, ok := c.Known("assumeRolePolicy")
			if !ok || v.IsAbsent() {
				return
			}
			doc, _ := decodeJSON(v)
			for i, st := range statements(doc) {
				if st == nil || !allows(st) || hasSourceCondition(st) {
					continue
				}
				p, _ := st["Principal"].(map[string]any)
				for _, s := range stringsIn(p["Service"]) {
					if contains(mlServices, strings.TrimSpace(s)) {
						c.Violatef(v, "Statement[%d] lets %s assume the role without a Condition on aws:SourceAccount or aws:SourceArn; add one", i, shownUnlessSecret(v, strings.TrimSpace(s), "an ML service"))
						break
					}
				}
			}
		},
	},
}
