package main

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mlguard/mlguard/results"
)

const (
	bucketURN = "urn:pulumi:dev::ml::aws:s3/bucket:Bucket::data"
	roleURN   = "urn:pulumi:dev::ml::aws:iam/role:Role::runner"
	keyURN    = "urn:pulumi:dev::ml::my:index:Component$aws:kms/key:Key::key"
	vpcURN    = "urn:pulumi:dev::ml::aws:ec2/vpc:Vpc::net"
)

// fixture is a repository with a project in infra/ and the files a CI job has.
type fixture struct {
	repo, project       string
	resultsFile         string
	eventsFile, preview string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	repo := t.TempDir()
	require.NoError(t, os.Mkdir(filepath.Join(repo, ".git"), 0o755))
	project := filepath.Join(repo, "infra")
	require.NoError(t, os.Mkdir(project, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(project, "Pulumi.yaml"), []byte("name: ml\nruntime: go\n"), 0o644))
	f := &fixture{repo: repo, project: project}
	f.resultsFile = filepath.Join(repo, "results.json")
	require.NoError(t, results.Write(f.resultsFile, sampleResults()))
	f.eventsFile = filepath.Join(repo, "events.jsonl")
	writeLines(t, f.eventsFile, sampleEvents())
	f.preview = filepath.Join(repo, "preview.json")
	writeJSON(t, f.preview, samplePreview("dev", "ml", repo))
	return f
}

func sampleResults() *results.File {
	return &results.File{
		Pack:  results.Pack{Name: "mlguard", Version: "0.9.0"},
		Stack: results.Stack{Name: "dev", Project: "ml", DryRun: true},
		Policies: []results.Policy{
			{Name: "s3-bucket-versioning-enabled", Description: "S3 buckets are versioned", Kind: "resource", Level: "mandatory",
				Severity: "high", Remediation: "Set versioning.enabled = true.", URL: "https://example.com/s3-versioning"},
			{Name: "required-tags", Description: "resources carry the required tags", Kind: "resource", Level: "advisory", Severity: "medium"},
			{Name: "kms-key-rotation", Description: "KMS keys rotate", Kind: "resource", Level: "mandatory", Severity: "critical"},
			{Name: "awsconfig-recorder", Description: "a Config recorder exists", Kind: "stack", Level: "mandatory", Severity: "low"},
		},
		Resources: []results.Resource{
			{URN: bucketURN, Type: "aws:s3/bucket:Bucket", Policies: []string{"s3-bucket-versioning-enabled", "required-tags"}},
			{URN: roleURN, Type: "aws:iam/role:Role", Policies: []string{"required-tags"}},
			{URN: keyURN, Type: "aws:kms/key:Key", Policies: []string{"required-tags", "kms-key-rotation"}},
			{URN: vpcURN, Type: "aws:ec2/vpc:Vpc", Policies: []string{"required-tags"}},
		},
		StackPolicies: []string{"awsconfig-recorder"},
		Diagnostics: []results.Diagnostic{
			{URN: bucketURN, Type: "aws:s3/bucket:Bucket", Policy: "s3-bucket-versioning-enabled", Pack: "mlguard", PackVersion: "0.9.0",
				Level: "mandatory", Severity: "high", Message: "versioning is not enabled"},
			{URN: roleURN, Type: "aws:iam/role:Role", Policy: "required-tags", Pack: "mlguard", PackVersion: "0.9.0",
				Level: "advisory", Severity: "medium", Message: "missing tags: owner"},
			{URN: keyURN, Type: "aws:kms/key:Key", Policy: "kms-key-rotation", Pack: "mlguard", PackVersion: "0.9.0",
				Level: "advisory", Severity: "critical", Message: "rotation off [exempted: until 2030-01-01: vendor key]",
				Exemption: &results.Exemption{Source: "tag", Note: "until 2030-01-01: vendor key"}},
			{URN: vpcURN, Type: "aws:ec2/vpc:Vpc", Policy: "awsconfig-recorder", Pack: "mlguard", PackVersion: "0.9.0",
				Level: "mandatory", Severity: "low", Message: "no recorder for this account"},
		},
	}
}

