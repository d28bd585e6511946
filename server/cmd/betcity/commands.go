package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/betcity/betcity/server/app"
	"github.com/betcity/betcity/server/config"
)

// extraUsage documents the operational subcommands.
const extraUsage = `Operational commands:
  betcity import openfootball FILE [--tz ZONE]
                                  import or update a tournament from an openfootball
                                  JSON file; --tz (e.g. Europe/Berlin) for files whose
                                  times have no UTC offset
  betcity demo                    create or refresh the demo company (idempotent)
  betcity storage check           write, read back and delete a probe object
  betcity eb-schedule --tournament ID|NAME [--before 30m] [--after 150m]
                      [--min 2] [--max 4] [--format json|ebextensions]
                                  print Elastic Beanstalk scheduled scaling actions
                                  around the tournament's kick-offs
`

// extraCommand dispatches the operational subcommands. Progress and logs go
// to the process's stderr; results to stdout.
func extraCommand(ctx context.Context, cmd string, args []string, getenv config.Getenv, stdout io.Writer) error {
	return runExtra(ctx, cmd, args, getenv, stdout, os.Stderr)
}

func runExtra(ctx context.Context, cmd string, args []string, getenv config.Getenv, stdout, stderr io.Writer) error {
	switch cmd {
	case "import":
		return importCmd(ctx, args, getenv, stdout, stderr)
	case "demo":
		return demoCmd(ctx, args, getenv, stdout, stderr)
	case "storage":
		return storageCmd(ctx, args, getenv, stdout)
	case "eb-schedule":
		return ebScheduleCmd(ctx, args, getenv, stdout, stderr)
	case "commands":
		fmt.Fprint(stdout, extraUsage)
		return nil
	}
	return fmt.Errorf("%w: unknown command %q; run `betcity help` or `betcity commands`", errUsage, cmd)
}

// openApp loads the configuration and builds the services exactly as serve
// does: the embedded default migrates itself, and a MySQL schema that is
// behind is refused with a message saying to run `betcity migrate`.
func openApp(ctx context.Context, getenv config.Getenv, stderr io.Writer) (*app.App, error) {
	cfg, err := config.Load(getenv)
	if err != nil {
		return nil, err
	}
	return app.New(ctx, cfg, appOptions(newLogger(stderr, cfg.LogLevel)))
}

// parseInterspersed parses flags that may come before or after the
// positional arguments ("import openfootball FILE --tz X").
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}
