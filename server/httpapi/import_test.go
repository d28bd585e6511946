package httpapi_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/betcity/betcity/server/betting"
	"github.com/betcity/betcity/server/config"
	"github.com/betcity/betcity/server/paging"
	"github.com/betcity/betcity/server/testutil"
)

const bareTimeFile = `{"name": "Local Time Cup", "matches": [
  {"round": "Matchday 1", "date": "2024-06-14", "time": "21:00", "team1": "Germany", "team2": "Scotland", "group": "Group A"}]}`

func TestImportOpenfootballAPI(t *testing.T) {
	file, err := os.ReadFile(filepath.Join("..", "importer", "testdata", "cup2026.json"))
	if err != nil {
		t.Fatal(err)
	}
	testutil.EachDriver(t, func(t *testing.T, d config.Driver) {
		a := testutil.NewApp(t, d)
		a.Clock.Set(time.Date(2026, 7, 20, 0, 0, 0, 0, time.UTC))
		acme := a.SeedCompany(t, "acme")
		op := a.OperatorToken(t)
		post := func(query string, body any, tok, host string) *testutil.Resp {
			return a.Do(t, testutil.Req{Method: http.MethodPost, Path: "/api/v1/operator/import/openfootball" + query,
				Body: body, Token: tok, Host: host})
		}

		r := post("", file, op, "")
		if r.Status != http.StatusOK {
			t.Fatalf("import: %d %s", r.Status, r.Body)
		}
		var sum struct {
			TournamentID     int64    `json:"tournament_id"`
			MatchesCreated   int      `json:"matches_created"`
			MatchesUpdated   int      `json:"matches_updated"`
			MatchesUnchanged int      `json:"matches_unchanged"`
			TeamsCreated     int      `json:"teams_created"`
			MatchesSettled   int      `json:"matches_settled"`
			Skipped          []string `json:"skipped"`
		}
		r.JSON(t, &sum)
		if sum.TournamentID == 0 || sum.MatchesCreated != 8 || sum.TeamsCreated != 9 || sum.MatchesSettled != 4 || sum.Skipped == nil {
			t.Errorf("first import: %s", r.Body)
		}
		r = post("", file, op, "")
		r.JSON(t, &sum)
		if r.Status != http.StatusOK || sum.MatchesUnchanged != 8 || sum.MatchesCreated+sum.MatchesUpdated+sum.MatchesSettled != 0 {
			t.Errorf("second import: %d %s", r.Status, r.Body)
		}
		ms, total, err := a.Betting.OperatorMatches(context.Background(), betting.MatchFilter{TournamentID: sum.TournamentID}, paging.Page{Number: 1, PerPage: 100})
		if err != nil || total != 8 || len(ms) != 8 {
			t.Errorf("stored matches: %d (%v)", total, err)
		}

		broken := strings.Replace(string(file), `"date": "2026-06-17"`, `"date": "2026-13-17"`, 1)
		r = post("", broken, op, "")
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(string(r.Body), "matches[1].date") {
			t.Errorf("broken file: %d %s", r.Status, r.Body)
		}
		r = post("", "", op, "")
		if r.Status != http.StatusUnprocessableEntity {
			t.Errorf("empty body: %d %s", r.Status, r.Body)
		}

		// Times without an offset need the zone.
		r = post("", bareTimeFile, op, "")
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(string(r.Body), "no UTC offset") {
			t.Errorf("bare time without tz: %d %s", r.Status, r.Body)
		}
		if r = post("?tz=Mars/Olympus", bareTimeFile, op, ""); r.Status != http.StatusUnprocessableEntity || !strings.Contains(string(r.Body), `"tz"`) {
			t.Errorf("unknown tz: %d %s", r.Status, r.Body)
		}
		r = post("?tz=Europe/Berlin", bareTimeFile, op, "")
		r.JSON(t, &sum)
		if r.Status != http.StatusOK || sum.MatchesCreated != 1 {
			t.Fatalf("bare time with tz: %d %s", r.Status, r.Body)
		}
		m, err := a.Betting.MatchByExternalKey(context.Background(), sum.TournamentID, "group:A:GER-SCO")
		if err != nil {
			t.Fatal(err)
		}
		if want := time.Date(2024, 6, 14, 19, 0, 0, 0, time.UTC); !m.Kickoff.Equal(want) {
			t.Errorf("kickoff %s, want %s (21:00 CEST)", m.Kickoff, want)
		}

		if r = post("", strings.Repeat(" ", 9<<20), op, ""); r.Status != http.StatusRequestEntityTooLarge {
			t.Errorf("9 MB body: %d", r.Status)
		}
		// Only the operator may import.
		if r = post("", file, acme.AdminTok, acme.Host); r.Status == http.StatusOK {
			t.Errorf("company admin imported: %d %s", r.Status, r.Body)
		}
		if r = post("", file, "", ""); r.Status != http.StatusUnauthorized {
			t.Errorf("anonymous import: %d %s", r.Status, r.Body)
		}
	})
}