// samplePreview has positions the way the CLI writes them for several languages.
func samplePreview(stack, project, repo string) map[string]any {
	urn := func(rest string) string { return "urn:pulumi:" + stack + "::" + project + "::" + rest }
	step := func(u, pos string) map[string]any {
		return map[string]any{"op": "create", "urn": u, "newState": map[string]any{"urn": u, "sourcePosition": pos}}
	}
	return map[string]any{
		"steps": []any{
			step(urn("pulumi:pulumi:Stack::ml-dev"), ""),
			step(urn("aws:s3/bucket:Bucket::data"), "project:///main.go#10"),                       // Go, in the project
			step(urn("aws:iam/role:Role::runner"), "project:///../lib/index.ts#12,5"),              // TypeScript, beside it
			step(urn("my:index:Component$aws:kms/key:Key::key"), "file://"+repo+"/infra/key.py#7"), // an absolute path
			step(urn("aws:ec2/vpc:Vpc::net"), "project:///../../../elsewhere/vpc.go#3"),            // outside the repository
		},
		"changeSummary": map[string]any{"create": 5},
	}
}

func sampleEvents() []map[string]any {
	seq := 0
	ev := func(kind string, payload any) map[string]any {
		seq++
		return map[string]any{"sequence": seq, "timestamp": 1700000000, kind: payload}
	}
	return []map[string]any{
		ev("preludeEvent", map[string]any{"config": map[string]string{}}),
		ev("resourcePreEvent", map[string]any{"metadata": map[string]any{"op": "create", "urn": bucketURN, "type": "aws:s3/bucket:Bucket"}}),
		ev("resourcePreEvent", map[string]any{"metadata": map[string]any{"op": "create", "urn": roleURN, "type": "aws:iam/role:Role"}}),
		ev("policyEvent", map[string]any{"resourceUrn": bucketURN, "message": "versioning is not enabled\n", "color": "never",
			"policyName": "s3-bucket-versioning-enabled", "policyPackName": "mlguard", "policyPackVersion": "0.9.0",
			"enforcementLevel": "mandatory", "severity": "high"}),
		ev("policyEvent", map[string]any{"resourceUrn": roleURN, "message": "role has no boundary", "color": "never",
			"policyName": "iam-boundary", "policyPackName": "corp", "policyPackVersion": "2.0.0",
			"enforcementLevel": "mandatory", "severity": "medium"}),
		ev("policyEvent", map[string]any{"resourceUrn": bucketURN, "message": "public", "color": "never",
			"policyName": "no-public", "policyPackName": "corp", "policyPackVersion": "2.0.0",
			"enforcementLevel": "mandatory", "exceptions": []any{map[string]any{"id": "EXC-1", "reason": "static site"}}}),
		ev("policyAnalyzeSummaryEvent", map[string]any{"resourceUrn": bucketURN, "policyPackName": "corp",
			"passed": []string{"iam-boundary"}, "failed": []string{"no-public"}}),
		ev("policyAnalyzeSummaryEvent", map[string]any{"resourceUrn": roleURN, "policyPackName": "corp",
			"failed": []string{"iam-boundary"}}),
		ev("policyAnalyzeSummaryEvent", map[string]any{"resourceUrn": bucketURN, "policyPackName": "mlguard",
			"failed": []string{"s3-bucket-versioning-enabled"}}),
		ev("summaryEvent", map[string]any{"maybeCorrupt": false, "durationSeconds": 1, "resourceChanges": map[string]int{}, "PolicyPacks": map[string]string{}, "isPreview": true}),
		ev("cancelEvent", map[string]any{}),
	}
}

func writeLines(t *testing.T, path string, events []map[string]any) {
	t.Helper()
	var b strings.Builder
	for _, e := range events {
		line, err := json.Marshal(e)
		require.NoError(t, err)
		b.Write(line)
		b.WriteByte('\n')
	}
	require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o644))
}

func writeJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "    ")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, b, 0o644))
}

// runReport runs the command and returns its exit code and stderr.
func runReport(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var stderr strings.Builder
	code := realMain(args, io.Discard, &stderr)
	return code, stderr.String()
}

// readOutput decodes an output file with unmarshal (json or xml).
func readOutput[T any](t *testing.T, path string, unmarshal func([]byte, any) error) T {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var v T
	require.NoError(t, unmarshal(b, &v))
	return v
}

func readSARIF(t *testing.T, path string) sarifLog {
	return readOutput[sarifLog](t, path, json.Unmarshal)
}

