package importer_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/betcity/betcity/server/betting"
	"github.com/betcity/betcity/server/config"
	"github.com/betcity/betcity/server/importer"
	"github.com/betcity/betcity/server/importer/openfootball"
	"github.com/betcity/betcity/server/testutil"
)

func parseFile(t *testing.T, path string, opts ...openfootball.Option) *openfootball.Tournament {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tour, err := openfootball.Parse(f, opts...)
	if err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	return tour
}

func importFile(t *testing.T, bet *betting.Service, path string, opts ...openfootball.Option) importer.Summary {
	t.Helper()
	tour := parseFile(t, path, opts...)
	var calls, lastDone, lastTotal int
	sum, err := importer.Import(context.Background(), bet, tour, func(done, total int) {
		calls++
		if done < lastDone {
			t.Errorf("progress went back from %d to %d", lastDone, done)
		}
		lastDone, lastTotal = done, total
	})
	if err != nil {
		t.Fatalf("import %s: %v", path, err)
	}
	if lastDone != len(tour.Matches) || lastTotal != len(tour.Matches) || calls != len(tour.Matches)+1 {
		t.Errorf("progress ended at %d/%d after %d calls, want %d/%d after %d", lastDone, lastTotal, calls,
			len(tour.Matches), len(tour.Matches), len(tour.Matches)+1)
	}
	return sum
}

type counts struct{ created, updated, unchanged, teams, settled, skipped int }

func checkCounts(t *testing.T, what string, s importer.Summary, want counts) {
	t.Helper()
	got := counts{s.MatchesCreated, s.MatchesUpdated, s.MatchesUnchanged, s.TeamsCreated, s.MatchesSettled, len(s.Skipped)}
	if got != want {
		t.Errorf("%s: got %+v, want %+v (skipped: %q)", what, got, want, s.Skipped)
	}
}

func matchByKey(t *testing.T, bet *betting.Service, tournamentID int64, key string) *betting.Match {
	t.Helper()
	m, err := bet.MatchByExternalKey(context.Background(), tournamentID, key)
	if err != nil {
		t.Fatalf("match %s: %v", key, err)
	}
	return m
}

