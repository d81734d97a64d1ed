package genschema

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const header = `import * as pulumi from "@pulumi/pulumi";
import * as inputs from "../types/input";
import * as enums from "../types/enums";
`

// argsPathsOf parses inputs (a types/input.d.ts) and args (the members of
// an Args interface) and returns the Args' paths.
func argsPathsOf(t *testing.T, inputs, args string) ([]string, error) {
	t.Helper()
	in, err := parseDecls("input.d.ts", header+inputs)
	require.NoError(t, err)
	res, err := parseDecls("res.d.ts", header+"export interface XArgs {\n"+args+"\n}\n")
	require.NoError(t, err)
	r := &resolver{inputs: in.interfaces}
	return r.argsPaths("res.d.ts", res.interfaces["XArgs"])
}

func TestArgsPaths(t *testing.T) {
	const s3 = `export declare namespace s3 {
    interface BucketVersioning {
        /**
         * Enable versioning; } and ; in a comment change nothing.
         */
        enabled?: pulumi.Input<boolean | undefined>;
        mfaDelete?: pulumi.Input<boolean>;
    }
    interface Rule { applyServerSideEncryptionByDefault: pulumi.Input<inputs.s3.ByDefault>; }
    interface ByDefault { sseAlgorithm: pulumi.Input<string | enums.s3.Algorithm>; }
    interface Node { name?: string; child?: pulumi.Input<inputs.s3.Node>; }
    interface Empty {}
    interface Local { next?: pulumi.Input<Sibling>; }
    interface Sibling { leaf?: string; }
    interface PolicyDocument { Version: string; Statement: string[]; }
    function ruleProvideDefaults(val: Rule): Rule;
}
export declare namespace ml {
    interface AKS { computeType: pulumi.Input<"AKS">; agentCount?: pulumi.Input<number>; }
    interface ComputeInstance { computeType: pulumi.Input<"ComputeInstance">; ssh?: pulumi.Input<inputs.ml.Ssh>; }
    interface Ssh { adminPublicKey?: pulumi.Input<string>; }
    namespace v20230101 {
        interface AKS { computeType: pulumi.Input<"AKS">; agentVmSize?: pulumi.Input<string>; }
    }
}
`
	for _, c := range []struct {
		name, args string
		want       []string
	}{
		{"scalars", "bucket?: pulumi.Input<string | undefined>;\nforceDestroy?: pulumi.Input<boolean>;\ncount: number;",
			[]string{"bucket", "count", "forceDestroy"}},
		{"nested object", "versioning?: pulumi.Input<inputs.s3.BucketVersioning | undefined>;",
			[]string{"versioning.enabled", "versioning.mfaDelete"}},
		{"list of objects, unwrapped twice", "rules?: pulumi.Input<pulumi.Input<inputs.s3.Rule>[] | undefined>;",
			[]string{"rules[].applyServerSideEncryptionByDefault.sseAlgorithm"}},
		{"map", "tags?: pulumi.Input<{\n        [key: string]: pulumi.Input<string>;\n    } | undefined>;",
			[]string{"tags{}"}},
		{"map of objects", "rules?: pulumi.Input<{[key: string]: pulumi.Input<inputs.s3.ByDefault>}>;",
			[]string{"rules{}.sseAlgorithm"}},
		{"list of lists, parenthesized", "matrix?: pulumi.Input<(string | enums.x.Y)[][]>;",
			[]string{"matrix[][]"}},
		{"inline object", "settings?: pulumi.Input<{ a?: pulumi.Input<string>; b: number }>;",
			[]string{"settings.a", "settings.b"}},
		{"union of a leaf and an object keeps only the object's leaves", "policy?: pulumi.Input<string | inputs.s3.BucketVersioning>;",
			[]string{"policy.enabled", "policy.mfaDelete"}},
		{"discriminated union: every member's paths", "properties?: pulumi.Input<inputs.ml.AKS | inputs.ml.ComputeInstance>;",
			[]string{"properties.agentCount", "properties.computeType", "properties.ssh.adminPublicKey"}},
		{"API-version namespace", "properties?: pulumi.Input<inputs.ml.v20230101.AKS>;",
			[]string{"properties.agentVmSize", "properties.computeType"}},
		{"a cycle stops at its repetition", "root?: pulumi.Input<inputs.s3.Node>;",
			[]string{"root.child", "root.name"}},
		{"an empty interface is a leaf", "empty?: pulumi.Input<inputs.s3.Empty>;", []string{"empty"}},
		{"unqualified name in the same namespace", "local?: pulumi.Input<inputs.s3.Local>;", []string{"local.next.leaf"}},
		{"resource classes, assets, any and policy documents are leaves",
			"role?: pulumi.Input<string | Role>;\ncode?: pulumi.Input<pulumi.asset.Archive>;\nraw?: any;\npolicy?: pulumi.Input<string | inputs.s3.PolicyDocument>;\nrec?: Record<string, any>;",
			[]string{"code", "policy", "raw", "rec", "role"}},
		{"literals and enums", "kind?: pulumi.Input<\"a\" | 'b' | 1 | -1 | true | enums.s3.Kind>;", []string{"kind"}},
		{"no properties", "", []string{}},
	} {
		got, err := argsPathsOf(t, s3, c.args)
		require.NoError(t, err, c.name)
		assert.Equal(t, c.want, got, c.name)
	}
}

func TestArgsPathsDepthLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString("export declare namespace deep {\n")
	for i := 0; i < 15; i++ {
		b.WriteString("interface L" + string(rune('a'+i)) + " { next?: pulumi.Input<inputs.deep.L" + string(rune('a'+i+1)) + ">; }\n")
	}
	b.WriteString("interface L" + string(rune('a'+15)) + " { end?: string; }\n}\n")
	got, err := argsPathsOf(t, b.String(), "next?: pulumi.Input<inputs.deep.La>;")
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, maxDepth, strings.Count(got[0], ".")+1, "nesting stops at %d properties: %s", maxDepth, got[0])
}

func TestArgsPathsErrors(t *testing.T) {
	_, err := argsPathsOf(t, "export declare namespace s3 {}\n", "versioning?: pulumi.Input<inputs.s3.Missing>;")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "res.d.ts: type inputs.s3.Missing is not in types/input.d.ts")

	for _, c := range []struct{ name, src, want string }{
		{"extends", "export interface A extends B { x: string; }", "input.d.ts:4: interface A extends another"},
		{"generic", "export interface A<T> { x: T; }", "input.d.ts:4: generic interface A"},
		{"method", "export interface A {\n  f(): void;\n}", "input.d.ts:5: method signature f"},
		{"unclosed namespace", "export declare namespace s3 {\ninterface A { x: string; }\n", "namespace s3 is not closed"},
		{"bad member", "export interface A { x: string; = }", "unexpected \"=\" in a member list"},
		{"bad type", "export interface A { x: ; }", "unexpected \";\" in a type"},
		{"mixed index signature", "export interface A { x: { [k: string]: string; y: number }; }", "mixes an index signature"},
	} {
		_, err := parseDecls("input.d.ts", header+c.src)
		require.Error(t, err, c.name)
		assert.Contains(t, err.Error(), c.want, c.name)
	}
}

// Classes, functions and constants are skipped whole, whatever they hold.
func TestParseSkipsNonInterfaces(t *testing.T) {
	d, err := parseDecls("bucket.d.ts", header+`
export declare class Bucket extends pulumi.CustomResource {
    static get(name: string, id: pulumi.Input<pulumi.ID>, state?: BucketState, opts?: pulumi.CustomResourceOptions): Bucket;
    readonly tags: pulumi.Output<{
        [key: string]: string;
    } | undefined>;
    constructor(name: string, args?: BucketArgs, opts?: pulumi.CustomResourceOptions);
}
export declare function getBucket(args: GetBucketArgs, opts?: pulumi.InvokeOptions): Promise<{ a: string }>;
export declare const x: { y: number };
export interface BucketArgs {
    readonly?: pulumi.Input<string>;
    bucket?: pulumi.Input<string>;
}
`)
	require.NoError(t, err)
	require.Contains(t, d.interfaces, "BucketArgs")
	assert.Len(t, d.interfaces, 1)
	var names []string
	for _, p := range d.interfaces["BucketArgs"].props {
		names = append(names, p.name)
	}
	assert.Equal(t, []string{"readonly", "bucket"}, names)
}

func TestCanonical(t *testing.T) {
	for in, want := range map[string]string{
		"azure-native:storage/v20230101:StorageAccount":                   "azure-native:storage:StorageAccount",
		"azure-native:machinelearningservices/v20240401preview:Workspace": "azure-native:machinelearningservices:Workspace",
		"azure-native:migrate/v20191001privatepreview:Project":            "azure-native:migrate:Project",
		"azure-native:storage:StorageAccount":                             "azure-native:storage:StorageAccount",
		"aws:s3/bucketV2:BucketV2":                                        "aws:s3/bucketV2:BucketV2",
		"pulumi:providers:azure-native":                                   "pulumi:providers:azure-native",
	} {
		assert.Equal(t, want, Canonical(in), in)
	}
}

