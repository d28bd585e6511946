package betting_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/betcity/betcity/server/accounts"
	"github.com/betcity/betcity/server/betting"
	"github.com/betcity/betcity/server/config"
	"github.com/betcity/betcity/server/testutil"
)

func missingView(rep *betting.MissingReport) (members, teams string) {
	var ms, ts []string
	for _, m := range rep.Members {
		ms = append(ms, fmt.Sprintf("%s:%d@%s", m.DisplayName, m.Missing, m.NextKickoff.Sub(lbNow)))
	}
	for _, t := range rep.Teams {
		ts = append(ts, fmt.Sprintf("%s:%d", t.Name, t.MissingMembers))
	}
	return strings.Join(ms, " "), strings.Join(ts, " ")
}

// TestParticipation checks the HR views: who still has to bet on the coming
// open matches, and how many members were active each day.
func TestParticipation(t *testing.T) {
	testutil.EachDriver(t, func(t *testing.T, d config.Driver) {
		w := newLBWorld(t, d)
		odds := &betting.Odds{Home: 2, Draw: 3, Away: 4}
		mA := w.match(24*time.Hour, odds)
		mB := w.match(30*time.Hour, odds)
		mC := w.match(72*time.Hour, odds) // beyond the 48-hour window
		w.match(10*time.Hour, nil)        // no odds yet: nobody can miss it
		acme := w.company("acme", true)
		globex := w.company("globex", true)
		red, blue := w.team(acme, "Red"), w.team(acme, "Blue")
		r1, r2 := w.member(acme, "r1", red), w.member(acme, "r2", red)
		b1 := w.member(acme, "b1", blue)
		gone := w.member(acme, "gone", 0)
		off := false
		_, err := w.a.Accounts.UpdateMember(w.ctx, accounts.CompanyScope(acme.ID), gone, accounts.MemberPatch{Active: &off})
		noErr(t, err)
		w.member(globex, "stranger", 0)
		h := betting.PickHome

		// Day 1 (10 June): r1, r2 and b1 act; b1 withdraws their bet.
		w.bet(acme, r1, mA, h, 10, nil)
		w.bet(acme, r1, mB, h, 10, nil)
		w.bet(acme, r1, mC, h, 10, nil)
		w.bet(acme, r2, mA, h, 10, nil)
		w.bet(acme, b1, mA, h, 10, nil)
		_, err = w.a.Betting.CancelBet(w.ctx, betting.Member{CompanyID: acme.ID, UserID: b1}, mA)
		noErr(t, err)

		rep, err := w.a.Betting.MissingBets(w.ctx, acme.ID, 0, 0)
		noErr(t, err)
		if len(rep.Matches) != 2 || rep.Matches[0].ID != mA || rep.Matches[1].ID != mB {
			t.Fatalf("matches of the window: %+v", rep.Matches)
		}
		// The admin (no team) and b1 (withdrew) miss both; r2 misses B; r1
		// is complete; the deactivated member and globex's are not listed.
		members, teams := missingView(rep)
		if want := "acme admin:2@24h0m0s b1:2@24h0m0s r2:1@30h0m0s"; members != want {
			t.Fatalf("missing members = %q, want %q", members, want)
		}
		if want := "Blue:1 Red:1 :1"; teams != want {
			t.Fatalf("missing per team = %q, want %q", teams, want)
		}
		rep, err = w.a.Betting.MissingBets(w.ctx, acme.ID, 0, 24*time.Hour)
		noErr(t, err)
		if members, teams := missingView(rep); members != "acme admin:1@24h0m0s b1:1@24h0m0s" || teams != "Blue:1 :1 Red:0" || len(rep.Matches) != 1 {
			t.Fatalf("24-hour window: %q / %q", members, teams)
		}
		if _, err := w.a.Betting.MissingBets(w.ctx, acme.ID, 0, 31*24*time.Hour); err == nil {
			t.Fatal("a window over 30 days must be refused")
		}

		// Day 2 (11 June, 01:00): r2 changes their bet on A, r1 on B.
		w.a.Clock.Set(time.Date(2026, 6, 11, 1, 0, 0, 0, time.UTC))
		w.bet(acme, r2, mA, betting.PickDraw, 20, nil)
		w.bet(acme, r1, mB, betting.PickAway, 10, nil)
		// Day 3 (12 June): the operator cancels C; its refunds are not a
		// member's doing.
		w.a.Clock.Set(time.Date(2026, 6, 12, 9, 0, 0, 0, time.UTC))
		_, err = w.a.Betting.CancelMatch(w.ctx, mC)
		noErr(t, err)

		days, err := w.a.Betting.Activity(w.ctx, acme.ID, 0, 4)
		noErr(t, err)
		var got []string
		for _, d := range days {
			got = append(got, fmt.Sprintf("%s=%d", d.Day.Format(time.DateOnly), d.ActiveMembers))
		}
		if want := "2026-06-09=0 2026-06-10=3 2026-06-11=2 2026-06-12=0"; strings.Join(got, " ") != want {
			t.Fatalf("activity = %q, want %q", strings.Join(got, " "), want)
		}
		days, err = w.a.Betting.Activity(w.ctx, globex.ID, 0, 0)
		noErr(t, err)
		if len(days) != betting.DefaultActivityDays {
			t.Fatalf("default activity span: %d days", len(days))
		}
		for _, d := range days {
			if d.ActiveMembers != 0 {
				t.Fatalf("globex saw acme's activity: %+v", d)
			}
		}
	})
}
