package tests

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mlguard/mlguard/policy"
	"github.com/mlguard/mlguard/policypack"
	"github.com/mlguard/mlguard/tests/clirun"
	"github.com/mlguard/mlguard/tests/cloudstub"
	"github.com/mlguard/mlguard/tests/examples"
)

const (
	cloudOrg   = "acme"
	cloudToken = "pul-0123456789abcdef0123456789abcdef01234567"
)

// newCloudEnv is newGoEnv on a stack backend that is a loopback stand-in of
// Pulumi Cloud (tests/cloudstub), logged in as a member of cloudOrg.
func newCloudEnv(t *testing.T) (*clirun.Env, *cloudstub.Server) {
	t.Helper()
	e := newGoEnv(t)
	stub, err := cloudstub.Start(cloudOrg, "alice", cloudToken)
	require.NoError(t, err)
	t.Cleanup(func() {
		assert.Empty(t, stub.Unanswered(), "calls the stand-in has no answer for")
		stub.Close()
	})
	e.Backend, e.AccessToken = stub.URL, cloudToken
	return e, stub
}

// publish runs `pulumi policy publish` in the pack's directory.
func publish(ctx context.Context, t *testing.T, e *clirun.Env, dir string) (string, error) {
	t.Helper()
	start := time.Now()
	stdout, stderr, err := e.Run(ctx, dir, "policy", "publish", cloudOrg)
	t.Logf("pulumi policy publish: %s", time.Since(start).Round(10*time.Millisecond))
	return stdout + stderr, err
}

