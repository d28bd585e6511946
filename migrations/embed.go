// Package migrations embeds the versioned SQL files, one folder per dialect.
package migrations

import "embed"

// FS holds mysql/NNNN_name.sql and sqlite/NNNN_name.sql.
//
//go:embed mysql/*.sql sqlite/*.sql
var FS embed.FS