func readJUnit(t *testing.T, path string) junitSuites {
	return readOutput[junitSuites](t, path, xml.Unmarshal)
}

func TestSARIFFromResultsAndPreview(t *testing.T) {
	f := newFixture(t)
	out := filepath.Join(t.TempDir(), "out.sarif")
	code, stderr := runReport(t, "--results", f.resultsFile, "--preview", f.preview, "--project-dir", f.project, "--sarif", out)
	assert.Equal(t, 1, code, "a mandatory violation fails by default: %s", stderr)
	assert.Contains(t, stderr, "is outside the repository root", "the position outside the repository is dropped with a note")

	l := readSARIF(t, out)
	require.Len(t, l.Runs, 1)
	assert.Equal(t, "2.1.0", l.Version)
	run := l.Runs[0]
	rules := map[string]sarifRule{}
	for _, r := range run.Tool.Driver.Rules {
		rules[r.ID] = r
	}
	require.Len(t, rules, 4, "one rule per policy of the pack")
	v := rules["mlguard/s3-bucket-versioning-enabled"]
	assert.Equal(t, "S3 buckets are versioned", v.ShortDescription.Text)
	assert.Equal(t, "https://example.com/s3-versioning", v.HelpURI)
	assert.Equal(t, "Set versioning.enabled = true.", v.Help.Text)
	assert.Equal(t, "error", v.DefaultConfiguration.Level)
	assert.Equal(t, "8.0", v.Properties["security-severity"])
	assert.Equal(t, "warning", rules["mlguard/required-tags"].DefaultConfiguration.Level)
	assert.Equal(t, "9.5", rules["mlguard/kms-key-rotation"].Properties["security-severity"])

	type got struct {
		rule, level, file string
		line, col         int
		urn               string
		suppressed        bool
	}
	var results []got
	for _, r := range run.Results {
		assert.Equal(t, r.RuleID, run.Tool.Driver.Rules[r.RuleIndex].ID, "ruleIndex points at the rule")
		require.Len(t, r.Locations, 1)
		loc := r.Locations[0]
		g := got{rule: r.RuleID, level: r.Level, urn: loc.LogicalLocations[0].FullyQualifiedName, suppressed: len(r.Suppressions) > 0}
		if p := loc.PhysicalLocation; p != nil {
			assert.Equal(t, srcRoot, p.ArtifactLocation.URIBaseID)
			g.file, g.line, g.col = p.ArtifactLocation.URI, p.Region.StartLine, p.Region.StartColumn
		}
		results = append(results, g)
	}
	assert.Equal(t, []got{
		{"mlguard/s3-bucket-versioning-enabled", "error", "infra/main.go", 10, 0, bucketURN, false},
		{"mlguard/required-tags", "warning", "lib/index.ts", 12, 5, roleURN, false},
		{"mlguard/kms-key-rotation", "note", "infra/key.py", 7, 0, keyURN, true},
		// outside the repository: on the project file instead, with a message saying so
		{"mlguard/awsconfig-recorder", "error", "infra/Pulumi.yaml", 1, 0, vpcURN, false},
	}, results)
	assert.Equal(t, "file://"+filepath.ToSlash(f.repo)+"/", run.OriginalURIBaseIDs[srcRoot].URI)
}

func TestLocatorResolve(t *testing.T) {
	repo := t.TempDir()
	loc := locator{projectDir: filepath.Join(repo, "stacks", "app"), repoRoot: repo}
	for _, tc := range []struct {
		pos, want, why string
	}{
		{"project:///main.go#10", "stacks/app/main.go:10", ""},
		{"project:///../../../" + filepath.Base(repo) + "/lib/a.go#3", "lib/a.go:3", ""},
		{"project:///src/index.ts#12,5", "stacks/app/src/index.ts:12", ""},
		{"project:///my%20dir/main.py#4", "stacks/app/my dir/main.py:4", ""},
		{"file://" + repo + "/tools/x.cs#8", "tools/x.cs:8", ""},
		{"file:///usr/lib/go/src/runtime/proc.go#250", "", "outside the repository root"},
		{"project:///../../../outside.go#1", "", "outside the repository root"},
		{"project:///main.go", "", "no line number"},
		{"project:///main.go#x", "", "no line number"},
		{"project:///main.go#3,y", "", "column"},
		{"https://example.com/main.go#1", "", `scheme "https"`},
	} {
		t.Run(tc.pos, func(t *testing.T) {
			l, why := loc.resolve(tc.pos)
			if tc.want == "" {
				assert.Nil(t, l)
				assert.Contains(t, why, tc.why)
				return
			}
			require.NotNil(t, l, why)
			assert.Equal(t, tc.want, l.String())
		})
	}
}

