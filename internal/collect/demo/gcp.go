package demo

// SCAFFOLD: replaced by the provider's demo estate.

func (e *estate) gcpBase()      {}
func (e *estate) gcpFill(i int) {}
