// Package frameworks embeds the built-in framework files: one YAML file per
// framework (<id>.yaml), mapping requirements to check IDs.
// policy.LoadFrameworks loads them.
package frameworks

import (
	"embed"
	"io/fs"
)

// Every file in this directory; the loader reads only *.yaml and *.yml.
//
//go:embed *
var files embed.FS

// FS returns the built-in framework tree, rooted at this directory.
func FS() fs.FS { return files }