func TestGoverned(t *testing.T) {
	for _, c := range []struct {
		provider, token string
		want            bool
	}{
		{"aws", "aws:s3/bucket:Bucket", true},
		{"aws", "aws:s3control/bucket:Bucket", false},
		{"aws", "aws:lambda/function:Function", false},
		{"aws", "pulumi:providers:aws", true},
		{"aws", "pulumi:providers:azure-native", false},
		{"aws", "azure-native:storage:StorageAccount", false},
		{"azure-native", "azure-native:storage:StorageAccount", true},
		{"azure-native", "azure-native:storage/v20230101:StorageAccount", true},
		{"azure-native", "azure-native:storageactions:StorageTask", false},
		{"azure-native", "azure-native:network:PrivateEndpoint", true},
		{"azure-native", "azure-native:network/v20240101:PrivateEndpoint", true},
		{"azure-native", "azure-native:network:VirtualNetwork", false},
	} {
		assert.Equal(t, c.want, governed(c.provider, c.token), "%s %s", c.provider, c.token)
	}
}

func TestResourceJS(t *testing.T) {
	for _, c := range []struct {
		name, src, token, class string
		ok                      bool
	}{
		{"v7 static", "class Bucket extends pulumi.CustomResource {\n    static __pulumiType = 'aws:s3/bucket:Bucket';\n}", "aws:s3/bucket:Bucket", "Bucket", true},
		{"v6 assigned", "class Bucket extends pulumi.CustomResource {\n}\nBucket.__pulumiType = 'aws:s3/bucket:Bucket';", "aws:s3/bucket:Bucket", "Bucket", true},
		{"provider", "class Provider extends pulumi.ProviderResource {\n    static __pulumiType = 'aws';\n}", "aws", "Provider", true},
		{"component", "class Mixin extends pulumi.ComponentResource {\n    static __pulumiType = 'aws:x:Y';\n}", "", "", false},
		{"function", "function getBucket(args) { return pulumi.runtime.invoke('aws:s3/getBucket:getBucket', args); }", "", "", false},
	} {
		token, class, ok := resourceJS(c.src)
		assert.Equal(t, c.ok, ok, c.name)
		if c.ok {
			assert.Equal(t, c.token, token, c.name)
			assert.Equal(t, c.class, class, c.name)
		}
	}
}

// writeTarball writes an npm-style tarball (files under package/).
func writeTarball(t *testing.T, path string, files map[string]string) {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for name, body := range files {
		require.NoError(t, tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg}))
		_, err := tw.Write([]byte(body))
		require.NoError(t, err)
	}
	require.NoError(t, tw.Close())
	require.NoError(t, gz.Close())
	require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))
}

func resourceFiles(dir, token, class, args string) map[string]string {
	return map[string]string{
		"package/" + dir + ".js": "class " + class + " extends pulumi.CustomResource {\n    static __pulumiType = '" + token + "';\n}\n",
		"package/" + dir + ".d.ts": header + "export declare class " + class + " extends pulumi.CustomResource {\n    readonly arn: pulumi.Output<string>;\n}\n" +
			"export interface " + class + "Args {\n" + args + "\n}\n",
	}
}

const tagsInput = "tags?: pulumi.Input<{\n        [key: string]: pulumi.Input<string>;\n    } | undefined>;"

