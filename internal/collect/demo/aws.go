package demo

// SCAFFOLD: replaced by the provider's demo estate.

func (e *estate) awsBase()      {}
func (e *estate) awsFill(i int) {}