func TestSARIFLevels(t *testing.T) {
	for _, tc := range []struct {
		level    string
		exempted bool
		want     string
	}{
		{"mandatory", false, "error"}, {"advisory", false, "warning"}, {"mandatory", true, "note"},
		{"advisory", true, "note"}, {"disabled", false, "none"}, {"remediate", false, "warning"},
	} {
		assert.Equal(t, tc.want, sarifLevel(tc.level, tc.exempted), "%s exempted=%v", tc.level, tc.exempted)
	}
}

func TestURNParsing(t *testing.T) {
	id, typ, name, ok := parseURN(keyURN)
	require.True(t, ok)
	assert.Equal(t, stackID{"dev", "ml"}, id)
	assert.Equal(t, "aws:kms/key:Key", typ)
	assert.Equal(t, "key", name)
	_, _, name, ok = parseURN("urn:pulumi:dev::ml::t:m:T::a::b")
	require.True(t, ok)
	assert.Equal(t, "a::b", name, "a name may hold ::")
	for _, bad := range []string{"", "bucket", "urn:pulumi:dev::ml", "urn:other:dev::ml::t::n"} {
		_, _, _, ok := parseURN(bad)
		assert.False(t, ok, bad)
	}
}

func TestJUnitOneCasePerResourceAndPolicy(t *testing.T) {
	f := newFixture(t)
	out := filepath.Join(t.TempDir(), "junit.xml")
	code, stderr := runReport(t, "--results", f.resultsFile, "--junit", out, "--fail-on", "none")
	require.Equal(t, 0, code, stderr)
	s := readJUnit(t, out)
	// 2 + 1 + 2 + 1 resource × policy, and the stack policy once.
	assert.Equal(t, 7, s.Tests)
	assert.Equal(t, 3, s.Failures, "versioning, tags, the recorder; the exempted one is skipped")
	assert.Equal(t, 1, s.Skipped)
	require.Len(t, s.Suites, 1)
	cases := map[string]junitCase{}
	for _, c := range s.Suites[0].Cases {
		cases[c.Classname+" "+c.Name] = c
	}
	assert.Nil(t, cases[bucketURN+" required-tags"].Failure, "passed")
	fail := cases[bucketURN+" s3-bucket-versioning-enabled"].Failure
	require.NotNil(t, fail)
	assert.Equal(t, "mandatory", fail.Type)
	assert.Equal(t, "versioning is not enabled", fail.Message)
	assert.NotNil(t, cases[keyURN+" kms-key-rotation"].Skipped)
	stack := cases["ml/dev awsconfig-recorder"].Failure
	require.NotNil(t, stack, "a stack policy is one case for the stack")
	assert.Contains(t, stack.Text, vpcURN+": no recorder for this account")
}