// Organization-wide enforcement through the real CLI: the pack published to
// the organization, then required on a stack of it, which downloads,
// installs, builds and runs it with the organization's config.
func TestE2EPublishAndRequirePack(t *testing.T) {
	e, stub := newCloudEnv(t)
	ctx := e2eContext(t)
	pack := policypack.Pack()

	staged := stagePack(t)
	out, err := publish(ctx, t, e, staged)
	require.NoError(t, err, out)
	published, ok := stub.Pack(pack.Name, pack.Version)
	require.True(t, ok, "the CLI created %s@%s: %s", pack.Name, pack.Version, out)
	assert.True(t, published.Complete, "the CLI completed the publish")
	assert.Equal(t, "go", published.Request.Runtime)
	assert.Equal(t, pack.DisplayName, published.Request.DisplayName)

	t.Run("every policy with its metadata", func(t *testing.T) {
		assertPublishedPolicies(t, pack, published.Request.Policies)
	})

	t.Run("the tarball holds the pack's source and nothing else", func(t *testing.T) {
		files := tarballFiles(t, published.Tarball)
		t.Logf("tarball of the staged pack: %d bytes, %d files", len(published.Tarball), len(files))
		var names []string
		for name := range files {
			names = append(names, name)
		}
		assert.ElementsMatch(t, append(packSourceFiles(t), "PulumiPolicy.yaml", "go.mod", "go.sum"), names)
		assertNothingBuilt(t, files)
	})

	t.Run("from the repository root the CLI archives the checkout", func(t *testing.T) {
		root, rootStub := newCloudEnv(t)
		out, err := publish(ctx, t, root, repoRoot(t))
		require.NoError(t, err, out)
		p, ok := rootStub.Pack(pack.Name, pack.Version)
		require.True(t, ok, out)
		files := tarballFiles(t, p.Tarball)
		t.Logf("tarball from the repository root: %d bytes, %d files", len(p.Tarball), len(files))
		for _, f := range append(packSourceFiles(t), "PulumiPolicy.yaml", "go.mod", "go.sum") {
			assert.Contains(t, files, f)
		}
		assertNothingBuilt(t, files)
	})

	t.Run("the same version twice is refused", func(t *testing.T) {
		out, err := publish(ctx, t, e, staged)
		require.Error(t, err, out)
		assert.Contains(t, out, "Publish policy pack failed: [409]", out)
		t.Logf("the CLI on a second publish of %s: %s", pack.Version, strings.TrimSpace(out[strings.LastIndex(strings.TrimSpace(out), "\n")+1:]))
		again, _ := stub.Pack(pack.Name, pack.Version)
		assert.Equal(t, published.Tarball, again.Tarball, "the published version is unchanged")
	})

	t.Run("required at preview with the organization's config", func(t *testing.T) {
		orgConfig := map[string]any{
			"s3-bucket-kms-encryption":     map[string]any{"enforcementLevel": "mandatory"}, // advisory by default
			"s3-bucket-versioning-enabled": map[string]any{"enforcementLevel": "disabled"},
			"required-tags": map[string]any{
				"requiredKeys": []string{"owner", "project", "cost-center", "data-classification", "team"},
			},
		}
		stub.Require(cloudstub.Required{Name: pack.Name, VersionTag: pack.Version, Config: orgConfig})
		ex := examples.AWS[0]
		s, err := e.Stack(ctx, ex.Name, cloudOrg+"/"+ex.Name+"/dev", ex.Program, ex.Config)
		require.NoError(t, err)

		start := time.Now()
		out, err := previewRequiredOnly(ctx, s)
		t.Logf("first preview with the required pack (download, go mod tidy, build, run): %s", time.Since(start).Round(10*time.Millisecond))
		require.Error(t, err, "a mandatory violation of the required pack fails the preview: %s", out)
		assert.Contains(t, out, "❌ mlguard@v"+pack.Version)
		diags := got(out)
		assert.Contains(t, diags, "[mandatory] s3-bucket-kms-encryption config-bucket", "raised to mandatory")
		for _, d := range diags {
			assert.NotContains(t, d, "s3-bucket-versioning-enabled", "disabled")
		}
		assert.Contains(t, out, "missing required tags owner, project, cost-center, data-classification, team", "the extra key")

		// The same config given to the built pack on a local backend is the oracle.
		local := newEnv(t)
		ls, err := local.Stack(ctx, ex.Name, "dev", ex.Program, ex.Config)
		require.NoError(t, err)
		localOut, err := preview(ctx, local, ls, writeConfig(t, orgConfig))
		require.Error(t, err)
		assert.Equal(t, clirun.Diagnostics(localOut), clirun.Diagnostics(out))
		assert.Equal(t, []apitype.UpdateStatus{apitype.UpdateStatusFailed}, stub.Completed(), "the CLI reported the preview failed")

		// Installed where the CLI keeps org packs, and `go mod tidy` left go.mod as published.
		installed := filepath.Join(e.Dir, "home", "policies", cloudOrg, "pulumi-analyzer-"+pack.Name+"-v"+pack.Version)
		gomod, err := os.ReadFile(filepath.Join(installed, "go.mod"))
		require.NoError(t, err)
		assert.Equal(t, string(tarballFiles(t, published.Tarball)["go.mod"]), string(gomod), "the consumer's go mod tidy -compat=1.18 changed the pack's go.mod")

		// Warm: installed once, built again by the language host.
		start = time.Now()
		_, err = previewRequiredOnly(ctx, s)
		require.Error(t, err)
		t.Logf("warm preview with the required pack: %s", time.Since(start).Round(10*time.Millisecond))
	})
}

// previewRequiredOnly previews with no --policy-pack: only the packs the
// organization requires run.
func previewRequiredOnly(ctx context.Context, s auto.Stack) (string, error) {
	var out strings.Builder
	_, err := s.Preview(ctx, optpreview.ProgressStreams(&out), optpreview.ErrorProgressStreams(&out))
	return out.String(), err
}

