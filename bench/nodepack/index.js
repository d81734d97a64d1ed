// The peer of the benchmarks: mlguard's core rules (tags, S3 versioning,
// SageMaker sharing KMS, repository description, recorder) as a
// @pulumi/policy 1.21 pack, driven by the same harness as the Go packs.
"use strict";
const { PolicyPack } = require("@pulumi/policy");

const requiredTags = ["owner", "project", "cost-center", "data-classification"];
const classifications = ["public", "internal", "confidential", "restricted"];
const taggable = new Set([
    "aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2", "aws:sagemaker/domain:Domain", "aws:sagemaker/userProfile:UserProfile",
    "aws:codeartifact/repository:Repository", "aws:kms/key:Key", "aws:iam/role:Role",
    "azure-native:machinelearningservices:Workspace",
]);

const blank = (v) => typeof v !== "string" || v.trim() === "";

new PolicyPack("mlguard-node-peer", {
    enforcementLevel: "mandatory",
    policies: [
        {
            name: "required-tags",
            description: "Taggable resources carry the governance tags.",
            validateResource: (args, report) => {
                if (!taggable.has(args.type)) return;
                const tags = args.props.tags || args.props.tagsAll || {};
                const missing = requiredTags.filter((k) => blank(tags[k]));
                if (missing.length) report(`missing required tags ${missing.join(", ")}`);
                const dc = tags["data-classification"];
                if (dc !== undefined && !classifications.includes(dc)) report(`data-classification ${dc} is not allowed`);
            },
        },
        {
            name: "s3-bucket-versioning-enabled",
            description: "S3 buckets are versioned.",
            validateResource: (args, report) => {
                if (args.type === "aws:s3/bucket:Bucket") {
                    if (!(args.props.versioning && args.props.versioning.enabled === true)) report("versioning is not enabled");
                } else if (args.type === "aws:s3/bucketVersioningV2:BucketVersioningV2") {
                    const c = args.props.versioningConfiguration || {};
                    if (c.status !== "Enabled") report("versioning status is not Enabled");
                }
            },
        },
        {
            name: "sagemaker-sharing-kms",
            description: "Shared notebook outputs are encrypted with KMS.",
            validateResource: (args, report) => {
                let settings;
                if (args.type === "aws:sagemaker/domain:Domain") settings = (args.props.defaultUserSettings || {}).sharingSettings;
                else if (args.type === "aws:sagemaker/userProfile:UserProfile") settings = (args.props.userSettings || {}).sharingSettings;
                else return;
                if (settings && settings.notebookOutputOption === "Allowed" && blank(settings.s3KmsKeyId)) {
                    report("sharingSettings.s3KmsKeyId is not set");
                }
            },
        },
        {
            name: "codeartifact-repository-description",
            description: "CodeArtifact repositories are described.",
            validateResource: (args, report) => {
                if (args.type !== "aws:codeartifact/repository:Repository") return;
                const d = args.props.description;
                if (blank(d) || d.trim().length < 10) report("description is missing or too short");
            },
        },
        {
            name: "awsconfig-recorder-all-resources",
            description: "AWS Config records every supported and global type.",
            validateResource: (args, report) => {
                if (args.type !== "aws:cfg/recorder:Recorder") return;
                const g = args.props.recordingGroup || {};
                if (g.allSupported !== true || g.includeGlobalResourceTypes !== true) report("recorder does not record everything");
            },
        },
    ],
});
