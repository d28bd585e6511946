package main

import (
	"context"
	"fmt"
	"io"

	"github.com/betcity/betcity/server/config"
)

// extraCommand dispatches the operational subcommands added by later
// features.
func extraCommand(ctx context.Context, cmd string, args []string, getenv config.Getenv, stdout io.Writer) error {
	return fmt.Errorf("%w: unknown command %q; run `betcity help`", errUsage, cmd)
}
