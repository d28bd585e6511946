package httpapi_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/betcity/betcity/server/accounts"
	"github.com/betcity/betcity/server/betting"
	"github.com/betcity/betcity/server/config"
	"github.com/betcity/betcity/server/testutil"
)

// lbCSV checks the file is what Excel with French settings opens cleanly,
// and returns its records.
func lbCSV(t *testing.T, what string, r *testutil.Resp) [][]string {
	t.Helper()
	if r.Status != http.StatusOK {
		t.Fatalf("%s: %d %s", what, r.Status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Fatalf("%s: Content-Type %q", what, ct)
	}
	if cd := r.Header.Get("Content-Disposition"); !regexp.MustCompile(`^attachment; filename="betcity-acme-[a-z-]+-\d{4}-\d\d-\d\d\.csv"$`).MatchString(cd) {
		t.Fatalf("%s: Content-Disposition %q", what, cd)
	}
	body, ok := bytes.CutPrefix(r.Body, []byte("\xef\xbb\xbf"))
	if !ok {
		t.Fatalf("%s: no UTF-8 byte-order mark: %q", what, r.Body[:min(len(r.Body), 10)])
	}
	if bytes.Count(body, []byte("\n")) != bytes.Count(body, []byte("\r\n")) || !bytes.HasSuffix(body, []byte("\r\n")) {
		t.Fatalf("%s: lines must end with CRLF: %q", what, body)
	}
	rd := csv.NewReader(bytes.NewReader(body))
	rd.Comma = ';'
	recs, err := rd.ReadAll()
	if err != nil {
		t.Fatalf("%s: not ';'-separated CSV: %v\n%s", what, err, body)
	}
	return recs
}

// TestLeaderboardsAndParticipationAPI covers the response shapes, the CSV
// exports and who may read the participation views.
func TestLeaderboardsAndParticipationAPI(t *testing.T) {
	testutil.EachDriver(t, func(t *testing.T, d config.Driver) {
		a := testutil.NewApp(t, d)
		ctx := context.Background()
		a.Clock.Set(time.Date(2026, 6, 10, 8, 0, 0, 0, time.UTC))
		acme := a.SeedCompany(t, "acme")
		globex := a.SeedCompany(t, "globex")
		tour, err := a.Betting.CreateTournament(ctx, betting.TournamentInput{Name: "Cup"})
		lbMust(t, err)
		fra, err := a.Betting.UpsertFootballTeam(ctx, "France", "FRA", nil)
		lbMust(t, err)
		bra, err := a.Betting.UpsertFootballTeam(ctx, "Brazil", "BRA", nil)
		lbMust(t, err)
		// 18:00 UTC is 20:00 in Paris (summer time) and 14:00 in New York.
		kickoff := time.Date(2026, 6, 11, 18, 0, 0, 0, time.UTC)
		h, aw := &fra.ID, &bra.ID
		m, err := a.Betting.CreateMatch(ctx, tour.ID, betting.MatchInput{Kickoff: &kickoff, HomeTeamID: &h, AwayTeamID: &aw})
		lbMust(t, err)
		_, err = a.Betting.SetOdds(ctx, m.ID, betting.Odds{Home: 2, Draw: 3, Away: 4})
		lbMust(t, err)
		for _, co := range []*testutil.Company{acme, globex} {
			_, err = a.Betting.Enroll(ctx, tour.ID, co.ID, 0)
			lbMust(t, err)
		}
		sales, err := a.Accounts.CreateTeam(ctx, accounts.CompanyScope(acme.ID), "Ventes")
		lbMust(t, err)
		sp := &sales.ID
		_, err = a.Accounts.UpdateMember(ctx, accounts.CompanyScope(acme.ID), acme.HRID, accounts.MemberPatch{TeamID: &sp})
		lbMust(t, err)
		// A name a spreadsheet would run as a formula, with the separator
		// and quotes in it.
		odd := a.AddMember(t, acme, "odd@acme.test", accounts.RoleEmployee)
		oddName := `=Dupont; "Jo"`
		_, err = a.Accounts.UpdateProfile(ctx, accounts.CompanyScope(acme.ID), odd, accounts.ProfilePatch{DisplayName: &oddName})
		lbMust(t, err)
		r := a.Do(t, testutil.Req{Method: "PUT", Host: acme.Host, Path: fmt.Sprintf("/api/v1/matches/%d/bet", m.ID), Token: acme.EmpTok,
			Body: map[string]any{"pick": "home", "stake": 100}})
		if r.Status != http.StatusOK {
			t.Fatalf("bet: %d %s", r.Status, r.Body)
		}
		get := func(co *testutil.Company, tok, path string) *testutil.Resp {
			return a.Do(t, testutil.Req{Host: co.Host, Path: path, Token: tok})
		}

		// Individual: the list shape plus my row; no wallet, no row.
		var ind struct {
			Items []map[string]any `json:"items"`
			Me    map[string]any   `json:"me"`
			Page  int              `json:"page"`
			Per   int              `json:"per_page"`
			Total int              `json:"total"`
		}
		r = get(acme, acme.EmpTok, "/api/v1/leaderboards/individual")
		r.JSON(t, &ind)
		if r.Status != http.StatusOK || len(ind.Items) != 1 || ind.Total != 1 || ind.Page != 1 || ind.Per != 50 || ind.Me == nil {
			t.Fatalf("individual: %d %s", r.Status, r.Body)
		}
		for _, k := range []string{"rank", "user_id", "display_name", "avatar_url", "team_name", "score", "correct_picks", "exact_scores", "settled_bets"} {
			if _, ok := ind.Items[0][k]; !ok {
				t.Fatalf("individual row lacks %q: %s", k, r.Body)
			}
		}
		if ind.Me["user_id"].(float64) != float64(acme.EmpID) || ind.Me["rank"].(float64) != 1 || ind.Me["score"].(float64) != 1000 {
			t.Fatalf("my row: %s", r.Body)
		}
		r = get(acme, acme.HRTok, "/api/v1/leaderboards/individual?per_page=10")
		if !bytes.Contains(r.Body, []byte(`"me":null`)) || !bytes.Contains(r.Body, []byte(`"per_page":10`)) {
			t.Fatalf("HR without a wallet: %s", r.Body)
		}
		if r := get(globex, globex.EmpTok, "/api/v1/leaderboards/individual"); bytes.Contains(r.Body, []byte(`"emp"`)) || !bytes.Contains(r.Body, []byte(`"total":0`)) {
			t.Fatalf("globex sees acme's members: %s", r.Body)
		}

		// Teams: Ventes has a member but no bettor: unranked, no score.
		r = get(acme, acme.HRTok, "/api/v1/leaderboards/teams")
		if r.Status != http.StatusOK || !bytes.Contains(r.Body, []byte(`{"rank":null,"team_id":`+fmt.Sprint(sales.ID)+`,"name":"Ventes","score":null,"bettors":0,"members":1}`)) {
			t.Fatalf("teams: %d %s", r.Status, r.Body)
		}
		// Companies: one participant is below the minimum of 3.
		r = get(acme, acme.EmpTok, "/api/v1/leaderboards/companies")
		if r.Status != http.StatusOK || !bytes.Contains(r.Body, []byte(`"items":[]`)) || !bytes.Contains(r.Body, []byte(`"min_participants":3`)) ||
			!bytes.Contains(r.Body, []byte(`"me":{"rank":null,"slug":"acme","name":"Acme Inc","logo_url":null,"score":1000,"participants":1}`)) {
			t.Fatalf("companies: %d %s", r.Status, r.Body)
		}

		// Missing bets: everyone active but the employee who bet.
		var miss struct {
			Matches []map[string]any `json:"matches"`
			Members []struct {
				UserID  int64  `json:"user_id"`
				Email   string `json:"email"`
				Missing int    `json:"missing"`
			} `json:"members"`
			Teams []map[string]any `json:"teams"`
		}
		r = get(acme, acme.HRTok, "/api/v1/participation/missing?hours=48")
		r.JSON(t, &miss)
		if r.Status != http.StatusOK || len(miss.Matches) != 1 || len(miss.Members) != 3 || len(miss.Teams) != 2 {
			t.Fatalf("missing: %d %s", r.Status, r.Body)
		}
		for _, mm := range miss.Members {
			if mm.UserID == acme.EmpID || mm.Missing != 1 {
				t.Fatalf("missing members: %s", r.Body)
			}
		}
		if r := get(acme, acme.AdminTok, "/api/v1/participation/missing?hours=24"); !bytes.Contains(r.Body, []byte(`"matches":[]`)) {
			t.Fatalf("a 24-hour window ends before the match: %s", r.Body)
		}
		if r := get(globex, globex.HRTok, "/api/v1/participation/missing"); r.Status != http.StatusOK || bytes.Contains(r.Body, []byte("acme.test")) {
			t.Fatalf("globex's HR sees acme's members: %d %s", r.Status, r.Body)
		}

		// The CSV export, French by default, in Paris time.
		recs := lbCSV(t, "missing.csv", get(acme, acme.HRTok, "/api/v1/participation/missing.csv"))
		if strings.Join(recs[0], "|") != "Nom|E-mail|Équipe|Paris manquants|Prochain match sans pari" || len(recs) != 4 {
			t.Fatalf("missing.csv: %q", recs)
		}
		dateRe := regexp.MustCompile(`^\d\d/\d\d/\d{4} \d\d:\d\d$`)
		var oddRow []string
		for _, rec := range recs[1:] {
			if !dateRe.MatchString(rec[4]) || rec[4] != "11/06/2026 20:00" || rec[3] != "1" {
				t.Fatalf("missing.csv row %q", rec)
			}
			if rec[1] == "odd@acme.test" {
				oddRow = rec
			}
		}
		if oddRow == nil || oddRow[0] != `'`+oddName {
			t.Fatalf("the formula-like name must come back intact and neutralised: %q", oddRow)
		}
		if hr := recs[1:]; !strings.Contains(fmt.Sprint(hr), "Ventes") {
			t.Fatalf("team column: %q", recs)
		}
		recs = lbCSV(t, "missing.csv (en)", get(acme, acme.AdminTok, "/api/v1/participation/missing.csv?lang=en&tz=America/New_York"))
		if recs[0][0] != "Name" || recs[1][4] != "11/06/2026 14:00" {
			t.Fatalf("missing.csv in English, New York time: %q", recs)
		}
		for _, q := range []string{"tz=Nowhere/City", "lang=de", "hours=0", "hours=9999"} {
			if r := get(acme, acme.HRTok, "/api/v1/participation/missing.csv?"+q); r.Status != http.StatusUnprocessableEntity {
				t.Fatalf("%s: %d %s", q, r.Status, r.Body)
			}
		}

		// Activity: today the employee bet.
		r = get(acme, acme.AdminTok, "/api/v1/participation/activity?days=3")
		if r.Status != http.StatusOK || r.Body == nil ||
			!bytes.Contains(r.Body, []byte(`{"items":[{"day":"2026-06-08","active_members":0},{"day":"2026-06-09","active_members":0},{"day":"2026-06-10","active_members":1}]}`)) {
			t.Fatalf("activity: %d %s", r.Status, r.Body)
		}
		recs = lbCSV(t, "activity.csv", get(acme, acme.HRTok, "/api/v1/participation/activity.csv?days=3"))
		if fmt.Sprint(recs) != "[[Jour (UTC) Membres actifs] [08/06/2026 0] [09/06/2026 0] [10/06/2026 1]]" {
			t.Fatalf("activity.csv: %q", recs)
		}

		// Employees may read the leaderboards but not the HR views.
		for _, p := range []string{"missing", "missing.csv", "activity", "activity.csv"} {
			if r := get(acme, acme.EmpTok, "/api/v1/participation/"+p); r.Status != http.StatusForbidden {
				t.Fatalf("employee on %s: %d %s", p, r.Status, r.Body)
			}
		}
	})
}

func lbMust(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
