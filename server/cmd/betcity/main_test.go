package main_test

import (
	"database/sql"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"

	_ "github.com/go-sql-driver/mysql"

	"github.com/betcity/betcity/migrations"
	"github.com/betcity/betcity/server/config"
	"github.com/betcity/betcity/server/testutil"
)

func TestMain(m *testing.M) { os.Exit(testutil.RunWithBinaries(m)) }

func migrationCount(t *testing.T, d config.Driver) int {
	t.Helper()
	files, err := fs.ReadDir(migrations.FS, string(d))
	if err != nil {
		t.Fatal(err)
	}
	return len(files)
}

// Three instances deploying at once all run `betcity migrate` against one
// fresh MySQL database: every one succeeds and each migration is applied once.
func TestConcurrentMigrateProcesses(t *testing.T) {
	t.Parallel()
	bin := testutil.BuildBinary(t)
	dsn := testutil.NewDatabase(t, config.MySQL)
	env := testutil.ProcessEnv(t, config.MySQL, dsn, nil)
	var wg sync.WaitGroup
	res := make([]testutil.CmdResult, 3)
	for i := range res {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res[i] = testutil.RunCommand(t, bin, env, "migrate")
		}()
	}
	wg.Wait()
	applied := 0
	for i, r := range res {
		if r.ExitCode != 0 {
			t.Fatalf("migrate #%d exited %d:\n%s%s", i, r.ExitCode, r.Stdout, r.Stderr)
		}
		if strings.HasPrefix(r.Stdout, "applied migrations") {
			applied++
		} else if !strings.Contains(r.Stdout, "schema is up to date") {
			t.Errorf("migrate #%d said %q", i, r.Stdout)
		}
	}
	if applied != 1 {
		t.Errorf("%d processes applied migrations, want exactly 1: %+v", applied, res)
	}
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var rows, distinct int
	if err := db.QueryRow("SELECT COUNT(*), COUNT(DISTINCT version) FROM schema_migrations").Scan(&rows, &distinct); err != nil {
		t.Fatal(err)
	}
	if want := migrationCount(t, config.MySQL); rows != want || distinct != want {
		t.Fatalf("schema_migrations has %d rows (%d distinct), want %d", rows, distinct, want)
	}
}

// On MySQL, serve never migrates by itself: a schema that is behind stops
// it, with a message saying what to run.
func TestServeRefusesASchemaThatIsBehind(t *testing.T) {
	t.Parallel()
	bin := testutil.BuildBinary(t)
	dsn := testutil.NewDatabase(t, config.MySQL)
	env := testutil.ProcessEnv(t, config.MySQL, dsn, map[string]string{"PORT": fmt.Sprint(testutil.FreePort(t))})
	r := testutil.RunCommandFor(t, 60e9, bin, env, "serve")
	if r.ExitCode == 0 {
		t.Fatalf("serve started on an unmigrated database:\n%s%s", r.Stdout, r.Stderr)
	}
	if !strings.Contains(r.Stderr, "betcity migrate") {
		t.Fatalf("the refusal does not say to run `betcity migrate`:\n%s", r.Stderr)
	}

	st := testutil.RunCommand(t, bin, env, "migrate", "status")
	n := migrationCount(t, config.MySQL)
	if st.ExitCode != 0 || !strings.Contains(st.Stdout, fmt.Sprintf("database at version 0, binary knows %d", n)) ||
		strings.Count(st.Stdout, "pending: ") != n || !strings.Contains(st.Stdout, "pending: 0001_") {
		t.Fatalf("status before migrating: %d\n%s%s", st.ExitCode, st.Stdout, st.Stderr)
	}
	if up := testutil.RunCommand(t, bin, env, "migrate", "up"); up.ExitCode != 0 {
		t.Fatalf("migrate up: %s%s", up.Stdout, up.Stderr)
	}
	st = testutil.RunCommand(t, bin, env, "migrate", "status")
	if st.ExitCode != 0 || !strings.Contains(st.Stdout, fmt.Sprintf("database at version %d, binary knows %d", n, n)) ||
		strings.Contains(st.Stdout, "pending") {
		t.Fatalf("status after migrating:\n%s%s", st.Stdout, st.Stderr)
	}
	// Now it serves.
	p := testutil.StartProcess(t, bin, env)
	p.Stop(t)

	if bad := testutil.RunCommand(t, bin, env, "migrate", "sideways"); bad.ExitCode != 2 {
		t.Errorf("migrate sideways exited %d", bad.ExitCode)
	}
}

func TestVersionAndUsage(t *testing.T) {
	t.Parallel()
	bin := testutil.BuildBinary(t)
	if r := testutil.RunCommand(t, bin, nil, "version"); r.ExitCode != 0 || strings.TrimSpace(r.Stdout) != "dev" {
		t.Errorf("version: %d %q", r.ExitCode, r.Stdout)
	}
	if r := testutil.RunCommand(t, bin, nil, "frobnicate"); r.ExitCode != 2 || !strings.Contains(r.Stderr, "frobnicate") {
		t.Errorf("unknown command: %d %q", r.ExitCode, r.Stderr)
	}
	// A bad variable stops the binary with exit code 2, naming the variable.
	r := testutil.RunCommand(t, bin, map[string]string{"PORT": "nope"}, "serve")
	if r.ExitCode != 2 || !strings.Contains(r.Stderr, "PORT") {
		t.Errorf("bad PORT: %d %q", r.ExitCode, r.Stderr)
	}
}

