package policypack

import (
	"fmt"
	"strings"

	"github.com/mlguard/mlguard/policy"
	aws "github.com/mlguard/mlguard/providers"
)

// S3 kinds (see package providers): a bucket is aws.s3.Bucket or BucketV2 in
// either major; each companion is its v7 resource or the V2 one.
const (
	s3Bucket             = aws.S3Bucket
	s3BucketVersioning   = aws.S3BucketVersioning
	s3BucketSSE          = aws.S3BucketSSE
	s3BucketPAB          = aws.S3BucketPAB
	s3AccountPAB         = aws.S3AccountPAB
	s3BucketLogging      = aws.S3BucketLogging
	s3BucketACL          = aws.S3BucketACL
	bucketNameProp       = "bucket"
	bucketIDProp         = "id"
	s3CompanionJoinNotes = "joined to its bucket by property dependency, or by equal known bucket name/id"
)

func s3Policies() []*policy.Policy {
	return []*policy.Policy{
		s3BucketVersioningEnabled, s3BucketNoPublicACL,
		s3BucketPublicAccessBlock, s3BucketKMSEncryption, s3BucketAccessLogging,
	}
}

// renamedS3 are S3 policies merged into others when one policy came to cover
// every shape of a bucket.
var renamedS3 = map[string]string{"s3-bucketv2-versioning-enabled": "s3-bucket-versioning-enabled"}

var s3BucketVersioningEnabled = &policy.Policy{
	Name:             "s3-bucket-versioning-enabled",
	DisplayName:      "S3 buckets are versioned",
	Description:      "Every S3 bucket keeps every version of every object, so training data and model artifacts can be audited and restored: versioning enabled inline, or by a BucketVersioning (V2) with status Enabled that refers to it; a versioning resource that suspends or disables versioning is a violation itself. Mandatory: the mission names it.",
	Severity:         policy.High,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "Add aws.s3.BucketVersioning (pulumi-aws v7; BucketVersioningV2 in v6) with bucket=<bucket>.id and versioning_configuration={\"status\": \"Enabled\"} (never Suspended or Disabled), or set versioning.enabled = true on the bucket.",
	URL:              docsURL + "s3-bucket-versioning-enabled",
	Controls:         []policy.Control{securityHub("S3.14"), awsConfig("S3_BUCKET_VERSIONING_ENABLED"), checkov("CKV_AWS_21"), prowler("s3_bucket_object_versioning")},
	Tags:             []string{"s3", "versioning", "data-lineage"},
	Stack: func(c *policy.StackCheck) {
		for _, v := range c.OfType(s3BucketVersioning) {
			if status, ok := c.Known(v, "versioningConfiguration.status"); ok && str(status) != "Enabled" {
				c.Violatef(v, status, "is %s; set versioningConfiguration.status = \"Enabled\"", status.Display())
			}
		}
		s3Feature{
			inline: func(b *policy.Resource) (bool, bool) { return anyValue(aws.S3VersioningEnabled.Values(b), isTrue) },
			// A known companion settles it: one that is not Enabled was
			// reported on itself, above, where it is to be fixed.
			companion: s3BucketVersioning,
			compOK: func(r *policy.Resource) (bool, bool) {
				known := !r.Get("versioningConfiguration.status").IsUnknown()
				return known, known
			},
			at: aws.S3VersioningEnabled.Where,
			message: "the bucket is not versioned: versioning is not enabled on it and no BucketVersioning with versioningConfiguration.status = \"Enabled\" refers to it; " +
				"add aws.s3.BucketVersioning (BucketVersioningV2 in pulumi-aws v6) with bucket=<bucket>.id and versioning_configuration={\"status\": \"Enabled\"}",
		}.check(c)
	},
}

// anyValue reports whether some value satisfies ok, and whether all were known.
func anyValue(vs []policy.Value, ok func(policy.Value) bool) (satisfied, known bool) {
	known = true
	for _, v := range vs {
		if v.HasUnknown() {
			known = false
			continue
		}
		if ok(v) {
			return true, true
		}
	}
	return false, known
}

// s3Feature is a bucket setting that may be made inline on the bucket or by
// a companion resource naming the bucket.
type s3Feature struct {
	inline    func(b *policy.Resource) (satisfied, known bool)
	companion string
	compOK    func(r *policy.Resource) (satisfied, known bool)
	at        func(b *policy.Resource) policy.Value // where a violation points
	message   string
	// exemptLogTargets skips buckets that receive other buckets' access logs.
	exemptLogTargets bool
}

