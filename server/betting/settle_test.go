package betting_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/betcity/betcity/server/betting"
	"github.com/betcity/betcity/server/config"
	"github.com/betcity/betcity/server/testutil"
)

// The settlement table: four matches with awkward odds, three companies
// betting on the same matches with exact-score bonuses of 0, 50 and 100 %,
// and five members per company whose bets cover every variant × stake.
type tableMatch struct {
	odds  betting.Odds
	cents oddsCents // the odds as the rules see them, rounded to hundredths
	ft    [2]int
	et, p *[2]int // recorded, never decisive
}

var table = []tableMatch{
	{odds: betting.Odds{Home: 2.35, Draw: 3.333, Away: 1.01}, cents: oddsCents{235, 333, 101}, ft: [2]int{2, 1}},
	{odds: betting.Odds{Home: 1.01, Draw: 3.1, Away: 7.5}, cents: oddsCents{101, 310, 750}, ft: [2]int{0, 0}, et: &[2]int{0, 0}, p: &[2]int{4, 3}},
	{odds: betting.Odds{Home: 1.5, Draw: 4.2, Away: 3.333}, cents: oddsCents{150, 420, 333}, ft: [2]int{0, 2}},
	{odds: betting.Odds{Home: 1.01, Draw: 9.99, Away: 25}, cents: oddsCents{101, 999, 2500}, ft: [2]int{3, 0}, et: nil},
}

var (
	tableStakes  = []int64{1, 7, 1000}
	tableBonuses = []int{0, 50, 100}
)

const (
	tableStarting = 5000
	nVariants     = 5
)

// variantBet is a member's pick and score guess on a match with result ft:
// 0 right pick, no score; 1 exact score; 2 right pick, wrong score; 3 wrong
// pick, no score; 4 wrong pick with a score.
func variantBet(v int, ft [2]int) (string, *[2]int) {
	right := outcomeOf(ft[0], ft[1])
	wrong := "home"
	if right == "home" {
		wrong = "away"
	}
	switch v {
	case 0:
		return right, nil
	case 1:
		s := ft
		return right, &s
	case 2:
		s := ft
		switch right {
		case "home":
			s[0]++
		case "away":
			s[1]++
		default:
			s[0]++
			s[1]++
		}
		return right, &s
	case 3:
		return wrong, nil
	}
	if wrong == "home" {
		return wrong, &[2]int{2, 0}
	}
	return wrong, &[2]int{0, 2}
}

type placed struct {
	m      member
	pct    int64
	match  int // index in table
	stake  int64
	pick   string
	score  *[2]int
	betID  int64
	result [2]int // the result it is expected to be settled on
}

type tableWorld struct {
	*world
	kickoff time.Time
	matches []int64
	bets    []placed
	people  []member
}

// newTableWorld places every bet of the table through the betting service,
// then moves the clock past the kickoffs.
func newTableWorld(t *testing.T, d config.Driver) *tableWorld {
	t.Helper()
	tw := &tableWorld{world: newWorld(t, d)}
	tw.kickoff = tw.a.Clock.Now().Add(time.Hour).Truncate(time.Second)
	for i, tm := range table {
		tw.matches = append(tw.matches, tw.match(tw.kickoff.Add(time.Duration(i)*time.Hour), &tm.odds))
	}
	for ci, pct := range tableBonuses {
		co := tw.company(fmt.Sprintf("co%d", ci), pct, tableStarting)
		ms := tw.members(co, nVariants, false)
		tw.people = append(tw.people, ms...)
		for v, m := range ms {
			for mi, tm := range table {
				pick, score := variantBet(v, tm.ft)
				p := placed{m: m, pct: int64(pct), match: mi, stake: tableStakes[(v+mi)%len(tableStakes)], pick: pick, score: score, result: tm.ft}
				in := betting.BetInput{Pick: pick, Stake: p.stake}
				if score != nil {
					in.Score = &betting.ScorePrediction{Home: score[0], Away: score[1]}
				}
				res, err := tw.a.Betting.PlaceBet(tw.ctx, m.Member, tw.matches[mi], in, "")
				if err != nil {
					t.Fatalf("place %+v: %v", p, err)
				}
				p.betID = res.Bet.ID
				tw.bets = append(tw.bets, p)
			}
		}
	}
	tw.a.Clock.Set(tw.kickoff.Add(time.Duration(len(table)) * time.Hour))
	return tw
}

func (tw *tableWorld) record(mi int, ft [2]int, et, p *[2]int) *betting.SettleSummary {
	tw.t.Helper()
	sum, err := tw.a.Betting.RecordResult(tw.ctx, tw.matches[mi], betting.Result{FT: ft, ET: et, P: p})
	if err != nil {
		tw.t.Fatalf("record %v on match %d: %v", ft, mi, err)
	}
	return sum
}

