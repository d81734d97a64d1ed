package analyzer_test

// Fuzz targets over the real pack (issue 8): no input can crash the pack,
// leak a secret, or make it report something untrue.
//
//	go test -run XXX -fuzz FuzzAnalyze$ -fuzztime 3m ./analyzer/
//	go test -run XXX -fuzz FuzzAnalyzeStack -fuzztime 3m ./analyzer/
//	go test -run XXX -fuzz FuzzConfigure -fuzztime 3m ./analyzer/
//
// The seed corpus under testdata/fuzz/<Target>/ runs with plain `go test`.
// Fuzz bytes are decoded into property trees biased toward the type tokens
// the pack governs and the paths its rules read (see decoder), with wrong
// types, nulls, deep nesting, huge strings, unknowns and secrets anywhere.

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/mlguard/mlguard/analyzer"
	"github.com/mlguard/mlguard/analyzer/analyzertest"
	"github.com/mlguard/mlguard/policy"
	pt "github.com/mlguard/mlguard/policy/policytest"
	"github.com/mlguard/mlguard/policypack"
)

const (
	unknownSentinel = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
	sigKey          = "4dabf18193072939515e22adb298388d"
	secretSig       = "1b47061264138c4ac30d75fd1eb44270"
)

// governedPaths are the property paths the pack's rules read (policypack/*.go).
// Numeric segments index lists.
var governedPaths = []string{
	// S3
	"versioning.enabled", "versionings.0.enabled", "versioningConfiguration.status", "acl", "bucket", "id",
	"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets",
	"serverSideEncryptionConfiguration.rule.applyServerSideEncryptionByDefault.sseAlgorithm",
	"serverSideEncryptionConfiguration.rule.bucketKeyEnabled",
	"serverSideEncryptionConfigurations.0.rules.0.applyServerSideEncryptionByDefaults.0.sseAlgorithm",
	"serverSideEncryptionConfigurations.0.rules.0.bucketKeyEnabled",
	"rules.0.applyServerSideEncryptionByDefault.sseAlgorithm", "rules.0.bucketKeyEnabled",
	"rule.applyServerSideEncryptionByDefault.sseAlgorithm", "rule.bucketKeyEnabled",
	"loggings.0.targetBucket", "logging.targetBucket", "targetBucket",
	// AWS Config
	"recordingGroup.allSupported", "recordingGroup.includeGlobalResourceTypes",
	"recordingGroup.0.includeGlobalResourceTypes", "name", "isEnabled",
	"snapshotDeliveryProperties.deliveryFrequency",
	// SageMaker
	"defaultUserSettings.sharingSettings.notebookOutputOption", "defaultUserSettings.sharingSettings.s3KmsKeyId",
	"userSettings.sharingSettings.notebookOutputOption", "userSettings.sharingSettings.s3KmsKeyId",
	"appNetworkAccessType", "kmsKeyId", "authMode", "defaultUserSettings.executionRole",
	"directInternetAccess", "rootAccess", "subnetId", "kmsKeyArn",
	"offlineStoreConfig.s3StorageConfig.kmsKeyId", "onlineStoreConfig.enableOnlineStore",
	"onlineStoreConfig.securityConfig.kmsKeyId",
	// CodeArtifact, IAM, KMS
	"description", "encryptionKey", "externalConnections.externalConnectionName",
	"externalConnections.0.externalConnectionName", "policyDocument", "assumeRolePolicy",
	"customerMasterKeySpec", "enableKeyRotation",
	// tags and exemptions
	"tags.owner", "tags.project", "tags.cost-center", "tags.data-classification",
	"tags.mlguard-exemption", "tags.mlguard-exemption:s3-bucket-no-public-acl", "tagsAll.owner",
	"tagsAll.data-classification",
	// Azure
	"identity.type", "publicNetworkAccess", "hbiWorkspace",
	"featuresetVersionProperties.specification.path", "featuresetVersionProperties.entities",
	"featuresetVersionProperties.dataVersionId",
	"enableHttpsTrafficOnly", "minimumTlsVersion", "allowBlobPublicAccess", "properties.enablePurgeProtection",
	// AWS ML governance (issue 16): deploy failures, SageMaker, Bedrock, ECR, S3, KMS, IAM, CloudTrail, Glue, region
	"inputParameters", "source.owner", "source.sourceIdentifier", "roleArn", "region",
	"enableNetworkIsolation", "vpcConfig", "vpcConfig.subnets", "vpcConfig.securityGroupIds",
	"primaryContainer.image", "primaryContainer.imageConfig.repositoryAccessMode", "containers",
	"dataCaptureConfig.enableCapture", "dataCaptureConfig.kmsKeyId", "productionVariants",
	"instanceMetadataServiceConfiguration.minimumInstanceMetadataServiceVersion", "platformIdentifier",
	"dataQualityJobOutputConfig.kmsKeyId", "jobResources.clusterConfig.volumeKmsKeyId",
	"networkConfig.enableInterContainerTrafficEncryption", "networkConfig.enableNetworkIsolation",
	"monitoringScheduleConfig.monitoringJobDefinition", "monitoringScheduleConfig.monitoringJobDefinitionName", "domainId", "spaceSharingSettings.sharingType",
	"outputConfig.kmsKeyId", "resourcePolicy",
	"contentPolicyConfig.filtersConfigs", "sensitiveInformationPolicyConfig", "customerEncryptionKeyArn",
	"guardrailConfigurations", "serverSideEncryptionConfiguration.kmsKeyArn", "customModelKmsKeyId",
	"loggingConfig.s3Config.bucketName", "loggingConfig.cloudwatchConfig.logGroupName",
	"imageScanningConfiguration.scanOnPush", "imageTagMutability", "encryptionConfigurations", "repository", "policy",
	"rule.objectOwnership", "objectLockEnabled", "objectLockConfiguration.objectLockEnabled", "s3BucketName",
	"bypassPolicyLockoutSafetyCheck", "managedPolicyArns", "inlinePolicies", "role", "policyArn",
	"isMultiRegionTrail", "enableLogFileValidation", "eventSelectors", "advancedEventSelectors",
	"dataCatalogEncryptionSettings.encryptionAtRest.catalogEncryptionMode",
	"dataCatalogEncryptionSettings.connectionPasswordEncryption.returnConnectionPasswordEncrypted",
	// Azure ML workspaces, compute, endpoints, datastores; container
	// registries; AI services; key vaults and storage; locations
	"storageAccount", "keyVault", "applicationInsights", "kind", "v1LegacyMode", "allowPublicAccessWhenBehindVnet",
	"primaryUserAssignedIdentity", "managedNetwork.isolationMode", "encryption.status",
	"encryption.keyVaultProperties.keyVaultArmId", "encryption.keyVaultProperties.keyIdentifier",
	"encryption.keyVaultProperties.identity", "resourceUri", "privateLinkServiceConnections",
	"manualPrivateLinkServiceConnections", "properties.computeType", "properties.disableLocalAuth",
	"properties.properties.subnet.id", "properties.properties.enableNodePublicIp",
	"properties.properties.idleTimeBeforeShutdown", "properties.properties.schedules.computeStartStop",
	"properties.properties.sshSettings.sshPublicAccess", "properties.properties.remoteLoginPortPublicAccess",
	"properties.properties.scaleSettings.minNodeCount", "onlineEndpointProperties.publicNetworkAccess",
	"onlineEndpointProperties.authMode", "properties.publicNetworkAccess", "properties.authMode",
	"onlineDeploymentProperties.egressPublicNetworkAccess", "properties.egressPublicNetworkAccess",
	"onlineDeploymentProperties.endpointComputeType", "properties.endpointComputeType",
	"registryProperties.publicNetworkAccess", "datastoreProperties.credentials.credentialsType",
	"properties.credentials.credentialsType", "datastoreProperties.accountName", "properties.accountName",
	"adminUserEnabled", "anonymousPullEnabled", "networkRuleSet.defaultAction", "policies.retentionPolicy.status",
	"properties.networkAcls.defaultAction", "properties.encryption.keySource",
	"properties.encryption.keyVaultProperties.keyName", "properties.encryption.keyVaultProperties.keyVaultUri",
	"properties.restrictOutboundNetworkAccess", "properties.allowedFqdnList", "properties.raiPolicyName",
	"properties.enableRbacAuthorization", "properties.enableSoftDelete", "properties.softDeleteRetentionInDays",
	"allowSharedKeyAccess", "accountName", "location",
}

