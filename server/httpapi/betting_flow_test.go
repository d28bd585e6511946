package httpapi_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/betcity/betcity/server/config"
	"github.com/betcity/betcity/server/testutil"
)

// TestBettingFlow walks the main journey through the API: the operator sets
// up a tournament, a member bets, changes, cancels, bets again, kickoff
// locks the bet, the result settles it and the wallet equals its ledger.
func TestBettingFlow(t *testing.T) {
	testutil.EachDriver(t, func(t *testing.T, d config.Driver) {
		a := testutil.NewApp(t, d)
		acme := a.SeedCompany(t, "acme")
		op := a.OperatorToken(t)
		opReq := func(method, path string, body any) map[string]any {
			t.Helper()
			r := a.Do(t, testutil.Req{Method: method, Path: path, Token: op, Body: body})
			if r.Status >= 300 {
				t.Fatalf("%s %s: %d %s", method, path, r.Status, r.Body)
			}
			return r.Map(t)
		}
		tour := opReq("POST", "/api/v1/operator/tournaments", map[string]any{"name": "Cup"})
		tid := int64(tour["id"].(float64))
		fra := opReq("POST", "/api/v1/operator/teams", map[string]any{"name": "France", "code": "FRA"})
		bra := opReq("POST", "/api/v1/operator/teams", map[string]any{"name": "Brazil", "code": "BRA"})
		kickoff := a.Clock.Now().Add(time.Hour).Truncate(time.Second)
		m := opReq("POST", fmt.Sprintf("/api/v1/operator/tournaments/%d/matches", tid), map[string]any{
			"kickoff": kickoff, "home_team_id": fra["id"], "away_team_id": bra["id"], "stage": "group", "group": "A"})
		mid := int64(m["id"].(float64))
		opReq("POST", fmt.Sprintf("/api/v1/operator/tournaments/%d/enrollments", tid), map[string]any{"company_id": acme.ID})

		bet := func(body map[string]any, key string) *testutil.Resp {
			return a.Do(t, testutil.Req{Method: "PUT", Host: acme.Host, Path: fmt.Sprintf("/api/v1/matches/%d/bet", mid),
				Token: acme.EmpTok, Body: body, Header: map[string]string{"Idempotency-Key": key}})
		}
		if r := bet(map[string]any{"pick": "home", "stake": 100}, "k0"); r.Status != http.StatusConflict || r.ErrorCode() != "match_not_open" {
			t.Fatalf("bet without odds: %d %s", r.Status, r.Body)
		}
		opReq("PUT", fmt.Sprintf("/api/v1/operator/matches/%d/odds", mid), map[string]any{"home": 2.35, "draw": 3.1, "away": 2.9})

		r := bet(map[string]any{"pick": "home", "stake": 100, "score": map[string]int{"home": 2, "away": 1}}, "k1")
		if r.Status != http.StatusOK || r.Map(t)["balance"].(float64) != 900 {
			t.Fatalf("bet: %d %s", r.Status, r.Body)
		}
		if r := bet(map[string]any{"pick": "home", "stake": 100, "score": map[string]int{"home": 2, "away": 1}}, "k1"); r.Status != http.StatusOK || r.Map(t)["balance"].(float64) != 900 {
			t.Fatalf("replay: %d %s", r.Status, r.Body)
		}
		if r := bet(map[string]any{"pick": "away", "stake": 100}, "k1"); r.Status != http.StatusUnprocessableEntity || r.ErrorCode() != "idempotency_key_reused" {
			t.Fatalf("key reuse: %d %s", r.Status, r.Body)
		}
		if r := bet(map[string]any{"pick": "home", "stake": 300, "score": map[string]int{"home": 2, "away": 1}}, "k2"); r.Status != http.StatusOK || r.Map(t)["balance"].(float64) != 700 {
			t.Fatalf("change: %d %s", r.Status, r.Body)
		}
		if r := bet(map[string]any{"pick": "draw", "stake": 5000}, "k3"); r.Status != http.StatusUnprocessableEntity || r.ErrorCode() != "insufficient_balance" {
			t.Fatalf("too much: %d %s", r.Status, r.Body)
		}
		if r := bet(map[string]any{"pick": "draw", "stake": 10, "score": map[string]int{"home": 2, "away": 1}}, "k4"); r.Status != http.StatusUnprocessableEntity || r.ErrorCode() != "validation_failed" {
			t.Fatalf("inconsistent score: %d %s", r.Status, r.Body)
		}
		r = a.Do(t, testutil.Req{Host: acme.Host, Path: fmt.Sprintf("/api/v1/matches/%d", mid), Token: acme.HRTok})
		if r.Status != http.StatusOK || r.Map(t)["distribution"] != nil {
			t.Fatalf("distribution before kickoff must be hidden: %d %s", r.Status, r.Body)
		}

		a.Clock.Set(kickoff)
		// Access tokens live 15 minutes: the jump to kickoff outlived them.
		acme.EmpTok, _ = a.Login(t, "acme", acme.Employee, testutil.Password)
		acme.HRTok, _ = a.Login(t, "acme", acme.HR, testutil.Password)
		if r := bet(map[string]any{"pick": "home", "stake": 10}, "k5"); r.Status != http.StatusConflict || r.ErrorCode() != "match_locked" {
			t.Fatalf("after kickoff: %d %s", r.Status, r.Body)
		}
		if r := a.Do(t, testutil.Req{Method: "DELETE", Host: acme.Host, Path: fmt.Sprintf("/api/v1/matches/%d/bet", mid), Token: acme.EmpTok}); r.Status != http.StatusConflict {
			t.Fatalf("cancel after kickoff: %d %s", r.Status, r.Body)
		}
		r = a.Do(t, testutil.Req{Host: acme.Host, Path: fmt.Sprintf("/api/v1/matches/%d", mid), Token: acme.HRTok})
		dist := r.Map(t)["distribution"].(map[string]any)
		if dist["home"].(float64) != 1 || dist["total"].(float64) != 1 {
			t.Fatalf("distribution after kickoff: %s", r.Body)
		}
		a.Clock.Set(kickoff.Add(2 * time.Hour))
		op = a.OperatorToken(t)
		acme.EmpTok, _ = a.Login(t, "acme", acme.Employee, testutil.Password)
		opReq("PUT", fmt.Sprintf("/api/v1/operator/matches/%d/result", mid), map[string]any{"ft": map[string]int{"home": 2, "away": 1}})
		// 300 × 2.35 = 705, bonus 50 % of the stake = 150.
		r = a.Do(t, testutil.Req{Host: acme.Host, Path: "/api/v1/me/wallet", Token: acme.EmpTok})
		w := r.Map(t)
		if w["balance"].(float64) != 700+705+150 {
			t.Fatalf("wallet after settlement: %s", r.Body)
		}
		var sum float64
		for _, e := range w["items"].([]any) {
			sum += e.(map[string]any)["amount"].(float64)
		}
		if sum != w["balance"].(float64) {
			t.Fatalf("ledger sum %v != balance %v", sum, w["balance"])
		}
		// A corrected result takes the winnings back.
		opReq("PUT", fmt.Sprintf("/api/v1/operator/matches/%d/result", mid), map[string]any{"ft": map[string]int{"home": 0, "away": 1}})
		r = a.Do(t, testutil.Req{Host: acme.Host, Path: "/api/v1/me/wallet", Token: acme.EmpTok})
		if r.Map(t)["balance"].(float64) != 700 {
			t.Fatalf("wallet after correction: %s", r.Body)
		}
	})
}

