package demo

func (e *estate) gcpAIBase() {}
