package config_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/betcity/betcity/server/config"
)

func env(m map[string]string) config.Getenv { return func(k string) string { return m[k] } }

const secret = "jwt-secret-that-is-long-enough-0123456789"

func TestLoadDefaults(t *testing.T) {
	c, err := config.Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Port != 5000 || c.ListenAddr() != ":5000" {
		t.Errorf("port: %d %s", c.Port, c.ListenAddr())
	}
	if c.Driver != config.SQLite || c.DSN.Reveal() != filepath.Join("data", "betcity.db") {
		t.Errorf("database: %s %s", c.Driver, c.DSN.Reveal())
	}
	if !c.MigrateOnStart {
		t.Error("the embedded SQLite default must migrate itself on start")
	}
	if !c.JWTSecretFromDir || c.JWTSecret != "" {
		t.Error("without BETCITY_JWT_SECRET the embedded mode keeps its secret in the data folder")
	}
	if c.BaseDomain != "localhost" || !strings.HasPrefix(c.Storage, "file://") || !strings.HasSuffix(c.Storage, "/data/uploads") {
		t.Errorf("base domain %q storage %q", c.BaseDomain, c.Storage)
	}
}

func TestLoadDatabaseSources(t *testing.T) {
	cases := []struct {
		name   string
		env    map[string]string
		driver config.Driver
		dsn    string
	}{
		{"RDS variables", map[string]string{"RDS_HOSTNAME": "db.rds.example", "RDS_PORT": "3307", "RDS_DB_NAME": "ebdb",
			"RDS_USERNAME": "bc", "RDS_PASSWORD": "p@ss"}, config.MySQL, "bc:p@ss@tcp(db.rds.example:3307)/ebdb"},
		{"RDS default port", map[string]string{"RDS_HOSTNAME": "db", "RDS_DB_NAME": "ebdb", "RDS_USERNAME": "bc", "RDS_PASSWORD": "x"},
			config.MySQL, "bc:x@tcp(db:3306)/ebdb"},
		{"DATABASE_URL wins over RDS", map[string]string{"DATABASE_URL": "sqlite:/tmp/x.db", "RDS_HOSTNAME": "db"}, config.SQLite, "/tmp/x.db"},
		{"mysql URL", map[string]string{"DATABASE_URL": "mysql://bc:pw@db.example:3310/betcity?parseTime=true"},
			config.MySQL, "bc:pw@tcp(db.example:3310)/betcity?parseTime=true"},
		{"mysql URL default port", map[string]string{"DATABASE_URL": "mysql://bc:pw@db.example/betcity"}, config.MySQL, "bc:pw@tcp(db.example:3306)/betcity"},
		{"MySQL DSN", map[string]string{"DATABASE_URL": "bc:pw@tcp(127.0.0.1:3306)/betcity"}, config.MySQL, "bc:pw@tcp(127.0.0.1:3306)/betcity"},
		{"sqlite URL", map[string]string{"DATABASE_URL": "sqlite:///var/lib/betcity.db"}, config.SQLite, "/var/lib/betcity.db"},
		{"sqlite path", map[string]string{"DATABASE_URL": "/srv/betcity.sqlite3"}, config.SQLite, "/srv/betcity.sqlite3"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.driver == config.MySQL {
				tc.env["BETCITY_JWT_SECRET"] = secret
			}
			c, err := config.Load(env(tc.env))
			if err != nil {
				t.Fatal(err)
			}
			if c.Driver != tc.driver || c.DSN.Reveal() != tc.dsn {
				t.Errorf("got %s %q, want %s %q", c.Driver, c.DSN.Reveal(), tc.driver, tc.dsn)
			}
			if c.Driver == config.MySQL && c.MigrateOnStart {
				t.Error("MySQL must not migrate on start unless asked")
			}
		})
	}
}

