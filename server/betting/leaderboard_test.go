package betting_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/betcity/betcity/server/accounts"
	"github.com/betcity/betcity/server/betting"
	"github.com/betcity/betcity/server/config"
	"github.com/betcity/betcity/server/paging"
	"github.com/betcity/betcity/server/testutil"
)

// lbNow is the fixed "now" of these tests (a Wednesday, 08:00 UTC).
var lbNow = time.Date(2026, 6, 10, 8, 0, 0, 0, time.UTC)

// lbWorld is a tournament with companies and members built through the real
// services, so standings come from real bets and real settlement.
type lbWorld struct {
	t   *testing.T
	a   *testutil.TestApp
	ctx context.Context
	tid int64
	fra int64
	bra int64
}

func newLBWorld(t *testing.T, d config.Driver) *lbWorld {
	t.Helper()
	a := testutil.NewApp(t, d)
	a.Clock.Set(lbNow)
	w := &lbWorld{t: t, a: a, ctx: context.Background()}
	tour, err := a.Betting.CreateTournament(w.ctx, betting.TournamentInput{Name: "Cup"})
	noErr(t, err)
	w.tid = tour.ID
	fra, err := a.Betting.UpsertFootballTeam(w.ctx, "France", "FRA", nil)
	noErr(t, err)
	bra, err := a.Betting.UpsertFootballTeam(w.ctx, "Brazil", "BRA", nil)
	noErr(t, err)
	w.fra, w.bra = fra.ID, bra.ID
	return w
}

