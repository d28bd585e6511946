package demo_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/betcity/betcity/server/accounts"
	"github.com/betcity/betcity/server/betting"
	"github.com/betcity/betcity/server/config"
	"github.com/betcity/betcity/server/demo"
	"github.com/betcity/betcity/server/paging"
	"github.com/betcity/betcity/server/testutil"
)

func count(t *testing.T, a *testutil.TestApp, table, where string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := a.DB.Table(table).Where(where, args...).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSeed(t *testing.T) {
	testutil.EachDriver(t, func(t *testing.T, d config.Driver) {
		a := testutil.NewApp(t, d)
		ctx := context.Background()
		start := time.Date(2026, 6, 1, 10, 3, 0, 0, time.UTC)
		a.Clock.Set(start)

		cred, err := demo.Seed(ctx, a.Accounts, a.Betting, a.Clock)
		if err != nil {
			t.Fatal(err)
		}
		if !cred.CompanyCreated || cred.UsersCreated != 7 || len(cred.Employees) < 6 || cred.Admin == "" || cred.HR == "" {
			t.Fatalf("first seed: %+v", cred)
		}
		if cred.NextKickoff.IsZero() || cred.NextKickoff.Sub(start) > time.Hour {
			t.Errorf("next kick-off %s, want within the hour after %s", cred.NextKickoff, start)
		}
		co, err := a.Accounts.CompanyBySlug(ctx, demo.Slug)
		if err != nil {
			t.Fatal(err)
		}
		if co.Name != demo.CompanyName || co.PrimaryColor != demo.PrimaryColor || co.AccentColor != demo.AccentColor {
			t.Errorf("company %+v", co)
		}
		sc := accounts.CompanyScope(co.ID)
		teams, err := a.Accounts.Teams(ctx, sc)
		if err != nil || len(teams) != 2 {
			t.Fatalf("teams %+v %v", teams, err)
		}
		for _, tm := range teams {
			if tm.Members < 3 {
				t.Errorf("team %s has %d members", tm.Name, tm.Members)
			}
		}
		matches := count(t, a, "matches", "tournament_id = ?", cred.TournamentID)
		settled := count(t, a, "bets", "tournament_id = ? AND status IN ?", cred.TournamentID, []string{betting.BetWon, betting.BetLost})
		if matches < 8 || settled < 6 || count(t, a, "matches", "tournament_id = ? AND status = ?", cred.TournamentID, betting.StatusFinished) < 2 {
			t.Errorf("%d matches, %d settled bets", matches, settled)
		}
		if n := count(t, a, "football_teams", "flag IS NOT NULL"); n < 12 {
			t.Errorf("%d football teams with a flag", n)
		}

		// A member changes her password; re-seeding must not undo it.
		emp := cred.Employees[0]
		_, empID := a.Login(t, demo.Slug, emp, demo.Password)
		if _, err := a.Accounts.ChangePassword(ctx, sc, empID, demo.Password, "my-own-password-1"); err != nil {
			t.Fatal(err)
		}

		again, err := demo.Seed(ctx, a.Accounts, a.Betting, a.Clock)
		if err != nil {
			t.Fatal(err)
		}
		if again.CompanyCreated || again.UsersCreated != 0 || again.MatchesAdded != 0 || again.TournamentID != cred.TournamentID {
			t.Errorf("second seed: %+v", again)
		}
		if n := count(t, a, "users", "company_id = ?", co.ID); n != 8 {
			t.Errorf("%d demo users after two seeds, want 8", n)
		}
		if n := count(t, a, "matches", "tournament_id = ?", cred.TournamentID); n != matches {
			t.Errorf("%d matches after two seeds, want %d", n, matches)
		}
		if n := count(t, a, "tournaments", "name = ?", demo.TournamentName); n != 1 {
			t.Errorf("%d demo tournaments", n)
		}
		if n := count(t, a, "enrollments", "company_id = ?", co.ID); n != 1 {
			t.Errorf("%d enrolments", n)
		}
		tok, _ := a.Login(t, demo.Slug, emp, "my-own-password-1")

		// The employee bets through the API on the first open match.
		views, _, err := a.Betting.Matches(ctx, co.ID, empID, betting.MatchFilter{TournamentID: cred.TournamentID}, paging.Page{Number: 1, PerPage: 100})
		if err != nil {
			t.Fatal(err)
		}
		var open *betting.MatchView
		for i := range views {
			if views[i].Open && views[i].MyBet == nil {
				open = &views[i]
				break
			}
		}
		if open == nil {
			t.Fatal("no match open for betting")
		}
		r := a.Do(t, testutil.Req{Method: http.MethodPut, Host: testutil.Host(demo.Slug), Token: tok,
			Path: fmt.Sprintf("/api/v1/matches/%d/bet", open.ID), Body: map[string]any{"pick": "draw", "stake": 50}})
		if r.Status != http.StatusOK {
			t.Fatalf("employee bet: %d %s", r.Status, r.Body)
		}
		r = a.Do(t, testutil.Req{Host: testutil.Host(demo.Slug), Token: tok, Path: "/api/v1/leaderboards/individual"})
		var board struct {
			Items []map[string]any `json:"items"`
		}
		if r.Status != http.StatusOK {
			t.Fatalf("leaderboard: %d %s", r.Status, r.Body)
		}
		if r.JSON(t, &board); len(board.Items) < 6 {
			t.Errorf("leaderboard has %d rows: %s", len(board.Items), r.Body)
		}

		// A week later every demo match is over: the next seed gives them
		// results and schedules new ones about to start.
		later := start.Add(7 * 24 * time.Hour)
		a.Clock.Set(later)
		third, err := demo.Seed(ctx, a.Accounts, a.Betting, a.Clock)
		if err != nil {
			t.Fatal(err)
		}
		if third.MatchesAdded == 0 || third.ResultsAdded == 0 || third.NextKickoff.Sub(later) > time.Hour || third.NextKickoff.Before(later) {
			t.Errorf("seed a week later: %+v", third)
		}
		if n := count(t, a, "matches", "tournament_id = ? AND status = ? AND kickoff < ?", cred.TournamentID, betting.StatusScheduled, later); n != 0 {
			t.Errorf("%d past demo matches without a result", n)
		}
		if n := count(t, a, "bets", "match_id = ? AND status = ?", open.ID, betting.BetOpen); n != 0 {
			t.Errorf("%d open bets left on a finished match", n)
		}
		fourth, err := demo.Seed(ctx, a.Accounts, a.Betting, a.Clock)
		if err != nil || fourth.MatchesAdded != 0 || fourth.ResultsAdded != 0 {
			t.Errorf("fourth seed: %+v %v", fourth, err)
		}
	})
}
