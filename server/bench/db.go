package bench

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"
	"time"

	mysqldrv "github.com/go-sql-driver/mysql"
	"golang.org/x/crypto/bcrypt"

	"github.com/betcity/betcity/migrations"
	"github.com/betcity/betcity/server/auth"
	"github.com/betcity/betcity/server/config"
	"github.com/betcity/betcity/server/database"
	"github.com/betcity/betcity/server/migrate"
)

// Fixture is a fresh, migrated MySQL database owned by one benchmark.
type Fixture struct {
	Name string
	// DSN is the service's own normalised DSN (parseTime, UTC, utf8mb4), so
	// baselines talk to MySQL exactly as the service does.
	DSN   string
	SQL   *sql.DB
	admin string
}

// NewFixture creates and migrates a database named betcity_bench_<tag>_<random>
// on the server behind adminDSN (a DSN without a database name).
func NewFixture(ctx context.Context, adminDSN, tag string) (*Fixture, error) {
	cfg, err := mysqldrv.ParseDSN(adminDSN)
	if err != nil {
		return nil, fmt.Errorf("admin DSN: %w", err)
	}
	cfg.DBName = ""
	admin := cfg.FormatDSN()
	name := "betcity_bench_" + tag + "_" + strings.ToLower(auth.RandomID(6))
	adb, err := sql.Open("mysql", admin)
	if err != nil {
		return nil, err
	}
	defer adb.Close()
	if _, err := adb.ExecContext(ctx, "CREATE DATABASE `"+name+"` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"); err != nil {
		return nil, fmt.Errorf("create database: %w", err)
	}
	cfg.DBName = name
	dsn, err := database.NormalizeMySQLDSN(cfg.FormatDSN())
	if err != nil {
		return nil, err
	}
	f := &Fixture{Name: name, DSN: dsn, admin: admin}
	if f.SQL, err = sql.Open("mysql", dsn); err != nil {
		return nil, err
	}
	f.SQL.SetMaxOpenConns(64)
	f.SQL.SetMaxIdleConns(64)
	r, err := migrate.New(f.SQL, config.MySQL, migrations.FS)
	if err != nil {
		f.Drop()
		return nil, err
	}
	if _, err := r.Up(ctx); err != nil {
		f.Drop()
		return nil, fmt.Errorf("migrate: %w", err)
	}
	return f, nil
}

// Drop closes the connection and removes the database, unless BENCH_KEEP
// is set (to look at the data afterwards).
func (f *Fixture) Drop() {
	if f.SQL != nil {
		f.SQL.Close()
	}
	if os.Getenv("BENCH_KEEP") != "" {
		fmt.Fprintf(os.Stderr, "bench: kept database %s (BENCH_KEEP)\n", f.Name)
		return
	}
	if adb, err := sql.Open("mysql", f.admin); err == nil {
		adb.Exec("DROP DATABASE IF EXISTS `" + f.Name + "`")
		adb.Close()
	}
}

// DB opens the service's GORM handle on the fixture.
func (f *Fixture) DB(ctx context.Context) (*database.DB, error) {
	return database.Open(ctx, config.MySQL, f.DSN)
}

// benchHash is one bcrypt hash at cost 4, shared by every seeded user: the
// benchmarks never log in, they mint tokens directly.
var benchHash = func() string {
	h, err := bcrypt.GenerateFromPassword([]byte("bench-password"), 4)
	if err != nil {
		panic(err)
	}
	return string(h)
}()

// Seeded is what the common seed created.
type Seeded struct {
	TournamentID int64
	Companies    []int64
	HomeTeam     int64
	AwayTeam     int64
}

