// Package migrate applies the embedded, versioned SQL migrations. On MySQL a
// named lock (GET_LOCK) serialises concurrent runners, so three instances
// starting at once apply each migration exactly once.
package migrate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/betcity/betcity/server/config"
)

const lockName = "betcity_schema_migrations"

// Migration is one versioned SQL file.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Status compares the database with the binary's migrations.
type Status struct {
	Applied []int
	Latest  int
	Current int
	Pending []Migration
}

// Behind reports whether the binary knows migrations the database lacks.
func (s Status) Behind() bool { return len(s.Pending) > 0 }

type Runner struct {
	db         *sql.DB
	driver     config.Driver
	migrations []Migration
	// LockTimeout bounds how long a runner waits for another one to finish.
	LockTimeout time.Duration
}

var fileName = regexp.MustCompile(`^(\d{4})_([a-z0-9_]+)\.sql$`)

// New loads the migrations for driver from fsys (folders mysql/ and sqlite/).
func New(db *sql.DB, driver config.Driver, fsys fs.FS) (*Runner, error) {
	dir := string(driver)
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("read migrations for %s: %w", driver, err)
	}
	var ms []Migration
	seen := map[int]string{}
	for _, e := range entries {
		m := fileName.FindStringSubmatch(e.Name())
		if m == nil {
			return nil, fmt.Errorf("migration file %s/%s: name must look like 0001_name.sql", dir, e.Name())
		}
		v, _ := strconv.Atoi(m[1])
		if prev, dup := seen[v]; dup {
			return nil, fmt.Errorf("migrations %s and %s share version %d", prev, e.Name(), v)
		}
		seen[v] = e.Name()
		body, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		ms = append(ms, Migration{Version: v, Name: m[2], SQL: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	return &Runner{db: db, driver: driver, migrations: ms, LockTimeout: 2 * time.Minute}, nil
}

func (r *Runner) ensureTable(ctx context.Context, conn *sql.Conn) error {
	stmt := `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INT NOT NULL PRIMARY KEY,
  name VARCHAR(200) NOT NULL,
  applied_at DATETIME(3) NOT NULL
)`
	if r.driver == config.SQLite {
		stmt = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER NOT NULL PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at DATETIME NOT NULL
)`
	}
	_, err := conn.ExecContext(ctx, stmt)
	return err
}

func (r *Runner) applied(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}) ([]int, error) {
	rows, err := q.QueryContext(ctx, `SELECT version FROM schema_migrations ORDER BY version`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var vs []int
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		vs = append(vs, v)
	}
	return vs, rows.Err()
}

// Status reads what is applied. A database never migrated reports all
// migrations pending.
func (r *Runner) Status(ctx context.Context) (Status, error) {
	st := Status{}
	if n := len(r.migrations); n > 0 {
		st.Latest = r.migrations[n-1].Version
	}
	conn, err := r.db.Conn(ctx)
	if err != nil {
		return st, err
	}
	defer conn.Close()
	if err := r.ensureTable(ctx, conn); err != nil {
		return st, fmt.Errorf("schema_migrations table: %w", err)
	}
	applied, err := r.applied(ctx, conn)
	if err != nil {
		return st, err
	}
	st.Applied = applied
	done := map[int]bool{}
	for _, v := range applied {
		done[v] = true
		if v > st.Current {
			st.Current = v
		}
	}
	for _, m := range r.migrations {
		if !done[m.Version] {
			st.Pending = append(st.Pending, m)
		}
	}
	return st, nil
}

// Up applies every pending migration in order and returns the versions it
// applied (empty when another runner got there first).
func (r *Runner) Up(ctx context.Context) ([]int, error) {
	conn, err := r.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if r.driver == config.MySQL {
		// GET_LOCK is tied to this connection, which is why the whole run
		// happens on conn.
		var got sql.NullInt64
		secs := int(r.LockTimeout / time.Second)
		if err := conn.QueryRowContext(ctx, `SELECT GET_LOCK(?, ?)`, lockName, secs).Scan(&got); err != nil {
			return nil, fmt.Errorf("take migration lock: %w", err)
		}
		if !got.Valid || got.Int64 != 1 {
			return nil, fmt.Errorf("another process has held the migration lock for more than %s; is a migration stuck?", r.LockTimeout)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT RELEASE_LOCK(?)`, lockName)
	}
	if err := r.ensureTable(ctx, conn); err != nil {
		return nil, fmt.Errorf("schema_migrations table: %w", err)
	}
	// Read applied versions only after holding the lock: a runner that waited
	// sees what the previous holder applied and does nothing twice.
	applied, err := r.applied(ctx, conn)
	if err != nil {
		return nil, err
	}
	done := map[int]bool{}
	maxApplied := 0
	for _, v := range applied {
		done[v] = true
		maxApplied = max(maxApplied, v)
	}
	if n := len(r.migrations); n > 0 && maxApplied > r.migrations[n-1].Version {
		return nil, fmt.Errorf("the database is at schema version %d but this binary only knows up to %d: refusing to downgrade; deploy the newer binary", maxApplied, r.migrations[n-1].Version)
	}
	var ran []int
	for _, m := range r.migrations {
		if done[m.Version] {
			continue
		}
		applied, err := r.apply(ctx, conn, m)
		if err != nil {
			return ran, err
		}
		if applied {
			ran = append(ran, m.Version)
		}
	}
	return ran, nil
}

// apply runs one migration unless it is already recorded. MySQL commits DDL
// implicitly, so there the transaction adds nothing and GET_LOCK keeps
// runners apart; on SQLite the transaction (BEGIN IMMEDIATE) is both the
// lock and what makes the migration atomic, hence the re-check inside it.
func (r *Runner) apply(ctx context.Context, conn *sql.Conn, m Migration) (bool, error) {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, m.Version).Scan(&n); err != nil {
		return false, err
	}
	if n > 0 {
		return false, nil
	}
	for i, stmt := range SplitStatements(m.SQL) {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return false, fmt.Errorf("migration %04d_%s, statement %d: %w", m.Version, m.Name, i+1, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
		m.Version, m.Name, time.Now().UTC()); err != nil {
		return false, fmt.Errorf("record migration %04d: %w", m.Version, err)
	}
	return true, tx.Commit()
}

// SplitStatements splits a migration file on semicolons that end a line,
// dropping comment-only lines. Migrations keep one statement per
// semicolon-terminated block, so no SQL parser is needed.
func SplitStatements(src string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(src, "\n") {
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "--") {
			continue
		}
		cur.WriteString(line)
		cur.WriteString("\n")
		if strings.HasSuffix(trimmed, ";") {
			stmt := strings.TrimSuffix(strings.TrimSpace(cur.String()), ";")
			out = append(out, stmt)
			cur.Reset()
		}
	}
	if rest := strings.TrimSpace(cur.String()); rest != "" {
		out = append(out, rest)
	}
	return out
}

// ErrBehind is returned by CheckCurrent when migrations are pending.
var ErrBehind = errors.New("database schema is behind")

// CheckCurrent refuses to serve on a schema that is behind the binary.
func (r *Runner) CheckCurrent(ctx context.Context) error {
	st, err := r.Status(ctx)
	if err != nil {
		return err
	}
	if st.Behind() {
		return fmt.Errorf("%w: at version %d, this binary needs %d (%d pending). Run `betcity migrate` first", ErrBehind, st.Current, st.Latest, len(st.Pending))
	}
	return nil
}