func fakePackage(t *testing.T, path string) {
	files := map[string]string{
		"package/types/input.d.ts": header + "export interface ProviderDefaultTags {\n    tags?: pulumi.Input<{[key: string]: pulumi.Input<string>}>;\n}\n" +
			"export declare namespace s3 {\n    interface BucketVersioning {\n        enabled?: pulumi.Input<boolean>;\n    }\n}\n",
		"package/types/output.d.ts": "this is not parsed",
		"package/provider.js":       "class Provider extends pulumi.ProviderResource {\n}\nProvider.__pulumiType = 'aws';\n",
		"package/provider.d.ts": header + "export declare class Provider extends pulumi.ProviderResource {\n}\n" +
			"export interface ProviderArgs {\n    region?: pulumi.Input<string>;\n    defaultTags?: pulumi.Input<inputs.ProviderDefaultTags>;\n}\n",
		"package/s3/getBucket.js":   "exports.getBucket = getBucket;\n",
		"package/s3/getBucket.d.ts": header + "export declare function getBucket(args: GetBucketArgs): Promise<GetBucketResult>;\nexport interface GetBucketArgs {\n    bucket: string;\n}\n",
		"package/README.md":         "readme",
	}
	for _, r := range []map[string]string{
		resourceFiles("s3/bucket", "aws:s3/bucket:Bucket", "Bucket", "versioning?: pulumi.Input<inputs.s3.BucketVersioning>;\n"+tagsInput),
		resourceFiles("s3/bucketPolicy", "aws:s3/bucketPolicy:BucketPolicy", "BucketPolicy", "policy: pulumi.Input<string>;"),
		resourceFiles("lambda/function", "aws:lambda/function:Function", "Function", tagsInput),
		resourceFiles("autoscaling/group", "aws:autoscaling/group:Group", "Group", "tags?: pulumi.Input<pulumi.Input<string>[]>;"),
		resourceFiles("s3/noArgs", "aws:s3/noArgs:NoArgs", "NoArgs", ""),
	} {
		for k, v := range r {
			files[k] = v
		}
	}
	delete(files, "package/s3/noArgs.d.ts")
	files["package/s3/noArgs.d.ts"] = header + "export declare class NoArgs extends pulumi.CustomResource {\n}\n"
	writeTarball(t, path, files)
}

func TestScan(t *testing.T) {
	dir := t.TempDir()
	pkg := Package{Major: "aws/v7", Name: "@pulumi/aws", Version: "7.48.0"}
	path := Tarball(dir, pkg)
	assert.Equal(t, filepath.Join(dir, "pulumi-aws-7.48.0.tgz"), path)
	fakePackage(t, path)
	s, err := Scan(path, pkg)
	require.NoError(t, err)
	assert.Equal(t, map[string][]string{
		"aws:s3/bucket:Bucket":             {"tags{}", "versioning.enabled"},
		"aws:s3/bucketPolicy:BucketPolicy": {"policy"},
		"aws:s3/noArgs:NoArgs":             {},
		"pulumi:providers:aws":             {"defaultTags.tags{}", "region"},
	}, s.Types)
	assert.Equal(t, []string{"aws:lambda/function:Function", "aws:s3/bucket:Bucket"}, s.Taggable,
		"tags of another shape than a map (autoscaling) do not make a type taggable")
	var tokens []string
	for _, r := range s.Resources {
		tokens = append(tokens, r.Token)
	}
	assert.Equal(t, []string{"aws:autoscaling/group:Group", "aws:lambda/function:Function", "aws:s3/bucket:Bucket",
		"aws:s3/bucketPolicy:BucketPolicy", "aws:s3/noArgs:NoArgs", "pulumi:providers:aws"}, tokens)

	index := string(RenderIndex(s))
	assert.Contains(t, index, "\nmajor aws/v7\npackage @pulumi/aws 7.48.0\n")
	assert.Contains(t, index, "\naws:s3/bucket:Bucket\n\ttags{}\n\tversioning.enabled\naws:s3/bucketPolicy:BucketPolicy\n\tpolicy\naws:s3/noArgs:NoArgs\npulumi:providers:aws\n")
	assert.Equal(t, index, string(RenderIndex(s)), "rendering is deterministic")
}

func TestScanRejectsOtherTarballs(t *testing.T) {
	dir := t.TempDir()
	pkg := Package{Major: "aws/v7", Name: "@pulumi/aws", Version: "7.48.0"}
	for _, c := range []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"no inputs", map[string]string{"package/index.js": "x"}, "no types/input.d.ts"},
		{"no resources", map[string]string{"package/types/input.d.ts": header}, "no resource classes"},
		{"no declaration", map[string]string{"package/types/input.d.ts": header,
			"package/s3/bucket.js": "class Bucket extends pulumi.CustomResource {\n    static __pulumiType = 'aws:s3/bucket:Bucket';\n}"},
			"s3/bucket.js declares Bucket but s3/bucket.d.ts declares no resource class"},
		{"bad typings", map[string]string{"package/types/input.d.ts": header + "export interface A { x: ; }"}, "@pulumi/aws/types/input.d.ts:4"},
	} {
		path := filepath.Join(dir, c.name+".tgz")
		writeTarball(t, path, c.files)
		_, err := Scan(path, pkg)
		require.Error(t, err, c.name)
		assert.Contains(t, err.Error(), c.want, c.name)
	}
	path := filepath.Join(dir, "not-gzip.tgz")
	require.NoError(t, os.WriteFile(path, []byte("plain"), 0o644))
	_, err := Scan(path, pkg)
	require.Error(t, err)
	assert.Contains(t, err.Error(), path)
}