// seedBase inserts companies (slugs bench0, bench1, ... with the given bonus
// percentages), one tournament with every company enrolled at startingCoins,
// and two football teams.
func seedBase(ctx context.Context, db *sql.DB, bonusPcts []int, startingCoins int) (*Seeded, error) {
	now := time.Now().UTC()
	s := &Seeded{}
	for i, pct := range bonusPcts {
		res, err := db.ExecContext(ctx, `INSERT INTO companies (slug, name, starting_coins, exact_score_bonus_pct, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
			fmt.Sprintf("bench%d", i), fmt.Sprintf("Bench %d", i), startingCoins, pct, now, now)
		if err != nil {
			return nil, fmt.Errorf("seed company: %w", err)
		}
		id, _ := res.LastInsertId()
		s.Companies = append(s.Companies, id)
	}
	res, err := db.ExecContext(ctx, `INSERT INTO tournaments (name, stages, created_at, updated_at) VALUES ('Bench Cup', 'group', ?, ?)`, now, now)
	if err != nil {
		return nil, fmt.Errorf("seed tournament: %w", err)
	}
	s.TournamentID, _ = res.LastInsertId()
	for _, c := range s.Companies {
		if _, err := db.ExecContext(ctx, `INSERT INTO enrollments (tournament_id, company_id, starting_coins, created_at) VALUES (?, ?, ?, ?)`,
			s.TournamentID, c, startingCoins, now); err != nil {
			return nil, fmt.Errorf("seed enrollment: %w", err)
		}
	}
	for i, code := range []string{"HOM", "AWY"} {
		res, err := db.ExecContext(ctx, `INSERT INTO football_teams (name, code, created_at) VALUES (?, ?, ?)`, "Team "+code, code, now)
		if err != nil {
			return nil, fmt.Errorf("seed football team: %w", err)
		}
		id, _ := res.LastInsertId()
		if i == 0 {
			s.HomeTeam = id
		} else {
			s.AwayTeam = id
		}
	}
	return s, nil
}

// seedMatches inserts n scheduled matches with odds 2.10 / 3.20 / 3.50,
// kicking off at kickoff, and returns their IDs.
func seedMatches(ctx context.Context, db *sql.DB, s *Seeded, n int, kickoff time.Time) ([]int64, error) {
	now := time.Now().UTC()
	ids := make([]int64, 0, n)
	for i := 0; i < n; i++ {
		res, err := db.ExecContext(ctx, `INSERT INTO matches (tournament_id, stage, kickoff, home_team_id, away_team_id, odds_home, odds_draw, odds_away, status, created_at, updated_at)
VALUES (?, 'group', ?, ?, ?, 210, 320, 350, 'scheduled', ?, ?)`, s.TournamentID, kickoff.UTC(), s.HomeTeam, s.AwayTeam, now, now)
		if err != nil {
			return nil, fmt.Errorf("seed match: %w", err)
		}
		id, _ := res.LastInsertId()
		ids = append(ids, id)
	}
	return ids, nil
}

// bulkInsert runs INSERT INTO <head> VALUES (...),(...) in batches of
// batch rows; row(i) returns the i-th row's arguments.
func bulkInsert(ctx context.Context, db *sql.DB, head string, cols, n, batch int, row func(i int) []any) error {
	ph := "(" + strings.TrimSuffix(strings.Repeat("?,", cols), ",") + ")"
	for start := 0; start < n; start += batch {
		end := min(start+batch, n)
		var sb strings.Builder
		sb.WriteString("INSERT INTO ")
		sb.WriteString(head)
		sb.WriteString(" VALUES ")
		args := make([]any, 0, (end-start)*cols)
		for i := start; i < end; i++ {
			if i > start {
				sb.WriteByte(',')
			}
			sb.WriteString(ph)
			args = append(args, row(i)...)
		}
		if _, err := db.ExecContext(ctx, sb.String(), args...); err != nil {
			return fmt.Errorf("bulk insert %s: %w", head, err)
		}
	}
	return nil
}

// seedMembers inserts n employees spread round-robin over the companies,
// then their wallets (startingCoins), grant ledger rows and standings, all
// set-based. Users get emails <prefix><i>@bench.test.
func seedMembers(ctx context.Context, db *sql.DB, s *Seeded, prefix string, n, startingCoins int) error {
	now := time.Now().UTC()
	err := bulkInsert(ctx, db, "users (company_id, email, password_hash, display_name, role, active, created_at, updated_at)", 8, n, 2000,
		func(i int) []any {
			return []any{s.Companies[i%len(s.Companies)], fmt.Sprintf("%s%d@bench.test", prefix, i), benchHash,
				fmt.Sprintf("Bench %s%d", prefix, i), "employee", true, now, now}
		})
	if err != nil {
		return err
	}
	like := prefix + "%@bench.test"
	stmts := []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO wallets (company_id, tournament_id, user_id, balance, created_at, updated_at)
SELECT u.company_id, ?, u.id, ?, ?, ? FROM users u WHERE u.email LIKE ? AND u.company_id IS NOT NULL`, []any{s.TournamentID, startingCoins, now, now, like}},
		{`INSERT INTO ledger (wallet_id, company_id, tournament_id, user_id, kind, amount, created_at)
SELECT w.id, w.company_id, w.tournament_id, w.user_id, 'grant', w.balance, ? FROM wallets w JOIN users u ON u.id = w.user_id
WHERE w.tournament_id = ? AND u.email LIKE ?`, []any{now, s.TournamentID, like}},
		{`INSERT INTO standings (tournament_id, company_id, user_id, score)
SELECT w.tournament_id, w.company_id, w.user_id, w.balance FROM wallets w JOIN users u ON u.id = w.user_id
WHERE w.tournament_id = ? AND u.email LIKE ?`, []any{s.TournamentID, like}},
	}
	for _, st := range stmts {
		if _, err := db.ExecContext(ctx, st.sql, st.args...); err != nil {
			return fmt.Errorf("seed members: %w", err)
		}
	}
	return nil
}

