package betting_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/betcity/betcity/server/accounts"
	"github.com/betcity/betcity/server/betting"
	"github.com/betcity/betcity/server/config"
	"github.com/betcity/betcity/server/database"
	"github.com/betcity/betcity/server/testutil"
)

// world is a full BetCity app on a fresh database with one tournament and
// two football teams, driven through the real services and the real API.
type world struct {
	t     *testing.T
	a     *testutil.TestApp
	ctx   context.Context
	tid   int64
	home  int64
	away  int64
	nUser int
}

func newWorld(t *testing.T, d config.Driver) *world {
	t.Helper()
	a := testutil.NewApp(t, d)
	w := &world{t: t, a: a, ctx: context.Background()}
	tour, err := a.Betting.CreateTournament(w.ctx, betting.TournamentInput{Name: "Cup"})
	if err != nil {
		t.Fatal(err)
	}
	w.tid = tour.ID
	fra, err := a.Betting.UpsertFootballTeam(w.ctx, "France", "FRA", nil)
	if err != nil {
		t.Fatal(err)
	}
	bra, err := a.Betting.UpsertFootballTeam(w.ctx, "Brazil", "BRA", nil)
	if err != nil {
		t.Fatal(err)
	}
	w.home, w.away = fra.ID, bra.ID
	return w
}

// company seeds a company (admin, hr, employee, all logged in), sets its
// exact-score bonus and enrols it in the world's tournament.
func (w *world) company(slug string, bonusPct, startingCoins int) *testutil.Company {
	w.t.Helper()
	co := w.a.SeedCompany(w.t, slug)
	if _, err := w.a.Accounts.UpdateCompany(w.ctx, co.ID, accounts.CompanyPatch{ExactScoreBonusPct: &bonusPct}); err != nil {
		w.t.Fatal(err)
	}
	if _, err := w.a.Betting.Enroll(w.ctx, w.tid, co.ID, startingCoins); err != nil {
		w.t.Fatal(err)
	}
	return co
}

type member struct {
	betting.Member
	Email string
	Tok   string
}

// members adds n employees to a company; logged in when login is true.
func (w *world) members(co *testutil.Company, n int, login bool) []member {
	w.t.Helper()
	out := make([]member, n)
	for i := range out {
		w.nUser++
		email := fmt.Sprintf("m%03d@%s.test", w.nUser, co.Slug)
		id := w.a.AddMember(w.t, co, email, accounts.RoleEmployee)
		out[i] = member{Member: betting.Member{CompanyID: co.ID, UserID: id}, Email: email}
		if login {
			out[i].Tok, _ = w.a.Login(w.t, co.Slug, email, testutil.Password)
		}
	}
	return out
}

// match creates a match of the world's tournament between the two teams,
// with odds when odds is not nil.
func (w *world) match(kickoff time.Time, odds *betting.Odds) int64 {
	w.t.Helper()
	return w.matchWith(w.tid, kickoff, &w.home, &w.away, odds)
}

func (w *world) matchWith(tid int64, kickoff time.Time, home, away *int64, odds *betting.Odds) int64 {
	w.t.Helper()
	m, err := w.a.Betting.CreateMatch(w.ctx, tid, betting.MatchInput{Kickoff: &kickoff, HomeTeamID: &home, AwayTeamID: &away})
	if err != nil {
		w.t.Fatal(err)
	}
	if odds != nil {
		if _, err := w.a.Betting.SetOdds(w.ctx, m.ID, *odds); err != nil {
			w.t.Fatal(err)
		}
	}
	return m.ID
}

// put places or changes a bet through the API.
func (w *world) put(host, tok string, matchID int64, body any, key string) *testutil.Resp {
	w.t.Helper()
	h := map[string]string{}
	if key != "" {
		h["Idempotency-Key"] = key
	}
	return w.a.Do(w.t, testutil.Req{Method: http.MethodPut, Host: host, Path: fmt.Sprintf("/api/v1/matches/%d/bet", matchID),
		Token: tok, Body: body, Header: h})
}