// providerPaths are what rules read from a resource's provider.
var providerPaths = []string{"defaultTags", "defaultTags.tags", "defaultTags.tags.owner", "defaultTags.0.tags.project", "region"}

// words are string values the rules compare against, and a few troublemakers.
var words = []string{
	"", " ", "true", "false", "1", "0", "Enabled", "Suspended", "Disabled", "Allowed", "VpcOnly", "IAM", "SSO",
	"aws:kms", "aws:kms:dsse", "AES256", "public-read", "public-read-write", "authenticated-read", "private",
	"TLS1_0", "TLS1_2", "TLS1_3", "SystemAssigned", "UserAssigned", "None", "confidential", "restricted", "public",
	"internal", "public:pypi", "public:npmjs", "public:nuget-org", "SYMMETRIC_DEFAULT", "RSA_2048", "HMAC_256",
	"One_Hour", "Six_Hours", "TwentyFour_Hours", "REPLACE_ME", "<ARN_OF_KEY>", "arn:aws:kms:us-east-1:123456789012:key/...",
	"arn:aws:iam::111122223333:role/sm", "ml-platform", "data-123", "mlguard-exemption",
	"s3-bucket-no-public-acl:2099-12-31:reviewed", "s3-bucket-no-public-acl:2001-01-01:old", "required-tags:bad-date:x",
	"nosuch-policy:2099-01-01:x", "exemption-valid:2099-01-01:x", ";;:", "2099-12-31:reason", "2000-01-01",
	"{", "null", "[]", "\"*\"", "*", "%s %v %!", "é", "日本語テキスト", "\x00", "a\u2028b", "\\", "\"",
	"AADToken", "Key", "AllowOnlyApprovedOutbound", "AllowInternetOutbound", "Deny", "Allow", "ComputeInstance",
	"AmlCompute", "Kubernetes", "Managed", "Project", "enabled", "OpenAI", "AIServices", "Microsoft.KeyVault",
	"AccountKey", "westeurope", "global",
	unknownSentinel, secretSig, sigKey, "[secret]",
}

// documents are JSON texts rules parse: policy documents and default tags.
var documents = []string{
	`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*"}]}`,
	`{"Statement":{"Effect":"Allow","Principal":{"AWS":["*"]},"Condition":{}}}`,
	`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-1"}}}]}`,
	`{"Statement":[{"Effect":"Deny","Principal":"*"}]}`, `{"Statement":[null,1,"x",{"Principal":[[["*"]]]}]}`,
	`{"tags":{"owner":"o","project":"p"}}`, `{"tags":{"owner":1,"project":null}}`,
	`{"tags":"{\"owner\":\"o\",\"cost-center\":\"c\",\"data-classification\":\"top\"}"}`, `[{"tags":{"owner":"x"}}]`,
	`[]`, `[[]]`, `"x"`, `1e999`, `{"tags":"{"}`,
}

// keys are object keys: the path segments above and some others.
var keys = func() []string {
	seen := map[string]bool{"value": true, sigKey: true, "Statement": true, "Effect": true, "Principal": true,
		"Condition": true, "AWS": true, "": true, "mlguard-exemption:required-tags": true, "Owner": true}
	for _, p := range append(append([]string(nil), governedPaths...), providerPaths...) {
		for _, s := range strings.Split(p, ".") {
			if _, err := strconv.Atoi(s); err != nil {
				seen[s] = true
			}
		}
	}
	return slices.Sorted(maps.Keys(seen))
}()

// types are the type tokens the pack governs, a provider, and a few others.
var types = func() []string {
	seen := map[string]bool{
		"pulumi:providers:aws": true, "pulumi:pulumi:Stack": true, "aws:ec2/vpc:Vpc": true,
		"aws:iam/rolePolicyAttachment:RolePolicyAttachment": true, "azure-native:resources:ResourceGroup": true,
		"gcp:storage/bucket:Bucket": true, "": true, "aws:": true,
	}
	for _, p := range policypack.Pack().Policies {
		for _, t := range policypack.DocTypes(p) {
			if strings.Contains(t, ":") && !strings.Contains(t, " ") {
				seen[t] = true
			}
		}
	}
	return slices.Sorted(maps.Keys(seen))
}()

// stackTypes are the types stack rules look at (one of each makes a stack in
// which nothing is missing).
var stackTypes = func() []string {
	seen := map[string]bool{}
	for _, p := range policypack.Pack().Policies {
		if p.Stack != nil {
			for _, t := range policypack.DocTypes(p) {
				seen[t] = true
			}
		}
	}
	return slices.Sorted(maps.Keys(seen))
}()

