//go:build !unix

package sqlite

// crashChild is a no-op where the crash test (which SIGKILLs itself) does
// not run.
func crashChild() bool { return false }
