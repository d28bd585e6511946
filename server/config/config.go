// Package config reads BetCity's configuration from the environment into one
// typed struct and validates it at start, naming the variable at fault.
package config

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Driver names the SQL dialect in use.
type Driver string

const (
	MySQL  Driver = "mysql"
	SQLite Driver = "sqlite"
)

// Secret is a string that never prints itself, so a config dump in a log
// cannot leak it.
type Secret string

func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return "[redacted]"
}

func (s Secret) GoString() string { return s.String() }
func (s Secret) Reveal() string   { return string(s) }

type Config struct {
	Port       int
	BaseDomain string
	DataDir    string

	Driver Driver
	// DSN is a go-sql-driver/mysql DSN, or a SQLite file path.
	DSN Secret

	JWTSecret        Secret
	JWTSecretFromDir bool

	AdminEmail    string
	AdminPassword Secret

	// Storage is a file:// or s3:// URL; see the storage package.
	Storage string

	MigrateOnStart  bool
	ShutdownTimeout time.Duration
	// TestClock exposes the clock control route. Never set in production.
	TestClock bool
	// SecureCookies is false only when serving on plain localhost.
	LogLevel string
	// DBMaxOpenConns caps each instance's MySQL connection pool.
	DBMaxOpenConns int
}

// Getenv abstracts os.Getenv so tests can pass a map.
type Getenv func(string) string

// FieldError names the variable that failed.
type FieldError struct {
	Var string
	Msg string
}

func (e *FieldError) Error() string { return fmt.Sprintf("config: %s: %s", e.Var, e.Msg) }

// Load reads and validates the configuration.
func Load(getenv Getenv) (*Config, error) {
	get := func(name string) string {
		// _FILE variants let secrets come from mounted files.
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		if path := strings.TrimSpace(getenv(name + "_FILE")); path != "" {
			b, err := os.ReadFile(path)
			if err == nil {
				return strings.TrimSpace(string(b))
			}
		}
		return ""
	}
	c := &Config{
		Port:            5000,
		BaseDomain:      "localhost",
		DataDir:         "data",
		ShutdownTimeout: 20 * time.Second,
		LogLevel:        "info",
	}
	if v := get("PORT"); v != "" {
		p, err := strconv.Atoi(v)
		if err != nil || p < 1 || p > 65535 {
			return nil, &FieldError{"PORT", fmt.Sprintf("must be a port number between 1 and 65535, got %q", v)}
		}
		c.Port = p
	}
	if v := get("BETCITY_BASE_DOMAIN"); v != "" {
		d := strings.ToLower(strings.TrimSuffix(v, "."))
		if strings.Contains(d, "/") || strings.Contains(d, ":") || strings.Contains(d, " ") {
			return nil, &FieldError{"BETCITY_BASE_DOMAIN", fmt.Sprintf("must be a bare host name such as betcity.example, got %q", v)}
		}
		c.BaseDomain = d
	}
	if v := get("BETCITY_DATA_DIR"); v != "" {
		c.DataDir = v
	}
	if v := get("BETCITY_LOG_LEVEL"); v != "" {
		switch v {
		case "debug", "info", "warn", "error":
			c.LogLevel = v
		default:
			return nil, &FieldError{"BETCITY_LOG_LEVEL", "must be one of debug, info, warn, error"}
		}
	}
	if v := get("BETCITY_DB_MAX_OPEN_CONNS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return nil, &FieldError{"BETCITY_DB_MAX_OPEN_CONNS", fmt.Sprintf("must be a number between 1 and 1000, got %q", v)}
		}
		c.DBMaxOpenConns = n
	}
	if v := get("BETCITY_SHUTDOWN_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return nil, &FieldError{"BETCITY_SHUTDOWN_TIMEOUT", fmt.Sprintf("must be a positive duration such as 20s, got %q", v)}
		}
		c.ShutdownTimeout = d
	}
	var err error
	if c.MigrateOnStart, err = boolVar(get, "BETCITY_MIGRATE_ON_START"); err != nil {
		return nil, err
	}
	if c.TestClock, err = boolVar(get, "BETCITY_TEST_CLOCK"); err != nil {
		return nil, err
	}

	if err := c.loadDatabase(get); err != nil {
		return nil, err
	}
	if c.Driver == SQLite {
		// The embedded default migrates itself: nobody else would.
		c.MigrateOnStart = true
	}

	c.JWTSecret = Secret(get("BETCITY_JWT_SECRET"))
	switch {
	case c.JWTSecret != "" && len(c.JWTSecret) < 32:
		return nil, &FieldError{"BETCITY_JWT_SECRET", "must be at least 32 characters"}
	case c.JWTSecret == "" && c.Driver == MySQL:
		return nil, &FieldError{"BETCITY_JWT_SECRET", "is required with MySQL (at least 32 random characters, shared by every instance)"}
	case c.JWTSecret == "":
		c.JWTSecretFromDir = true
	}

	c.AdminEmail = strings.ToLower(get("BETCITY_ADMIN_EMAIL"))
	c.AdminPassword = Secret(get("BETCITY_ADMIN_PASSWORD"))
	if (c.AdminEmail == "") != (c.AdminPassword == "") {
		if c.AdminEmail == "" {
			return nil, &FieldError{"BETCITY_ADMIN_EMAIL", "must be set together with BETCITY_ADMIN_PASSWORD"}
		}
		return nil, &FieldError{"BETCITY_ADMIN_PASSWORD", "must be set together with BETCITY_ADMIN_EMAIL"}
	}
	if c.AdminEmail != "" && !strings.Contains(c.AdminEmail, "@") {
		return nil, &FieldError{"BETCITY_ADMIN_EMAIL", "must be an email address"}
	}
	if c.AdminPassword != "" && len(c.AdminPassword) < 10 {
		return nil, &FieldError{"BETCITY_ADMIN_PASSWORD", "must be at least 10 characters"}
	}

	c.Storage = get("BETCITY_STORAGE")
	if c.Storage == "" {
		c.Storage = "file://" + filepath.ToSlash(filepath.Join(absOr(c.DataDir), "uploads"))
	} else if u, err := url.Parse(c.Storage); err != nil || (u.Scheme != "file" && u.Scheme != "s3") {
		return nil, &FieldError{"BETCITY_STORAGE", "must be file:///path or s3://bucket/prefix?region=..."}
	}
	return c, nil
}