// decoder turns fuzz bytes into requests. It never fails: past the end every
// byte reads as zero, which decodes to the smallest choices.
type decoder struct {
	data []byte
	pos  int
}

func (d *decoder) byte() byte {
	if d.pos >= len(d.data) {
		return 0
	}
	b := d.data[d.pos]
	d.pos++
	return b
}

func (d *decoder) more() bool { return d.pos < len(d.data) }

func (d *decoder) n(max int) int { return int(d.byte()) % (max + 1) }

func (d *decoder) pick(list []string) string { return list[int(d.byte())%len(list)] }

// text returns a string: mostly a word, sometimes raw bytes (made valid
// UTF-8, as the wire demands), sometimes a word repeated into a huge string.
func (d *decoder) text() string {
	switch d.byte() % 8 {
	case 0, 1, 2, 3:
		return d.pick(words)
	case 4, 5:
		n := d.n(40)
		b := make([]byte, 0, n)
		for i := 0; i < n && d.more(); i++ {
			b = append(b, d.byte())
		}
		return strings.ToValidUTF8(string(b), "?")
	case 6:
		return d.pick(words) + d.pick(keys) + strconv.Itoa(d.n(255))
	default:
		return strings.Repeat(d.pick(words)+"x", 1+int(d.byte())*8) // up to ~2k repetitions
	}
}

func secretOf(v *structpb.Value) *structpb.Value {
	return structpb.NewStructValue(&structpb.Struct{Fields: map[string]*structpb.Value{
		sigKey: structpb.NewStringValue(secretSig), "value": v,
	}})
}

func unknownValue() *structpb.Value { return structpb.NewStringValue(unknownSentinel) }

var numbers = []float64{0, 1, -1, 0.5, 10, 1e300, -1e300, math.Inf(1), math.Inf(-1), math.NaN(), math.MaxInt64, 3}

// value decodes one property value.
func (d *decoder) value(depth int) *structpb.Value {
	op := d.byte()
	if depth > 8 && op%16 >= 9 {
		op = 0 // bottom out
	}
	switch op % 16 {
	case 0:
		return structpb.NewNullValue()
	case 1:
		return structpb.NewBoolValue(op&0x80 != 0)
	case 2:
		return structpb.NewNumberValue(numbers[d.n(len(numbers)-1)])
	case 3, 4, 5:
		return structpb.NewStringValue(d.text())
	case 6:
		return unknownValue()
	case 7:
		return secretOf(d.value(depth + 1))
	case 8: // a malformed envelope: the signature key with the wrong signature, or no value
		f := map[string]*structpb.Value{sigKey: structpb.NewStringValue(d.text())}
		if op&0x80 != 0 {
			f[sigKey] = structpb.NewStringValue(secretSig)
		} else {
			f["value"] = d.value(depth + 1)
		}
		return structpb.NewStructValue(&structpb.Struct{Fields: f})
	case 9, 10:
		l := &structpb.ListValue{}
		for i, n := 0, d.n(4); i < n; i++ {
			l.Values = append(l.Values, d.value(depth+1))
		}
		return structpb.NewListValue(l)
	case 11, 12, 13:
		s := &structpb.Struct{Fields: map[string]*structpb.Value{}}
		for i, n := 0, d.n(5); i < n; i++ {
			k := d.pick(keys)
			if d.byte()%8 == 0 {
				k = d.text()
			}
			s.Fields[k] = d.value(depth + 1)
		}
		return structpb.NewStructValue(s)
	case 14: // deep nesting: lists, objects and secrets, up to ~2000 levels
		v := d.value(9)
		for i, n := 0, 1+int(d.byte())*8; i < n; i++ {
			switch i % 3 {
			case 0:
				v = structpb.NewListValue(&structpb.ListValue{Values: []*structpb.Value{v}})
			case 1:
				v = structpb.NewStructValue(&structpb.Struct{Fields: map[string]*structpb.Value{d.pick(keys): v}})
			default:
				v = secretOf(v)
			}
		}
		return v
	default: // a JSON document as a string
		return structpb.NewStringValue(d.pick(documents))
	}
}

// setPath writes v at a dotted path, creating objects (and lists for numeric
// segments) and stepping inside secrets; whatever is in the way is replaced.
func setPath(s *structpb.Struct, path string, v *structpb.Value) {
	segs := strings.Split(path, ".")
	cur := structpb.NewStructValue(s)
	for i, seg := range segs {
		last := i == len(segs)-1
		for isSecret(cur) {
			inner := cur.GetStructValue().Fields["value"]
			if inner == nil {
				inner = structpb.NewNullValue()
				cur.GetStructValue().Fields["value"] = inner
			}
			cur = inner
		}
		if idx, err := strconv.Atoi(seg); err == nil {
			l := cur.GetListValue()
			if l == nil {
				l = &structpb.ListValue{}
				cur.Kind = &structpb.Value_ListValue{ListValue: l}
			}
			for len(l.Values) <= idx {
				l.Values = append(l.Values, structpb.NewNullValue())
			}
			if last {
				l.Values[idx] = v
				return
			}
			cur = l.Values[idx]
			continue
		}
		o := cur.GetStructValue()
		if o == nil {
			o = &structpb.Struct{}
			cur.Kind = &structpb.Value_StructValue{StructValue: o}
		}
		if o.Fields == nil {
			o.Fields = map[string]*structpb.Value{}
		}
		if last {
			o.Fields[seg] = v
			return
		}
		next := o.Fields[seg]
		if next == nil {
			next = structpb.NewNullValue()
			o.Fields[seg] = next
		}
		cur = next
	}
}

func isSecret(v *structpb.Value) bool {
	s := v.GetStructValue()
	return s != nil && s.Fields[sigKey].GetStringValue() == secretSig
}

// props decodes a property bag: values at governed paths (sometimes with the
// whole path secret), then a few arbitrary fields.
func (d *decoder) props(paths []string) *structpb.Struct {
	s := &structpb.Struct{Fields: map[string]*structpb.Value{}}
	for i, n := 0, d.n(8); i < n && d.more(); i++ {
		path := d.pick(paths)
		v := d.value(0)
		setPath(s, path, v)
		if op := d.byte(); op%4 == 0 { // wrap one step of the path in a secret
			segs := strings.Split(path, ".")
			prefix := strings.Join(segs[:1+int(op>>2)%len(segs)], ".")
			if old := getPath(s, prefix); old != nil {
				setPath(s, prefix, secretOf(old))
			}
		}
	}
	for i, n := 0, d.n(2); i < n && d.more(); i++ {
		k := d.pick(keys)
		s.Fields[k] = d.value(1)
	}
	return s
}

