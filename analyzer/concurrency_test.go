package analyzer_test

// 64 concurrent callers mix Analyze, AnalyzeStack, Remediate and Configure
// on the real pack (run with -race: go test -race -run Concurrency ./analyzer/).
// Configure swaps whole configurations; every response must come from one of
// them, never a mix.

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/structpb"

	pt "github.com/mlguard/mlguard/policy/policytest"
	"github.com/mlguard/mlguard/policypack"
)

// wholeConfig sets every policy to level; with owner, required-tags
// remediates and fills every missing tag with owner.
func wholeConfig(level pulumirpc.EnforcementLevel, owner string) map[string]*pulumirpc.PolicyConfig {
	out := map[string]*pulumirpc.PolicyConfig{}
	for _, p := range policypack.Pack().Policies {
		out[p.Name] = &pulumirpc.PolicyConfig{EnforcementLevel: level}
	}
	if owner != "" {
		out["required-tags"] = &pulumirpc.PolicyConfig{EnforcementLevel: pulumirpc.EnforcementLevel_REMEDIATE,
			Properties: pt.Props(map[string]any{"defaultValues": map[string]any{
				"owner": owner, "project": owner, "cost-center": owner, "data-classification": "internal",
			}})}
	}
	return out
}

func TestConcurrency(t *testing.T) {
	s, log := newPackServer(t)
	ctx := context.Background()
	configs := []map[string]*pulumirpc.PolicyConfig{
		wholeConfig(pulumirpc.EnforcementLevel_MANDATORY, ""),
		wholeConfig(pulumirpc.EnforcementLevel_ADVISORY, ""),
		wholeConfig(pulumirpc.EnforcementLevel_MANDATORY, "c1"),
		wholeConfig(pulumirpc.EnforcementLevel_MANDATORY, "c2"), // remediate reports what it cannot fix as mandatory
	}
	bad := wholeConfig(pulumirpc.EnforcementLevel_MANDATORY, "")
	bad["codeartifact-external-connections"].Properties = pt.Props(map[string]any{"allowedConnections": []any{"public:(pypi"}})

	// A bucket violating public ACL and required tags, with a secret (versioning is a stack rule).
	bucket := &pulumirpc.AnalyzeRequest{Type: "aws:s3/bucket:Bucket", Name: "b", Urn: "urn:pulumi:dev::p::aws:s3/bucket:Bucket::b",
		Properties: pt.Props(map[string]any{"acl": "public-read", "bucket": pt.Secret("hush-hush-bucket"), "tags": map[string]any{"project": "churn"}})}
	stack := &pulumirpc.AnalyzeStackRequest{Resources: []*pulumirpc.AnalyzerResource{
		{Type: "aws:s3/bucketV2:BucketV2", Name: "d", Urn: "urn:pulumi:dev::p::aws:s3/bucketV2:BucketV2::d", Properties: pt.Props(map[string]any{"bucket": "data-1"})},
		{Type: "aws:cfg/recorder:Recorder", Name: "r", Urn: "urn:pulumi:dev::p::aws:cfg/recorder:Recorder::r", Properties: pt.Props(map[string]any{"name": "rec"})},
	}}
	secrets := []string{"hush-hush-bucket"}

	// oneLevel checks that every diagnostic of a response has the same level.
	oneLevel := func(resp *pulumirpc.AnalyzeResponse, want int) error {
		if len(resp.GetDiagnostics()) != want {
			return fmt.Errorf("%d diagnostics, want %d: %v", len(resp.GetDiagnostics()), want, resp.GetDiagnostics())
		}
		first := resp.Diagnostics[0].EnforcementLevel
		if first != pulumirpc.EnforcementLevel_MANDATORY && first != pulumirpc.EnforcementLevel_ADVISORY {
			return fmt.Errorf("level %v", first)
		}
		for _, d := range resp.Diagnostics {
			if d.EnforcementLevel != first {
				return fmt.Errorf("a mix of levels in one response: %v and %v (%s)", first, d.EnforcementLevel, d.PolicyName)
			}
		}
		return nil
	}

	if _, err := s.Configure(ctx, &pulumirpc.ConfigureAnalyzerRequest{PolicyConfig: configs[0]}); err != nil {
		t.Fatal(err) // the defaults mix levels: start from one of the configurations
	}

	const callers, rounds = 64, 25
	var wg sync.WaitGroup
	errs := make(chan error, callers*rounds)
	for c := 0; c < callers; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			for i := 0; i < rounds; i++ {
				switch (c + i) % 5 {
				case 0:
					cfg, isBad := configs[(c/5+i)%len(configs)], (c+i)%7 == 0
					if isBad {
						cfg = bad
					}
					_, err := s.Configure(ctx, &pulumirpc.ConfigureAnalyzerRequest{PolicyConfig: cfg})
					switch {
					case isBad && status.Code(err) != codes.InvalidArgument:
						errs <- fmt.Errorf("Configure of a bad config: %v, want InvalidArgument", err)
					case !isBad && err != nil:
						errs <- fmt.Errorf("Configure: %v", err)
					}
				case 1, 2:
					resp, err := s.Analyze(ctx, bucket)
					if err == nil {
						err = oneLevel(resp, 2)
					}
					if err == nil {
						for _, d := range resp.Diagnostics {
							for _, sec := range secrets {
								if strings.Contains(d.Message, sec) {
									err = fmt.Errorf("secret in %q", d.Message)
								}
							}
						}
					}
					if err != nil {
						errs <- fmt.Errorf("Analyze: %w", err)
					}
				case 3:
					resp, err := s.AnalyzeStack(ctx, stack)
					if err == nil {
						err = oneLevel(resp, 8) // BucketV2: versioning, PAB, KMS, logging, TLS-only, ownership; recorder: channel, status
					}
					if err != nil {
						errs <- fmt.Errorf("AnalyzeStack: %w", err)
					}
				case 4:
					resp, err := s.Remediate(ctx, bucket)
					if err == nil {
						err = oneRemediation(resp)
					}
					if err != nil {
						errs <- fmt.Errorf("Remediate: %w", err)
					}
				}
			}
		}(c)
	}
	wg.Wait()
	close(errs)
	n := 0
	for err := range errs {
		if n++; n <= 10 {
			t.Error(err)
		}
	}
	if n > 10 {
		t.Errorf("... and %d more", n-10)
	}
	for _, l := range log.Take() {
		t.Errorf("log: %s", l)
	}
}

// oneRemediation checks a Remediate answer came from one configuration:
// none (no remediating policy), or required-tags filling owner, project and
// cost-center with the same configured value.
func oneRemediation(resp *pulumirpc.RemediateResponse) error {
	rs := resp.GetRemediations()
	if len(rs) == 0 {
		return nil
	}
	if len(rs) != 1 || rs[0].PolicyName != "required-tags" || rs[0].Diagnostic != "" {
		return fmt.Errorf("unexpected remediations %v", rs)
	}
	tags := rs[0].Properties.GetFields()["tags"].GetStructValue().GetFields()
	owner := tags["owner"].GetStringValue()
	if owner != "c1" && owner != "c2" {
		return fmt.Errorf("owner %q from no configuration", owner)
	}
	if tags["cost-center"].GetStringValue() != owner || tags["project"].GetStringValue() != "churn" ||
		tags["data-classification"].GetStringValue() != "internal" {
		return fmt.Errorf("tags from a mix of configurations: %v", structpb.NewStructValue(rs[0].Properties).AsInterface())
	}
	if v := rs[0].Properties.GetFields()["bucket"]; !isSecret(v) {
		return fmt.Errorf("remediation took the bucket name out of its secret: %v", v)
	}
	return nil
}
