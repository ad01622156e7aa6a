//go:build !unix

package sqlite

import "os"

// processAlive reports whether a process with the given ID exists. On
// Windows, FindProcess opens the process and fails when it is gone.
func processAlive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	p.Release()
	return true
}
