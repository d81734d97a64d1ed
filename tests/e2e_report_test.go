package tests

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mlguard/mlguard/analyzer/analyzertest"
	"github.com/mlguard/mlguard/results"
	"github.com/mlguard/mlguard/tests/clirun"
	"github.com/mlguard/mlguard/tests/examples"
	"github.com/mlguard/mlguard/tests/sarifcheck"
)

// ciPreview runs the CLI the way the CI docs do: `pulumi preview --json`
// with MLGUARD_RESULTS set, and --event-log FILE (the Automation API sets
// PULUMI_DEBUG_COMMANDS=true, which the flag needs).
type ciPreview struct {
	inner                        auto.PulumiCommand
	results, events, previewJSON string
}

func (c *ciPreview) Version() semver.Version { return c.inner.Version() }

func (c *ciPreview) Run(ctx context.Context, workdir string, stdin io.Reader, out, errOut []io.Writer, env []string, args ...string) (string, string, int, error) {
	if len(args) == 0 || args[0] != "preview" {
		return c.inner.Run(ctx, workdir, stdin, out, errOut, env, args...)
	}
	// The Automation API streams the event log to itself over tcp://; the
	// CLI writes it to a file instead, as in CI. (Preview then finds no
	// summary event and fails: these previews fail anyway.)
	args = append(slices.Clone(args), "--json")
	if i := slices.Index(args, "--event-log"); i >= 0 && i+1 < len(args) {
		args[i+1] = c.events
	} else {
		args = append(args, "--event-log", c.events)
	}
	env = append(env, results.Env+"="+c.results)
	stdout, stderr, code, err := c.inner.Run(ctx, workdir, stdin, out, errOut, env, args...)
	if werr := os.WriteFile(c.previewJSON, []byte(stdout), 0o644); werr != nil && err == nil {
		err = werr
	}
	return stdout, stderr, code, err
}

// declLine is the line of examples.go where function fn declares the
// resource named name: where a reviewer must see the finding.
func declLine(t *testing.T, source []byte, fn, name string) int {
	t.Helper()
	lines := strings.Split(string(source), "\n")
	start := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "func "+fn+"(") })
	require.GreaterOrEqual(t, start, 0, "func %s in examples.go", fn)
	decl := regexp.MustCompile(`\.New\w+\(ctx, "` + regexp.QuoteMeta(name) + `"`)
	for i := start; i < len(lines) && (i == start || !strings.HasPrefix(lines[i], "func ")); i++ {
		if decl.MatchString(lines[i]) {
			return i + 1
		}
	}
	t.Fatalf("no declaration of %q in %s", name, fn)
	return 0
}

func runReport(t *testing.T, bin string, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), string(out)
	}
	require.NoError(t, err, string(out))
	return 0, string(out)
}

