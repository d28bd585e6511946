// Package assets holds static files that ship inside the binary and are not
// part of the SPA build: the team flags served under /assets/flags/.
package assets

import "embed"

// FS holds flags/<name>.svg plus flags/LICENSE. It is an embed directive,
// fixed at compile time, not mutable state. Serve it with
// http.FileServer(http.FS(assets.FS)) mounted at /assets/, and look names
// up with fifa.FlagFile.
//
//go:embed flags
var FS embed.FS