func TestEventLogAloneAndMerged(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	sarif, junit := filepath.Join(dir, "a.sarif"), filepath.Join(dir, "a.xml")
	code, stderr := runReport(t, "--events", f.eventsFile, "--preview", f.preview, "--project-dir", f.project,
		"--sarif", sarif, "--junit", junit)
	require.Equal(t, 1, code, stderr)
	l := readSARIF(t, sarif)
	var ids []string
	for _, r := range l.Runs[0].Tool.Driver.Rules {
		ids = append(ids, r.ID)
	}
	assert.ElementsMatch(t, []string{"corp/iam-boundary", "corp/no-public", "mlguard/s3-bucket-versioning-enabled"}, ids,
		"from an event log alone every pack is another's: the rules come from the events")
	levels := map[string]string{}
	for _, r := range l.Runs[0].Results {
		levels[r.RuleID] = r.Level
	}
	assert.Equal(t, map[string]string{
		"corp/iam-boundary": "error", "corp/no-public": "note", "mlguard/s3-bucket-versioning-enabled": "error",
	}, levels, "a Pulumi policy exception makes a note")
	s := readJUnit(t, junit)
	assert.Equal(t, 4, s.Tests, "from the analyze summaries: 2 + 1 + 1")
	assert.Equal(t, 2, s.Failures)
	assert.Equal(t, 1, s.Skipped)

	// Both: mlguard's from the results file, the others' from the events.
	md := filepath.Join(dir, "a.md")
	code, stderr = runReport(t, "--results", f.resultsFile, "--events", f.eventsFile, "--markdown", md, "--junit", junit)
	require.Equal(t, 1, code, stderr)
	s = readJUnit(t, junit)
	assert.Equal(t, 7+3, s.Tests)
	assert.Equal(t, 3+1, s.Failures)
	b, err := os.ReadFile(md)
	require.NoError(t, err)
	text := string(b)
	assert.Contains(t, text, "**3 mandatory**, **1 advisory**, 2 exempted")
	assert.Contains(t, text, "| [`s3-bucket-versioning-enabled`](https://example.com/s3-versioning) | high | 1 | 0 | 0 |")
	assert.Contains(t, text, "| `iam-boundary` (corp) | medium | 1 | 0 | 0 |")
	assert.Contains(t, text, "- ❌ **mandatory** `s3-bucket-versioning-enabled` on `data` (`aws:s3/bucket:Bucket`): versioning is not enabled")
	assert.Equal(t, 1, strings.Count(text, "versioning is not enabled"), "mlguard's violation once, not from both inputs")
}

func TestMarkdownStaysShort(t *testing.T) {
	f := sampleResults()
	for i := range 5000 {
		f.Diagnostics = append(f.Diagnostics, results.Diagnostic{
			URN: fmt.Sprintf("urn:pulumi:dev::ml::aws:s3/bucket:Bucket::b%d", i), Policy: "required-tags", Pack: "mlguard",
			Level: "advisory", Severity: "medium", Message: "missing tags: owner, cost-center, project | <script>",
		})
	}
	path := filepath.Join(t.TempDir(), "r.json")
	require.NoError(t, results.Write(path, f))
	md := filepath.Join(t.TempDir(), "r.md")
	code, stderr := runReport(t, "--results", path, "--markdown", md, "--fail-on", "advisory")
	require.Equal(t, 1, code, stderr)
	b, err := os.ReadFile(md)
	require.NoError(t, err)
	assert.LessOrEqual(t, len(b), 65536, "fits a pull-request comment")
	assert.Contains(t, string(b), "more violation(s): see the SARIF or JUnit report")
	assert.Contains(t, string(b), `\| &lt;script&gt;`, "a message cannot break the list")
	assert.Contains(t, string(b), "| `required-tags` | medium | 0 | 5001 | 0 |")
}

func TestFailOn(t *testing.T) {
	f := newFixture(t)
	onlyAdvisory := sampleResults()
	onlyAdvisory.Diagnostics = onlyAdvisory.Diagnostics[1:3] // advisory, and advisory exempted
	adv := filepath.Join(t.TempDir(), "adv.json")
	require.NoError(t, results.Write(adv, onlyAdvisory))
	clean := sampleResults()
	clean.Diagnostics = clean.Diagnostics[2:3] // exempted only
	cln := filepath.Join(t.TempDir(), "clean.json")
	require.NoError(t, results.Write(cln, clean))
	for _, tc := range []struct {
		file, failOn string
		want         int
	}{
		{f.resultsFile, "mandatory", 1}, {f.resultsFile, "advisory", 1}, {f.resultsFile, "none", 0},
		{adv, "mandatory", 0}, {adv, "advisory", 1}, {cln, "advisory", 0},
	} {
		code, stderr := runReport(t, "--results", tc.file, "--fail-on", tc.failOn)
		assert.Equal(t, tc.want, code, "%s --fail-on %s: %s", filepath.Base(tc.file), tc.failOn, stderr)
	}
}