// A seed program through the real CLI with the pack: the report's SARIF
// points at the line of the program that declared each flagged resource,
// the SARIF Multitool finds no error in it, and the JUnit counts are right;
// from the pack's results file and from the CLI's event log alike.
func TestE2EReportPointsAtTheDeclaringLines(t *testing.T) {
	e := newEnv(t)
	ctx := e2eContext(t)
	// The Multitool comes from npm: a machine with Go alone (the README's
	// floor) runs everything else here and says what it skipped.
	var multitool string
	if _, err := exec.LookPath("npm"); err == nil {
		multitool, err = sarifcheck.Ensure(cacheDir(), os.Stderr)
		require.NoError(t, err)
	}
	dir := t.TempDir()
	report := filepath.Join(dir, "mlguard-report")
	require.NoError(t, analyzertest.Build("..", "./cmd/mlguard-report", report, false))

	ci := &ciPreview{results: filepath.Join(dir, "results.json"), events: filepath.Join(dir, "events.jsonl"), previewJSON: filepath.Join(dir, "preview.json")}
	e.WrapCommand = func(c auto.PulumiCommand) auto.PulumiCommand { ci.inner = c; return ci }
	ex := examples.AWS[0]
	s, err := e.Stack(ctx, ex.Name, "dev", ex.Program, ex.Config)
	require.NoError(t, err)
	out, err := preview(ctx, e, s)
	require.Error(t, err, "mandatory violations fail the preview")
	var digest struct {
		Steps []struct {
			URN string `json:"urn"`
		} `json:"steps"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &digest), "stdout is the --json digest")
	require.NotEmpty(t, digest.Steps)

	f, err := results.Read(ci.results)
	require.NoError(t, err, "the pack wrote its results file")
	assert.Equal(t, results.Stack{Name: "dev", Project: ex.Name, Organization: f.Stack.Organization, DryRun: true}, f.Stack)
	var recorded []string
	for _, d := range f.Diagnostics {
		recorded = append(recorded, fmt.Sprintf("[%s] %s %s", d.Level, d.Policy, d.URN[strings.LastIndex(d.URN, "::")+2:]))
	}
	slices.Sort(recorded)
	assert.Equal(t, expected(ex, false), recorded, "the file holds what the CLI printed")

	source, err := os.ReadFile(filepath.Join("examples", "examples.go"))
	require.NoError(t, err)
	repoRoot, err := filepath.Abs("..")
	require.NoError(t, err)
	projectDir := filepath.Join(e.Dir, ex.Name) // where the Automation API wrote Pulumi.yaml
	stackPolicy := map[string]bool{}
	for _, p := range f.Policies {
		stackPolicy[p.Name] = p.Kind == "stack"
	}
	for _, input := range [][]string{{"--results", ci.results}, {"--events", ci.events}} {
		t.Run(input[0][2:], func(t *testing.T) {
			sarif, junit := filepath.Join(dir, input[0][2:]+".sarif"), filepath.Join(dir, input[0][2:]+".xml")
			args := append(input, "--preview", ci.previewJSON, "--project-dir", projectDir, "--repo-root", repoRoot,
				"--sarif", sarif, "--junit", junit, "--markdown", filepath.Join(dir, input[0][2:]+".md"))
			code, stderr := runReport(t, report, args...)
			require.Equal(t, 1, code, "mandatory violations: exit 1\n%s", stderr)

			var log struct {
				Runs []struct {
					Results []struct {
						RuleID    string `json:"ruleId"`
						Level     string `json:"level"`
						Locations []struct {
							PhysicalLocation struct {
								ArtifactLocation struct{ URI string }    `json:"artifactLocation"`
								Region           struct{ StartLine int } `json:"region"`
							} `json:"physicalLocation"`
							LogicalLocations []struct{ Name string } `json:"logicalLocations"`
						} `json:"locations"`
					} `json:"results"`
				} `json:"runs"`
			}
			b, err := os.ReadFile(sarif)
			require.NoError(t, err)
			require.NoError(t, json.Unmarshal(b, &log))
			var got, want []string
			for _, r := range log.Runs[0].Results {
				l := r.Locations[0]
				id := strings.TrimPrefix(r.RuleID, "mlguard/")
				got = append(got, fmt.Sprintf("%s %s %s %s:%d", r.Level, id, l.LogicalLocations[0].Name,
					l.PhysicalLocation.ArtifactLocation.URI, l.PhysicalLocation.Region.StartLine))
			}
			for _, v := range ex.Expect {
				level := "warning"
				if v.Mandatory {
					level = "error"
				}
				want = append(want, fmt.Sprintf("%s %s %s tests/examples/examples.go:%d", level, v.Policy, v.Resource,
					declLine(t, source, "awsConfigRules", v.Resource)))
			}
			assert.ElementsMatch(t, want, got)

			t.Run("multitool", func(t *testing.T) {
				if multitool == "" {
					t.Skip("npm is not installed: the SARIF Multitool (@microsoft/sarif-multitool " + sarifcheck.Version + ") cannot be installed")
				}
				errs, others, err := sarifcheck.Validate(multitool, sarif)
				require.NoError(t, err)
				assert.Empty(t, errs, "SARIF Multitool errors")
				t.Logf("SARIF Multitool: %d errors, %d warnings/notes %v", len(errs), len(others), others)
			})

			b, err = os.ReadFile(junit)
			require.NoError(t, err)
			var suites struct {
				Tests    int `xml:"tests,attr"`
				Failures int `xml:"failures,attr"`
				Suites   []struct {
					Cases []struct {
						Name      string    `xml:"name,attr"`
						Classname string    `xml:"classname,attr"`
						Failure   *struct{} `xml:"failure"`
					} `xml:"testcase"`
				} `xml:"testsuite"`
			}
			require.NoError(t, xml.Unmarshal(b, &suites))
			failing := map[string]bool{}
			for _, v := range ex.Expect {
				if stackPolicy[v.Policy] {
					failing[v.Policy+" @stack"] = true
				} else {
					failing[v.Policy+" "+v.Resource] = true
				}
			}
			cases := 0
			if input[0] == "--results" {
				for _, r := range f.Resources {
					cases += len(r.Policies)
				}
				cases += len(f.StackPolicies)
			} else {
				// From an event log, a case per policy that the engine's
				// summaries name as passed or failed (they count a resource
				// policy on every resource, whatever its types).
				cases = summarizedPolicies(t, ci.events)
			}
			assert.Equal(t, cases, suites.Tests, "one case per resource × policy that ran, and per stack policy")
			t.Logf("JUnit: %d cases, %d failures; SARIF: %d results", suites.Tests, suites.Failures, len(got))
			assert.Equal(t, len(failing), suites.Failures)
			for _, s := range suites.Suites {
				for _, c := range s.Cases {
					key := c.Name + " " + c.Classname[strings.LastIndex(c.Classname, "::")+2:]
					if !strings.HasPrefix(c.Classname, "urn:") {
						key = c.Name + " @stack"
					}
					assert.Equal(t, failing[key], c.Failure != nil, key)
				}
			}
		})
	}
}

// cacheDir is where the tests keep what they install (MLGUARD_CACHE, or .cache beside the tests module).
func cacheDir() string {
	return filepath.Dir(clirun.CLIRoot("."))
}

// summarizedPolicies counts the policies the engine's analyze summaries in an
// event log name as passed or failed, per resource and for the stack.
func summarizedPolicies(t *testing.T, events string) int {
	t.Helper()
	data, err := os.ReadFile(events)
	require.NoError(t, err)
	n := 0
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var e apitype.EngineEvent
		require.NoError(t, json.Unmarshal([]byte(line), &e))
		if r := e.PolicyAnalyzeSummaryEvent; r != nil {
			n += len(r.Passed) + len(r.Failed)
		}
		if st := e.PolicyAnalyzeStackSummaryEvent; st != nil {
			n += len(st.Passed) + len(st.Failed)
		}
	}
	return n
}