func TestLoadErrorsNameTheVariable(t *testing.T) {
	mysql := "mysql://bc:pw@db/betcity"
	cases := []struct {
		env map[string]string
		v   string
	}{
		{map[string]string{"PORT": "http"}, "PORT"},
		{map[string]string{"PORT": "70000"}, "PORT"},
		{map[string]string{"PORT": "0"}, "PORT"},
		{map[string]string{"DATABASE_URL": mysql}, "BETCITY_JWT_SECRET"},
		{map[string]string{"BETCITY_JWT_SECRET": "short"}, "BETCITY_JWT_SECRET"},
		{map[string]string{"BETCITY_ADMIN_EMAIL": "op@example.com"}, "BETCITY_ADMIN_PASSWORD"},
		{map[string]string{"BETCITY_ADMIN_PASSWORD": "long-enough-pw"}, "BETCITY_ADMIN_EMAIL"},
		{map[string]string{"BETCITY_ADMIN_EMAIL": "nobody", "BETCITY_ADMIN_PASSWORD": "long-enough-pw"}, "BETCITY_ADMIN_EMAIL"},
		{map[string]string{"BETCITY_ADMIN_EMAIL": "op@example.com", "BETCITY_ADMIN_PASSWORD": "short"}, "BETCITY_ADMIN_PASSWORD"},
		{map[string]string{"DATABASE_URL": "postgres://x/y"}, "DATABASE_URL"},
		{map[string]string{"DATABASE_URL": "mysql://bc:pw@db/"}, "DATABASE_URL"},
		{map[string]string{"DATABASE_URL": "sqlite:"}, "DATABASE_URL"},
		{map[string]string{"RDS_HOSTNAME": "db", "RDS_USERNAME": "bc"}, "RDS_DB_NAME"},
		{map[string]string{"RDS_HOSTNAME": "db", "RDS_DB_NAME": "ebdb"}, "RDS_USERNAME"},
		{map[string]string{"RDS_HOSTNAME": "db", "RDS_PORT": "x", "RDS_DB_NAME": "e", "RDS_USERNAME": "u"}, "RDS_PORT"},
		{map[string]string{"BETCITY_BASE_DOMAIN": "https://betcity.example"}, "BETCITY_BASE_DOMAIN"},
		{map[string]string{"BETCITY_MIGRATE_ON_START": "sometimes"}, "BETCITY_MIGRATE_ON_START"},
		{map[string]string{"BETCITY_LOG_LEVEL": "loud"}, "BETCITY_LOG_LEVEL"},
		{map[string]string{"BETCITY_SHUTDOWN_TIMEOUT": "-1s"}, "BETCITY_SHUTDOWN_TIMEOUT"},
		{map[string]string{"BETCITY_STORAGE": "ftp://x"}, "BETCITY_STORAGE"},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprint(tc.env), func(t *testing.T) {
			_, err := config.Load(env(tc.env))
			var fe *config.FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("want a FieldError naming %s, got %v", tc.v, err)
			}
			if fe.Var != tc.v || !strings.Contains(err.Error(), tc.v) {
				t.Fatalf("error %q names %s, want %s", err, fe.Var, tc.v)
			}
		})
	}
}

func TestSecretsNeverPrint(t *testing.T) {
	const dbPass, adminPass = "db-password-XYZZY", "admin-password-PLUGH"
	c, err := config.Load(env(map[string]string{
		"DATABASE_URL":           "mysql://bc:" + dbPass + "@db.example:3306/betcity",
		"BETCITY_JWT_SECRET":     secret,
		"BETCITY_ADMIN_EMAIL":    "op@example.com",
		"BETCITY_ADMIN_PASSWORD": adminPass,
	}))
	if err != nil {
		t.Fatal(err)
	}
	out := fmt.Sprintf("%v %+v %#v", c, *c, *c)
	for _, s := range []string{secret, dbPass, adminPass} {
		if strings.Contains(out, s) {
			t.Errorf("a printed config contains the secret %q:\n%s", s, out)
		}
	}
	// The values are still there for the code that needs them.
	if c.JWTSecret.Reveal() != secret || c.AdminPassword.Reveal() != adminPass || !strings.Contains(c.DSN.Reveal(), dbPass) {
		t.Error("Reveal must give the real values")
	}
}

func TestFileVariants(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "jwt")
	if err := os.WriteFile(p, []byte(secret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := config.Load(env(map[string]string{"BETCITY_JWT_SECRET_FILE": p}))
	if err != nil {
		t.Fatal(err)
	}
	if c.JWTSecret.Reveal() != secret || c.JWTSecretFromDir {
		t.Errorf("secret from _FILE: %q", c.JWTSecret.Reveal())
	}
}

func TestEmbeddedJWTSecretSurvivesRestarts(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	load := func() *config.Config {
		c, err := config.Load(env(map[string]string{"BETCITY_DATA_DIR": dir}))
		if err != nil {
			t.Fatal(err)
		}
		if err := c.EnsureJWTSecret(); err != nil {
			t.Fatal(err)
		}
		return c
	}
	first := load().JWTSecret.Reveal()
	if len(first) < 32 {
		t.Fatalf("generated secret too short: %d", len(first))
	}
	if second := load().JWTSecret.Reveal(); second != first {
		t.Fatal("a restart generated a new JWT secret: everyone would be signed out")
	}
	st, err := os.Stat(filepath.Join(dir, "jwt-secret"))
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm()&0o077 != 0 {
		t.Errorf("jwt-secret is readable by others: %v", st.Mode())
	}
	// Another data folder is another installation with its own secret.
	other, err := config.Load(env(map[string]string{"BETCITY_DATA_DIR": filepath.Join(t.TempDir(), "d2")}))
	if err != nil {
		t.Fatal(err)
	}
	if err := other.EnsureJWTSecret(); err != nil {
		t.Fatal(err)
	}
	if other.JWTSecret.Reveal() == first {
		t.Fatal("two installations share a generated secret")
	}
}
