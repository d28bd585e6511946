// Command betcity is the whole product in one binary: the API server with
// the embedded web app, and its operational subcommands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"
	// Zones for `import --tz` and ?tz= on hosts without a zoneinfo database.
	_ "time/tzdata"

	"github.com/betcity/betcity/assets"
	"github.com/betcity/betcity/server/app"
	"github.com/betcity/betcity/server/config"
	"github.com/betcity/betcity/server/httpapi"
	"github.com/betcity/betcity/web"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

const usage = `betcity: the BetCity server

Usage:
  betcity [serve] [--migrate]     run the API and web app (default)
  betcity migrate [up|status]     apply or show database migrations
  betcity version                 print the version
  betcity demo                    (re)create the demo company, users and tournament
  betcity import openfootball FILE [--tz ZONE]
                                  import or update a tournament from openfootball JSON
  betcity storage check           check that the configured storage is writable and readable
  betcity eb-schedule --tournament ID|NAME [--before 30m --after 150m --min 2 --max 4 --format json|ebextensions]
                                  print Elastic Beanstalk scheduled scaling around kickoffs

Configuration comes from the environment; see README.md.
`

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

func run(args []string, getenv config.Getenv, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	var err error
	switch cmd {
	case "serve":
		err = serve(ctx, args, getenv, stdout)
	case "migrate":
		err = migrateCmd(ctx, args, getenv, stdout)
	case "version":
		fmt.Fprintln(stdout, version)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
	default:
		err = extraCommand(ctx, cmd, args, getenv, stdout)
	}
	if err != nil {
		fmt.Fprintln(stderr, "betcity:", err)
		var fe *config.FieldError
		if errors.As(err, &fe) || errors.Is(err, errUsage) {
			return 2
		}
		return 1
	}
	return 0
}

var errUsage = errors.New("usage")

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l}))
}

func serve(ctx context.Context, args []string, getenv config.Getenv, stdout io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	migrateFlag := fs.Bool("migrate", false, "apply pending migrations before serving (embedded mode always does)")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	started := time.Now()
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	if *migrateFlag {
		cfg.MigrateOnStart = true
	}
	logger := newLogger(stdout, cfg.LogLevel)
	a, err := app.New(ctx, cfg, appOptions(logger))
	if err != nil {
		return err
	}
	defer a.Close()
	return httpapi.Run(ctx, logger, cfg.ListenAddr(), a.Server.Handler(), cfg.ShutdownTimeout, func(addr net.Addr) {
		logger.Info("ready", "addr", addr.String(), "database", string(cfg.Driver), "base_domain", cfg.BaseDomain,
			"version", version, "startup_ms", time.Since(started).Milliseconds())
	}, a.Server.StartDraining)
}

func migrateCmd(ctx context.Context, args []string, getenv config.Getenv, stdout io.Writer) error {
	sub := "up"
	if len(args) > 0 {
		sub = args[0]
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	db, err := app.OpenDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	runner, err := app.Migrator(db)
	if err != nil {
		return err
	}
	switch sub {
	case "up":
		applied, err := runner.Up(ctx)
		if err != nil {
			return err
		}
		if len(applied) == 0 {
			fmt.Fprintln(stdout, "schema is up to date")
		} else {
			fmt.Fprintf(stdout, "applied migrations %v\n", applied)
		}
	case "status":
		st, err := runner.Status(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "database at version %d, binary knows %d\n", st.Current, st.Latest)
		for _, m := range st.Pending {
			fmt.Fprintf(stdout, "pending: %04d_%s\n", m.Version, m.Name)
		}
	default:
		return fmt.Errorf("%w: migrate takes up or status, not %q", errUsage, sub)
	}
	return nil
}

func appOptions(logger *slog.Logger) app.Options {
	opt := app.Options{Version: version, Logger: logger, SPA: web.Dist(), Flags: assets.FS}
	return withTestClock(opt)
}