func TestRenderIndexSharesEqualEntries(t *testing.T) {
	s := &Schema{Package: Package{Major: "azure-native/v2", Name: "@pulumi/azure-native", Version: "2.90.0"},
		Types: map[string][]string{
			"azure-native:storage:StorageAccount":           {"a", "b"},
			"azure-native:storage/v20220901:StorageAccount": {"a", "b"},
			"azure-native:storage/v20230101:StorageAccount": {"a", "b", "c"},
			"azure-native:storage/v20240101:StorageAccount": {"a", "b"},
		}}
	assert.Contains(t, string(RenderIndex(s)), `
azure-native:storage/v20220901:StorageAccount
	a
	b
azure-native:storage/v20230101:StorageAccount
	a
	b
	c
azure-native:storage/v20240101:StorageAccount = azure-native:storage/v20220901:StorageAccount
azure-native:storage:StorageAccount = azure-native:storage/v20220901:StorageAccount
`)
}

func TestRenderTaggable(t *testing.T) {
	src, err := RenderTaggable([]*Schema{
		{Package: Package{Major: "aws/v6", Name: "@pulumi/aws", Version: "6.83.4"}, Taggable: []string{"aws:s3/bucket:Bucket"}},
		{Package: Package{Major: "azure-native/v3", Name: "@pulumi/azure-native", Version: "3.28.0"}, Taggable: []string{"azure-native:storage:StorageAccount"}},
	})
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(src), "// Code generated by `make schema` (internal/genschema) from @pulumi/aws 6.83.4, @pulumi/azure-native 3.28.0; DO NOT EDIT.\n\npackage providers\n"), string(src))
	assert.Contains(t, string(src), "\t// @pulumi/aws 6.83.4: 1 types.\n\t\"aws/v6\": {\n\t\t\"aws:s3/bucket:Bucket\": true,\n\t},\n")
	assert.Contains(t, string(src), "\t\"azure-native/v3\": {\n\t\t\"azure-native:storage:StorageAccount\": true,\n\t},\n")
}

// fakeNPM puts an npm on PATH that runs script (sh) with npm's arguments.
func fakeNPM(t *testing.T, script string) {
	bin := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(bin, "npm"), []byte("#!/bin/sh\n"+script), 0o755))
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
}

func TestFetch(t *testing.T) {
	pkg := Package{Major: "aws/v7", Name: "@pulumi/aws", Version: "7.48.0"}
	t.Run("downloads with npm pack into the cache", func(t *testing.T) {
		cache := filepath.Join(t.TempDir(), "npm")
		// npm pack --silent --pack-destination DIR SPEC
		fakeNPM(t, `[ "$1 $2 $3 $5" = "pack --silent --pack-destination @pulumi/aws@7.48.0" ] || exit 9
echo tarball > "$4/pulumi-aws-7.48.0.tgz"`)
		path, err := Fetch(cache, pkg)
		require.NoError(t, err)
		assert.Equal(t, Tarball(cache, pkg), path)
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.Equal(t, "tarball\n", string(data))
		left, err := filepath.Glob(filepath.Join(cache, "fetch-*"))
		require.NoError(t, err)
		assert.Empty(t, left, "the download folder is removed")
	})
	t.Run("a cached tarball is not downloaded again", func(t *testing.T) {
		cache := t.TempDir()
		require.NoError(t, os.WriteFile(Tarball(cache, pkg), []byte("cached"), 0o644))
		fakeNPM(t, "exit 1")
		path, err := Fetch(cache, pkg)
		require.NoError(t, err)
		assert.Equal(t, Tarball(cache, pkg), path)
	})
	t.Run("npm's failure is reported with its message, nothing is cached", func(t *testing.T) {
		cache := t.TempDir()
		fakeNPM(t, "echo 'npm error 404 Not Found' >&2; exit 1")
		_, err := Fetch(cache, pkg)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "npm pack @pulumi/aws@7.48.0")
		assert.Contains(t, err.Error(), "404 Not Found")
		assert.NoFileExists(t, Tarball(cache, pkg))
	})
	t.Run("npm writing another file is an error", func(t *testing.T) {
		cache := t.TempDir()
		fakeNPM(t, `echo x > "$4/other.tgz"`)
		_, err := Fetch(cache, pkg)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "did not write pulumi-aws-7.48.0.tgz")
	})
}