func getPath(s *structpb.Struct, path string) *structpb.Value {
	cur := structpb.NewStructValue(s)
	for _, seg := range strings.Split(path, ".") {
		for isSecret(cur) {
			cur = cur.GetStructValue().Fields["value"]
		}
		if idx, err := strconv.Atoi(seg); err == nil {
			l := cur.GetListValue().GetValues()
			if idx >= len(l) {
				return nil
			}
			cur = l[idx]
			continue
		}
		cur = cur.GetStructValue().GetFields()[seg]
		if cur == nil {
			return nil
		}
	}
	return cur
}

// resource decodes one resource to analyze.
func (d *decoder) resource(i int) *pulumirpc.AnalyzerResource {
	typ := d.pick(types)
	name := fmt.Sprintf("r%d", i)
	if d.byte()%16 == 0 {
		name = d.text()
	}
	r := &pulumirpc.AnalyzerResource{
		Type: typ, Name: name, Urn: "urn:pulumi:dev::p::" + typ + "::" + name,
		Properties: d.props(governedPaths),
	}
	if op := d.byte(); op%3 == 0 {
		r.Provider = &pulumirpc.AnalyzerProviderResource{
			Type: "pulumi:providers:aws", Name: "p", Urn: fmt.Sprintf("urn:pulumi:dev::p::pulumi:providers:aws::p%d", op%2),
			Properties: d.props(providerPaths),
		}
	}
	return r
}

func analyzeRequest(r *pulumirpc.AnalyzerResource) *pulumirpc.AnalyzeRequest {
	return &pulumirpc.AnalyzeRequest{Type: r.Type, Name: r.Name, Urn: r.Urn, Properties: r.Properties, Provider: r.Provider}
}

// secretStrings returns every string inside a secret (but the protocol's own
// markers), longer than two characters: none may appear in what the pack says.
func secretStrings(vals ...*structpb.Value) []string {
	seen := map[string]bool{}
	var walk func(v *structpb.Value, secret bool)
	walk = func(v *structpb.Value, secret bool) {
		switch x := v.GetKind().(type) {
		case *structpb.Value_StringValue:
			if secret && len(x.StringValue) > 2 && x.StringValue != unknownSentinel {
				seen[x.StringValue] = true
			}
		case *structpb.Value_ListValue:
			for _, e := range x.ListValue.GetValues() {
				walk(e, secret)
			}
		case *structpb.Value_StructValue:
			if isSecret(v) {
				walk(x.StructValue.Fields["value"], true)
				return
			}
			for _, e := range x.StructValue.GetFields() {
				walk(e, secret)
			}
		}
	}
	for _, v := range vals {
		walk(v, false)
	}
	delete(seen, secretSig)
	delete(seen, sigKey)
	delete(seen, "[secret]")
	out := make([]string, 0, len(seen))
	for s := range seen {
		out = append(out, s)
	}
	return out
}

// plainStrings returns every string not inside a secret.
func plainStrings(v *structpb.Value) []string {
	var out []string
	var walk func(v *structpb.Value)
	walk = func(v *structpb.Value) {
		switch x := v.GetKind().(type) {
		case *structpb.Value_StringValue:
			out = append(out, x.StringValue)
		case *structpb.Value_ListValue:
			for _, e := range x.ListValue.GetValues() {
				walk(e)
			}
		case *structpb.Value_StructValue:
			if isSecret(v) {
				return
			}
			for _, e := range x.StructValue.GetFields() {
				walk(e)
			}
		}
	}
	walk(v)
	return out
}

func resourceValues(rs ...*pulumirpc.AnalyzerResource) []*structpb.Value {
	var out []*structpb.Value
	for _, r := range rs {
		out = append(out, structpb.NewStructValue(r.GetProperties()))
		if r.GetProvider() != nil {
			out = append(out, structpb.NewStructValue(r.GetProvider().GetProperties()))
		}
	}
	return out
}

// assertNoSecret fails if text carries a secret. The mask itself is taken
// out first (as a character no secret holds), so that a secret such as "cre"
// is not "found" inside "[secret]".
func assertNoSecret(t *testing.T, what, text string, secrets []string) {
	t.Helper()
	placeholder := rune(0)
	for ; ; placeholder++ {
		clash := false
		for _, s := range secrets {
			clash = clash || strings.ContainsRune(s, placeholder)
		}
		if !clash {
			break
		}
	}
	masked := strings.ReplaceAll(text, "[secret]", string(placeholder))
	for _, s := range secrets {
		if strings.Contains(masked, s) {
			t.Fatalf("secret %.60q leaked into %s: %.300q", s, what, text)
		}
	}
}