// member is a seeded user with its wallet.
type member struct {
	UserID, CompanyID, WalletID int64
}

func loadMembers(ctx context.Context, db *sql.DB, tournamentID int64, prefix string) ([]member, error) {
	rows, err := db.QueryContext(ctx, `SELECT u.id, u.company_id, w.id FROM users u JOIN wallets w ON w.user_id = u.id AND w.tournament_id = ?
WHERE u.email LIKE ? ORDER BY u.id`, tournamentID, prefix+"%@bench.test")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []member
	for rows.Next() {
		var m member
		if err := rows.Scan(&m.UserID, &m.CompanyID, &m.WalletID); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// ServerInfo describes the MySQL server's settings that move the figures.
func ServerInfo(ctx context.Context, db *sql.DB) string {
	var version string
	var flush, pool int64
	if err := db.QueryRowContext(ctx, "SELECT @@version, @@innodb_flush_log_at_trx_commit, @@innodb_buffer_pool_size").Scan(&version, &flush, &pool); err != nil {
		return "server settings unknown: " + err.Error()
	}
	return fmt.Sprintf("%s, innodb_flush_log_at_trx_commit=%d, innodb_buffer_pool_size=%d MB", version, flush, pool>>20)
}

// quiesce waits (up to limit) until InnoDB has written most dirty pages
// back, so a timed statement does not pay for the checkpoint of the bulk
// seed before it. It returns the dirty share it ended at.
func quiesce(ctx context.Context, db *sql.DB, limit time.Duration) float64 {
	deadline := time.Now().Add(limit)
	share := 1.0
	for {
		var name string
		var dirty, total float64
		if db.QueryRowContext(ctx, "SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_pages_dirty'").Scan(&name, &dirty) != nil ||
			db.QueryRowContext(ctx, "SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_pages_total'").Scan(&name, &total) != nil || total == 0 {
			return -1
		}
		share = dirty / total
		if share < 0.05 || time.Now().After(deadline) {
			return share
		}
		time.Sleep(250 * time.Millisecond)
	}
}
