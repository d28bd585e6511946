package bench

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"time"

	"github.com/betcity/betcity/server/betting"
	"github.com/betcity/betcity/server/clock"
)

// SettleConfig sizes the settlement benchmark.
type SettleConfig struct {
	AdminDSN string
	Bets     int // one bet per member, all on one match
	// BaselinePasses is how many plain single-column UPDATEs over the same
	// rows are timed; their median is the baseline.
	BaselinePasses int
	// LeaderboardIterations times the bare leaderboard page query on the
	// settled standings (0 skips it).
	LeaderboardIterations int
	Log                   io.Writer
	// SeedOnly stops after seeding (with BENCH_KEEP, to study the data).
	SeedOnly bool
}

// settleBonusPcts are the seeded companies' exact-score bonuses: settlement
// runs one UPDATE per company, so the benchmark has several.
var settleBonusPcts = []int{0, 25, 50, 100}

// RunSettle seeds cfg.Bets members with wallets, standings and one open bet
// each on one match (in four companies), then times betting.RecordResult and
// a correcting re-settle against plain UPDATEs of the same rows, checking the
// books balance after each step. It also times the bare leaderboard page on
// the settled standings, the baseline of the leaderboard benchmark.
func RunSettle(ctx context.Context, cfg SettleConfig) ([]Result, error) {
	logf := func(format string, a ...any) { fmt.Fprintf(cfg.Log, format+"\n", a...) }
	f, err := NewFixture(ctx, cfg.AdminDSN, "settle")
	if err != nil {
		return nil, err
	}
	defer f.Drop()
	t0 := time.Now()
	const coins = 1000
	s, err := seedBase(ctx, f.SQL, settleBonusPcts, coins)
	if err != nil {
		return nil, err
	}
	ms, err := seedMatches(ctx, f.SQL, s, 1, time.Now().Add(-2*time.Hour))
	if err != nil {
		return nil, err
	}
	matchID := ms[0]
	if err := seedMembers(ctx, f.SQL, s, "s", cfg.Bets, coins); err != nil {
		return nil, err
	}
	if err := seedBets(ctx, f.SQL, s.TournamentID, matchID); err != nil {
		return nil, err
	}
	var n int
	if err := f.SQL.QueryRowContext(ctx, "SELECT COUNT(*) FROM bets WHERE match_id = ? AND status = 'open'", matchID).Scan(&n); err != nil {
		return nil, err
	}
	if n != cfg.Bets {
		return nil, fmt.Errorf("seeded %d bets, want %d", n, cfg.Bets)
	}
	if err := checkBalances(ctx, f.SQL, s.TournamentID); err != nil {
		return nil, fmt.Errorf("after seeding: %w", err)
	}
	if _, err := f.SQL.ExecContext(ctx, "ANALYZE TABLE bets, wallets, standings, ledger"); err != nil {
		return nil, err
	}
	logf("  seeded %d members, wallets, standings and open bets on one match in %d companies in %s",
		n, len(s.Companies), time.Since(t0).Round(time.Millisecond))
	logf("  server: %s", ServerInfo(ctx, f.SQL))
	wait := func() {
		t := time.Now()
		share := quiesce(ctx, f.SQL, 15*time.Second)
		logf("  (waited %s for InnoDB to write dirty pages back: %.0f%% of the buffer pool dirty)", time.Since(t).Round(100*time.Millisecond), 100*share)
	}

	if cfg.SeedOnly {
		return nil, nil
	}
	// Baseline: one plain pass over the same rows, there and back.
	var base []float64
	wait()
	for i := 0; i < cfg.BaselinePasses; i++ {
		to := []string{"lost", "open"}[i%2]
		start := time.Now()
		res, err := f.SQL.ExecContext(ctx, "UPDATE bets SET status = ? WHERE match_id = ?", to, matchID)
		if err != nil {
			return nil, err
		}
		d := time.Since(start)
		if k, _ := res.RowsAffected(); k != int64(n) {
			return nil, fmt.Errorf("baseline UPDATE changed %d rows, want %d", k, n)
		}
		base = append(base, Ms(d))
		logf("  baseline pass %d  UPDATE bets SET status = '%s' WHERE match_id = ?: %8.1f ms", i+1, to, Ms(d))
	}
	if cfg.BaselinePasses%2 == 1 {
		if _, err := f.SQL.ExecContext(ctx, "UPDATE bets SET status = 'open' WHERE match_id = ?", matchID); err != nil {
			return nil, err
		}
	}
	baseMs := Median(base)

	db, err := f.DB(ctx)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	svc := betting.NewService(db, clock.System{})
	settle := func(what string, r betting.Result, wantReversed int64) (float64, error) {
		wait()
		start := time.Now()
		sum, err := svc.RecordResult(ctx, matchID, r)
		d := time.Since(start)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", what, err)
		}
		if sum.Settled != int64(n) || sum.Reversed != wantReversed {
			return 0, fmt.Errorf("%s: settled %d reversed %d, want %d and %d", what, sum.Settled, sum.Reversed, n, wantReversed)
		}
		if err := checkBalances(ctx, f.SQL, s.TournamentID); err != nil {
			return 0, fmt.Errorf("after %s: %w", what, err)
		}
		logf("  %-38s %8.1f ms  (settled %d, reversed %d; books balance)", what, Ms(d), sum.Settled, sum.Reversed)
		return Ms(d), nil
	}
	first, err := settle("RecordResult 2-1", betting.Result{FT: [2]int{2, 1}}, 0)
	if err != nil {
		return nil, err
	}
	corr, err := settle("RecordResult 1-1 (correction)", betting.Result{FT: [2]int{1, 1}}, int64(n))
	if err != nil {
		return nil, err
	}
	if err := checkStandings(ctx, f.SQL, s.TournamentID, matchID); err != nil {
		return nil, err
	}
	logf("  check: standings agree with the settled bets")
	out := []Result{
		{Name: "settle.first", Value: first, Baseline: baseMs, Unit: "ms", Goal: "< 2000 ms", Pass: pass(first < 2000)},
		{Name: "settle.correction", Value: corr, Baseline: baseMs, Unit: "ms", Goal: "< 2000 ms", Pass: pass(corr < 2000)},
	}
	if cfg.LeaderboardIterations > 0 {
		// The leaderboard benchmark ranks one 100,000-member company: give
		// all the settled standings to the first company to match it.
		if _, err := f.SQL.ExecContext(ctx, "UPDATE standings SET company_id = ? WHERE tournament_id = ?", s.Companies[0], s.TournamentID); err != nil {
			return nil, err
		}
		if _, err := f.SQL.ExecContext(ctx, "ANALYZE TABLE standings"); err != nil {
			return nil, err
		}
		p50, p99, err := bareLeaderboard(ctx, f.SQL, s.TournamentID, s.Companies[:1], cfg.LeaderboardIterations)
		if err != nil {
			return nil, err
		}
		logf("  bare leaderboard page (%d standings in one company, %d queries): p50 %.3f ms  p99 %.3f ms", n, cfg.LeaderboardIterations, Ms(p50), Ms(p99))
		out = append(out,
			Result{Name: "leaderboard.bare_p50", Value: Ms(p50), Unit: "ms"},
			Result{Name: "leaderboard.bare_p99", Value: Ms(p99), Unit: "ms"})
	}
	return out, nil
}