func newPackServer(t testing.TB) (*analyzer.Server, *analyzertest.LogRecorder) {
	t.Helper()
	log := &analyzertest.LogRecorder{}
	s, err := analyzer.NewServer(policypack.Pack(), log)
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.ConfigureStack(context.Background(), &pulumirpc.AnalyzerStackConfigureRequest{Stack: "dev", Project: "p", DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	return s, log
}

// newRemediatingServer runs required-tags at the remediate level with default
// values to write, everything else at its default.
func newRemediatingServer(t testing.TB) (*analyzer.Server, *analyzertest.LogRecorder) {
	s, log := newPackServer(t)
	_, err := s.Configure(context.Background(), &pulumirpc.ConfigureAnalyzerRequest{PolicyConfig: map[string]*pulumirpc.PolicyConfig{
		"required-tags": {EnforcementLevel: pulumirpc.EnforcementLevel_REMEDIATE, Properties: pt.Props(map[string]any{
			"defaultValues": map[string]any{"owner": "platform", "project": "p", "cost-center": "cc", "data-classification": "internal"},
		})},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return s, log
}

// checkResponse asserts what holds of every answer: no rule failed, nothing
// carries a secret, and the engine can receive it.
func checkResponse(t *testing.T, resp *pulumirpc.AnalyzeResponse, logs []string, secrets []string) {
	t.Helper()
	if _, err := proto.Marshal(resp); err != nil {
		t.Fatalf("response cannot be sent to the engine: %v", err)
	}
	for _, d := range resp.GetDiagnostics() {
		if strings.Contains(d.Message, "could not decide") {
			t.Fatalf("BUG: policy %s panicked or failed: %s", d.PolicyName, d.Message)
		}
		if !utf8.ValidString(d.Message) {
			t.Fatalf("diagnostic of %s is not valid UTF-8: %q", d.PolicyName, d.Message)
		}
		assertNoSecret(t, "diagnostic of "+d.PolicyName, d.Message, secrets)
	}
	for _, na := range resp.GetNotApplicable() {
		assertNoSecret(t, "not-applicable reason of "+na.PolicyName, na.Reason, secrets)
	}
	for _, l := range logs {
		if strings.Contains(l, "failed") {
			t.Fatalf("BUG: a log line reports a failure: %.500s", l)
		}
		assertNoSecret(t, "log line", l, secrets)
	}
}

// allUnknown returns a copy of props in which every governed input is
// unknown: every leaf (scalars, nulls, empty lists and objects) is the
// unknown sentinel, and each governed path resolves to an unknown.
func allUnknown(props *structpb.Struct, paths []string) *structpb.Struct {
	var leaves func(v *structpb.Value) *structpb.Value
	leaves = func(v *structpb.Value) *structpb.Value {
		switch x := v.GetKind().(type) {
		case *structpb.Value_ListValue:
			if len(x.ListValue.GetValues()) > 0 {
				l := &structpb.ListValue{}
				for _, e := range x.ListValue.Values {
					l.Values = append(l.Values, leaves(e))
				}
				return structpb.NewListValue(l)
			}
		case *structpb.Value_StructValue:
			if len(x.StructValue.GetFields()) > 0 {
				s := &structpb.Struct{Fields: map[string]*structpb.Value{}}
				if isSecret(v) && x.StructValue.Fields["value"] == nil {
					s.Fields["value"] = unknownValue() // a secret of nothing: make it a secret unknown
				}
				for k, e := range x.StructValue.Fields {
					if isSecret(v) && k == sigKey {
						s.Fields[k] = e
						continue
					}
					s.Fields[k] = leaves(e)
				}
				return structpb.NewStructValue(s)
			}
		}
		return unknownValue()
	}
	out := leaves(structpb.NewStructValue(props)).GetStructValue()
	if out == nil {
		out = &structpb.Struct{Fields: map[string]*structpb.Value{}}
	}
	for _, p := range paths {
		segs := strings.Split(p, ".")
		for i, seg := range segs {
			if _, err := strconv.Atoi(seg); err == nil {
				segs = segs[:i] // up to the first list index: the list itself is unknown
				break
			}
		}
		cur := out
		for i, seg := range segs {
			if i == len(segs)-1 {
				cur.Fields[seg] = unknownValue()
				break
			}
			v := policy.ValueOf(cur.Fields[seg], "")
			if v.Kind() == policy.Unknown {
				break
			}
			if v.Kind() != policy.Object {
				cur.Fields[seg] = unknownValue()
				break
			}
			cur = v.Raw().GetStructValue()
			if cur.Fields == nil {
				cur.Fields = map[string]*structpb.Value{}
			}
		}
	}
	return out
}

var (
	analyzeOnce  sync.Once
	analyzeSrv   *analyzer.Server
	analyzeLog   *analyzertest.LogRecorder
	remediateSrv *analyzer.Server
	remediateLog *analyzertest.LogRecorder
	stackSrv     *analyzer.Server
	stackLog     *analyzertest.LogRecorder
)

func servers(t testing.TB) {
	analyzeOnce.Do(func() {
		analyzeSrv, analyzeLog = newPackServer(t)
		remediateSrv, remediateLog = newRemediatingServer(t)
		stackSrv, stackLog = newPackServer(t)
	})
}

func FuzzAnalyze(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte("\x05\x03\x07\x03\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		servers(t)
		ctx := context.Background()
		d := &decoder{data: data}
		r := d.resource(0)
		req := analyzeRequest(r)
		secrets := secretStrings(resourceValues(r)...)
		before := proto.Clone(req)

		analyzeLog.Take()
		resp, err := analyzeSrv.Analyze(ctx, req)
		if err != nil {
			t.Fatalf("Analyze failed: %v", err)
		}
		checkResponse(t, resp, analyzeLog.Take(), secrets)
		if !proto.Equal(before, req) {
			t.Fatal("Analyze changed its request")
		}

		remediateLog.Take()
		rem, err := remediateSrv.Remediate(ctx, req)
		if err != nil {
			t.Fatalf("Remediate failed: %v", err)
		}
		if _, err := proto.Marshal(rem); err != nil {
			t.Fatalf("remediation cannot be sent to the engine: %v", err)
		}
		for _, x := range rem.GetRemediations() {
			if x.Diagnostic != "" {
				t.Fatalf("BUG: remediation by %s failed: %s", x.PolicyName, x.Diagnostic)
			}
			// No secret comes out of its envelope: every string the
			// remediated properties hold in the clear was in the clear
			// before, or is one the remediation writes.
			clear := map[string]bool{"platform": true, "p": true, "cc": true, "internal": true}
			for _, s := range plainStrings(structpb.NewStructValue(r.Properties)) {
				clear[s] = true
			}
			for _, s := range plainStrings(structpb.NewStructValue(x.Properties)) {
				if !clear[s] && slices.Contains(secrets, s) {
					t.Fatalf("remediation by %s took secret %.60q out of its envelope", x.PolicyName, s)
				}
			}
		}
		for _, na := range rem.GetNotApplicable() {
			assertNoSecret(t, "remediation reason", na.Reason, secrets)
		}
		for _, l := range remediateLog.Take() {
			assertNoSecret(t, "log line", l, secrets)
		}
		if !proto.Equal(before, req) {
			t.Fatal("Remediate changed its request")
		}

		// With every governed input unknown, nothing is a violation.
		unk := proto.Clone(req).(*pulumirpc.AnalyzeRequest)
		unk.Properties = allUnknown(req.Properties, governedPaths)
		if unk.Provider != nil {
			unk.Provider.Properties = allUnknown(unk.Provider.Properties, providerPaths)
		}
		resp, err = analyzeSrv.Analyze(ctx, unk)
		if err != nil {
			t.Fatalf("Analyze failed: %v", err)
		}
		checkResponse(t, resp, analyzeLog.Take(), nil) // the unknowns hold no secret: the first request's may be public names here
		for _, d := range resp.GetDiagnostics() {
			t.Fatalf("BUG: %s reports a violation although every input it reads is unknown: %s\nproperties: %v", d.PolicyName, d.Message, unk.Properties)
		}
	})
}

func FuzzAnalyzeStack(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte("\x03\x05\x03\x07\x03\x00\x02\x01"))
	f.Fuzz(func(t *testing.T, data []byte) {
		servers(t)
		ctx := context.Background()
		d := &decoder{data: data}
		var resources []*pulumirpc.AnalyzerResource
		for i, n := 0, 1+d.n(7); i < n; i++ {
			r := d.resource(i)
			if i > 0 && d.byte()%2 == 0 { // depend on an earlier resource, by property
				on := resources[d.n(i-1)%i]
				prop := d.pick([]string{"bucket", "targetBucket", "name", "loggings", "logging"})
				r.PropertyDependencies = map[string]*pulumirpc.AnalyzerPropertyDependencies{prop: {Urns: []string{on.Urn}}}
				r.Dependencies = []string{on.Urn}
			}
			resources = append(resources, r)
		}
		req := &pulumirpc.AnalyzeStackRequest{Resources: resources}
		secrets := secretStrings(resourceValues(resources...)...)

		stackLog.Take()
		resp, err := stackSrv.AnalyzeStack(ctx, req)
		if err != nil {
			t.Fatalf("AnalyzeStack failed: %v", err)
		}
		checkResponse(t, resp, stackLog.Take(), secrets)
		urns := map[string]bool{}
		for _, r := range resources {
			urns[r.Urn] = true
		}
		for _, d := range resp.GetDiagnostics() {
			if !urns[d.Urn] {
				t.Fatalf("%s reports on %q, which is not in the stack", d.PolicyName, d.Urn)
			}
		}

		// Every input unknown, and nothing missing from the stack: no
		// dependencies or providers to settle anything, one resource of each
		// type the stack rules look at.
		var unk []*pulumirpc.AnalyzerResource
		for _, r := range resources {
			unk = append(unk, &pulumirpc.AnalyzerResource{Type: r.Type, Name: r.Name, Urn: r.Urn,
				Properties: allUnknown(r.Properties, governedPaths)})
		}
		for i, typ := range stackTypes {
			name := fmt.Sprintf("all%d", i)
			unk = append(unk, &pulumirpc.AnalyzerResource{Type: typ, Name: name, Urn: "urn:pulumi:dev::p::" + typ + "::" + name,
				Properties: allUnknown(&structpb.Struct{}, governedPaths)})
		}
		resp, err = stackSrv.AnalyzeStack(ctx, &pulumirpc.AnalyzeStackRequest{Resources: unk})
		if err != nil {
			t.Fatalf("AnalyzeStack failed: %v", err)
		}
		checkResponse(t, resp, stackLog.Take(), nil)
		for _, d := range resp.GetDiagnostics() {
			t.Fatalf("BUG: %s reports a violation although every input it reads is unknown: %s", d.PolicyName, d.Message)
		}
	})
}

// configKeys and configWords bias Configure toward the pack's config fields.
var (
	configKeys = []string{
		"enforcementLevel", "minLength", "allowedConnections", "requiredKeys", "allowedValues", "defaultValues",
		"tagKey", "classifications", "maximumFrequency", "owner", "data-classification", "MinLength", "",
		"taggable", "policies", "severities", "tags", "closed", "maxDays", "central",
		"stack", "project", "urn", "type", "name", "policy", "expires", "reason", "ticket",
	}
	configWords = []string{
		"public:pypi", "public:.*", ".*", "(", "[a-", "a**", "(?P<x", `\`, "x{2,1}", "One_Hour", "Three_Hours",
		"Hourly", "mlguard-exemption", "bad key!", "", " ", "owner", "internal", "top", "confidential",
		"advisory", "mandatory", "remediate", "disabled", "all",
		"low", "critical", "s3-bucket-no-public-acl", "exemption-valid", "2026-02-30", "2099-12-31", "*", "public-?", "urn:pulumi:",
	}
)

func (d *decoder) configValue(depth int) *structpb.Value {
	switch op := d.byte(); op % 9 {
	case 0:
		return structpb.NewNullValue()
	case 1:
		return structpb.NewBoolValue(op&0x80 != 0)
	case 2:
		return structpb.NewNumberValue(numbers[d.n(len(numbers)-1)])
	case 3, 4:
		return structpb.NewStringValue(d.pick(configWords))
	case 5:
		return structpb.NewStringValue(d.text())
	case 6, 7:
		l := &structpb.ListValue{}
		for i, n := 0, d.n(4); i < n; i++ {
			if depth > 3 {
				l.Values = append(l.Values, structpb.NewStringValue(d.pick(configWords)))
			} else {
				l.Values = append(l.Values, d.configValue(depth+1))
			}
		}
		return structpb.NewListValue(l)
	default:
		s := &structpb.Struct{Fields: map[string]*structpb.Value{}}
		for i, n := 0, d.n(3); i < n && depth < 4; i++ {
			s.Fields[d.pick(append(configKeys, configWords...))] = d.configValue(depth + 1)
		}
		return structpb.NewStructValue(s)
	}
}

var policyNames = func() []string {
	var out []string
	for _, p := range policypack.Pack().Policies {
		out = append(out, p.Name)
	}
	return append(out, "all", "no-such-policy", "")
}()

// fixedRequests are resources whose diagnostics show the config in force.
func fixedRequests() []*pulumirpc.AnalyzeRequest {
	mk := func(typ string, props map[string]any) *pulumirpc.AnalyzeRequest {
		return &pulumirpc.AnalyzeRequest{Type: typ, Name: "x", Urn: "urn:pulumi:dev::p::" + typ + "::x", Properties: pt.Props(props)}
	}
	return []*pulumirpc.AnalyzeRequest{
		mk("aws:s3/bucket:Bucket", map[string]any{"acl": "public-read", "tags": map[string]any{"owner": "", "mlguard-exemption": "x"}}),
		mk("aws:codeartifact/repository:Repository", map[string]any{"description": "short",
			"externalConnections": map[string]any{"externalConnectionName": "public:nuget-org"}}),
		mk("aws:cfg/deliveryChannel:DeliveryChannel", map[string]any{"snapshotDeliveryProperties": map[string]any{"deliveryFrequency": "Three_Hours"}}),
		mk("azure-native:machinelearningservices:Workspace", map[string]any{"tags": map[string]any{"data-classification": "restricted"}}),
	}
}

type configuredLevels map[string]pulumirpc.EnforcementLevel

func FuzzConfigure(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte("\x01\x10\x01\x08\x01\x03\x06\x02\x03\x01"))
	pack := policypack.Pack()
	defaults := configuredLevels{}
	for _, p := range pack.Policies {
		defaults[p.Name] = map[policy.EnforcementLevel]pulumirpc.EnforcementLevel{
			policy.Advisory: pulumirpc.EnforcementLevel_ADVISORY, policy.Mandatory: pulumirpc.EnforcementLevel_MANDATORY,
			policy.Remediate: pulumirpc.EnforcementLevel_REMEDIATE, policy.Disabled: pulumirpc.EnforcementLevel_DISABLED,
		}[pack.Level(p)]
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx := context.Background()
		s, _ := newPackServer(t)
		d := &decoder{data: data}
		given := map[string]*pulumirpc.PolicyConfig{}
		for i, n := 0, d.n(4); i < n; i++ {
			name := d.pick(policyNames)
			if d.byte()%16 == 0 {
				name = d.text()
			}
			pc := &pulumirpc.PolicyConfig{EnforcementLevel: pulumirpc.EnforcementLevel(int32(d.n(6)) - 1)}
			if op := d.byte(); op%4 != 0 {
				pc.Properties = &structpb.Struct{Fields: map[string]*structpb.Value{}}
				for j, m := 0, 1+d.n(3); j < m; j++ {
					pc.Properties.Fields[d.pick(configKeys)] = d.configValue(0)
				}
			}
			if d.byte()%32 == 0 {
				pc = nil
			}
			given[name] = pc
		}
		fixed := fixedRequests()
		baseline := analyzeAll(t, s, fixed)

		// Each entry alone: accepted, or refused naming its policy.
		ok := map[string]bool{}
		for name, pc := range given {
			_, err := s.Configure(ctx, &pulumirpc.ConfigureAnalyzerRequest{PolicyConfig: map[string]*pulumirpc.PolicyConfig{name: pc}})
			ok[name] = err == nil
			if err != nil {
				if status.Code(err) != codes.InvalidArgument {
					t.Fatalf("Configure(%q) failed with %v, not InvalidArgument", name, err)
				}
				if !strings.Contains(err.Error(), fmt.Sprintf("policy %q", name)) {
					t.Fatalf("Configure(%q) error does not name the policy: %v", name, err)
				}
			}
		}
		// All together: accepted exactly when each is.
		_, err := s.Configure(ctx, &pulumirpc.ConfigureAnalyzerRequest{PolicyConfig: given})
		allOK := true
		for name, good := range ok {
			allOK = allOK && good
			if !good && err != nil && !strings.Contains(err.Error(), fmt.Sprintf("policy %q", name)) {
				t.Fatalf("Configure error does not name policy %q: %v", name, err)
			}
		}
		if (err == nil) != allOK {
			t.Fatalf("Configure of all entries: err=%v, but entries alone: %v", err, ok)
		}
		if err != nil {
			if status.Code(err) != codes.InvalidArgument {
				t.Fatalf("Configure failed with %v, not InvalidArgument", err)
			}
			// Refused: nothing changed (the last single-entry Configure may
			// have succeeded, so restore the defaults first).
			if _, err := s.Configure(ctx, &pulumirpc.ConfigureAnalyzerRequest{}); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Configure(ctx, &pulumirpc.ConfigureAnalyzerRequest{PolicyConfig: given}); err == nil {
				t.Fatal("Configure is not deterministic")
			}
			if got := analyzeAll(t, s, fixed); !equalResponses(got, baseline) {
				t.Fatalf("a refused Configure changed what the pack reports")
			}
			return
		}
		// Accepted: the pack keeps serving, at the configured levels.
		want := configuredLevels{}
		for name, l := range defaults {
			want[name] = l
		}
		for name, pc := range given {
			if _, known := want[name]; known {
				want[name] = pc.GetEnforcementLevel()
			}
		}
		for _, resp := range analyzeAll(t, s, fixed) {
			for _, d := range resp.GetDiagnostics() {
				l := want[d.PolicyName]
				if l == pulumirpc.EnforcementLevel_REMEDIATE {
					l = pulumirpc.EnforcementLevel_MANDATORY
				}
				if strings.Contains(d.Message, "[exempted:") {
					l = pulumirpc.EnforcementLevel_ADVISORY
				}
				if l == pulumirpc.EnforcementLevel_DISABLED || d.EnforcementLevel != l {
					t.Fatalf("%s reported at %v, configured %v", d.PolicyName, d.EnforcementLevel, want[d.PolicyName])
				}
				if strings.Contains(d.Message, "could not decide") {
					t.Fatalf("BUG: %s failed under an accepted config: %s", d.PolicyName, d.Message)
				}
			}
		}
	})
}

func analyzeAll(t *testing.T, s *analyzer.Server, reqs []*pulumirpc.AnalyzeRequest) []*pulumirpc.AnalyzeResponse {
	t.Helper()
	var out []*pulumirpc.AnalyzeResponse
	for _, r := range reqs {
		resp, err := s.Analyze(context.Background(), r)
		if err != nil {
			t.Fatalf("the pack stopped serving: %v", err)
		}
		out = append(out, resp)
	}
	resp, err := s.AnalyzeStack(context.Background(), &pulumirpc.AnalyzeStackRequest{})
	if err != nil {
		t.Fatalf("the pack stopped serving: %v", err)
	}
	return append(out, resp)
}

func equalResponses(a, b []*pulumirpc.AnalyzeResponse) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !proto.Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}

// TestAllUnknownPropertyBag: for every type the pack knows, a property bag
// holding only unknowns yields no diagnostic, from resource or stack rules.
func TestAllUnknownPropertyBag(t *testing.T) {
	s, log := newPackServer(t)
	ctx := context.Background()
	var stack []*pulumirpc.AnalyzerResource
	for i, typ := range types {
		name := fmt.Sprintf("r%d", i)
		r := &pulumirpc.AnalyzerResource{Type: typ, Name: name, Urn: "urn:pulumi:dev::p::" + typ + "::" + name,
			Properties: allUnknown(&structpb.Struct{}, governedPaths)}
		stack = append(stack, r)
		resp, err := s.Analyze(ctx, analyzeRequest(r))
		if err != nil {
			t.Fatal(err)
		}
		if len(resp.Diagnostics) > 0 {
			t.Errorf("%s: %v", typ, resp.Diagnostics)
		}
	}
	resp, err := s.AnalyzeStack(ctx, &pulumirpc.AnalyzeStackRequest{Resources: stack})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Diagnostics) > 0 {
		t.Errorf("stack: %v", resp.Diagnostics)
	}
	if lines := log.Take(); len(lines) > 0 {
		t.Errorf("log: %q", lines)
	}
}

// TestScrubbingAHugeRepetitiveSecretIsFast: found by FuzzAnalyze. With one
// long secret, strings.NewReplacer chose its single-string replacer, whose
// set-up is quadratic in a repetitive pattern: a 1 MB secret of "AAAA..."
// on a resource with a violation kept Analyze busy for minutes.
func TestScrubbingAHugeRepetitiveSecretIsFast(t *testing.T) {
	s, _ := newPackServer(t)
	secret := strings.Repeat("A", 256<<10)
	req := &pulumirpc.AnalyzeRequest{Type: "aws:s3/bucket:Bucket", Name: "b", Urn: "urn:pulumi:dev::p::aws:s3/bucket:Bucket::b",
		Properties: pt.Props(map[string]any{"acl": "public-read", "bucket": pt.Secret(secret)})}
	done := make(chan *pulumirpc.AnalyzeResponse, 1)
	go func() {
		resp, err := s.Analyze(context.Background(), req)
		if err != nil {
			t.Error(err)
		}
		done <- resp
	}()
	select {
	case resp := <-done:
		if len(resp.GetDiagnostics()) == 0 {
			t.Fatal("no diagnostics")
		}
		checkResponse(t, resp, nil, []string{secret})
	case <-time.After(5 * time.Second):
		t.Fatal("Analyze of a resource with a 256 KiB secret took more than 5s")
	}
}

// TestConfigureRealPackRejects: bad configuration of the real pack fails with
// InvalidArgument naming the policy and the field, changes nothing, and the
// pack keeps serving.
func TestConfigureRealPackRejects(t *testing.T) {
	cases := []struct {
		policy string
		level  pulumirpc.EnforcementLevel
		props  map[string]any
		want   []string // substrings of the error
	}{
		{"codeartifact-external-connections", 0, map[string]any{"allowedConnections": []any{"public:(pypi"}},
			[]string{`policy "codeartifact-external-connections"`, `field "allowedConnections[0]"`, "not a valid regular expression"}},
		{"codeartifact-external-connections", 0, map[string]any{"allowedConnections": []any{"public:pypi", "a**"}},
			[]string{`field "allowedConnections[1]"`, "regular expression"}},
		{"codeartifact-external-connections", 0, map[string]any{"allowedConnections": "public:pypi"},
			[]string{`field "allowedConnections"`, "must be array, got string"}},
		{"codeartifact-external-connections", 0, map[string]any{"allowedConnections": []any{""}},
			[]string{`field "allowedConnections[0]"`, "at least 1 characters"}},
		{"codeartifact-repository-description", 0, map[string]any{"minLength": "10"},
			[]string{`policy "codeartifact-repository-description"`, `field "minLength"`, "must be integer, got string"}},
		{"codeartifact-repository-description", 0, map[string]any{"minLength": 2.5}, []string{`field "minLength"`, "got number"}},
		{"codeartifact-repository-description", 0, map[string]any{"minLength": 0}, []string{`field "minLength"`, "at least 1"}},
		{"codeartifact-repository-description", 0, map[string]any{"minLength": nil}, []string{`field "minLength"`, "got null"}},
		{"codeartifact-repository-description", 0, map[string]any{"MinLength": 5}, []string{`field "MinLength"`, "not a known field"}},
		{"awsconfig-delivery-frequency", 0, map[string]any{"maximumFrequency": "Hourly"}, []string{`field "maximumFrequency"`, "must be one of"}},
		{"required-tags", 0, map[string]any{"requiredKeys": []any{"owner", "owner"}}, []string{`field "requiredKeys[1]"`, "repeats"}},
		{"required-tags", 0, map[string]any{"allowedValues": map[string]any{"data-classification": "public"}},
			[]string{`field "allowedValues.data-classification"`, "must be array"}},
		{"required-tags", 0, map[string]any{"defaultValues": map[string]any{"data-classification": "secret"}},
			[]string{`field "defaultValues.data-classification"`, "not one of allowedValues"}},
		{"required-tags", 0, map[string]any{"defaultValues": map[string]any{"owner": 7}}, []string{`field "defaultValues.owner"`, "must be string"}},
		{"exemption-valid", 0, map[string]any{"tagKey": "bad key!"}, []string{`policy "exemption-valid"`, `field "tagKey"`, "must match the pattern"}},
		{"azureml-workspace-hbi", 0, map[string]any{"classifications": []any{1}}, []string{`field "classifications[0]"`, "must be string"}},
		{"s3-bucket-no-public-acl", 0, map[string]any{"allowed": true}, []string{`policy "s3-bucket-no-public-acl"`, `field "allowed"`, "takes no configuration"}},
		{"s3-bucket-no-public-acl", 7, nil, []string{`policy "s3-bucket-no-public-acl"`, "enforcement level 7 is not valid"}},
		{"s3-bucket-no-public-acl", -1, nil, []string{"enforcement level -1 is not valid"}},
		{"no-such-policy", 0, nil, []string{`policy "no-such-policy"`, "no such policy"}},
	}
	s, _ := newPackServer(t)
	ctx := context.Background()
	fixed := fixedRequests()
	baseline := analyzeAll(t, s, fixed)
	for _, tc := range cases {
		t.Run(tc.policy+"/"+strings.Join(tc.want[1:], " "), func(t *testing.T) {
			pc := &pulumirpc.PolicyConfig{EnforcementLevel: tc.level}
			if tc.props != nil {
				pc.Properties = pt.Props(tc.props)
			}
			// With a valid entry beside it: that one is not applied either.
			_, err := s.Configure(ctx, &pulumirpc.ConfigureAnalyzerRequest{PolicyConfig: map[string]*pulumirpc.PolicyConfig{
				tc.policy: pc, "s3-bucket-versioning-enabled": {EnforcementLevel: pulumirpc.EnforcementLevel_DISABLED},
			}})
			if status.Code(err) != codes.InvalidArgument {
				t.Fatalf("Configure: %v, want InvalidArgument", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if got := analyzeAll(t, s, fixed); !equalResponses(got, baseline) {
				t.Errorf("a refused Configure changed what the pack reports")
			}
		})
	}
	// And a good configuration still applies afterwards.
	_, err := s.Configure(ctx, &pulumirpc.ConfigureAnalyzerRequest{PolicyConfig: map[string]*pulumirpc.PolicyConfig{
		"codeartifact-external-connections": {EnforcementLevel: pulumirpc.EnforcementLevel_ADVISORY,
			Properties: pt.Props(map[string]any{"allowedConnections": []any{"public:(pypi|nuget-org)"}})},
	}})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range analyzeAll(t, s, fixed)[1].Diagnostics {
		if d.PolicyName == "codeartifact-external-connections" {
			t.Errorf("public:nuget-org is allowed now: %s", d.Message)
		}
	}
}
