package aws

import "cloudward/internal/resource"

// aiKinds lists the AI and machine-learning kinds (SageMaker, Bedrock).
func aiKinds() []resource.Kind { return nil }

// aiJobs lists the regional jobs that collect the AI kinds.
func aiJobs() []regionalJob { return nil }
