package demo

// SCAFFOLD: replaced by the provider's demo estate.

func (e *estate) doBase()      {}
func (e *estate) doFill(i int) {}