func (tw *tableWorld) ledgerCount() int64 {
	var n int64
	tw.a.DB.Raw("SELECT COUNT(*) FROM ledger").Scan(&n)
	return n
}

// check compares every bet, its ledger rows, every wallet and every
// standing with the hand computation. refunded lists matches whose bets
// must be refunded (cancelled matches).
func (tw *tableWorld) check(refunded map[int]bool) {
	t := tw.t
	t.Helper()
	type totals struct {
		balance, score          int64
		correct, exact, settled int64
	}
	want := map[int64]*totals{}
	for _, m := range tw.people {
		want[m.UserID] = &totals{balance: tableStarting, score: tableStarting}
	}
	for _, p := range tw.bets {
		var b betting.Bet
		if err := tw.a.DB.Where("id = ?", p.betID).Take(&b).Error; err != nil {
			t.Fatal(err)
		}
		what := fmt.Sprintf("bet %d (pct %d, match %d, %s %v, stake %d, result %v)", p.betID, p.pct, p.match, p.pick, p.score, p.stake, p.result)
		if b.Odds != int(table[p.match].cents.of(p.pick)) {
			t.Errorf("%s: odds %d, want %d", what, b.Odds, table[p.match].cents.of(p.pick))
		}
		var e expected
		if refunded[p.match] {
			e = expected{Status: "refunded"}
		} else {
			e = expect(p.stake, table[p.match].cents.of(p.pick), p.pick, p.score, p.result, p.pct)
		}
		if b.Status != e.Status || b.Payout != e.Payout || b.Bonus != e.Bonus {
			t.Errorf("%s: %s payout %d bonus %d, want %s payout %d bonus %d", what, b.Status, b.Payout, b.Bonus, e.Status, e.Payout, e.Bonus)
		}
		// Ledger rows of the bet: its stake, then payouts and bonuses net of
		// corrections, and a refund when the match was cancelled.
		var rows []struct {
			Kind   string
			Amount int64
		}
		tw.a.DB.Raw("SELECT kind, amount FROM ledger WHERE bet_id = ? ORDER BY id", p.betID).Scan(&rows)
		net := map[string]int64{}
		for _, r := range rows {
			net[r.Kind] += r.Amount
		}
		winnings := net["payout"] + net["bonus"] + net["correction"]
		if net["stake"] != -p.stake || winnings != e.Payout+e.Bonus {
			t.Errorf("%s: ledger %+v, want stake -%d and winnings %d", what, rows, p.stake, e.Payout+e.Bonus)
		}
		if refunded[p.match] != (net["refund"] == p.stake) || (!refunded[p.match] && net["refund"] != 0) {
			t.Errorf("%s: refunds %d on a match cancelled=%v", what, net["refund"], refunded[p.match])
		}
		if !refunded[p.match] && len(rows) == 1+countPositive(e.Payout, e.Bonus) {
			// A bet settled once has exactly one payout row and one bonus row
			// when they are positive.
			if net["payout"] != e.Payout || net["bonus"] != e.Bonus {
				t.Errorf("%s: payout rows %d, bonus rows %d", what, net["payout"], net["bonus"])
			}
		}
		tt := want[p.m.UserID]
		if refunded[p.match] {
			continue
		}
		tt.balance += e.Payout + e.Bonus - p.stake
		tt.score += e.Payout + e.Bonus - p.stake
		tt.settled++
		if e.Status == "won" {
			tt.correct++
		}
		if e.Exact {
			tt.exact++
		}
	}
	for _, m := range tw.people {
		tt := want[m.UserID]
		var bal int64
		tw.a.DB.Raw("SELECT balance FROM wallets WHERE user_id = ?", m.UserID).Scan(&bal)
		var st betting.Standing
		if err := tw.a.DB.Where("user_id = ? AND tournament_id = ?", m.UserID, tw.tid).Take(&st).Error; err != nil {
			t.Fatalf("standing of %s: %v", m.Email, err)
		}
		got := totals{balance: bal, score: st.Score, correct: int64(st.CorrectPicks), exact: int64(st.ExactScores), settled: int64(st.SettledBets)}
		if got != *tt {
			t.Errorf("%s: got %+v, want %+v", m.Email, got, *tt)
		}
	}
	assertLedgerConsistent(t, tw.a.DB)
}

func countPositive(xs ...int64) int {
	n := 0
	for _, x := range xs {
		if x > 0 {
			n++
		}
	}
	return n
}

