package betting_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/betcity/betcity/server/betting"
	"github.com/betcity/betcity/server/clock"
	"github.com/betcity/betcity/server/config"
	"github.com/betcity/betcity/server/database"
	"github.com/betcity/betcity/server/paging"
	"github.com/betcity/betcity/server/testutil"
)

const benchMembers = 100_000

// BenchmarkIndividualLeaderboard100k measures what a member waits for when
// opening the leaderboard of a 100,000-member company on MySQL/MariaDB: the
// top 50 with their ranks, plus the caller's own rank, for random callers.
// It reports p50 and p99 latencies (target: p99 under 20 ms).
//
//	go test ./server/betting -run '^$' -bench IndividualLeaderboard100k -benchtime 2000x
func BenchmarkIndividualLeaderboard100k(b *testing.B) {
	ctx := context.Background()
	db := testutil.NewDB(b, config.MySQL)
	started := time.Now()
	companyID, tournamentID, users := seedLeaderboard(b, ctx, db, benchMembers)
	b.Logf("seeded %d members and standings in %s", len(users), time.Since(started).Round(time.Millisecond))

	svc := betting.NewService(db, clock.System{})
	rng := rand.New(rand.NewPCG(1, 2))
	var durations []time.Duration
	for b.Loop() {
		caller := users[rng.IntN(len(users))]
		t0 := time.Now()
		board, err := svc.IndividualLeaderboard(ctx, companyID, caller, tournamentID, paging.Page{Number: 1, PerPage: 50})
		durations = append(durations, time.Since(t0))
		if err != nil {
			b.Fatal(err)
		}
		if len(board.Items) != 50 || board.Me == nil || board.Total != benchMembers || board.Items[0].Rank != 1 {
			b.Fatalf("unexpected board: %d items, me %v, total %d", len(board.Items), board.Me, board.Total)
		}
	}
	slices.Sort(durations)
	pct := func(p float64) float64 {
		return float64(durations[int(p*float64(len(durations)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(0, "ns/op") // the percentiles are the figures that matter
}

// seedLeaderboard writes one company enrolled in one tournament with n
// members, each with a standings row, in multi-row INSERTs of 1000. Scores
// are drawn so that many members tie, as in a real pool where most never
// win or lose much.
func seedLeaderboard(b *testing.B, ctx context.Context, db *database.DB, n int) (companyID, tournamentID int64, users []int64) {
	b.Helper()
	now := time.Now().UTC()
	// One transaction: one log flush at the end instead of one per batch.
	tx := db.WithContext(ctx).Begin()
	defer tx.Rollback()
	exec := func(q string, args ...any) {
		if err := tx.Exec(q, args...).Error; err != nil {
			b.Fatal(err)
		}
	}
	scan := func(dst any, q string, args ...any) {
		if err := tx.Raw(q, args...).Scan(dst).Error; err != nil {
			b.Fatal(err)
		}
	}
	exec(`INSERT INTO companies (slug, name, created_at, updated_at) VALUES ('bench', 'Bench', ?, ?)`, now, now)
	scan(&companyID, `SELECT id FROM companies WHERE slug = 'bench'`)
	exec(`INSERT INTO tournaments (name, stages, created_at, updated_at) VALUES ('Bench Cup', 'group', ?, ?)`, now, now)
	scan(&tournamentID, `SELECT id FROM tournaments WHERE name = 'Bench Cup'`)
	exec(`INSERT INTO enrollments (tournament_id, company_id, starting_coins, created_at) VALUES (?, ?, 1000, ?)`, tournamentID, companyID, now)
	for i := range 20 {
		exec(`INSERT INTO teams (company_id, name, created_at) VALUES (?, ?, ?)`, companyID, fmt.Sprintf("Team %02d", i), now)
	}
	var teams []int64
	scan(&teams, `SELECT id FROM teams WHERE company_id = ?`, companyID)

	const batch = 1000
	rng := rand.New(rand.NewPCG(3, 4))
	for from := 0; from < n; from += batch {
		rows := min(batch, n-from)
		var sb strings.Builder
		args := make([]any, 0, rows*6)
		sb.WriteString(`INSERT INTO users (company_id, email, password_hash, display_name, role, team_id, active, created_at, updated_at) VALUES `)
		for i := range rows {
			if i > 0 {
				sb.WriteString(",")
			}
			sb.WriteString("(?, ?, 'x', ?, 'employee', ?, 1, ?, ?)")
			k := from + i
			args = append(args, companyID, fmt.Sprintf("m%06d@bench.test", k), fmt.Sprintf("Member %06d", k), teams[k%len(teams)], now, now)
		}
		exec(sb.String(), args...)
	}
	scan(&users, `SELECT id FROM users WHERE company_id = ? ORDER BY id`, companyID)
	for from := 0; from < len(users); from += batch {
		rows := min(batch, len(users)-from)
		var sb strings.Builder
		args := make([]any, 0, rows*7)
		sb.WriteString(`INSERT INTO standings (tournament_id, company_id, user_id, score, correct_picks, exact_scores, settled_bets) VALUES `)
		for i := range rows {
			if i > 0 {
				sb.WriteString(",")
			}
			sb.WriteString("(?, ?, ?, ?, ?, ?, ?)")
			settled := rng.IntN(40)
			correct := rng.IntN(settled + 1)
			exact := rng.IntN(correct/3 + 1)
			score := 1000 + int64(rng.NormFloat64()*400)
			if score < 0 {
				score = 0
			}
			score -= score % 10 // stakes are round numbers: plenty of ties
			args = append(args, tournamentID, companyID, users[from+i], score, correct, exact, settled)
		}
		exec(sb.String(), args...)
	}
	// Bulk-loaded standings bypass wallet creation, which keeps this count.
	exec(`INSERT INTO leaderboard_sizes (tournament_id, company_id, members) VALUES (?, ?, ?)`, tournamentID, companyID, len(users))
	if err := tx.Commit().Error; err != nil {
		b.Fatal(err)
	}
	// As after any bulk load, refresh the optimiser's statistics.
	if err := db.WithContext(ctx).Exec(`ANALYZE TABLE users, standings`).Error; err != nil {
		b.Fatal(err)
	}
	return companyID, tournamentID, users
}
