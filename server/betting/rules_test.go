package betting_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/betcity/betcity/server/betting"
	"github.com/betcity/betcity/server/config"
	"github.com/betcity/betcity/server/testutil"
)

type errBody struct {
	Error struct {
		Code   string            `json:"code"`
		Fields map[string]string `json:"fields"`
	} `json:"error"`
}

type betBody struct {
	Pick            string  `json:"pick"`
	Stake           int64   `json:"stake"`
	Odds            float64 `json:"odds"`
	PotentialPayout int64   `json:"potential_payout"`
	Status          string  `json:"status"`
	Payout          int64   `json:"payout"`
}

type matchBody struct {
	ID           int64            `json:"id"`
	Open         bool             `json:"open"`
	MyBet        *betBody         `json:"my_bet"`
	Distribution *json.RawMessage `json:"distribution"`
}

// TestBetRules checks each betting rule through the API with its error
// code, the odds a bet keeps, and who sees which picks before and after
// kickoff.
func TestBetRules(t *testing.T) {
	testutil.EachDriver(t, func(t *testing.T, d config.Driver) {
		w := newWorld(t, d)
		acme := w.company("acme", 50, 1000)
		globex := w.company("globex", 50, 1000)
		now := w.a.Clock.Now()
		odds := &betting.Odds{Home: 2.35, Draw: 3.1, Away: 2.9}
		soonKickoff := now.Add(5 * time.Minute).Truncate(time.Second)
		later := now.Add(2 * time.Hour).Truncate(time.Second)
		soon := w.match(soonKickoff, odds)
		open := w.match(later, odds)
		noOdds := w.match(later, nil)
		tbd := w.matchWith(w.tid, later, &w.home, nil, odds)
		postponed := w.match(later, odds)
		status := betting.StatusPostponed
		if _, err := w.a.Betting.UpdateMatch(w.ctx, postponed, betting.MatchInput{Status: &status}); err != nil {
			t.Fatal(err)
		}
		// A tournament only globex is enrolled in.
		t2, err := w.a.Betting.CreateTournament(w.ctx, betting.TournamentInput{Name: "Other cup"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.a.Betting.Enroll(w.ctx, t2.ID, globex.ID, 0); err != nil {
			t.Fatal(err)
		}
		foreign := w.matchWith(t2.ID, later, &w.home, &w.away, odds)
		if r := w.put(globex.Host, globex.EmpTok, foreign, map[string]any{"pick": "home", "stake": 10}, ""); r.Status != http.StatusOK {
			t.Fatalf("globex on its own tournament: %d %s", r.Status, r.Body)
		}

		h, tok := acme.Host, acme.EmpTok
		bad := []struct {
			name   string
			match  int64
			body   map[string]any
			status int
			code   string
			field  string
		}{
			{"stake 0", open, map[string]any{"pick": "home", "stake": 0}, 422, "validation_failed", "stake"},
			{"negative stake", open, map[string]any{"pick": "home", "stake": -5}, 422, "validation_failed", "stake"},
			{"no stake", open, map[string]any{"pick": "home"}, 422, "validation_failed", "stake"},
			{"unknown pick", open, map[string]any{"pick": "banana", "stake": 10}, 422, "validation_failed", "pick"},
			{"no pick", open, map[string]any{"stake": 10}, 422, "validation_failed", "pick"},
			{"home pick, draw score", open, map[string]any{"pick": "home", "stake": 10, "score": map[string]int{"home": 1, "away": 1}}, 422, "validation_failed", "score"},
			{"home pick, away score", open, map[string]any{"pick": "home", "stake": 10, "score": map[string]int{"home": 0, "away": 1}}, 422, "validation_failed", "score"},
			{"draw pick, home score", open, map[string]any{"pick": "draw", "stake": 10, "score": map[string]int{"home": 2, "away": 1}}, 422, "validation_failed", "score"},
			{"away pick, home score", open, map[string]any{"pick": "away", "stake": 10, "score": map[string]int{"home": 3, "away": 0}}, 422, "validation_failed", "score"},
			{"negative goals", open, map[string]any{"pick": "away", "stake": 10, "score": map[string]int{"home": -1, "away": 0}}, 422, "validation_failed", "score"},
			{"more than the balance", open, map[string]any{"pick": "home", "stake": 1001}, 422, "insufficient_balance", "stake"},
			{"no odds yet", noOdds, map[string]any{"pick": "home", "stake": 10}, 409, "match_not_open", ""},
			{"teams to be decided", tbd, map[string]any{"pick": "home", "stake": 10}, 409, "match_not_open", ""},
			{"postponed", postponed, map[string]any{"pick": "home", "stake": 10}, 409, "match_not_open", ""},
			{"another company's tournament", foreign, map[string]any{"pick": "home", "stake": 10}, 404, "match_not_found", ""},
			{"no such match", foreign + 1000, map[string]any{"pick": "home", "stake": 10}, 404, "match_not_found", ""},
		}
		for _, c := range bad {
			r := w.put(h, tok, c.match, c.body, "")
			var e errBody
			_ = json.Unmarshal(r.Body, &e)
			if r.Status != c.status || e.Error.Code != c.code || (c.field != "" && e.Error.Fields[c.field] == "") {
				t.Errorf("%s: got %d %s, want %d %s on field %q", c.name, r.Status, r.Body, c.status, c.code, c.field)
			}
		}
		expectErr(t, "read another company's match", w.get(h, tok, fmt.Sprintf("/api/v1/matches/%d", foreign)), 404, "match_not_found")
		expectErr(t, "cancel on another company's match", w.del(h, tok, foreign), 404, "match_not_found")
		expectErr(t, "cancel without a bet", w.del(h, tok, open), 404, "bet_not_found")
		var nothing int64
		w.a.DB.Raw("SELECT COUNT(*) FROM bets WHERE company_id = ?", acme.ID).Scan(&nothing)
		if nothing != 0 {
			t.Fatalf("refused bets left %d rows", nothing)
		}

		// Odds are those at placement: the operator's later change does not
		// touch a placed bet; a bet placed after it takes the new odds.
		if r := w.put(h, tok, open, map[string]any{"pick": "home", "stake": 100}, ""); r.Status != http.StatusOK {
			t.Fatalf("bet: %d %s", r.Status, r.Body)
		}
		op := w.a.OperatorToken(t)
		if r := w.a.Do(t, testutil.Req{Method: http.MethodPut, Path: fmt.Sprintf("/api/v1/operator/matches/%d/odds", open), Token: op,
			Body: map[string]any{"home": 1.5, "draw": 3.1, "away": 2.9}}); r.Status != http.StatusOK {
			t.Fatalf("odds change: %d %s", r.Status, r.Body)
		}
		var mv matchBody
		w.get(h, tok, fmt.Sprintf("/api/v1/matches/%d", open)).JSON(t, &mv)
		if mv.MyBet == nil || mv.MyBet.Odds != 2.35 || mv.MyBet.PotentialPayout != 235 {
			t.Errorf("my bet after the odds changed: %+v, want odds 2.35, potential 235", mv.MyBet)
		}
		var hrBet struct {
			Bet betBody `json:"bet"`
		}
		w.put(h, acme.HRTok, open, map[string]any{"pick": "home", "stake": 100}, "").JSON(t, &hrBet)
		if hrBet.Bet.Odds != 1.5 {
			t.Errorf("a bet placed after the change: odds %v, want 1.5", hrBet.Bet.Odds)
		}

		// Before kickoff, nobody sees another member's pick.
		for _, b := range []struct {
			tok, pick string
			stake     int64
		}{{acme.EmpTok, "home", 30}, {acme.HRTok, "away", 40}} {
			if r := w.put(h, b.tok, soon, map[string]any{"pick": b.pick, "stake": b.stake}, ""); r.Status != http.StatusOK {
				t.Fatalf("bet on soon: %d %s", r.Status, r.Body)
			}
		}
		if r := w.put(globex.Host, globex.EmpTok, soon, map[string]any{"pick": "draw", "stake": 50}, ""); r.Status != http.StatusOK {
			t.Fatalf("globex bet: %d %s", r.Status, r.Body)
		}
		viewers := []struct {
			name, tok string
			mine      map[int64]string // match → my pick
		}{
			{"employee", acme.EmpTok, map[int64]string{soon: "home", open: "home"}},
			{"hr", acme.HRTok, map[int64]string{soon: "away", open: "home"}},
			{"admin without bets", acme.AdminTok, map[int64]string{}},
		}
		for _, v := range viewers {
			var one matchBody
			w.get(h, v.tok, fmt.Sprintf("/api/v1/matches/%d", soon)).JSON(t, &one)
			if one.Distribution != nil || !one.Open {
				t.Errorf("%s before kickoff: distribution %s, open %v", v.name, *one.Distribution, one.Open)
			}
			var list struct {
				Items []matchBody `json:"items"`
			}
			r := w.get(h, v.tok, fmt.Sprintf("/api/v1/matches?tournament_id=%d", w.tid))
			r.JSON(t, &list)
			if len(list.Items) != 5 {
				t.Errorf("%s: %d matches listed, want 5: %s", v.name, len(list.Items), r.Body)
			}
			for _, m := range list.Items {
				if m.Distribution != nil {
					t.Errorf("%s: distribution shown before kickoff on match %d", v.name, m.ID)
				}
				want, has := v.mine[m.ID]
				switch {
				case !has && m.MyBet != nil:
					t.Errorf("%s sees a bet on match %d that is not theirs: %+v", v.name, m.ID, *m.MyBet)
				case has && (m.MyBet == nil || m.MyBet.Pick != want):
					t.Errorf("%s: my_bet on match %d is %+v, want my %s", v.name, m.ID, m.MyBet, want)
				}
			}
		}

		// One second before kickoff the match is still open; at kickoff it
		// locks, for bets, changes and cancels alike.
		w.a.Clock.Set(soonKickoff.Add(-time.Second))
		if r := w.put(h, acme.EmpTok, soon, map[string]any{"pick": "home", "stake": 35}, ""); r.Status != http.StatusOK {
			t.Errorf("change one second before kickoff: %d %s", r.Status, r.Body)
		}
		w.a.Clock.Set(soonKickoff)
		expectErr(t, "change at kickoff", w.put(h, acme.EmpTok, soon, map[string]any{"pick": "draw", "stake": 10}, ""), 409, "match_locked")
		expectErr(t, "new bet at kickoff", w.put(h, acme.AdminTok, soon, map[string]any{"pick": "draw", "stake": 10}, ""), 409, "match_locked")
		expectErr(t, "cancel at kickoff", w.del(h, acme.EmpTok, soon), 409, "match_locked")
		w.a.Clock.Set(soonKickoff.Add(time.Minute))
		expectErr(t, "bet after kickoff", w.put(h, acme.HRTok, soon, map[string]any{"pick": "draw", "stake": 10}, ""), 409, "match_locked")
		expectErr(t, "cancel after kickoff", w.del(h, acme.HRTok, soon), 409, "match_locked")

		// After kickoff: company-only counts; globex's bet is not acme's.
		dist := func(host, tok string) (bool, betting.Distribution) {
			var raw struct {
				Open         bool `json:"open"`
				Distribution *struct {
					Home, Draw, Away, Total int64
				} `json:"distribution"`
			}
			w.get(host, tok, fmt.Sprintf("/api/v1/matches/%d", soon)).JSON(t, &raw)
			if raw.Distribution == nil {
				t.Errorf("no distribution after kickoff")
				return raw.Open, betting.Distribution{}
			}
			return raw.Open, betting.Distribution(*raw.Distribution)
		}
		if isOpen, got := dist(h, acme.AdminTok); isOpen || got != (betting.Distribution{Home: 1, Away: 1, Total: 2}) {
			t.Errorf("acme distribution after kickoff: %+v (open %v), want home 1 away 1 total 2", got, isOpen)
		}
		if _, got := dist(globex.Host, globex.EmpTok); got != (betting.Distribution{Draw: 1, Total: 1}) {
			t.Errorf("globex distribution after kickoff: %+v, want draw 1 total 1", got)
		}

		// The bet placed at 2.35 is paid at 2.35.
		w.a.Clock.Set(later.Add(2 * time.Hour))
		if _, err := w.a.Betting.RecordResult(w.ctx, open, betting.Result{FT: [2]int{1, 0}}); err != nil {
			t.Fatal(err)
		}
		var paid []struct {
			UserID int64
			Payout int64
		}
		w.a.DB.Raw("SELECT user_id, payout FROM bets WHERE match_id = ? ORDER BY user_id", open).Scan(&paid)
		for _, p := range paid {
			want := map[int64]int64{acme.EmpID: 235, acme.HRID: 150}[p.UserID]
			if p.Payout != want {
				t.Errorf("user %d paid %d, want %d", p.UserID, p.Payout, want)
			}
		}
		assertLedgerConsistent(t, w.a.DB)
	})
}