// TestSettlementTable settles the table once and checks every bet, ledger
// row, wallet and standing against the hand computation: floor(stake ×
// odds) on the right pick, floor(stake × pct / 100) for an exact score, per
// company; extra time and penalties never count.
func TestSettlementTable(t *testing.T) {
	testutil.EachDriver(t, func(t *testing.T, d config.Driver) {
		tw := newTableWorld(t, d)
		for mi, tm := range table {
			sum := tw.record(mi, tm.ft, tm.et, tm.p)
			if sum.Settled != int64(len(tableBonuses)*nVariants) {
				t.Errorf("match %d: settled %d bets, want %d", mi, sum.Settled, len(tableBonuses)*nVariants)
			}
		}
		// Every row of the table's payout and bonus kinds, counted.
		var kinds []struct {
			Kind string
			N    int64
		}
		tw.a.DB.Raw("SELECT kind, COUNT(*) AS n FROM ledger WHERE kind IN ('payout', 'bonus', 'correction') GROUP BY kind ORDER BY kind").Scan(&kinds)
		var wantPayouts, wantBonuses int64
		for _, p := range tw.bets {
			e := expect(p.stake, table[p.match].cents.of(p.pick), p.pick, p.score, p.result, p.pct)
			if e.Payout > 0 {
				wantPayouts++
			}
			if e.Bonus > 0 {
				wantBonuses++
			}
		}
		got := map[string]int64{}
		for _, k := range kinds {
			got[k.Kind] = k.N
		}
		if got["payout"] != wantPayouts || got["bonus"] != wantBonuses || got["correction"] != 0 {
			t.Errorf("ledger rows %v, want %d payouts, %d bonuses, no corrections", got, wantPayouts, wantBonuses)
		}
		tw.check(nil)
	})
}

// TestCorrections: a result corrected twice (A → B → C) leaves bets,
// wallets and standings exactly as one settlement with C; recording the same
// score again is a no-op; a cancelled match refunds open bets, reverses then
// refunds settled ones, and refuses a result.
func TestCorrections(t *testing.T) {
	testutil.EachDriver(t, func(t *testing.T, d config.Driver) {
		tw := newTableWorld(t, d)
		// Match 0: home 2-1 (A), then 1-1 (B), then 0-3 (C).
		tw.record(0, [2]int{2, 1}, nil, nil)
		sum := tw.record(0, [2]int{1, 1}, nil, nil)
		if sum.Reversed != int64(len(tableBonuses)*nVariants) {
			t.Errorf("A → B reversed %d bets", sum.Reversed)
		}
		tw.record(0, [2]int{0, 3}, nil, nil)
		for i := range tw.bets {
			if tw.bets[i].match == 0 {
				tw.bets[i].result = [2]int{0, 3}
			}
		}
		// Match 1 settled once; match 2 settled then cancelled; match 3
		// cancelled while its bets are open.
		tw.record(1, table[1].ft, table[1].et, table[1].p)
		tw.record(2, table[2].ft, nil, nil)
		for _, mi := range []int{2, 3} {
			sum, err := tw.a.Betting.CancelMatch(tw.ctx, tw.matches[mi])
			if err != nil {
				t.Fatal(err)
			}
			if sum.Refunded != int64(len(tableBonuses)*nVariants) {
				t.Errorf("cancel match %d refunded %d bets", mi, sum.Refunded)
			}
		}
		tw.check(map[int]bool{2: true, 3: true})

		// The same 90-minute score again (even with extra time now known)
		// writes nothing; cancelling twice writes nothing.
		before := tw.ledgerCount()
		if sum := tw.record(0, [2]int{0, 3}, &[2]int{1, 3}, nil); !sum.Unchanged {
			t.Errorf("re-recording the same result: %+v", sum)
		}
		if sum, err := tw.a.Betting.CancelMatch(tw.ctx, tw.matches[3]); err != nil || !sum.Unchanged {
			t.Errorf("cancelling twice: %+v %v", sum, err)
		}
		if after := tw.ledgerCount(); after != before {
			t.Errorf("no-ops wrote %d ledger rows", after-before)
		}
		var et struct{ EtHome, EtAway *int }
		tw.a.DB.Raw("SELECT et_home, et_away FROM matches WHERE id = ?", tw.matches[0]).Scan(&et)
		if et.EtHome == nil || *et.EtHome != 1 || *et.EtAway != 3 {
			t.Errorf("the extra-time score was not stored: %+v", et)
		}
		tw.check(map[int]bool{2: true, 3: true})

		// Cancel the two settled matches too: every standing is back to the
		// starting coins, every wallet too.
		for _, mi := range []int{0, 1} {
			if _, err := tw.a.Betting.CancelMatch(tw.ctx, tw.matches[mi]); err != nil {
				t.Fatal(err)
			}
		}
		tw.check(map[int]bool{0: true, 1: true, 2: true, 3: true})

		// A cancelled match refuses a result, through the API too.
		op := tw.a.OperatorToken(t)
		r := tw.a.Do(t, testutil.Req{Method: http.MethodPut, Path: fmt.Sprintf("/api/v1/operator/matches/%d/result", tw.matches[2]), Token: op,
			Body: map[string]any{"ft": map[string]int{"home": 1, "away": 0}}})
		expectErr(t, "result on a cancelled match", r, http.StatusConflict, "match_cancelled")
		tw.check(map[int]bool{0: true, 1: true, 2: true, 3: true})
	})
}
