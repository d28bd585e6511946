// Package app wires BetCity together: configuration in, a ready HTTP server
// out. It is the only place that knows every concrete dependency.
package app

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"

	"github.com/betcity/betcity/migrations"
	"github.com/betcity/betcity/server/accounts"
	"github.com/betcity/betcity/server/auth"
	"github.com/betcity/betcity/server/betting"
	"github.com/betcity/betcity/server/clock"
	"github.com/betcity/betcity/server/config"
	"github.com/betcity/betcity/server/database"
	"github.com/betcity/betcity/server/httpapi"
	"github.com/betcity/betcity/server/migrate"
	"github.com/betcity/betcity/server/storage"
)

// Options are the knobs that are not configuration: what the binary was
// built with, and test hooks.
type Options struct {
	Version string
	Logger  *slog.Logger
	SPA     fs.FS
	Flags   fs.FS
	// Clock defaults to the system clock.
	Clock clock.Clock
	// ClockControl, when set, is exposed by binaries built with -tags testclock.
	ClockControl *clock.Adjustable
	// BcryptCost lowers hashing cost in tests.
	BcryptCost int
}

type App struct {
	Config   *config.Config
	DB       *database.DB
	Accounts *accounts.Service
	Betting  *betting.Service
	Storage  storage.Store
	Server   *httpapi.Server
	Logger   *slog.Logger
}

// OpenDB connects to the configured database.
func OpenDB(ctx context.Context, cfg *config.Config) (*database.DB, error) {
	return database.OpenPool(ctx, cfg.Driver, cfg.DSN.Reveal(), cfg.DBMaxOpenConns)
}

// Migrator returns the runner for the database's dialect.
func Migrator(db *database.DB) (*migrate.Runner, error) {
	sqlDB, err := db.DB.DB()
	if err != nil {
		return nil, err
	}
	return migrate.New(sqlDB, db.Driver, migrations.FS)
}

// New opens the database, applies or checks migrations, and builds the
// services and the HTTP server.
func New(ctx context.Context, cfg *config.Config, opt Options) (*App, error) {
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	if opt.Clock == nil {
		if opt.ClockControl != nil {
			opt.Clock = opt.ClockControl
		} else {
			opt.Clock = clock.System{}
		}
	}
	if err := cfg.EnsureJWTSecret(); err != nil {
		return nil, err
	}
	// Opening only parses the URL and loads credentials; it makes no network
	// call, so a storage outage does not stop the start (uploads then answer
	// 503 storage_unavailable while everything else works). A malformed URL
	// is a configuration error and does stop it.
	store, err := storage.Open(ctx, cfg.Storage)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	db, err := OpenDB(ctx, cfg)
	if err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			db.Close()
		}
	}()
	runner, err := Migrator(db)
	if err != nil {
		return nil, err
	}
	if cfg.MigrateOnStart {
		applied, err := runner.Up(ctx)
		if err != nil {
			return nil, fmt.Errorf("migrate: %w", err)
		}
		if len(applied) > 0 {
			opt.Logger.Info("applied migrations", "versions", applied)
		}
	} else if err := runner.CheckCurrent(ctx); err != nil {
		return nil, err
	}

	tokens := auth.NewTokens(cfg.JWTSecret.Reveal(), opt.Clock)
	passwords, err := auth.NewPasswords(opt.BcryptCost)
	if err != nil {
		return nil, err
	}
	acc := accounts.NewService(db, opt.Clock, tokens, passwords)
	if cfg.AdminEmail != "" {
		created, err := acc.EnsureOperator(ctx, cfg.AdminEmail, cfg.AdminPassword.Reveal())
		if err != nil {
			return nil, fmt.Errorf("create operator account: %w", err)
		}
		if created {
			opt.Logger.Info("created the platform operator account", "email", cfg.AdminEmail)
		}
	}
	bet := betting.NewService(db, opt.Clock)
	srv := httpapi.New(httpapi.Deps{
		Logger:       opt.Logger,
		BaseDomain:   cfg.BaseDomain,
		Accounts:     acc,
		Betting:      bet,
		Tokens:       tokens,
		Clock:        opt.Clock,
		DB:           db,
		Storage:      store,
		MediaKey:     deriveKey(cfg.JWTSecret.Reveal(), "betcity media urls v1"),
		SPA:          opt.SPA,
		Flags:        opt.Flags,
		ClockControl: opt.ClockControl,
		Version:      opt.Version,
	})
	ok = true
	return &App{Config: cfg, DB: db, Accounts: acc, Betting: bet, Storage: store, Server: srv, Logger: opt.Logger}, nil
}

// deriveKey gives each use of the shared secret its own key, so a value
// signed for one purpose (a media URL) can never pass as another (a JWT).
func deriveKey(secret, purpose string) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(purpose))
	return m.Sum(nil)
}

func (a *App) Close() error {
	return errors.Join(a.DB.Close())
}
