// Package checks embeds the built-in check files: one YAML file per check,
// under <provider>/<service>/<id>.yaml, in the format docs/checks.md
// describes. policy.Env.LoadChecks loads them.
package checks

import (
	"embed"
	"io/fs"
)

// Every file below this directory except Go files; the loader reads only
// *.yaml and *.yml.
//
//go:embed *
var files embed.FS

// FS returns the built-in check tree, rooted at this directory.
func FS() fs.FS { return files }