// Secrets given in the environment never reach the log, neither while
// serving requests nor when start-up fails.
func TestLogsNeverContainSecrets(t *testing.T) {
	t.Parallel()
	bin := testutil.BuildBinary(t)
	const jwtSecret = "jwt-secret-ZORKMID-0123456789abcdefghij"
	const adminPass = "admin-password-FROTZ"
	env := testutil.ProcessEnv(t, config.SQLite, testutil.NewDatabase(t, config.SQLite), map[string]string{
		"BETCITY_JWT_SECRET":     jwtSecret,
		"BETCITY_ADMIN_EMAIL":    "op@betcity.test",
		"BETCITY_ADMIN_PASSWORD": adminPass,
		"BETCITY_LOG_LEVEL":      "debug",
	})
	p := testutil.StartProcess(t, bin, env)
	r := testutil.DoURL(t, nil, p.URL, testutil.Req{Method: http.MethodPost, Path: "/api/v1/auth/login",
		Body: map[string]string{"email": "op@betcity.test", "password": adminPass}})
	if r.Status != http.StatusOK {
		t.Fatalf("operator login: %d %s", r.Status, r.Body)
	}
	testutil.DoURL(t, nil, p.URL, testutil.Req{Method: http.MethodPost, Path: "/api/v1/auth/login",
		Body: map[string]string{"email": "op@betcity.test", "password": "wrong-" + adminPass}})
	p.Stop(t)
	out := p.Output()
	if !strings.Contains(out, `"msg":"ready"`) || !strings.Contains(out, `"msg":"request"`) {
		t.Fatalf("expected start-up and request logs, got:\n%s", out)
	}
	for _, s := range []string{jwtSecret, adminPass} {
		if strings.Contains(out, s) {
			t.Errorf("the log contains the secret %q:\n%s", s, out)
		}
	}

	// A database that cannot be reached: the error must not echo the password.
	const dbPass = "db-password-XYZZY"
	fail := testutil.RunCommand(t, bin, map[string]string{
		"DATABASE_URL":       "mysql://betcity:" + dbPass + "@127.0.0.1:1/betcity",
		"BETCITY_JWT_SECRET": jwtSecret,
	}, "migrate", "status")
	if fail.ExitCode == 0 {
		t.Fatal("migrate status on an unreachable database succeeded")
	}
	if all := fail.Stdout + fail.Stderr; strings.Contains(all, dbPass) || strings.Contains(all, jwtSecret) {
		t.Errorf("the error output contains a secret:\n%s", all)
	}
}

// Two server processes share one MySQL database behind a load balancer:
// nothing about a session lives in one process's memory.
func TestStatelessAcrossTwoProcesses(t *testing.T) {
	t.Parallel()
	bin := testutil.BuildBinary(t)
	dsn := testutil.NewDatabase(t, config.MySQL)
	env := testutil.ProcessEnv(t, config.MySQL, dsn, map[string]string{
		"BETCITY_ADMIN_EMAIL":    testutil.OperatorEmail,
		"BETCITY_ADMIN_PASSWORD": testutil.OperatorPassword,
	})
	if r := testutil.RunCommand(t, bin, env, "migrate"); r.ExitCode != 0 {
		t.Fatalf("migrate: %s%s", r.Stdout, r.Stderr)
	}
	a := testutil.StartProcess(t, bin, env)
	b := testutil.StartProcess(t, bin, env)

	do := func(p *testutil.Process, r testutil.Req) *testutil.Resp { return testutil.DoURL(t, nil, p.URL, r) }
	login := func(p *testutil.Process, host, email, pw string) *testutil.Resp {
		r := do(p, testutil.Req{Method: http.MethodPost, Host: host, Path: "/api/v1/auth/login",
			Body: map[string]string{"email": email, "password": pw}})
		if r.Status != http.StatusOK {
			t.Fatalf("login %s: %d %s", email, r.Status, r.Body)
		}
		return r
	}
	op := login(a, "localhost", testutil.OperatorEmail, testutil.OperatorPassword).Map(t)["access_token"].(string)
	r := do(b, testutil.Req{Method: http.MethodPost, Path: "/api/v1/operator/companies", Token: op,
		Body: map[string]any{"slug": "acme", "name": "Acme", "admin_email": "boss@acme.test", "admin_password": testutil.Password}})
	if r.Status != http.StatusCreated {
		t.Fatalf("operator token from A on B: %d %s", r.Status, r.Body)
	}

	la := login(a, "acme.localhost", "boss@acme.test", testutil.Password)
	tok := la.Map(t)["access_token"].(string)
	if r := do(b, testutil.Req{Host: "acme.localhost", Path: "/api/v1/me", Token: tok}); r.Status != http.StatusOK {
		t.Fatalf("token from A on B: %d %s", r.Status, r.Body)
	}
	cookie := la.Cookie("betcity_refresh")
	if cookie == nil {
		t.Fatal("no refresh cookie")
	}
	rb := do(b, testutil.Req{Method: http.MethodPost, Host: "acme.localhost", Path: "/api/v1/auth/refresh", Cookies: []*http.Cookie{cookie}})
	if rb.Status != http.StatusOK || rb.Cookie("betcity_refresh") == nil {
		t.Fatalf("refresh from A's cookie on B: %d %s", rb.Status, rb.Body)
	}
	latest := rb.Cookie("betcity_refresh")
	if r := do(a, testutil.Req{Method: http.MethodPost, Host: "acme.localhost", Path: "/api/v1/auth/logout",
		Cookies: []*http.Cookie{latest}}); r.Status != http.StatusNoContent {
		t.Fatalf("logout on A: %d %s", r.Status, r.Body)
	}
	r = do(b, testutil.Req{Method: http.MethodPost, Host: "acme.localhost", Path: "/api/v1/auth/refresh", Cookies: []*http.Cookie{latest}})
	if r.Status != http.StatusUnauthorized || r.ErrorCode() != "invalid_refresh_token" {
		t.Fatalf("refresh on B after logout on A: %d %s", r.Status, r.Body)
	}
}