func (f s3Feature) check(c *policy.StackCheck) {
	for _, b := range c.OfType(s3Bucket) {
		if f.exemptLogTargets && isLogTarget(c, b) {
			continue
		}
		satisfied, known := f.inline(b)
		if satisfied {
			continue
		}
		unknown := !known
		comps, undecided := companions(c, b, f.companion, aws.S3BucketRef, bucketNameProp, bucketIDProp)
		for _, r := range comps {
			s, known := f.compOK(r)
			satisfied = satisfied || s
			unknown = unknown || !known
		}
		switch {
		case satisfied:
		case unknown || undecided:
			c.NotApplicable(fmt.Sprintf("%s %q: its settings or its companion %s are unknown", b.Type, b.Name, shortType(f.companion)))
		default:
			at := f.at(b)
			c.Violatef(b, at, "is %s; %s", at.Display(), f.message)
		}
	}
}

// shortType turns "aws:s3/bucketV2:BucketV2" into "BucketV2".
func shortType(t string) string {
	return t[strings.LastIndexByte(t, ':')+1:]
}

var publicACLs = []string{"public-read", "public-read-write", "authenticated-read"}

var s3BucketNoPublicACL = &policy.Policy{
	Name:             "s3-bucket-no-public-acl",
	DisplayName:      "S3 buckets have no public canned ACL",
	Description:      "S3 buckets and bucket ACLs do not use the public-read, public-read-write or authenticated-read canned ACLs.",
	Severity:         policy.Critical,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "Remove acl (or set it to \"private\"); share data through bucket policies scoped to principals, never through canned ACLs.",
	URL:              docsURL + "s3-bucket-no-public-acl",
	Controls:         []policy.Control{securityHub("S3.2"), securityHub("S3.3"), awsConfig("S3_BUCKET_PUBLIC_READ_PROHIBITED"), awsConfig("S3_BUCKET_PUBLIC_WRITE_PROHIBITED"), checkov("CKV_AWS_20"), checkov("CKV_AWS_57"), prowler("s3_bucket_public_access")},
	Tags:             []string{"s3", "public-access"},
	Resource: &policy.ResourceRule{
		Types: []string{s3Bucket, s3BucketACL},
		Validate: func(c *policy.Check) {
			v, ok := c.Known("acl")
			if !ok {
				return
			}
			if contains(publicACLs, str(v)) {
				c.Violatef(v, "is %s, a public canned ACL; remove acl or set it to \"private\"", v.Display())
			}
		},
	},
}

var pabFlags = []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"}

var s3BucketPublicAccessBlock = &policy.Policy{
	Name:             "s3-bucket-public-access-block",
	DisplayName:      "S3 buckets have a full public access block",
	Description:      "Every S3 bucket has a BucketPublicAccessBlock (or the stack an AccountPublicAccessBlock) with all four flags true.",
	Severity:         policy.High,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Add aws.s3.BucketPublicAccessBlock(bucket=<bucket>.id, block_public_acls=True, block_public_policy=True, ignore_public_acls=True, restrict_public_buckets=True).",
	URL:              docsURL + "s3-bucket-public-access-block",
	Controls:         []policy.Control{securityHub("S3.8"), awsConfig("S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED"), checkov("CKV2_AWS_6"), prowler("s3_bucket_level_public_access_block")},
	Tags:             []string{"s3", "public-access"},
	Stack: func(c *policy.StackCheck) {
		// An account-wide block with every flag set covers every bucket.
		for _, a := range c.OfType(s3AccountPAB) {
			all := true
			for _, f := range pabFlags {
				all = all && isTrue(a.Get(f))
			}
			if all {
				return
			}
		}
		for _, b := range c.OfType(s3Bucket) {
			comps, undecided := companions(c, b, s3BucketPAB, aws.S3BucketRef, bucketNameProp, bucketIDProp)
			if len(comps) == 0 {
				if undecided {
					c.NotApplicable(fmt.Sprintf("%s %q: the bucket of a BucketPublicAccessBlock is unknown", b.Type, b.Name))
					continue
				}
				c.Violatef(b, b.Get("bucket"), "no BucketPublicAccessBlock refers to this bucket; add one with all four flags true")
				continue
			}
			for _, r := range comps {
				for _, f := range pabFlags {
					v, ok := c.Known(r, f)
					if ok && !isTrue(v) {
						c.Violatef(r, v, "is %s; set %s = true", v.Display(), f)
					}
				}
			}
		}
	},
}

