package migrate_test

import (
	"context"
	"database/sql"
	"io/fs"
	"reflect"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	_ "github.com/glebarez/go-sqlite"
	_ "github.com/go-sql-driver/mysql"

	"github.com/betcity/betcity/migrations"
	"github.com/betcity/betcity/server/config"
	"github.com/betcity/betcity/server/database"
	"github.com/betcity/betcity/server/migrate"
	"github.com/betcity/betcity/server/testutil"
)

func TestSplitStatements(t *testing.T) {
	src := `-- a header comment
CREATE TABLE a (
  id INT, -- trailing comments stay inside the statement
  name TEXT
);

   -- indented comment line
INSERT INTO a VALUES (1, 'x;y');
CREATE INDEX a_name ON a (name);
SELECT 1`
	got := migrate.SplitStatements(src)
	want := []string{
		"CREATE TABLE a (\n  id INT, -- trailing comments stay inside the statement\n  name TEXT\n)",
		"INSERT INTO a VALUES (1, 'x;y')",
		"CREATE INDEX a_name ON a (name)",
		"SELECT 1",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q\nwant %q", got, want)
	}
	if n := len(migrate.SplitStatements("-- only comments\n\n-- here\n")); n != 0 {
		t.Fatalf("comment-only file gave %d statements", n)
	}
}

func TestEmbeddedMigrationsMatchAcrossDialects(t *testing.T) {
	names := func(d string) []string {
		es, err := fs.ReadDir(migrations.FS, d)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range es {
			out = append(out, e.Name())
		}
		return out
	}
	my, lite := names("mysql"), names("sqlite")
	if len(my) == 0 || !reflect.DeepEqual(my, lite) {
		t.Fatalf("every migration needs a MySQL and a SQLite version with the same name:\nmysql  %v\nsqlite %v", my, lite)
	}
}

func open(t *testing.T, d config.Driver) *sql.DB {
	t.Helper()
	dsn := testutil.NewDatabase(t, d)
	name := "mysql"
	if d == config.SQLite {
		name = "sqlite"
	}
	db, err := sql.Open(name, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func testFS(files map[string]string) fstest.MapFS {
	m := fstest.MapFS{}
	for name, body := range files {
		m[name] = &fstest.MapFile{Data: []byte(body)}
	}
	return m
}

func TestRunnerUpStatusAndRefusals(t *testing.T) {
	testutil.EachDriver(t, func(t *testing.T, d config.Driver) {
		ctx := context.Background()
		db := open(t, d)
		dir := string(d)
		v1 := testFS(map[string]string{
			dir + "/0001_first.sql":  "CREATE TABLE t1 (id INT NOT NULL PRIMARY KEY);\n",
			dir + "/0002_second.sql": "-- two statements\nCREATE TABLE t2 (id INT NOT NULL PRIMARY KEY);\nINSERT INTO t2 (id) VALUES (7);\n",
		})
		r, err := migrate.New(db, d, v1)
		if err != nil {
			t.Fatal(err)
		}
		st, err := r.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !st.Behind() || st.Current != 0 || st.Latest != 2 || len(st.Pending) != 2 {
			t.Fatalf("fresh status: %+v", st)
		}
		if err := r.CheckCurrent(ctx); err == nil || !strings.Contains(err.Error(), "betcity migrate") {
			t.Fatalf("CheckCurrent on a fresh database: %v", err)
		}
		ran, err := r.Up(ctx)
		if err != nil || !reflect.DeepEqual(ran, []int{1, 2}) {
			t.Fatalf("up: %v %v", ran, err)
		}
		var n int
		if err := db.QueryRow("SELECT id FROM t2").Scan(&n); err != nil || n != 7 {
			t.Fatalf("migration 2 not applied: %d %v", n, err)
		}
		if ran, err := r.Up(ctx); err != nil || len(ran) != 0 {
			t.Fatalf("second up applied %v, %v", ran, err)
		}
		if err := r.CheckCurrent(ctx); err != nil {
			t.Fatal(err)
		}

		// A newer binary with a failing migration: nothing of it is recorded.
		bad := testFS(map[string]string{
			dir + "/0001_first.sql":  "CREATE TABLE t1 (id INT NOT NULL PRIMARY KEY);\n",
			dir + "/0002_second.sql": "SELECT 1;\n",
			dir + "/0003_broken.sql": "CREATE TABLE t3 (id INT);\nTHIS IS NOT SQL;\n",
		})
		rb, err := migrate.New(db, d, bad)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := rb.Up(ctx); err == nil || !strings.Contains(err.Error(), "0003_broken") {
			t.Fatalf("broken migration: %v", err)
		}
		st, _ = rb.Status(ctx)
		if st.Current != 2 || len(st.Pending) != 1 {
			t.Fatalf("a failed migration was recorded: %+v", st)
		}

		// An older binary refuses to run on a newer schema.
		if _, err := db.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9, 'future', '2030-01-01 00:00:00')"); err != nil {
			t.Fatal(err)
		}
		if _, err := r.Up(ctx); err == nil || !strings.Contains(err.Error(), "downgrade") {
			t.Fatalf("downgrade not refused: %v", err)
		}
	})
}

func TestBadMigrationFiles(t *testing.T) {
	for name, files := range map[string]map[string]string{
		"bad name":          {"sqlite/1_first.sql": "SELECT 1;"},
		"duplicate version": {"sqlite/0001_a.sql": "SELECT 1;", "sqlite/0001_b.sql": "SELECT 1;"},
		"no folder":         {"mysql/0001_a.sql": "SELECT 1;"},
	} {
		if _, err := migrate.New(nil, config.SQLite, testFS(files)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// Several runners at once (as several instances starting together) apply
// each migration exactly once: GET_LOCK serialises them on MySQL, BEGIN
// IMMEDIATE on SQLite.
func TestConcurrentRunnersApplyOnce(t *testing.T) {
	testutil.EachDriver(t, func(t *testing.T, d config.Driver) {
		ctx := context.Background()
		dsn := testutil.NewDatabase(t, d)
		name := "mysql"
		if d == config.SQLite {
			name, dsn = "sqlite", database.SQLiteDSN(dsn)
		}
		var wg sync.WaitGroup
		errs := make([]error, 3)
		applied := make([][]int, 3)
		for i := range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				db, err := sql.Open(name, dsn)
				if err != nil {
					errs[i] = err
					return
				}
				defer db.Close()
				r, err := migrate.New(db, d, migrations.FS)
				if err != nil {
					errs[i] = err
					return
				}
				applied[i], errs[i] = r.Up(ctx)
			}()
		}
		wg.Wait()
		total := 0
		for i := range 3 {
			if errs[i] != nil {
				t.Fatalf("runner %d: %v", i, errs[i])
			}
			total += len(applied[i])
		}
		files, _ := fs.ReadDir(migrations.FS, string(d))
		if total != len(files) {
			t.Fatalf("runners applied %v in total, want each of %d migrations once", applied, len(files))
		}
	})
}
