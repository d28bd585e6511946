// Package database opens the GORM connection for either MySQL (Aurora in
// production) or the embedded pure-Go SQLite file.
package database

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	mysqldrv "github.com/go-sql-driver/mysql"
	"gorm.io/driver/mysql"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/betcity/betcity/server/config"
)

// DB bundles the connection with its dialect, because a few statements
// (upserts, locks) differ between MySQL and SQLite.
type DB struct {
	*gorm.DB
	Driver config.Driver
}

func (d *DB) IsMySQL() bool { return d.Driver == config.MySQL }

// Open connects with the default pool size and checks the connection. It
// does not migrate.
func Open(ctx context.Context, driver config.Driver, dsn string) (*DB, error) {
	return OpenPool(ctx, driver, dsn, 0)
}

// OpenPool is Open with a cap on open MySQL connections (0 keeps the
// default). Every instance holds its own pool, so instances × cap must stay
// under the server's max_connections.
func OpenPool(ctx context.Context, driver config.Driver, dsn string, maxOpen int) (*DB, error) {
	gcfg := &gorm.Config{
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true,
		PrepareStmt:            false,
		NowFunc:                func() time.Time { return time.Now().UTC() },
	}
	var dialector gorm.Dialector
	switch driver {
	case config.MySQL:
		normalized, err := NormalizeMySQLDSN(dsn)
		if err != nil {
			return nil, err
		}
		dialector = mysql.Open(normalized)
	case config.SQLite:
		if dir := filepath.Dir(dsn); dir != "" {
			if err := os.MkdirAll(dir, 0o700); err != nil {
				return nil, fmt.Errorf("create data folder %s: %w", dir, err)
			}
		}
		dialector = sqlite.Open(SQLiteDSN(dsn))
	default:
		return nil, fmt.Errorf("unknown database driver %q", driver)
	}
	gdb, err := gorm.Open(dialector, gcfg)
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", driver, err)
	}
	sqlDB, err := gdb.DB()
	if err != nil {
		return nil, err
	}
	switch driver {
	case config.MySQL:
		if maxOpen <= 0 {
			maxOpen = 64
		}
		sqlDB.SetMaxOpenConns(maxOpen)
		sqlDB.SetMaxIdleConns(maxOpen)
		// Aurora and proxies drop idle connections; recycle before they do.
		sqlDB.SetConnMaxLifetime(5 * time.Minute)
		sqlDB.SetConnMaxIdleTime(time.Minute)
	case config.SQLite:
		// One writer at a time is SQLite's model; a small pool plus the busy
		// timeout queues writers instead of failing them with SQLITE_BUSY.
		sqlDB.SetMaxOpenConns(4)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pingCtx); err != nil {
		return nil, fmt.Errorf("connect to %s database: %w", driver, err)
	}
	return &DB{DB: gdb, Driver: driver}, nil
}

// SQLiteDSN adds the pragmas every connection needs: WAL so readers do not
// block the writer, a busy timeout, and enforced foreign keys.
func SQLiteDSN(path string) string {
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return path + sep + "_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate"
}

// NormalizeMySQLDSN forces the settings the code relies on: UTC times parsed
// into time.Time and utf8mb4, whatever the operator wrote.
func NormalizeMySQLDSN(dsn string) (string, error) {
	cfg, err := mysqldrv.ParseDSN(dsn)
	if err != nil {
		return "", fmt.Errorf("invalid MySQL DSN: %w", err)
	}
	cfg.ParseTime = true
	cfg.Loc = time.UTC
	if cfg.Params == nil {
		cfg.Params = map[string]string{}
	}
	cfg.Params["charset"] = "utf8mb4"
	cfg.Collation = "utf8mb4_unicode_ci"
	cfg.Params["time_zone"] = "'+00:00'"
	// Client-side interpolation saves the prepare and close round trips of
	// every statement with arguments; safe because the connection charset
	// is fixed to utf8mb4 above.
	cfg.InterpolateParams = true
	if cfg.Timeout == 0 {
		cfg.Timeout = 5 * time.Second
	}
	if cfg.ReadTimeout == 0 {
		cfg.ReadTimeout = 30 * time.Second
	}
	if cfg.WriteTimeout == 0 {
		cfg.WriteTimeout = 30 * time.Second
	}
	return cfg.FormatDSN(), nil
}

// Ping reports whether the database answers; /readyz uses it.
func (d *DB) Ping(ctx context.Context) error {
	sqlDB, err := d.DB.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

func (d *DB) Close() error {
	sqlDB, err := d.DB.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// IsDuplicate reports a unique-key violation in either dialect.
func IsDuplicate(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "Duplicate entry") || strings.Contains(msg, "UNIQUE constraint failed")
}