// kmsDefault reads the default encryption of a bucket, or of the companion
// resource that configures it: SSE-KMS with a bucket key, or DSSE-KMS (which
// uses no bucket key).
func kmsDefault(r *policy.Resource) (satisfied, known bool) {
	algs := aws.S3SSEAlgorithm.Values(r)
	if dsse, _ := anyValue(algs, equals("aws:kms:dsse")); dsse {
		return true, true
	}
	kms, algsKnown := anyValue(algs, equals("aws:kms"))
	if !algsKnown {
		return false, false
	}
	if !kms {
		return false, true
	}
	return anyValue(aws.S3BucketKeyEnabled.Values(r), isTrue)
}

// equals returns a test for the trimmed string want.
func equals(want string) func(policy.Value) bool {
	return func(v policy.Value) bool { return str(v) == want }
}

var s3BucketKMSEncryption = &policy.Policy{
	Name:             "s3-bucket-kms-encryption",
	DisplayName:      "S3 buckets encrypt with KMS and a bucket key",
	Description:      "Every S3 bucket's default encryption is SSE-KMS with bucketKeyEnabled (or DSSE-KMS), inline or by a BucketServerSideEncryptionConfiguration (V2). Buckets that receive server access logs are skipped: S3 cannot deliver access logs to an SSE-KMS bucket.",
	Severity:         policy.Medium,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Add aws.s3.BucketServerSideEncryptionConfiguration (BucketServerSideEncryptionConfigurationV2 in pulumi-aws v6) with bucket=<bucket>.id, rules=[{\"apply_server_side_encryption_by_default\": {\"sse_algorithm\": \"aws:kms\", \"kms_master_key_id\": key.arn}, \"bucket_key_enabled\": True}].",
	URL:              docsURL + "s3-bucket-kms-encryption",
	Controls:         []policy.Control{securityHub("S3.17"), awsConfig("S3_DEFAULT_ENCRYPTION_KMS"), checkov("CKV_AWS_145"), prowler("s3_bucket_kms_encryption")},
	Tags:             []string{"s3", "encryption", "kms"},
	Stack: s3Feature{
		inline:           kmsDefault,
		companion:        s3BucketSSE,
		compOK:           kmsDefault,
		at:               aws.S3SSEAlgorithm.Where,
		message:          "default encryption is not SSE-KMS with a bucket key; set sseAlgorithm = \"aws:kms\" with a kmsMasterKeyId and bucketKeyEnabled = true (inline or in a BucketServerSideEncryptionConfiguration)",
		exemptLogTargets: true,
	}.check,
}

// logsTo reports whether a logging block names a target bucket. A target
// computed from another resource is unknown at preview, and set all the same.
func logsTo(block policy.Value) bool {
	t := block.Get("targetBucket")
	return t.IsUnknown() || str(t) != ""
}

var s3BucketAccessLogging = &policy.Policy{
	Name:             "s3-bucket-access-logging",
	DisplayName:      "S3 buckets log access",
	Description:      "Every S3 bucket has server access logging, inline or by a BucketLogging (V2) with a target bucket. Buckets that receive other buckets' access logs are skipped: logging a log bucket into itself loops.",
	Severity:         policy.Low,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Add aws.s3.BucketLogging (BucketLoggingV2 in pulumi-aws v6) with bucket=<bucket>.id, target_bucket=<log bucket>.id, target_prefix=\"<bucket>/\". The log bucket itself needs none.",
	URL:              docsURL + "s3-bucket-access-logging",
	Controls:         []policy.Control{securityHub("S3.9"), awsConfig("S3_BUCKET_LOGGING_ENABLED"), checkov("CKV_AWS_18"), prowler("s3_bucket_server_access_logging_enabled")},
	Tags:             []string{"s3", "logging", "audit"},
	Stack: s3Feature{
		inline: func(b *policy.Resource) (bool, bool) {
			for _, l := range aws.S3Logging.Values(b) {
				if l.IsUnknown() {
					return false, false
				}
				if logsTo(l) {
					return true, true
				}
			}
			return false, true
		},
		companion:        s3BucketLogging,
		compOK:           func(r *policy.Resource) (bool, bool) { return logsTo(r.Get("")), true },
		at:               aws.S3Logging.Where,
		message:          "server access logging is off; configure logging with a targetBucket on the bucket, or add an aws.s3.BucketLogging (BucketLoggingV2 in pulumi-aws v6) for it",
		exemptLogTargets: true,
	}.check,
}

// isLogTarget reports whether bucket b receives another bucket's server
// access logs: a BucketLogging, or an inline logging block, names it.
func isLogTarget(c *policy.StackCheck, b *policy.Resource) bool {
	if found, _ := companions(c, b, s3BucketLogging, "targetBucket", bucketNameProp, bucketIDProp); len(found) > 0 {
		return true
	}
	inline := policy.Memo(c, "s3.inlineLogTargets", func() inlineLogTargets { return indexInlineLogging(c) })
	if len(inline.byURN[b.URN]) > 0 { // another bucket's: none depends on itself
		return true
	}
	if name := str(b.Get(bucketNameProp)); name != "" {
		for _, src := range inline.byName[name] {
			if src != b {
				return true
			}
		}
	}
	return false
}

// inlineLogTargets indexes the buckets whose inline logging block names a
// target bucket, by the target's URN (a property dependency) and by name.
type inlineLogTargets struct {
	byURN, byName map[string][]*policy.Resource
}

func indexInlineLogging(c *policy.StackCheck) inlineLogTargets {
	x := inlineLogTargets{byURN: map[string][]*policy.Resource{}, byName: map[string][]*policy.Resource{}}
	for _, src := range c.OfType(s3Bucket) {
		for _, input := range aws.S3Logging.Inputs(src) {
			for _, u := range src.PropertyDependencies[input] {
				x.byURN[u] = append(x.byURN[u], src)
			}
		}
		for _, l := range aws.S3Logging.Values(src) {
			if t := str(l.Get("targetBucket")); t != "" {
				x.byName[t] = append(x.byName[t], src)
			}
		}
	}
	return x
}

const (
	s3BucketPolicy     = aws.S3BucketPolicy
	s3BucketOwnership  = aws.S3BucketOwnership
	s3BucketObjectLock = aws.S3BucketObjectLock
	ctTrailBucketProp  = "s3BucketName"
)

func s3DataPolicies() []*policy.Policy {
	return []*policy.Policy{s3BucketTLSOnly, s3BucketOwnershipEnforced, s3AuditBucketObjectLock}
}

// deniesInsecureTransport reports whether a policy document denies requests
// made without TLS: a Deny statement with Condition Bool aws:SecureTransport
// false.
func deniesInsecureTransport(doc any) bool {
	for _, st := range statements(doc) {
		if st == nil || allows(st) {
			continue
		}
		cond, _ := st["Condition"].(map[string]any)
		b, _ := cond["Bool"].(map[string]any)
		for k, v := range b {
			if !strings.EqualFold(k, "aws:SecureTransport") {
				continue
			}
			for _, s := range stringsIn(v) {
				if strings.EqualFold(s, "false") {
					return true
				}
			}
			if f, isBool := v.(bool); isBool && !f {
				return true
			}
		}
	}
	return false
}

var s3BucketTLSOnly = &policy.Policy{
	Name:        "s3-bucket-tls-only",
	DisplayName: "S3 buckets accept TLS requests only",
	Description: "Every S3 bucket has a bucket policy (aws.s3.BucketPolicy, joined by bucket) that denies requests without TLS (Effect Deny, Condition Bool aws:SecureTransport = false). " +
		"Mandatory: training data and models would otherwise travel in clear text to any client that asks over HTTP.",
	Severity:         policy.High,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "Add aws.s3.BucketPolicy(bucket=b.id, policy=...) with {\"Sid\": \"DenyInsecureTransport\", \"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": \"s3:*\", \"Resource\": [b.arn, b.arn + \"/*\"], \"Condition\": {\"Bool\": {\"aws:SecureTransport\": \"false\"}}}.",
	URL:              docsURL + "s3-bucket-tls-only",
	Controls:         []policy.Control{securityHub("S3.5"), awsConfig("S3_BUCKET_SSL_REQUESTS_ONLY"), prowler("s3_bucket_secure_transport_policy")},
	Tags:             []string{"s3", "encryption-in-transit"},
	Stack: s3Feature{
		inline:    func(*policy.Resource) (bool, bool) { return false, true },
		companion: s3BucketPolicy,
		compOK: func(r *policy.Resource) (bool, bool) {
			v := r.Get("policy")
			if v.HasUnknown() {
				return false, false
			}
			doc, _ := decodeJSON(v)
			return deniesInsecureTransport(doc), true
		},
		at:      func(b *policy.Resource) policy.Value { return b.Get(bucketNameProp) },
		message: "no bucket policy of this bucket denies requests without TLS; add an aws.s3.BucketPolicy with a Deny statement on Condition Bool aws:SecureTransport = false",
	}.check,
}

var s3BucketOwnershipEnforced = &policy.Policy{
	Name:             "s3-bucket-ownership-enforced",
	DisplayName:      "S3 buckets disable ACLs",
	Description:      "Every S3 bucket has aws.s3.BucketOwnershipControls (joined by bucket) with rule.objectOwnership = BucketOwnerEnforced, which turns ACLs off: access is decided by policies alone. Advisory: new buckets default to it, and the public access block covers public ACLs.",
	Severity:         policy.Medium,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Add aws.s3.BucketOwnershipControls(bucket=b.id, rule={\"object_ownership\": \"BucketOwnerEnforced\"}).",
	URL:              docsURL + "s3-bucket-ownership-enforced",
	Tags:             []string{"s3", "access-control"},
	Stack: func(c *policy.StackCheck) {
		for _, r := range c.OfType(s3BucketOwnership) {
			if v, ok := c.Known(r, "rule.objectOwnership"); ok && str(v) != "BucketOwnerEnforced" {
				c.Violatef(r, v, "is %s; set rule.objectOwnership = \"BucketOwnerEnforced\" to turn ACLs off", v.Display())
			}
		}
		s3Feature{
			inline:    func(*policy.Resource) (bool, bool) { return false, true },
			companion: s3BucketOwnership,
			// A known companion settles it: one that is not enforced was
			// reported on itself, above.
			compOK: func(r *policy.Resource) (bool, bool) {
				known := !r.Get("rule.objectOwnership").IsUnknown()
				return known, known
			},
			at:      func(b *policy.Resource) policy.Value { return b.Get(bucketNameProp) },
			message: "no BucketOwnershipControls refers to this bucket; add one with rule.objectOwnership = \"BucketOwnerEnforced\"",
		}.check(c)
	},
}

// objectLockOn reads a bucket's object lock setting ("Enabled" or true).
func objectLockOn(b *policy.Resource) (bool, bool) {
	return anyValue(aws.S3ObjectLockEnabled.Values(b), func(v policy.Value) bool { return isTrue(v) || str(v) == "Enabled" })
}

var s3AuditBucketObjectLock = &policy.Policy{
	Name:        "s3-audit-bucket-object-lock",
	DisplayName: "Audit buckets have Object Lock",
	Description: "Buckets that receive audit records — the bucket an AWS Config delivery channel or a CloudTrail trail delivers to (joined by s3BucketName) — have S3 Object Lock enabled, on the bucket or by a BucketObjectLockConfiguration (V2). " +
		"Advisory: Object Lock is chosen when the bucket is made; versioning already keeps overwritten records.",
	Severity:         policy.Medium,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Create the audit bucket with object_lock_enabled=True and add aws.s3.BucketObjectLockConfiguration (BucketObjectLockConfigurationV2 in pulumi-aws v6) with a default retention in GOVERNANCE or COMPLIANCE mode.",
	URL:              docsURL + "s3-audit-bucket-object-lock",
	Controls:         []policy.Control{securityHub("S3.15")},
	Tags:             []string{"s3", "audit", "integrity", "aws-config"},
	Stack: func(c *policy.StackCheck) {
		for _, b := range c.OfType(s3Bucket) {
			channels, undecidedC := companions(c, b, cfgDeliveryChannel, "s3BucketName", bucketNameProp, bucketIDProp)
			trails, undecidedT := companions(c, b, ctTrail, ctTrailBucketProp, bucketNameProp, bucketIDProp)
			if len(channels)+len(trails) == 0 {
				if undecidedC || undecidedT {
					c.NotApplicable(fmt.Sprintf("%s %q: the bucket of a delivery channel or trail is unknown", b.Type, b.Name))
				}
				continue
			}
			on, known := objectLockOn(b)
			if !on {
				locks, undecided := companions(c, b, s3BucketObjectLock, aws.S3BucketRef, bucketNameProp, bucketIDProp)
				for _, l := range locks {
					v := l.Get("objectLockEnabled")
					on = on || v.IsAbsent() || str(v) == "Enabled" // the default is Enabled
					known = known && !v.IsUnknown()
				}
				known = known && !undecided
			}
			switch {
			case on:
			case !known:
				c.NotApplicable(fmt.Sprintf("%s %q: its object lock setting is unknown", b.Type, b.Name))
			default:
				at := aws.S3ObjectLockEnabled.Where(b)
				c.Violatef(b, at, "is %s, and the bucket receives audit records; enable Object Lock on it", at.Display())
			}
		}
	},
}