func absOr(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

func boolVar(get func(string) string, name string) (bool, error) {
	v := get(name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, &FieldError{name, fmt.Sprintf("must be true or false, got %q", v)}
	}
	return b, nil
}

func (c *Config) loadDatabase(get func(string) string) error {
	raw := get("DATABASE_URL")
	if raw == "" && get("RDS_HOSTNAME") != "" {
		return c.loadRDS(get)
	}
	if raw == "" {
		c.Driver = SQLite
		c.DSN = Secret(filepath.Join(c.DataDir, "betcity.db"))
		return nil
	}
	switch {
	case strings.HasPrefix(raw, "mysql://"):
		dsn, err := mysqlURLToDSN(raw)
		if err != nil {
			return &FieldError{"DATABASE_URL", err.Error()}
		}
		c.Driver, c.DSN = MySQL, Secret(dsn)
	case strings.HasPrefix(raw, "sqlite://"), strings.HasPrefix(raw, "sqlite:"):
		p := strings.TrimPrefix(strings.TrimPrefix(raw, "sqlite://"), "sqlite:")
		if p == "" {
			return &FieldError{"DATABASE_URL", "sqlite: URL needs a file path"}
		}
		c.Driver, c.DSN = SQLite, Secret(p)
	case strings.Contains(raw, "@tcp(") || strings.Contains(raw, "@unix("):
		c.Driver, c.DSN = MySQL, Secret(raw)
	case strings.HasSuffix(raw, ".db") || strings.HasSuffix(raw, ".sqlite") || strings.HasSuffix(raw, ".sqlite3"):
		c.Driver, c.DSN = SQLite, Secret(raw)
	default:
		return &FieldError{"DATABASE_URL", "must be mysql://user:pass@host:port/db, a MySQL DSN user:pass@tcp(host:port)/db, or a SQLite path ending in .db"}
	}
	return nil
}

func (c *Config) loadRDS(get func(string) string) error {
	host := get("RDS_HOSTNAME")
	port := get("RDS_PORT")
	if port == "" {
		port = "3306"
	}
	if _, err := strconv.Atoi(port); err != nil {
		return &FieldError{"RDS_PORT", fmt.Sprintf("must be a number, got %q", port)}
	}
	name := get("RDS_DB_NAME")
	if name == "" {
		return &FieldError{"RDS_DB_NAME", "is required when RDS_HOSTNAME is set"}
	}
	user := get("RDS_USERNAME")
	if user == "" {
		return &FieldError{"RDS_USERNAME", "is required when RDS_HOSTNAME is set"}
	}
	pass := get("RDS_PASSWORD")
	c.Driver = MySQL
	c.DSN = Secret(fmt.Sprintf("%s:%s@tcp(%s)/%s", user, pass, net.JoinHostPort(host, port), name))
	return nil
}

func mysqlURLToDSN(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", errors.New("is not a valid URL")
	}
	if u.Host == "" {
		return "", errors.New("mysql URL needs a host")
	}
	db := strings.TrimPrefix(u.Path, "/")
	if db == "" {
		return "", errors.New("mysql URL needs a database name, as in mysql://user:pass@host:3306/betcity")
	}
	host := u.Host
	if u.Port() == "" {
		host = net.JoinHostPort(u.Hostname(), "3306")
	}
	pass, _ := u.User.Password()
	dsn := fmt.Sprintf("%s:%s@tcp(%s)/%s", u.User.Username(), pass, host, db)
	if u.RawQuery != "" {
		dsn += "?" + u.RawQuery
	}
	return dsn, nil
}

// EnsureJWTSecret loads the embedded mode's secret from the data folder, or
// creates it once, so restarts keep people logged in.
func (c *Config) EnsureJWTSecret() error {
	if !c.JWTSecretFromDir {
		return nil
	}
	if err := os.MkdirAll(c.DataDir, 0o700); err != nil {
		return &FieldError{"BETCITY_DATA_DIR", fmt.Sprintf("cannot create %s: %v", c.DataDir, err)}
	}
	path := filepath.Join(c.DataDir, "jwt-secret")
	if b, err := os.ReadFile(path); err == nil && len(strings.TrimSpace(string(b))) >= 32 {
		c.JWTSecret = Secret(strings.TrimSpace(string(b)))
		return nil
	}
	buf := make([]byte, 32)
	if _, err := rand.Read(buf); err != nil {
		return err
	}
	secret := hex.EncodeToString(buf)
	if err := os.WriteFile(path, []byte(secret+"\n"), 0o600); err != nil {
		return &FieldError{"BETCITY_DATA_DIR", fmt.Sprintf("cannot write %s: %v", path, err)}
	}
	c.JWTSecret = Secret(secret)
	return nil
}

// ListenAddr is where the HTTP server binds.
func (c *Config) ListenAddr() string { return ":" + strconv.Itoa(c.Port) }