func (w *world) del(host, tok string, matchID int64) *testutil.Resp {
	w.t.Helper()
	return w.a.Do(w.t, testutil.Req{Method: http.MethodDelete, Host: host, Path: fmt.Sprintf("/api/v1/matches/%d/bet", matchID), Token: tok})
}

func (w *world) get(host, tok, path string) *testutil.Resp {
	w.t.Helper()
	return w.a.Do(w.t, testutil.Req{Host: host, Path: path, Token: tok})
}

// expectErr fails unless r is an error answer with that status and code.
func expectErr(t *testing.T, what string, r *testutil.Resp, status int, code string) {
	t.Helper()
	if r.Status != status || r.ErrorCode() != code {
		t.Errorf("%s: got %d %s, want %d %s", what, r.Status, r.Body, status, code)
	}
}

// assertLedgerConsistent checks the money invariants of every wallet in the
// database, from the raw tables:
//   - balance == SUM(ledger.amount) of the wallet, and balance >= 0;
//   - the wallet has exactly one grant, equal to its enrolment's starting coins;
//   - balance == starting + Σ over its bets (open/lost: −stake; won:
//     payout + bonus − stake; refunded/cancelled: 0);
//   - its standing's score == starting + Σ settled (won/lost) net, and the
//     counters match the bets (settled_bets, correct_picks).
func assertLedgerConsistent(t *testing.T, db *database.DB) {
	t.Helper()
	type row struct {
		ID, CompanyID, TournamentID, UserID, Balance int64
		LedgerSum, Grants, GrantSum, StartCoins      int64
		BetNet, SettledNet, Settled, Won             int64
		StScore, StSettled, StCorrect, StRows        int64
	}
	var rows []row
	err := db.Raw(`SELECT w.id, w.company_id, w.tournament_id, w.user_id, w.balance,
  (SELECT COALESCE(SUM(l.amount), 0) FROM ledger l WHERE l.wallet_id = w.id) AS ledger_sum,
  (SELECT COUNT(*) FROM ledger l WHERE l.wallet_id = w.id AND l.kind = 'grant') AS grants,
  (SELECT COALESCE(SUM(l.amount), 0) FROM ledger l WHERE l.wallet_id = w.id AND l.kind = 'grant') AS grant_sum,
  (SELECT e.starting_coins FROM enrollments e WHERE e.tournament_id = w.tournament_id AND e.company_id = w.company_id) AS start_coins,
  (SELECT COALESCE(SUM(CASE b.status WHEN 'open' THEN -b.stake WHEN 'lost' THEN -b.stake
     WHEN 'won' THEN b.payout + b.bonus - b.stake ELSE 0 END), 0) FROM bets b WHERE b.wallet_id = w.id) AS bet_net,
  (SELECT COALESCE(SUM(b.payout + b.bonus - b.stake), 0) FROM bets b WHERE b.wallet_id = w.id AND b.status IN ('won', 'lost')) AS settled_net,
  (SELECT COUNT(*) FROM bets b WHERE b.wallet_id = w.id AND b.status IN ('won', 'lost')) AS settled,
  (SELECT COUNT(*) FROM bets b WHERE b.wallet_id = w.id AND b.status = 'won') AS won,
  (SELECT COALESCE(MAX(s.score), 0) FROM standings s WHERE s.tournament_id = w.tournament_id AND s.user_id = w.user_id) AS st_score,
  (SELECT COALESCE(MAX(s.settled_bets), 0) FROM standings s WHERE s.tournament_id = w.tournament_id AND s.user_id = w.user_id) AS st_settled,
  (SELECT COALESCE(MAX(s.correct_picks), 0) FROM standings s WHERE s.tournament_id = w.tournament_id AND s.user_id = w.user_id) AS st_correct,
  (SELECT COUNT(*) FROM standings s WHERE s.tournament_id = w.tournament_id AND s.user_id = w.user_id AND s.company_id = w.company_id) AS st_rows
FROM wallets w ORDER BY w.id`).Scan(&rows).Error
	if err != nil {
		t.Fatalf("ledger consistency query: %v", err)
	}
	if len(rows) == 0 {
		t.Errorf("assertLedgerConsistent: no wallets at all; the test did not exercise anything")
	}
	// The leaderboard's member count is kept, not counted: it must match.
	var drift []struct{ TournamentID, CompanyID, Members, Counted int64 }
	if err := db.Raw(`SELECT z.tournament_id, z.company_id, z.members,
  (SELECT COUNT(*) FROM standings s WHERE s.tournament_id = z.tournament_id AND s.company_id = z.company_id) AS counted
FROM leaderboard_sizes z`).Scan(&drift).Error; err != nil {
		t.Fatalf("leaderboard size query: %v", err)
	}
	var sizes int64
	for _, d := range drift {
		sizes += d.Members
		if d.Members != d.Counted {
			t.Errorf("leaderboard size of company %d in tournament %d is %d, but it has %d standings", d.CompanyID, d.TournamentID, d.Members, d.Counted)
		}
	}
	if sizes != int64(len(rows)) {
		t.Errorf("leaderboard sizes add up to %d, want one per wallet (%d)", sizes, len(rows))
	}
	for _, r := range rows {
		who := fmt.Sprintf("wallet %d (user %d, company %d)", r.ID, r.UserID, r.CompanyID)
		if r.Balance != r.LedgerSum {
			t.Errorf("%s: balance %d != ledger sum %d", who, r.Balance, r.LedgerSum)
		}
		if r.Balance < 0 {
			t.Errorf("%s: negative balance %d", who, r.Balance)
		}
		if r.Grants != 1 || r.GrantSum != r.StartCoins {
			t.Errorf("%s: %d grant rows summing to %d, want one of %d", who, r.Grants, r.GrantSum, r.StartCoins)
		}
		if want := r.StartCoins + r.BetNet; r.Balance != want {
			t.Errorf("%s: balance %d != starting %d + bets net %d", who, r.Balance, r.StartCoins, r.BetNet)
		}
		if r.StRows != 1 {
			t.Errorf("%s: %d standing rows, want 1", who, r.StRows)
			continue
		}
		if want := r.StartCoins + r.SettledNet; r.StScore != want {
			t.Errorf("%s: standing score %d != starting %d + settled net %d", who, r.StScore, r.StartCoins, r.SettledNet)
		}
		if r.StSettled != r.Settled || r.StCorrect != r.Won {
			t.Errorf("%s: standing settled_bets %d correct_picks %d, bets say %d and %d", who, r.StSettled, r.StCorrect, r.Settled, r.Won)
		}
	}
}