// assertPublishedPolicies compares what the CLI sent the service with the
// pack's own metadata, policy by policy.
func assertPublishedPolicies(t *testing.T, pack *policy.Pack, got []apitype.Policy) {
	t.Helper()
	require.Len(t, got, len(pack.Policies))
	byName := map[string]apitype.Policy{}
	for _, p := range got {
		byName[p.Name] = p
	}
	for _, p := range pack.Policies {
		g, ok := byName[p.Name]
		if !assert.True(t, ok, "policy %s published", p.Name) {
			continue
		}
		assert.Equal(t, p.DisplayName, g.DisplayName, p.Name)
		assert.Equal(t, p.Description, g.Description, p.Name)
		assert.Equal(t, string(pack.Level(p)), string(g.EnforcementLevel), p.Name)
		assert.Equal(t, string(p.Severity), string(g.Severity), p.Name)
		assert.Equal(t, p.RemediationSteps, g.RemediationSteps, p.Name)
		assert.Equal(t, p.URL, g.URL, p.Name)
		assert.NotEmpty(t, g.Description, p.Name)
		assert.NotEmpty(t, g.RemediationSteps, p.Name)
		assert.NotEmpty(t, g.URL, p.Name)
		if !assert.NotNil(t, g.ConfigSchema, p.Name) {
			continue
		}
		// The CLI adds the enforcement level to every schema.
		wantProps := map[string]any{"enforcementLevel": map[string]any{
			"type": "string", "enum": []any{"advisory", "mandatory", "remediate", "disabled"},
		}}
		if p.Config != nil {
			for k, v := range p.Config.Properties {
				wantProps[k] = v
			}
			assert.ElementsMatch(t, p.Config.Required, g.ConfigSchema.Required, p.Name)
		}
		gotProps := map[string]any{}
		for k, raw := range g.ConfigSchema.Properties {
			var v any
			require.NoError(t, json.Unmarshal(*raw, &v))
			gotProps[k] = v
		}
		assert.Equal(t, wantProps, gotProps, "%s config schema", p.Name)
	}
}

// stagePack stages the pack's source for publishing, as `make publish` does.
func stagePack(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "mlguard")
	cmd := exec.Command("go", "run", "./internal/packsource", "-o", dir)
	cmd.Dir = repoRoot(t)
	b, err := cmd.CombinedOutput()
	require.NoError(t, err, string(b))
	return dir
}

// assertNothingBuilt: no build output, CLI cache, VCS data or binary.
func assertNothingBuilt(t *testing.T, files map[string][]byte) {
	t.Helper()
	for name, content := range files {
		assert.False(t, strings.HasPrefix(name, "bin/") || strings.HasPrefix(name, ".cache/") || strings.HasPrefix(name, ".git/"),
			"%s is built, cached or VCS data", name)
		assert.False(t, bytes.HasPrefix(content, []byte("\x7fELF")), "%s is a binary", name)
	}
}

// tarballFiles reads a published tarball: every regular file under
// package/, by its path below it.
func tarballFiles(t *testing.T, tgz []byte) map[string][]byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(tgz))
	require.NoError(t, err)
	tr := tar.NewReader(zr)
	files := map[string][]byte{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return files
		}
		require.NoError(t, err)
		if h.Typeflag != tar.TypeReg {
			continue
		}
		name, ok := strings.CutPrefix(h.Name, "package/")
		require.True(t, ok, "%s is outside package/", h.Name)
		b, err := io.ReadAll(tr)
		require.NoError(t, err)
		files[name] = b
	}
}

// packSourceFiles lists the Go files of every package of the root module the
// pack's main package imports, itself included, relative to the root.
func packSourceFiles(t *testing.T) []string {
	t.Helper()
	cmd := exec.Command("go", "list", "-deps", "-f",
		`{{if .Module}}{{if eq .Module.Path "github.com/mlguard/mlguard"}}{{$d := .Dir}}{{range .GoFiles}}{{$d}}/{{.}}{{"\n"}}{{end}}{{end}}{{end}}`, ".")
	cmd.Dir = repoRoot(t)
	b, err := cmd.Output()
	require.NoError(t, err)
	var files []string
	for _, abs := range strings.Fields(string(b)) {
		rel, err := filepath.Rel(repoRoot(t), abs)
		require.NoError(t, err)
		files = append(files, filepath.ToSlash(rel))
	}
	sort.Strings(files)
	require.Contains(t, files, "main.go")
	return files
}