func noErr(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// match adds a match kicking off at lbNow+in, with odds when given.
func (w *lbWorld) match(in time.Duration, odds *betting.Odds) int64 {
	w.t.Helper()
	k := lbNow.Add(in)
	h, a := &w.fra, &w.bra
	m, err := w.a.Betting.CreateMatch(w.ctx, w.tid, betting.MatchInput{Kickoff: &k, HomeTeamID: &h, AwayTeamID: &a})
	noErr(w.t, err)
	if odds != nil {
		_, err = w.a.Betting.SetOdds(w.ctx, m.ID, *odds)
		noErr(w.t, err)
	}
	return m.ID
}

// company creates an enrolled company with its admin.
func (w *lbWorld) company(slug string, inRanking bool) *testutil.Company {
	w.t.Helper()
	c, err := w.a.Accounts.CreateCompany(w.ctx, accounts.CompanyInput{Slug: slug, Name: strings.ToUpper(slug[:1]) + slug[1:],
		InCompanyRanking: &inRanking, AdminEmail: "admin@" + slug + ".test", AdminPassword: testutil.Password, AdminName: slug + " admin"})
	noErr(w.t, err)
	sess, err := w.a.Accounts.Login(w.ctx, accounts.CompanyScope(c.ID), accounts.LoginInput{Email: "admin@" + slug + ".test", Password: testutil.Password})
	noErr(w.t, err)
	_, err = w.a.Betting.Enroll(w.ctx, w.tid, c.ID, 0)
	noErr(w.t, err)
	return &testutil.Company{Company: c, AdminID: sess.User.ID}
}

func (w *lbWorld) team(co *testutil.Company, name string) int64 {
	w.t.Helper()
	tm, err := w.a.Accounts.CreateTeam(w.ctx, accounts.CompanyScope(co.ID), name)
	noErr(w.t, err)
	return tm.ID
}

// member signs a member up (display name = name) and puts them in a team
// (0 = none).
func (w *lbWorld) member(co *testutil.Company, name string, teamID int64) int64 {
	w.t.Helper()
	id := w.a.AddMember(w.t, co, name+"@"+co.Slug+".test", accounts.RoleEmployee)
	if teamID != 0 {
		tp := &teamID
		_, err := w.a.Accounts.UpdateMember(w.ctx, accounts.CompanyScope(co.ID), id, accounts.MemberPatch{TeamID: &tp})
		noErr(w.t, err)
	}
	return id
}

func (w *lbWorld) bet(co *testutil.Company, userID, matchID int64, pick string, stake int64, score *betting.ScorePrediction) {
	w.t.Helper()
	_, err := w.a.Betting.PlaceBet(w.ctx, betting.Member{CompanyID: co.ID, UserID: userID}, matchID,
		betting.BetInput{Pick: pick, Stake: stake, Score: score}, "")
	noErr(w.t, err)
}

func (w *lbWorld) result(matchID int64, home, away int) {
	w.t.Helper()
	_, err := w.a.Betting.RecordResult(w.ctx, matchID, betting.Result{FT: [2]int{home, away}})
	noErr(w.t, err)
}

// checkStandings recomputes every standing of the tournament from the bets
// and the matches' results (not from stored payouts), and checks the ledger
// too: balance = sum of the wallet's ledger, score = balance + open stakes.
func (w *lbWorld) checkStandings() {
	w.t.Helper()
	db := w.a.DB.WithContext(w.ctx)
	var standings []betting.Standing
	noErr(w.t, db.Where("tournament_id = ?", w.tid).Find(&standings).Error)
	var pct = map[int64]int64{}
	var companies []accounts.Company
	noErr(w.t, db.Find(&companies).Error)
	for _, c := range companies {
		pct[c.ID] = int64(c.ExactScoreBonusPct)
	}
	for _, st := range standings {
		var enr betting.Enrollment
		noErr(w.t, db.Where("tournament_id = ? AND company_id = ?", w.tid, st.CompanyID).Take(&enr).Error)
		var bets []betting.Bet
		noErr(w.t, db.Where("tournament_id = ? AND user_id = ?", w.tid, st.UserID).Find(&bets).Error)
		score, correct, exact, settled := int64(enr.StartingCoins), 0, 0, 0
		var openStakes int64
		for _, b := range bets {
			var m betting.Match
			noErr(w.t, db.Where("id = ?", b.MatchID).Take(&m).Error)
			switch {
			case b.Status == betting.BetCancelled || b.Status == betting.BetRefunded:
				continue
			case m.Status != betting.StatusFinished:
				openStakes += b.Stake
				continue
			}
			settled++
			if betting.Outcome(*m.FtHome, *m.FtAway) != b.Pick {
				score -= b.Stake
				continue
			}
			correct++
			score += b.Stake*int64(b.Odds)/100 - b.Stake
			if b.ScoreHome != nil && *b.ScoreHome == *m.FtHome && *b.ScoreAway == *m.FtAway {
				exact++
				score += b.Stake * pct[b.CompanyID] / 100
			}
		}
		if st.Score != score || st.CorrectPicks != correct || st.ExactScores != exact || st.SettledBets != settled {
			w.t.Errorf("user %d: standing %d/%d/%d/%d, recomputed %d/%d/%d/%d", st.UserID,
				st.Score, st.CorrectPicks, st.ExactScores, st.SettledBets, score, correct, exact, settled)
		}
		var wal betting.Wallet
		noErr(w.t, db.Where("tournament_id = ? AND user_id = ?", w.tid, st.UserID).Take(&wal).Error)
		var ledger int64
		noErr(w.t, db.Model(&betting.LedgerEntry{}).Select("COALESCE(SUM(amount), 0)").Where("wallet_id = ?", wal.ID).Scan(&ledger).Error)
		if ledger != wal.Balance || wal.Balance+openStakes != st.Score {
			w.t.Errorf("user %d: ledger %d, balance %d, open stakes %d, score %d", st.UserID, ledger, wal.Balance, openStakes, st.Score)
		}
	}
}

// rowsOf renders a page as "name:rank" for readable comparisons.
func rowsOf(rows []betting.LeaderRow) string {
	var parts []string
	for _, r := range rows {
		parts = append(parts, fmt.Sprintf("%s:%d", r.DisplayName, r.Rank))
	}
	return strings.Join(parts, " ")
}

// leagueWorld is the scenario every leaderboard test reads:
//
//	acme (1000 Betcoins each), M1 ends 1-0 (home 2.00), M2 ends 1-1:
//	p1 M1 home 100 predicting 1-0   → 1150, 1 correct, 1 exact
//	p2 M1 home 100                  → 1100, 1 correct
//	p3 M1 home 100                  → 1100, 1 correct (tie with p2)
//	p4 M1 home 100 + M2 home 100    → 1000, 1 correct
//	p5 wallet only                  → 1000, 0 correct
//	p6 M1 home 150                  → 1150, 1 correct, 0 exact
//	p7 M2 home 100                  → 900
//	p8 bet on M1 then withdrew it   → 1000, 0 correct (tie with p5)
//	acme's admin never opened the game: no wallet, not listed.
type leagueWorld struct {
	*lbWorld
	acme, globex, initech, umbrella *testutil.Company
	p                               map[string]int64
	m1, m2                          int64
	teams                           map[string]int64
}

func newLeague(t *testing.T, d config.Driver) *leagueWorld {
	w := newLBWorld(t, d)
	lw := &leagueWorld{lbWorld: w, p: map[string]int64{}, teams: map[string]int64{}}
	lw.m1 = w.match(2*time.Hour, &betting.Odds{Home: 2, Draw: 3, Away: 4})
	lw.m2 = w.match(3*time.Hour, &betting.Odds{Home: 1.5, Draw: 3, Away: 5})
	lw.acme = w.company("acme", true)
	lw.globex = w.company("globex", true)
	lw.initech = w.company("initech", true)
	lw.umbrella = w.company("umbrella", false)
	for _, n := range []string{"Red", "Blue", "Teal", "Green", "Amber"} {
		lw.teams[n] = w.team(lw.acme, n)
	}
	teamOf := map[string]string{"p1": "Red", "p4": "Red", "p5": "Red", "p2": "Blue", "p3": "Teal", "p8": "Green"}
	for i := 1; i <= 8; i++ {
		n := fmt.Sprintf("p%d", i)
		lw.p[n] = w.member(lw.acme, n, lw.teams[teamOf[n]])
	}
	// Green also has a member who never bets.
	w.member(lw.acme, "g-idle", lw.teams["Green"])
	h, dr, aw := betting.PickHome, betting.PickDraw, betting.PickAway
	ac := lw.acme
	w.bet(ac, lw.p["p1"], lw.m1, h, 100, &betting.ScorePrediction{Home: 1, Away: 0})
	w.bet(ac, lw.p["p2"], lw.m1, h, 100, nil)
	w.bet(ac, lw.p["p3"], lw.m1, h, 100, nil)
	w.bet(ac, lw.p["p4"], lw.m1, h, 100, nil)
	w.bet(ac, lw.p["p4"], lw.m2, h, 100, nil)
	_, err := w.a.Betting.Wallet(w.ctx, betting.Member{CompanyID: ac.ID, UserID: lw.p["p5"]}, w.tid)
	noErr(t, err)
	w.bet(ac, lw.p["p6"], lw.m1, h, 150, nil)
	w.bet(ac, lw.p["p7"], lw.m2, h, 100, nil)
	w.bet(ac, lw.p["p8"], lw.m1, dr, 100, nil)
	_, err = w.a.Betting.CancelBet(w.ctx, betting.Member{CompanyID: ac.ID, UserID: lw.p["p8"]}, lw.m1)
	noErr(t, err)

	// globex: 3 participants, average (1500 + 1100 + 900) / 3 = 1166.67.
	g1, g2, g3 := w.member(lw.globex, "g1", 0), w.member(lw.globex, "g2", 0), w.member(lw.globex, "g3", 0)
	w.bet(lw.globex, g1, lw.m1, h, 500, nil)
	w.bet(lw.globex, g2, lw.m1, h, 100, nil)
	w.bet(lw.globex, g3, lw.m2, aw, 100, nil)
	// initech: only 2 participants, below the minimum.
	for _, n := range []string{"i1", "i2"} {
		w.bet(lw.initech, w.member(lw.initech, n, 0), lw.m1, h, 300, nil)
	}
	// umbrella opted out of the inter-company ranking: 3 big winners.
	for _, n := range []string{"u1", "u2", "u3"} {
		w.bet(lw.umbrella, w.member(lw.umbrella, n, 0), lw.m1, h, 900, nil)
	}
	w.a.Clock.Set(lbNow.Add(5 * time.Hour))
	w.result(lw.m1, 1, 0)
	w.result(lw.m2, 1, 1)
	return lw
}

func (lw *leagueWorld) board(co *testutil.Company, caller int64, page, per int) *betting.IndividualBoard {
	lw.t.Helper()
	b, err := lw.a.Betting.IndividualLeaderboard(lw.ctx, co.ID, caller, 0, paging.Page{Number: page, PerPage: per})
	noErr(lw.t, err)
	return b
}

func TestIndividualLeaderboard(t *testing.T) {
	testutil.EachDriver(t, func(t *testing.T, d config.Driver) {
		lw := newLeague(t, d)
		lw.checkStandings()

		b := lw.board(lw.acme, lw.p["p7"], 1, 50)
		// Equal on score, correct picks and exact scores share a rank and
		// are listed by earlier account; one criterion apart breaks the tie.
		want := "p1:1 p6:2 p2:3 p3:3 p4:5 p5:6 p8:6 p7:8"
		if got := rowsOf(b.Items); got != want || b.Total != 8 {
			t.Fatalf("board = %q (total %d), want %q (total 8)", got, b.Total, want)
		}
		top := b.Items[0]
		if top.Score != 1150 || top.CorrectPicks != 1 || top.ExactScores != 1 || top.SettledBets != 1 || top.TeamName == nil || *top.TeamName != "Red" {
			t.Fatalf("top row: %+v", top)
		}
		if p4 := b.Items[4]; p4.Score != 1000 || p4.SettledBets != 2 || p4.CorrectPicks != 1 {
			t.Fatalf("p4 row: %+v", p4)
		}

		// Pages: a page starting inside a tie keeps the tie's rank.
		if got := rowsOf(lw.board(lw.acme, lw.p["p1"], 2, 3).Items); got != "p3:3 p4:5 p5:6" {
			t.Fatalf("page 2 of 3 = %q", got)
		}
		if got := rowsOf(lw.board(lw.acme, lw.p["p1"], 4, 2).Items); got != "p8:6 p7:8" {
			t.Fatalf("page 4 of 2 = %q", got)
		}
		if b := lw.board(lw.acme, lw.p["p1"], 9, 2); len(b.Items) != 0 || b.Total != 8 {
			t.Fatalf("past the end: %+v", b)
		}

		// My row when I am not on the page, and when I have no wallet.
		b = lw.board(lw.acme, lw.p["p8"], 1, 2)
		if b.Me == nil || b.Me.UserID != lw.p["p8"] || b.Me.Rank != 6 || b.Me.Score != 1000 {
			t.Fatalf("me (p8, off page) = %+v", b.Me)
		}
		if b := lw.board(lw.acme, lw.p["p3"], 1, 50); b.Me == nil || b.Me.Rank != 3 {
			t.Fatalf("me (p3, on page) = %+v", b.Me)
		}
		if b := lw.board(lw.acme, lw.acme.AdminID, 1, 50); b.Me != nil {
			t.Fatalf("a member without a wallet has no row: %+v", b.Me)
		}

		// Other companies' members never appear; theirs is a separate board.
		g := lw.board(lw.globex, 0, 1, 50)
		if got := rowsOf(g.Items); got != "g1:1 g2:2 g3:3" || g.Total != 3 {
			t.Fatalf("globex board = %q (total %d)", got, g.Total)
		}

		// A corrected result (away win) re-ranks everyone consistently, and
		// correcting back restores the original board.
		lw.result(lw.m1, 0, 1)
		lw.checkStandings()
		want2 := "p5:1 p8:1 p1:3 p2:3 p3:3 p7:3 p6:7 p4:8"
		if got := rowsOf(lw.board(lw.acme, 0, 1, 50).Items); got != want2 {
			t.Fatalf("after correction = %q, want %q", got, want2)
		}
		if b := lw.board(lw.acme, lw.p["p6"], 1, 3); b.Me == nil || b.Me.Rank != 7 || b.Me.Score != 850 {
			t.Fatalf("me after correction = %+v", b.Me)
		}
		lw.result(lw.m1, 1, 0)
		lw.checkStandings()
		if got := rowsOf(lw.board(lw.acme, 0, 1, 50).Items); got != want {
			t.Fatalf("after correcting back = %q, want %q", got, want)
		}

		// Another tournament's ranking is asked for explicitly.
		if _, err := lw.a.Betting.IndividualLeaderboard(lw.ctx, lw.acme.ID, 0, lw.tid+100, paging.Page{}); err == nil {
			t.Fatal("a tournament the company is not enrolled in must be refused")
		}
	})
}

type teamView struct {
	name              string
	rank              int64 // 0 = unranked
	score             float64
	bettors, members  int64
	scoreNil, rankNil bool
}

func viewTeams(rows []betting.TeamRow) []teamView {
	var out []teamView
	for _, r := range rows {
		v := teamView{name: r.Name, bettors: r.Bettors, members: r.Members, scoreNil: r.Score == nil, rankNil: r.Rank == nil}
		if r.Rank != nil {
			v.rank = *r.Rank
		}
		if r.Score != nil {
			v.score = *r.Score
		}
		out = append(out, v)
	}
	return out
}

func TestTeamAndCompanyLeaderboards(t *testing.T) {
	testutil.EachDriver(t, func(t *testing.T, d config.Driver) {
		lw := newLeague(t, d)

		tb, err := lw.a.Betting.TeamLeaderboard(lw.ctx, lw.acme.ID, lw.p["p5"], 0, paging.Page{})
		noErr(t, err)
		// Blue (p2) and Teal (p3) tie at 1100 and share rank 1, listed by
		// name; Red averages its two bettors (1150 + 1000) / 2 and its
		// non-betting p5 does not dilute it; Green's only bet was withdrawn,
		// so it is unranked like the empty Amber, both last, by name.
		want := []teamView{
			{name: "Blue", rank: 1, score: 1100, bettors: 1, members: 1},
			{name: "Teal", rank: 1, score: 1100, bettors: 1, members: 1},
			{name: "Red", rank: 3, score: 1075, bettors: 2, members: 3},
			{name: "Amber", scoreNil: true, rankNil: true, members: 0},
			{name: "Green", scoreNil: true, rankNil: true, members: 2},
		}
		if got := viewTeams(tb.Items); fmt.Sprint(got) != fmt.Sprint(want) || tb.Total != 5 {
			t.Fatalf("teams = %+v (total %d)\nwant    %+v", got, tb.Total, want)
		}
		if tb.Me == nil || tb.Me.Name != "Red" || *tb.Me.Rank != 3 {
			t.Fatalf("my team = %+v", tb.Me)
		}
		tb, err = lw.a.Betting.TeamLeaderboard(lw.ctx, lw.acme.ID, lw.acme.AdminID, 0, paging.Page{Number: 2, PerPage: 2})
		noErr(t, err)
		if got := viewTeams(tb.Items); len(got) != 2 || got[0].name != "Red" || got[1].name != "Amber" || tb.Me != nil {
			t.Fatalf("teams page 2 = %+v, me %+v", got, tb.Me)
		}

		companies := func(co *testutil.Company) *betting.CompanyBoard {
			t.Helper()
			cb, err := lw.a.Betting.CompanyLeaderboard(lw.ctx, co.ID, 0, 0, paging.Page{})
			noErr(t, err)
			return cb
		}
		cb := companies(lw.acme)
		// acme's participants are p1 p2 p3 p4 p6 p7 (p5 never bet, p8
		// withdrew): (1150+1100+1100+1000+1150+900) / 6 = 1066.67.
		if len(cb.Items) != 2 || cb.Total != 2 || cb.MinParticipants != betting.MinCompanyParticipants {
			t.Fatalf("companies: %+v", cb)
		}
		g, a := cb.Items[0], cb.Items[1]
		if g.Slug != "globex" || *g.Rank != 1 || g.Participants != 3 || fmt.Sprintf("%.2f", *g.Score) != "1166.67" {
			t.Fatalf("globex row: %+v", g)
		}
		if a.Slug != "acme" || *a.Rank != 2 || a.Participants != 6 || fmt.Sprintf("%.2f", *a.Score) != "1066.67" {
			t.Fatalf("acme row: %+v", a)
		}
		if cb.Me == nil || cb.Me.Slug != "acme" || *cb.Me.Rank != 2 {
			t.Fatalf("acme's me: %+v", cb.Me)
		}
		// initech, below the minimum, is not ranked but sees its own row.
		cb = companies(lw.initech)
		if len(cb.Items) != 2 || cb.Me == nil || cb.Me.Rank != nil || cb.Me.Participants != 2 || cb.Me.Slug != "initech" {
			t.Fatalf("initech's view: items %+v, me %+v", cb.Items, cb.Me)
		}
		// umbrella opted out: absent for everyone, itself included.
		cb = companies(lw.umbrella)
		if len(cb.Items) != 2 || cb.Me != nil {
			t.Fatalf("umbrella's view: items %+v, me %+v", cb.Items, cb.Me)
		}
		for _, r := range cb.Items {
			if r.Slug == "umbrella" || r.Slug == "initech" {
				t.Fatalf("%s must not be ranked", r.Slug)
			}
		}
	})
}