// ---- an independent statement of the settlement rules ----

// oddsCents is what the operator's decimal odds become: rounded to the
// hundredth (3.333 → 333, 2.35 → 235).
type oddsCents struct {
	Home, Draw, Away int64
}

func (o oddsCents) of(pick string) int64 {
	switch pick {
	case "home":
		return o.Home
	case "draw":
		return o.Draw
	}
	return o.Away
}

func outcomeOf(h, a int) string {
	if h > a {
		return "home"
	}
	if h < a {
		return "away"
	}
	return "draw"
}

type expected struct {
	Status        string
	Payout, Bonus int64
	Exact         bool
}

// expect settles one bet by hand: payout floor(stake × odds) on the right
// pick, bonus floor(stake × pct / 100) only when the exact score is right.
func expect(stake int64, odds int64, pick string, score *[2]int, ft [2]int, pct int64) expected {
	if pick != outcomeOf(ft[0], ft[1]) {
		return expected{Status: "lost"}
	}
	e := expected{Status: "won"}
	// stake × odds with odds in hundredths: whole Betcoins are hundreds.
	cents := stake * odds
	e.Payout = (cents - cents%100) / 100
	if score != nil && score[0] == ft[0] && score[1] == ft[1] {
		e.Exact = true
		e.Bonus = stake * pct / 100
	}
	return e
}