// seedBets gives every wallet of the tournament one open bet on the match:
// picks in turn, stakes 1..50, a quarter with an exact-score guess that
// agrees with the pick, then charges the stakes to wallets and the ledger.
func seedBets(ctx context.Context, db *sql.DB, tournamentID, matchID int64) error {
	now := time.Now().UTC()
	stmts := []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO bets (company_id, tournament_id, match_id, user_id, wallet_id, pick, stake, odds, score_home, score_away, status, payout, bonus, placed_at, updated_at)
SELECT w.company_id, w.tournament_id, ?, w.user_id, w.id,
  CASE w.id % 3 WHEN 0 THEN 'home' WHEN 1 THEN 'draw' ELSE 'away' END,
  1 + w.id % 50,
  CASE w.id % 3 WHEN 0 THEN 210 WHEN 1 THEN 320 ELSE 350 END,
  CASE WHEN w.id % 4 = 0 THEN CASE w.id % 3 WHEN 0 THEN 2 WHEN 1 THEN 1 ELSE 0 END END,
  CASE WHEN w.id % 4 = 0 THEN 1 END,
  'open', 0, 0, ?, ?
FROM wallets w WHERE w.tournament_id = ?`, []any{matchID, now, now, tournamentID}},
		{`UPDATE wallets t JOIN bets b ON b.wallet_id = t.id SET t.balance = t.balance - b.stake WHERE b.match_id = ?`, []any{matchID}},
		{`INSERT INTO ledger (wallet_id, company_id, tournament_id, user_id, kind, amount, bet_id, match_id, created_at)
SELECT wallet_id, company_id, tournament_id, user_id, 'stake', -stake, id, match_id, ? FROM bets WHERE match_id = ?`, []any{now, matchID}},
	}
	for _, st := range stmts {
		if _, err := db.ExecContext(ctx, st.sql, st.args...); err != nil {
			return fmt.Errorf("seed bets: %w", err)
		}
	}
	return nil
}

// checkStandings compares each standing with what its member's settled bet
// says: starting score plus payout, bonus and minus stake.
func checkStandings(ctx context.Context, db *sql.DB, tournamentID, matchID int64) error {
	var bad int64
	err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM standings s JOIN bets b ON b.user_id = s.user_id AND b.tournament_id = s.tournament_id
JOIN enrollments e ON e.company_id = s.company_id AND e.tournament_id = s.tournament_id
WHERE s.tournament_id = ? AND b.match_id = ? AND (s.score <> e.starting_coins + b.payout + b.bonus - b.stake OR s.settled_bets <> 1
  OR s.correct_picks <> (b.status = 'won'))`, tournamentID, matchID).Scan(&bad)
	if err != nil {
		return err
	}
	if bad != 0 {
		return fmt.Errorf("%d standings disagree with their settled bet", bad)
	}
	return nil
}

// bareLeaderboard times the leaderboard page without join or rank: the
// first 50 standings of a company in index order (companies in turn).
func bareLeaderboard(ctx context.Context, db *sql.DB, tournamentID int64, companies []int64, iterations int) (p50, p99 time.Duration, err error) {
	const q = `SELECT user_id, score, correct_picks, exact_scores, settled_bets FROM standings
WHERE tournament_id = ? AND company_id = ? ORDER BY sort_key, user_id LIMIT 50`
	lat := make([]time.Duration, 0, iterations)
	for i := 0; i < iterations+iterations/10; i++ {
		start := time.Now()
		rows, err := db.QueryContext(ctx, q, tournamentID, companies[i%len(companies)])
		if err != nil {
			return 0, 0, err
		}
		k := 0
		for rows.Next() {
			var a, b, c, d, e int64
			if err := rows.Scan(&a, &b, &c, &d, &e); err != nil {
				rows.Close()
				return 0, 0, err
			}
			k++
		}
		rows.Close()
		if k != 50 {
			return 0, 0, fmt.Errorf("leaderboard page has %d rows, want 50", k)
		}
		if i >= iterations/10 { // the first tenth warms up
			lat = append(lat, time.Since(start))
		}
	}
	return Quantile(lat, 0.5), Quantile(lat, 0.99), nil
}
