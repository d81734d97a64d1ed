package policypack

import (
	"fmt"

	"github.com/mlguard/mlguard/policy"
)

const (
	s3Bucket             = "aws:s3/bucket:Bucket"
	s3BucketV2           = "aws:s3/bucketV2:BucketV2"
	s3BucketVersioning   = "aws:s3/bucketVersioningV2:BucketVersioningV2"
	s3BucketSSE          = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
	s3BucketPAB          = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
	s3AccountPAB         = "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock"
	s3BucketLogging      = "aws:s3/bucketLoggingV2:BucketLoggingV2"
	s3BucketACL          = "aws:s3/bucketAclV2:BucketAclV2"
	bucketRefProp        = "bucket" // the property of every S3 companion resource naming its bucket
	bucketNameProp       = "bucket"
	bucketIDProp         = "id"
	s3CompanionJoinNotes = "joined to its bucket by property dependency, or by equal known bucket name/id"
)

func s3Policies() []*policy.Policy {
	return []*policy.Policy{
		s3BucketVersioningEnabled, s3BucketV2VersioningEnabled, s3BucketNoPublicACL,
		s3BucketPublicAccessBlock, s3BucketKMSEncryption, s3BucketAccessLogging,
	}
}

// pick returns the first of names set on v (so both pulumi-aws v6 shapes,
// versioning and versionings, are read), else the first name's absent value.
func pick(v policy.Value, names ...string) policy.Value {
	for _, n := range names {
		if f := v.Get(n); !f.IsAbsent() {
			return f
		}
	}
	return v.Get(names[0])
}

var s3BucketVersioningEnabled = &policy.Policy{
	Name:             "s3-bucket-versioning-enabled",
	DisplayName:      "S3 buckets are versioned",
	Description:      "S3 buckets keep every version of every object, so training data and model artifacts can be audited and restored.",
	Severity:         policy.High,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "Set versioning.enabled = true on aws.s3.Bucket, or give an aws.s3.BucketV2 a BucketVersioningV2 with versioning_configuration.status = \"Enabled\" (never Suspended or Disabled).",
	URL:              docsURL + "s3-bucket-versioning-enabled",
	Tags:             []string{"s3", "versioning", "data-lineage"},
	Resource: &policy.ResourceRule{
		Types: []string{s3Bucket, s3BucketVersioning},
		Validate: func(c *policy.Check) {
			if c.Resource.Type == s3BucketVersioning {
				requireEqual(c, "versioningConfiguration.status", "Enabled", false, `set versioningConfiguration.status = "Enabled"`)
				return
			}
			block, ok := c.Known("versioning")
			if !ok {
				return
			}
			if v2 := c.Get("versionings"); block.IsAbsent() && !v2.IsAbsent() { // the BucketV2 shape, seen on Bucket in some v6 states
				if !c.KnownValue(v2) {
					return
				}
				for _, b := range v2.Elems() {
					if isTrue(b.Get("enabled")) {
						return
					}
				}
				c.Violatef(v2, "no element has enabled = true; set versioning.enabled = true")
				return
			}
			enabled := block.Get("enabled")
			if !isTrue(enabled) {
				c.Violatef(enabled, "versioning is %s; set versioning.enabled = true", enabled.Display())
			}
		},
	},
}

// s3Feature is a bucket setting that pulumi-aws v6 accepts inline on the
// bucket or as a separate companion resource naming the bucket.
type s3Feature struct {
	buckets   []string
	inline    func(b *policy.Resource) (satisfied, known bool)
	companion string
	compOK    func(r *policy.Resource) (satisfied, known bool)
	at        func(b *policy.Resource) policy.Value // where a violation points
	message   string
	// exemptLogTargets skips buckets that receive other buckets' access logs.
	exemptLogTargets bool
}

func (f s3Feature) check(c *policy.StackCheck) {
	for _, b := range c.OfType(f.buckets...) {
		if f.exemptLogTargets && isLogTarget(c, b) {
			continue
		}
		satisfied, unknown := false, false
		if f.inline != nil {
			s, known := f.inline(b)
			satisfied, unknown = s, !known
		}
		if satisfied {
			continue
		}
		comps, undecided := companions(c, b, f.companion, bucketRefProp, bucketNameProp, bucketIDProp)
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
			c.Violatef(b, f.at(b), "%s", f.message)
		}
	}
}

