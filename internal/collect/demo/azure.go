package demo

// SCAFFOLD: replaced by the provider's demo estate.

func (e *estate) azureBase()      {}
func (e *estate) azureFill(i int) {}