// Two matches of one tournament cannot share an import key: the second is
// refused with 409 and leaves no half-made match behind.
func TestDuplicateExternalKeyIsRefused(t *testing.T) {
	testutil.EachDriver(t, func(t *testing.T, d config.Driver) {
		a := testutil.NewApp(t, d)
		op := a.OperatorToken(t)
		r := a.Do(t, testutil.Req{Method: "POST", Path: "/api/v1/operator/tournaments", Token: op, Body: map[string]any{"name": "Cup"}})
		tid := int64(r.Map(t)["id"].(float64))
		path := fmt.Sprintf("/api/v1/operator/tournaments/%d/matches", tid)
		body := map[string]any{"kickoff": time.Now().Add(time.Hour).UTC(), "external_key": "num:1"}
		if r := a.Do(t, testutil.Req{Method: "POST", Path: path, Token: op, Body: body}); r.Status != http.StatusCreated {
			t.Fatalf("first: %d %s", r.Status, r.Body)
		}
		if r := a.Do(t, testutil.Req{Method: "POST", Path: path, Token: op, Body: body}); r.Status != http.StatusConflict || r.ErrorCode() != "match_exists" {
			t.Fatalf("duplicate: %d %s", r.Status, r.Body)
		}
		r = a.Do(t, testutil.Req{Path: path, Token: op})
		if total := r.Map(t)["total"].(float64); total != 1 {
			t.Fatalf("want 1 match left, got %v", total)
		}
	})
}