// shortType turns "aws:s3/bucketV2:BucketV2" into "BucketV2".
func shortType(t string) string {
	for i := len(t) - 1; i >= 0; i-- {
		if t[i] == ':' {
			return t[i+1:]
		}
	}
	return t
}

var s3BucketV2VersioningEnabled = &policy.Policy{
	Name:             "s3-bucketv2-versioning-enabled",
	DisplayName:      "S3 BucketV2 buckets are versioned",
	Description:      "Every aws.s3.BucketV2 is versioned, inline (versionings[].enabled) or by a BucketVersioningV2 with status Enabled that refers to it.",
	Severity:         policy.High,
	EnforcementLevel: policy.Mandatory,
	RemediationSteps: "Add aws.s3.BucketVersioningV2(bucket=<bucket>.id, versioning_configuration={\"status\": \"Enabled\"}) for the bucket.",
	URL:              docsURL + "s3-bucketv2-versioning-enabled",
	Tags:             []string{"s3", "versioning", "data-lineage"},
	Stack: s3Feature{
		buckets: []string{s3BucketV2},
		inline: func(b *policy.Resource) (bool, bool) {
			v := b.Get("versionings")
			if v.HasUnknown() {
				return false, false
			}
			for _, e := range blocks(v) {
				if isTrue(e.Get("enabled")) {
					return true, true
				}
			}
			return false, true
		},
		companion: s3BucketVersioning,
		compOK: func(r *policy.Resource) (bool, bool) {
			v := r.Get("versioningConfiguration.status")
			return str(v) == "Enabled", !v.HasUnknown()
		},
		at: func(b *policy.Resource) policy.Value { return b.Get("versionings") },
		message: "the bucket is not versioned: no versionings[].enabled = true and no BucketVersioningV2 with versioningConfiguration.status = \"Enabled\" refers to it; " +
			"add aws.s3.BucketVersioningV2(bucket=<bucket>.id, versioning_configuration={\"status\": \"Enabled\"})",
	}.check,
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
	Tags:             []string{"s3", "public-access"},
	Resource: &policy.ResourceRule{
		Types: []string{s3Bucket, s3BucketV2, s3BucketACL},
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
		for _, b := range c.OfType(s3Bucket, s3BucketV2) {
			comps, undecided := companions(c, b, s3BucketPAB, bucketRefProp, bucketNameProp, bucketIDProp)
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

// kmsDefault reads one default-encryption configuration in either shape
// (Bucket: serverSideEncryptionConfiguration.rule..., BucketV2:
// serverSideEncryptionConfigurations[].rules[]..., the companion: rules[]...).
func kmsDefault(root policy.Value) (satisfied, known bool) {
	rules := pick(root, "rule", "rules")
	if rules.HasUnknown() {
		return false, false
	}
	for _, rule := range blocks(rules) {
		for _, d := range blocks(pick(rule, "applyServerSideEncryptionByDefault", "applyServerSideEncryptionByDefaults")) {
			switch str(d.Get("sseAlgorithm")) {
			case "aws:kms":
				if isTrue(rule.Get("bucketKeyEnabled")) {
					return true, true
				}
			case "aws:kms:dsse": // DSSE-KMS does not use bucket keys
				return true, true
			}
		}
	}
	return false, true
}

var s3BucketKMSEncryption = &policy.Policy{
	Name:             "s3-bucket-kms-encryption",
	DisplayName:      "S3 buckets encrypt with KMS and a bucket key",
	Description:      "Every S3 bucket's default encryption is SSE-KMS with bucketKeyEnabled (or DSSE-KMS), inline or by a BucketServerSideEncryptionConfigurationV2. Buckets that receive server access logs are skipped: S3 cannot deliver access logs to an SSE-KMS bucket.",
	Severity:         policy.Medium,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Add aws.s3.BucketServerSideEncryptionConfigurationV2(bucket=<bucket>.id, rules=[{\"apply_server_side_encryption_by_default\": {\"sse_algorithm\": \"aws:kms\", \"kms_master_key_id\": key.arn}, \"bucket_key_enabled\": True}]).",
	URL:              docsURL + "s3-bucket-kms-encryption",
	Tags:             []string{"s3", "encryption", "kms"},
	Stack: s3Feature{
		buckets: []string{s3Bucket, s3BucketV2},
		inline: func(b *policy.Resource) (bool, bool) {
			v := firstPresent(b, "serverSideEncryptionConfiguration", "serverSideEncryptionConfigurations")
			if v.HasUnknown() {
				return false, false
			}
			for _, sc := range blocks(v) {
				if s, _ := kmsDefault(sc); s {
					return true, true
				}
			}
			return false, true
		},
		companion: s3BucketSSE,
		compOK:    func(r *policy.Resource) (bool, bool) { return kmsDefault(r.Props) },
		at: func(b *policy.Resource) policy.Value {
			return firstPresent(b, "serverSideEncryptionConfiguration", "serverSideEncryptionConfigurations")
		},
		message:          "default encryption is not SSE-KMS with a bucket key; set sseAlgorithm = \"aws:kms\" with a kmsMasterKeyId and bucketKeyEnabled = true (inline or in a BucketServerSideEncryptionConfigurationV2)",
		exemptLogTargets: true,
	}.check,
}

var s3BucketAccessLogging = &policy.Policy{
	Name:             "s3-bucket-access-logging",
	DisplayName:      "S3 buckets log access",
	Description:      "Every S3 bucket has server access logging, inline (logging/loggings) or by a BucketLoggingV2 with a target bucket. Buckets that receive other buckets' access logs are skipped: logging a log bucket into itself loops.",
	Severity:         policy.Low,
	EnforcementLevel: policy.Advisory,
	RemediationSteps: "Add aws.s3.BucketLoggingV2(bucket=<bucket>.id, target_bucket=<log bucket>.id, target_prefix=\"<bucket>/\"). The log bucket itself needs none.",
	URL:              docsURL + "s3-bucket-access-logging",
	Tags:             []string{"s3", "logging", "audit"},
	Stack: s3Feature{
		buckets: []string{s3Bucket, s3BucketV2},
		inline: func(b *policy.Resource) (bool, bool) {
			v := firstPresent(b, "loggings", "logging")
			if v.HasUnknown() {
				return false, false
			}
			for _, l := range blocks(v) {
				if str(l.Get("targetBucket")) != "" {
					return true, true
				}
			}
			return false, true
		},
		companion: s3BucketLogging,
		compOK: func(r *policy.Resource) (bool, bool) {
			v := r.Get("targetBucket")
			if v.IsUnknown() {
				return true, true // set from another resource; known to be set
			}
			return str(v) != "", true
		},
		at:               func(b *policy.Resource) policy.Value { return firstPresent(b, "loggings", "logging") },
		message:          "server access logging is off; add loggings=[{targetBucket: <log bucket>}] or an aws.s3.BucketLoggingV2 for the bucket",
		exemptLogTargets: true,
	}.check,
}

// isLogTarget reports whether bucket b receives another bucket's server
// access logs: a BucketLoggingV2, or an inline logging block, names it.
func isLogTarget(c *policy.StackCheck, b *policy.Resource) bool {
	if found, _ := companions(c, b, s3BucketLogging, "targetBucket", bucketNameProp, bucketIDProp); len(found) > 0 {
		return true
	}
	inline := policy.Memo(c, "s3.inlineLogTargets", func() inlineLogTargets { return indexInlineLogging(c) })
	for _, src := range inline.byURN[b.URN] {
		if src != b {
			return true
		}
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
	for _, src := range c.OfType(s3Bucket, s3BucketV2) {
		for _, prop := range []string{"loggings", "logging"} {
			for _, u := range src.PropertyDependencies[prop] {
				x.byURN[u] = append(x.byURN[u], src)
			}
			for _, l := range blocks(src.Get(prop)) {
				if t := str(l.Get("targetBucket")); t != "" {
					x.byName[t] = append(x.byName[t], src)
				}
			}
		}
	}
	return x
}
