package demo

// awsAIBase adds the AWS AI resources (SageMaker, Bedrock) of the base estate.
func (e *estate) awsAIBase() {}
