package providers

// SageMaker monitoring. pulumi-aws v7 lets a MonitoringSchedule define its
// monitoring job inline (monitoringScheduleConfig.monitoringJobDefinition);
// v6 only names a job definition resource.
const (
	SageMakerMonitoringSchedule = "aws:sagemaker/monitoringSchedule:MonitoringSchedule"

	smInlineJob = "monitoringScheduleConfig.monitoringJobDefinition"
)

var (
	SMScheduleInlineJob = property("inline monitoring job definition",
		Placement{Token: SageMakerMonitoringSchedule, Majors: []Major{AWSv7}, Path: smInlineJob})
	SMScheduleOutputKMS = property("monitoring output KMS key",
		Placement{Token: SageMakerMonitoringSchedule, Majors: []Major{AWSv7}, Path: smInlineJob + ".monitoringOutputConfig.kmsKeyId"})
	SMScheduleVolumeKMS = property("monitoring volume KMS key",
		Placement{Token: SageMakerMonitoringSchedule, Majors: []Major{AWSv7}, Path: smInlineJob + ".monitoringResources.clusterConfig.volumeKmsKeyId"})
	SMScheduleInterContainerEncryption = property("monitoring inter-container traffic encryption",
		Placement{Token: SageMakerMonitoringSchedule, Majors: []Major{AWSv7}, Path: smInlineJob + ".networkConfig.enableInterContainerTrafficEncryption"})
	SMScheduleNetworkIsolation = property("monitoring network isolation",
		Placement{Token: SageMakerMonitoringSchedule, Majors: []Major{AWSv7}, Path: smInlineJob + ".networkConfig.enableNetworkIsolation"})
)
