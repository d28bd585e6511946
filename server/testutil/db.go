// Package testutil gives tests real databases: a fresh SQLite file, or a
// fresh database on a real MySQL-compatible server. MySQL tests never skip:
// without a server they fail, saying how to get one.
package testutil

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	mysqldrv "github.com/go-sql-driver/mysql"

	"github.com/betcity/betcity/migrations"
	"github.com/betcity/betcity/server/auth"
	"github.com/betcity/betcity/server/config"
	"github.com/betcity/betcity/server/database"
	"github.com/betcity/betcity/server/migrate"
)

// Drivers are the dialects every database test runs on.
var Drivers = []config.Driver{config.SQLite, config.MySQL}

// EachDriver runs f as a subtest per dialect.
func EachDriver(t *testing.T, f func(t *testing.T, driver config.Driver)) {
	t.Helper()
	for _, d := range Drivers {
		t.Run(string(d), func(t *testing.T) { f(t, d) })
	}
}

var (
	mysqlOnce sync.Once
	mysqlDSN  string
	mysqlErr  error
)

const mysqlHelp = `MySQL tests need a MySQL-compatible server. Run "make test" (it finds or starts MariaDB,
installing the Debian package mariadb-server when needed), or set TEST_MYSQL_DSN to a DSN such as
root:@tcp(127.0.0.1:3306)/ for a user that may create databases`

// MySQLAdminDSN returns a DSN (without database) for a user allowed to create
// databases: TEST_MYSQL_DSN, else a server on 127.0.0.1:3306 as root.
func MySQLAdminDSN(t testing.TB) string {
	t.Helper()
	mysqlOnce.Do(func() {
		dsn := os.Getenv("TEST_MYSQL_DSN")
		if dsn == "" {
			conn, err := net.DialTimeout("tcp", "127.0.0.1:3306", time.Second)
			if err != nil {
				mysqlErr = fmt.Errorf("TEST_MYSQL_DSN is not set and nothing listens on 127.0.0.1:3306")
				return
			}
			conn.Close()
			dsn = "root:@tcp(127.0.0.1:3306)/"
		}
		cfg, err := mysqldrv.ParseDSN(dsn)
		if err != nil {
			mysqlErr = fmt.Errorf("TEST_MYSQL_DSN: %w", err)
			return
		}
		cfg.DBName = ""
		db, err := sql.Open("mysql", cfg.FormatDSN())
		if err == nil {
			err = db.Ping()
			db.Close()
		}
		if err != nil {
			mysqlErr = fmt.Errorf("cannot reach MySQL at %s: %w", cfg.Addr, err)
			return
		}
		mysqlDSN = cfg.FormatDSN()
	})
	if mysqlErr != nil {
		t.Fatalf("%v\n%s", mysqlErr, mysqlHelp)
	}
	return mysqlDSN
}

// NewDatabase creates an empty database and returns its driver and DSN
// (a file path for SQLite). It is dropped when the test ends.
func NewDatabase(t testing.TB, driver config.Driver) string {
	t.Helper()
	switch driver {
	case config.SQLite:
		return filepath.Join(t.TempDir(), "betcity.db")
	case config.MySQL:
		admin := MySQLAdminDSN(t)
		name := "betcity_t_" + auth.RandomID(6)
		db, err := sql.Open("mysql", admin)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.Exec("CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"); err != nil {
			t.Fatalf("create test database: %v", err)
		}
		t.Cleanup(func() {
			db, err := sql.Open("mysql", admin)
			if err == nil {
				db.Exec("DROP DATABASE IF EXISTS `" + name + "`")
				db.Close()
			}
		})
		cfg, _ := mysqldrv.ParseDSN(admin)
		cfg.DBName = name
		return cfg.FormatDSN()
	}
	t.Fatalf("unknown driver %q", driver)
	return ""
}

// NewDB returns a connection to a fresh, fully migrated database.
func NewDB(t testing.TB, driver config.Driver) *database.DB {
	t.Helper()
	dsn := NewDatabase(t, driver)
	db, err := database.Open(context.Background(), driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	sqlDB, _ := db.DB.DB()
	r, err := migrate.New(sqlDB, driver, migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Up(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}

// Env builds a config.Getenv for a database, for tests that start the app
// or the binary.
func Env(driver config.Driver, dsn string, extra map[string]string) config.Getenv {
	m := map[string]string{
		"BETCITY_JWT_SECRET":  strings.Repeat("s3cr3t-for-tests-", 3),
		"BETCITY_BASE_DOMAIN": "localhost",
	}
	switch driver {
	case config.MySQL:
		m["DATABASE_URL"] = dsn
	case config.SQLite:
		m["DATABASE_URL"] = "sqlite:" + dsn
	}
	for k, v := range extra {
		m[k] = v
	}
	return func(k string) string { return m[k] }
}