func countMatches(t *testing.T, a *testutil.TestApp, tournamentID int64) int64 {
	t.Helper()
	var n int64
	if err := a.DB.Model(&betting.Match{}).Where("tournament_id = ?", tournamentID).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func ptrEq(p *int, v int) bool { return p != nil && *p == v }

func TestImport(t *testing.T) {
	testutil.EachDriver(t, func(t *testing.T, driver config.Driver) {
		a := testutil.NewApp(t, driver)
		ctx := context.Background()
		t.Run("2018 style: idempotent, then an update settles bets and resolves a placeholder", func(t *testing.T) {
			testReimportSettles(t, a, ctx)
		})
		t.Run("2026 style: string minutes, extra time, penalties, placeholders", func(t *testing.T) {
			a.Clock.Set(time.Date(2026, 7, 20, 12, 0, 0, 0, time.UTC))
			path := filepath.Join("testdata", "cup2026.json")
			s := importFile(t, a.Betting, path)
			// Mexico, South Africa, Côte d'Ivoire, Türkiye, USA, Curaçao,
			// Germany, Argentina; Spain exists since the 2018 import.
			checkCounts(t, "first import", s, counts{created: 8, teams: 8, settled: 4})
			checkCounts(t, "second import", importFile(t, a.Betting, path), counts{unchanged: 8})
			if n := countMatches(t, a, s.TournamentID); n != 8 {
				t.Errorf("%d matches stored, want 8", n)
			}
			semi := matchByKey(t, a.Betting, s.TournamentID, "num:101")
			if semi.Status != betting.StatusFinished || !ptrEq(semi.FtHome, 2) || !ptrEq(semi.FtAway, 2) ||
				!ptrEq(semi.EtHome, 2) || !ptrEq(semi.PenHome, 5) || !ptrEq(semi.PenAway, 4) || !ptrEq(semi.SettledHome, 2) {
				t.Errorf("semi-final stored as %+v", semi)
			}
			if semi.Stage != "semi_final" || semi.Venue != "Dallas (Arlington)" || !semi.Kickoff.Equal(time.Date(2026, 7, 14, 19, 0, 0, 0, time.UTC)) {
				t.Errorf("semi-final stage/venue/kickoff: %q %q %s", semi.Stage, semi.Venue, semi.Kickoff)
			}
			r32 := matchByKey(t, a.Betting, s.TournamentID, "num:77")
			if r32.HomeTeamID != nil || r32.AwayTeamID != nil || r32.HomeLabel != "1I" || r32.AwayLabel != "3C/D/F/G/H" {
				t.Errorf("placeholder match stored as home %v %q, away %v %q", r32.HomeTeamID, r32.HomeLabel, r32.AwayTeamID, r32.AwayLabel)
			}
			civ := matchByKey(t, a.Betting, s.TournamentID, "group:E:CIV-TUR")
			if civ.HomeTeam == nil || civ.HomeTeam.Code != "CIV" || civ.HomeTeam.Flag == nil || *civ.HomeTeam.Flag != "ci.svg" {
				t.Errorf("Côte d'Ivoire stored as %+v", civ.HomeTeam)
			}
			tour, err := a.Betting.Tournament(ctx, s.TournamentID)
			if err != nil {
				t.Fatal(err)
			}
			if tour.Stages != "group,round_of_32,round_of_16,semi_final,final" {
				t.Errorf("tournament stages %q", tour.Stages)
			}
		})
		t.Run("the parser's fixtures import twice without duplicates", func(t *testing.T) {
			a.Clock.Set(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
			berlin, err := time.LoadLocation("Europe/Berlin")
			if err != nil {
				t.Fatal(err)
			}
			paths, _ := filepath.Glob(filepath.Join("openfootball", "testdata", "*.json"))
			if len(paths) == 0 {
				t.Fatal("no parser fixtures found")
			}
			for _, p := range paths {
				first := importFile(t, a.Betting, p, openfootball.WithZone(berlin))
				second := importFile(t, a.Betting, p, openfootball.WithZone(berlin))
				n := first.MatchesCreated + first.MatchesUpdated + first.MatchesUnchanged
				if first.MatchesCreated == 0 || second.MatchesUnchanged != n || second.MatchesCreated+second.MatchesUpdated+second.MatchesSettled != 0 {
					t.Errorf("%s: first %+v, second %+v", p, first, second)
				}
				if got := countMatches(t, a, first.TournamentID); got != int64(n) {
					t.Errorf("%s: %d matches stored, want %d", p, got, n)
				}
			}
		})
	})
}

func testReimportSettles(t *testing.T, a *testutil.TestApp, ctx context.Context) {
	a.Clock.Set(time.Date(2018, 6, 16, 0, 0, 0, 0, time.UTC))
	path := filepath.Join("testdata", "cup2018.json")
	s := importFile(t, a.Betting, path)
	// Russia, Saudi Arabia, Egypt, Uruguay, Portugal, Spain, IR Iran.
	checkCounts(t, "first import", s, counts{created: 7, teams: 7, settled: 3})
	again := importFile(t, a.Betting, path)
	checkCounts(t, "second import", again, counts{unchanged: 7})
	if again.TournamentID != s.TournamentID {
		t.Fatalf("second import used tournament %d, first %d", again.TournamentID, s.TournamentID)
	}
	if n := countMatches(t, a, s.TournamentID); n != 7 {
		t.Fatalf("%d matches stored, want 7", n)
	}
	rus := matchByKey(t, a.Betting, s.TournamentID, "group:A:KSA-RUS")
	if rus.Status != betting.StatusFinished || !ptrEq(rus.SettledHome, 5) || !ptrEq(rus.SettledAway, 0) ||
		!rus.Kickoff.Equal(time.Date(2018, 6, 14, 15, 0, 0, 0, time.UTC)) || rus.GroupName != "A" || rus.Round != "Matchday 1" {
		t.Errorf("opening match stored as %+v", rus)
	}

	// Bets on Iran v Portugal while it is still ahead.
	co := a.SeedCompany(t, "importco")
	if _, err := a.Betting.Enroll(ctx, s.TournamentID, co.ID, 1000); err != nil {
		t.Fatal(err)
	}
	iran := matchByKey(t, a.Betting, s.TournamentID, "group:B:IRN-POR")
	if iran.HomeTeam == nil || iran.HomeTeam.Code != "IRN" || iran.HomeLabel != "" {
		t.Fatalf("IR Iran stored as %+v label %q", iran.HomeTeam, iran.HomeLabel)
	}
	if _, err := a.Betting.SetOdds(ctx, iran.ID, betting.Odds{Home: 4, Draw: 3.5, Away: 1.8}); err != nil {
		t.Fatal(err)
	}
	emp := betting.Member{CompanyID: co.ID, UserID: co.EmpID}
	hr := betting.Member{CompanyID: co.ID, UserID: co.HRID}
	if _, err := a.Betting.PlaceBet(ctx, emp, iran.ID, betting.BetInput{Pick: betting.PickHome, Stake: 100}, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Betting.PlaceBet(ctx, hr, iran.ID, betting.BetInput{Pick: betting.PickDraw, Stake: 100}, ""); err != nil {
		t.Fatal(err)
	}

	// Ten days later, the updated file: Iran v Portugal moved an hour
	// earlier and has a score, Egypt v Uruguay's score is corrected, the
	// first round-of-16 slot is now Uruguay v Portugal (with a score dated
	// in the future), and the final has a score while its teams are TBD.
	a.Clock.Set(time.Date(2018, 6, 26, 12, 0, 0, 0, time.UTC))
	upd := filepath.Join("testdata", "cup2018-update.json")
	u := importFile(t, a.Betting, upd)
	checkCounts(t, "update", u, counts{updated: 3, unchanged: 4, settled: 2, skipped: 2})
	joined := strings.Join(u.Skipped, "\n")
	if !strings.Contains(joined, "round_of_16:1") || !strings.Contains(joined, "in the future") ||
		!strings.Contains(joined, "final:1") || !strings.Contains(joined, "not both known") {
		t.Errorf("skipped: %q", u.Skipped)
	}
	if n := countMatches(t, a, s.TournamentID); n != 7 {
		t.Errorf("%d matches stored after the update, want 7", n)
	}
	iran = matchByKey(t, a.Betting, s.TournamentID, "group:B:IRN-POR")
	if !iran.Kickoff.Equal(time.Date(2018, 6, 25, 17, 0, 0, 0, time.UTC)) || iran.Status != betting.StatusFinished ||
		!ptrEq(iran.SettledHome, 1) || !ptrEq(iran.SettledAway, 1) {
		t.Errorf("Iran v Portugal after the update: kickoff %s status %s settled %v-%v", iran.Kickoff, iran.Status, iran.SettledHome, iran.SettledAway)
	}
	var bets []betting.Bet
	if err := a.DB.Where("match_id = ?", iran.ID).Order("user_id").Find(&bets).Error; err != nil {
		t.Fatal(err)
	}
	got := map[int64]betting.Bet{}
	for _, b := range bets {
		got[b.UserID] = b
	}
	if b := got[co.EmpID]; b.Status != betting.BetLost || b.Payout != 0 {
		t.Errorf("employee's home bet: %s payout %d, want lost 0", b.Status, b.Payout)
	}
	if b := got[co.HRID]; b.Status != betting.BetWon || b.Payout != 350 {
		t.Errorf("HR's draw bet: %s payout %d, want won 350", b.Status, b.Payout)
	}
	w, err := a.Betting.Wallet(ctx, hr, s.TournamentID)
	if err != nil {
		t.Fatal(err)
	}
	if w.Balance != 1000-100+350 {
		t.Errorf("HR balance %d, want 1250", w.Balance)
	}
	egy := matchByKey(t, a.Betting, s.TournamentID, "group:A:EGY-URU")
	if !ptrEq(egy.SettledHome, 1) || !ptrEq(egy.SettledAway, 1) {
		t.Errorf("corrected Egypt v Uruguay settled at %v-%v", egy.SettledHome, egy.SettledAway)
	}
	r16 := matchByKey(t, a.Betting, s.TournamentID, "round_of_16:1")
	if r16.HomeTeam == nil || r16.HomeTeam.Code != "URU" || r16.AwayTeam == nil || r16.AwayTeam.Code != "POR" ||
		r16.HomeLabel != "" || r16.AwayLabel != "" || r16.Status != betting.StatusScheduled || r16.FtHome != nil {
		t.Errorf("round of 16 slot after the update: %+v", r16)
	}
	final := matchByKey(t, a.Betting, s.TournamentID, "final:1")
	if final.HomeLabel != "W49" || final.AwayLabel != "W50" || final.FtHome != nil {
		t.Errorf("final after the update: %+v", final)
	}

	// The same update again changes nothing and pays nothing twice.
	checkCounts(t, "update again", importFile(t, a.Betting, upd), counts{unchanged: 7, skipped: 2})
	w2, err := a.Betting.Wallet(ctx, hr, s.TournamentID)
	if err != nil {
		t.Fatal(err)
	}
	if w2.Balance != w.Balance {
		t.Errorf("HR balance moved from %d to %d on a repeated import", w.Balance, w2.Balance)
	}
}