// Every bad input: exit 2, the file and line named, and no report written.
func TestBadInputs(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
		return p
	}
	events, err := os.ReadFile(f.eventsFile)
	require.NoError(t, err)
	res, err := os.ReadFile(f.resultsFile)
	require.NoError(t, err)
	prev, err := os.ReadFile(f.preview)
	require.NoError(t, err)
	lines := strings.SplitAfter(string(events), "\n")
	other := filepath.Join(dir, "other.json")
	writeJSON(t, other, samplePreview("prod", "ml", f.repo))
	otherProject := filepath.Join(dir, "other-project.json")
	writeJSON(t, otherProject, samplePreview("dev", "web", f.repo))
	mixed := append([]string(nil), lines...)
	mixed[2] = strings.ReplaceAll(mixed[2], "urn:pulumi:dev::", "urn:pulumi:prod::")

	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"an event log as results", []string{"--results", f.eventsFile}, []string{f.eventsFile + ":2:", "not an mlguard results file"}},
		{"a preview as results", []string{"--results", f.preview}, []string{f.preview, "not an mlguard results file"}},
		{"results truncated", []string{"--results", write("trunc.json", string(res[:len(res)/2]))}, []string{"trunc.json", "line 1 (byte ", "truncated JSON"}},
		{"results of another format", []string{"--results", write("fmt.json", `{"format":"x","version":1}`)}, []string{"fmt.json", `format "x"`}},
		{"results empty", []string{"--results", write("empty.json", "")}, []string{"empty.json", "truncated JSON"}},
		{"results missing", []string{"--results", filepath.Join(dir, "nope.json")}, []string{"nope.json", "no such file"}},
		{"results as events", []string{"--events", f.resultsFile}, []string{f.resultsFile + ":1:", "not an engine event log"}},
		{"a preview as events", []string{"--events", f.preview}, []string{f.preview + ":1:", "not an engine event log"}},
		{"events cut mid-line", []string{"--events", write("cut.jsonl", strings.Join(lines[:4], "")+lines[4][:30])}, []string{"cut.jsonl:5:", "truncated event log"}},
		{"events cut at a line", []string{"--events", write("short.jsonl", strings.Join(lines[:6], ""))}, []string{"short.jsonl:6:", "before the engine's closing cancelEvent"}},
		{"events of two stacks", []string{"--events", write("mixed.jsonl", strings.Join(mixed, ""))}, []string{"mixed.jsonl:3:", `stack "prod"`, `stack "dev"`}},
		{"events empty", []string{"--events", write("empty.jsonl", "")}, []string{"empty.jsonl", "empty event log"}},
		{"events and results of other stacks", []string{"--results", f.resultsFile, "--events", write("prod.jsonl", strings.ReplaceAll(string(events), "urn:pulumi:dev::", "urn:pulumi:prod::"))},
			[]string{"prod.jsonl is of stack \"prod\"", "results.json of stack \"dev\""}},
		{"preview of another stack", []string{"--results", f.resultsFile, "--preview", other}, []string{"other.json:9:", `a preview of stack "prod" of project "ml", not of stack "dev"`, "step 1"}},
		{"preview of another project", []string{"--results", f.resultsFile, "--preview", otherProject}, []string{"other-project.json", `project "web"`}},
		{"preview truncated", []string{"--results", f.resultsFile, "--preview", write("prev.json", string(prev[:len(prev)-40]))}, []string{"prev.json", "line ", "truncated JSON"}},
		{"preview broken", []string{"--results", f.resultsFile, "--preview", write("broken.json", "{\n  \"steps\": [\n    {,}\n  ]\n}")}, []string{"broken.json", "line 3"}},
		{"not a preview", []string{"--results", f.resultsFile, "--preview", write("np.json", `{"hello": 1}`)}, []string{"np.json", "no steps and no changeSummary"}},
		{"an event log as preview", []string{"--results", f.resultsFile, "--preview", f.eventsFile}, []string{f.eventsFile + ":2:", "more after the JSON document"}},
		{"no input", []string{"--sarif", "x"}, []string{"--results FILE, --events FILE"}},
		{"bad fail-on", []string{"--results", f.resultsFile, "--fail-on", "high"}, []string{`--fail-on "high"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := t.TempDir()
			args := append(append([]string(nil), tc.args...),
				"--sarif", filepath.Join(out, "r.sarif"), "--junit", filepath.Join(out, "r.xml"), "--markdown", filepath.Join(out, "r.md"))
			code, stderr := runReport(t, args...)
			assert.Equal(t, 2, code)
			for _, w := range tc.want {
				assert.Contains(t, stderr, w)
			}
			entries, err := os.ReadDir(out)
			require.NoError(t, err)
			assert.Empty(t, entries, "never a partial report")
		})
	}
}

// syntheticPreview writes a results file and a preview of n resources, a
// quarter of them with a violation, the way the pack and the CLI write them.
func syntheticPreview(tb testing.TB, dir string, n int) (resultsFile, previewFile string) {
	f := sampleResults()
	f.Resources, f.Diagnostics = nil, nil
	var steps []any
	for i := range n {
		urn := fmt.Sprintf("urn:pulumi:dev::ml::aws:s3/bucket:Bucket::bucket-%05d", i)
		f.Resources = append(f.Resources, results.Resource{URN: urn, Type: "aws:s3/bucket:Bucket", Policies: []string{"s3-bucket-versioning-enabled", "required-tags", "kms-key-rotation"}})
		if i%4 == 0 {
			f.Diagnostics = append(f.Diagnostics, results.Diagnostic{URN: urn, Type: "aws:s3/bucket:Bucket", Policy: "s3-bucket-versioning-enabled",
				Pack: "mlguard", PackVersion: "0.9.0", Level: "mandatory", Severity: "high", Message: "versioning is not enabled; set versioning.enabled = true"})
		}
		steps = append(steps, map[string]any{"op": "create", "urn": urn, "newState": map[string]any{
			"urn": urn, "type": "aws:s3/bucket:Bucket", "custom": true, "inputs": map[string]any{"bucket": fmt.Sprintf("bucket-%05d", i), "tags": map[string]any{"owner": "ml"}},
			"sourcePosition": fmt.Sprintf("project:///main.go#%d", 10+i),
		}})
	}
	resultsFile, previewFile = filepath.Join(dir, "results.json"), filepath.Join(dir, "preview.json")
	require.NoError(tb, results.Write(resultsFile, f))
	b, err := json.MarshalIndent(map[string]any{"steps": steps, "changeSummary": map[string]int{"create": n}}, "", "    ")
	require.NoError(tb, err)
	require.NoError(tb, os.WriteFile(previewFile, b, 0o644))
	return resultsFile, previewFile
}

// A report of a 5,000-resource preview: all three outputs.
// go test -run '^$' -bench Report ./cmd/mlguard-report
func BenchmarkReport5000(b *testing.B) {
	dir := b.TempDir()
	require.NoError(b, os.WriteFile(filepath.Join(dir, "Pulumi.yaml"), []byte("name: ml\n"), 0o644))
	res, prev := syntheticPreview(b, dir, 5000)
	out := b.TempDir()
	args := []string{"--results", res, "--preview", prev, "--project-dir", dir, "--repo-root", dir, "--fail-on", "none",
		"--sarif", filepath.Join(out, "r.sarif"), "--junit", filepath.Join(out, "r.xml"), "--markdown", filepath.Join(out, "r.md")}
	for b.Loop() {
		if code := realMain(args, io.Discard, io.Discard); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
	for _, name := range []string{"r.sarif", "r.xml", "r.md"} {
		fi, err := os.Stat(filepath.Join(out, name))
		require.NoError(b, err)
		b.ReportMetric(float64(fi.Size())/1e3, name+"-kB")
	}
}

// A preview with nothing to show has no steps, only its change summary.
func TestPreviewWithoutSteps(t *testing.T) {
	f := newFixture(t)
	writeJSON(t, f.preview, map[string]any{"changeSummary": map[string]int{"same": 3}})
	code, stderr := runReport(t, "--results", f.resultsFile, "--preview", f.preview, "--fail-on", "none")
	assert.Equal(t, 0, code, stderr)
}

func TestMarkdownToStdout(t *testing.T) {
	f := newFixture(t)
	var stdout, stderr strings.Builder
	code := realMain([]string{"--results", f.resultsFile, "--markdown", "-", "--fail-on", "none"}, &stdout, &stderr)
	require.Equal(t, 0, code, stderr.String())
	assert.True(t, strings.HasPrefix(stdout.String(), "## Policy results: ml/dev\n"))
	assert.NotContains(t, stdout.String(), "mlguard-report:", "the status line goes to stderr")
}

func TestReleaseVersion(t *testing.T) {
	for in, want := range map[string]string{"v0.1.0": "0.1.0", "(devel)": "", "": "", "v0.0.0-20261201-abcdef": "0.0.0-20261201-abcdef"} {
		assert.Equal(t, want, releaseVersion(in), in)
	}
}
