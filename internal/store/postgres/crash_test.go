package postgres

// crashChild is replaced below once the crash test exists.
func crashChild() bool { return false }
