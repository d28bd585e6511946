package httpapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/betcity/betcity/server/config"
	"github.com/betcity/betcity/server/testutil"
)

// errBody is the one error shape of the API.
type errBody struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
}

// wantError checks status, code and that each named field has a message.
func wantError(t *testing.T, what string, r *testutil.Resp, status int, code string, fields ...string) errBody {
	t.Helper()
	var b errBody
	r.JSON(t, &b)
	if r.Status != status || b.Error.Code != code || b.Error.Message == "" {
		t.Fatalf("%s: %d %s, want %d %s with a message", what, r.Status, r.Body, status, code)
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		t.Errorf("%s: Content-Type %q", what, r.Header.Get("Content-Type"))
	}
	for _, f := range fields {
		if b.Error.Fields[f] == "" {
			t.Errorf("%s: no message for field %q in %s", what, f, r.Body)
		}
	}
	return b
}

func signup(t *testing.T, a *testutil.TestApp, host string, body map[string]string) *testutil.Resp {
	t.Helper()
	return a.Do(t, testutil.Req{Method: http.MethodPost, Host: host, Path: "/api/v1/auth/signup", Body: body})
}

func newInvite(t *testing.T, a *testutil.TestApp, co *testutil.Company, body map[string]any) string {
	t.Helper()
	r := a.Do(t, testutil.Req{Method: http.MethodPost, Host: co.Host, Path: "/api/v1/admin/invites", Token: co.AdminTok, Body: body})
	if r.Status != http.StatusCreated {
		t.Fatalf("create invite: %d %s", r.Status, r.Body)
	}
	m := r.Map(t)
	if !strings.Contains(m["url"].(string), co.Host) || !strings.Contains(m["url"].(string), m["token"].(string)) {
		t.Errorf("invite url %v", m["url"])
	}
	return m["token"].(string)
}

func TestSignupByInvite(t *testing.T) {
	t.Parallel()
	testutil.EachDriver(t, func(t *testing.T, d config.Driver) {
		a := testutil.NewApp(t, d)
		acme := a.SeedCompany(t, "acme")
		globex := a.SeedCompany(t, "globex")
		inv := newInvite(t, a, acme, map[string]any{"max_uses": 1, "role": "hr"})

		r := a.Do(t, testutil.Req{Host: acme.Host, Path: "/api/v1/invites/" + inv})
		if r.Status != http.StatusOK || r.Map(t)["valid"] != true || r.Map(t)["company_name"] != "Acme Inc" {
			t.Fatalf("invite info: %d %s", r.Status, r.Body)
		}
		if r := a.Do(t, testutil.Req{Host: globex.Host, Path: "/api/v1/invites/" + inv}); r.Status != http.StatusNotFound {
			t.Errorf("acme invite on globex: %d %s", r.Status, r.Body)
		}
		// The invite is acme's: it opens no door at globex.
		r = signup(t, a, globex.Host, map[string]string{"email": "x@globex.test", "password": testutil.Password, "display_name": "X", "invite": inv})
		wantError(t, "acme invite at globex", r, http.StatusUnprocessableEntity, "invite_invalid", "invite")

		r = signup(t, a, acme.Host, map[string]string{"email": "New.Hire@Example.com", "password": testutil.Password, "display_name": " New Hire ", "invite": inv})
		if r.Status != http.StatusCreated || r.Cookie("betcity_refresh") == nil {
			t.Fatalf("sign-up: %d %s", r.Status, r.Body)
		}
		u := r.Map(t)["user"].(map[string]any)
		if u["email"] != "new.hire@example.com" || u["role"] != "hr" || u["company_slug"] != "acme" || u["display_name"] != "New Hire" {
			t.Errorf("signed-up user: %v", u)
		}
		if tok := r.Map(t)["access_token"].(string); a.Do(t, testutil.Req{Host: acme.Host, Path: "/api/v1/admin/members", Token: tok}).Status != http.StatusOK {
			t.Error("the invite's hr role does not let the new member read members")
		}
		// Single use: a second sign-up with it fails, and the info page says so.
		r = signup(t, a, acme.Host, map[string]string{"email": "second@example.com", "password": testutil.Password, "display_name": "Second", "invite": inv})
		wantError(t, "used-up invite", r, http.StatusUnprocessableEntity, "invite_invalid", "invite")
		wantError(t, "used-up invite info", a.Do(t, testutil.Req{Host: acme.Host, Path: "/api/v1/invites/" + inv}), http.StatusNotFound, "invite_invalid")

		// The same email cannot sign up twice in one company.
		inv2 := newInvite(t, a, acme, map[string]any{"max_uses": nil})
		r = signup(t, a, acme.Host, map[string]string{"email": "new.hire@example.com", "password": testutil.Password, "display_name": "Again", "invite": inv2})
		wantError(t, "duplicate email", r, http.StatusConflict, "email_taken", "email")

		// Expired invites.
		inv3 := newInvite(t, a, acme, map[string]any{"expires_in_hours": 1})
		a.Clock.Advance(61 * time.Minute)
		r = signup(t, a, acme.Host, map[string]string{"email": "late@example.com", "password": testutil.Password, "display_name": "Late", "invite": inv3})
		wantError(t, "expired invite", r, http.StatusUnprocessableEntity, "invite_invalid", "invite")

		// A revoked invite (the admin signs in again: the clock moved an hour).
		acme.AdminTok, _ = a.Login(t, "acme", acme.Admin, testutil.Password)
		r = a.Do(t, testutil.Req{Host: acme.Host, Path: "/api/v1/admin/invites", Token: acme.AdminTok})
		var list struct {
			Items []struct {
				ID    int64  `json:"id"`
				Token string `json:"token"`
			} `json:"items"`
		}
		r.JSON(t, &list)
		var id2 int64
		for _, it := range list.Items {
			if it.Token == inv2 {
				id2 = it.ID
			}
		}
		if r := a.Do(t, testutil.Req{Method: http.MethodDelete, Host: acme.Host, Path: fmt.Sprintf("/api/v1/admin/invites/%d", id2), Token: acme.AdminTok}); r.Status != http.StatusNoContent {
			t.Fatalf("revoke invite %d: %d %s", id2, r.Status, r.Body)
		}
		r = signup(t, a, acme.Host, map[string]string{"email": "revoked@example.com", "password": testutil.Password, "display_name": "R", "invite": inv2})
		wantError(t, "revoked invite", r, http.StatusUnprocessableEntity, "invite_invalid", "invite")

		// Invite validation names the fields.
		r = a.Do(t, testutil.Req{Method: http.MethodPost, Host: acme.Host, Path: "/api/v1/admin/invites", Token: acme.AdminTok,
			Body: map[string]any{"max_uses": 0, "expires_in_hours": 100000, "role": "operator"}})
		wantError(t, "bad invite", r, http.StatusUnprocessableEntity, "validation_failed", "max_uses", "expires_in_hours", "role")
	})
}

// Five people click one single-use link at the same moment: one gets in.
func TestSingleUseInviteUnderConcurrency(t *testing.T) {
	t.Parallel()
	testutil.EachDriver(t, func(t *testing.T, d config.Driver) {
		a := testutil.NewApp(t, d)
		acme := a.SeedCompany(t, "acme")
		inv := newInvite(t, a, acme, map[string]any{"max_uses": 1})
		var wg sync.WaitGroup
		res := make([]*testutil.Resp, 5)
		for i := range res {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res[i] = signup(t, a, acme.Host, map[string]string{"email": fmt.Sprintf("racer%d@example.com", i),
					"password": testutil.Password, "display_name": "Racer", "invite": inv})
			}()
		}
		wg.Wait()
		ok := 0
		for i, r := range res {
			switch {
			case r.Status == http.StatusCreated:
				ok++
			case r.Status == http.StatusUnprocessableEntity && r.ErrorCode() == "invite_invalid":
			default:
				t.Errorf("sign-up %d: %d %s", i, r.Status, r.Body)
			}
		}
		if ok != 1 {
			t.Fatalf("%d sign-ups succeeded with a single-use invite", ok)
		}
		r := a.Do(t, testutil.Req{Host: acme.Host, Path: "/api/v1/admin/members?q=racer", Token: acme.AdminTok})
		if total := r.Map(t)["total"]; total != float64(1) {
			t.Fatalf("members named racer: %v", total)
		}
	})
}

func TestSignupByAllowedDomain(t *testing.T) {
	t.Parallel()
	testutil.EachDriver(t, func(t *testing.T, d config.Driver) {
		a := testutil.NewApp(t, d)
		acme := a.SeedCompany(t, "acme")
		body := func(email string) map[string]string {
			return map[string]string{"email": email, "password": testutil.Password, "display_name": "Self"}
		}
		// No domain is open by default.
		wantError(t, "closed company", signup(t, a, acme.Host, body("me@acme.com")), http.StatusUnprocessableEntity, "email_domain_not_allowed", "email")

		r := a.Do(t, testutil.Req{Method: http.MethodPatch, Host: acme.Host, Path: "/api/v1/admin/company", Token: acme.AdminTok,
			Body: map[string]any{"allowed_domains": []string{"@Acme.com", "acme.co.uk"}}})
		if r.Status != http.StatusOK {
			t.Fatalf("set domains: %d %s", r.Status, r.Body)
		}
		if got := fmt.Sprint(r.Map(t)["allowed_domains"]); got != "[acme.com acme.co.uk]" {
			t.Errorf("domains are stored normalised: %s", got)
		}
		r = signup(t, a, acme.Host, body("me@ACME.com"))
		if r.Status != http.StatusCreated || r.Map(t)["user"].(map[string]any)["role"] != "employee" {
			t.Fatalf("allowed domain: %d %s", r.Status, r.Body)
		}
		for _, email := range []string{"me@evil.com", "me@sub.acme.com", "me@acme.com.evil.com"} {
			wantError(t, email, signup(t, a, acme.Host, body(email)), http.StatusUnprocessableEntity, "email_domain_not_allowed", "email")
		}
		// Validation names every field at fault.
		r = signup(t, a, acme.Host, map[string]string{"email": "not-an-email", "password": "short", "display_name": "  "})
		wantError(t, "bad sign-up", r, http.StatusUnprocessableEntity, "validation_failed", "email", "password", "display_name")
		r = a.Do(t, testutil.Req{Method: http.MethodPatch, Host: acme.Host, Path: "/api/v1/admin/company", Token: acme.AdminTok,
			Body: map[string]any{"allowed_domains": []string{"not a domain"}, "primary_color": "blue", "starting_coins": 0}})
		wantError(t, "bad settings", r, http.StatusUnprocessableEntity, "validation_failed", "allowed_domains", "primary_color", "starting_coins")
		// Sign-up happens on a company's address only.
		if r := signup(t, a, "localhost", body("me@acme.com")); r.Status != http.StatusNotFound {
			t.Errorf("sign-up on the operator console: %d %s", r.Status, r.Body)
		}
	})
}

func TestLastAdmin(t *testing.T) {
	t.Parallel()
	testutil.EachDriver(t, func(t *testing.T, d config.Driver) {
		a := testutil.NewApp(t, d)
		acme := a.SeedCompany(t, "acme")
		patch := func(tok string, id int64, body map[string]any) *testutil.Resp {
			return a.Do(t, testutil.Req{Method: http.MethodPatch, Host: acme.Host, Path: fmt.Sprintf("/api/v1/admin/members/%d", id), Token: tok, Body: body})
		}
		wantError(t, "last admin demotes self", patch(acme.AdminTok, acme.AdminID, map[string]any{"role": "employee"}), http.StatusConflict, "last_admin")
		wantError(t, "last admin deactivates self", patch(acme.AdminTok, acme.AdminID, map[string]any{"active": false}), http.StatusConflict, "last_admin")
		wantError(t, "bad role", patch(acme.AdminTok, acme.EmpID, map[string]any{"role": "operator"}), http.StatusUnprocessableEntity, "validation_failed", "role")

		if r := patch(acme.AdminTok, acme.HRID, map[string]any{"role": "admin"}); r.Status != http.StatusOK || r.Map(t)["role"] != "admin" {
			t.Fatalf("promote: %d %s", r.Status, r.Body)
		}
		// The promotion takes effect at once, with the token the HR user already holds.
		if r := a.Do(t, testutil.Req{Host: acme.Host, Path: "/api/v1/admin/invites", Token: acme.HRTok}); r.Status != http.StatusOK {
			t.Fatalf("promoted user on an admin route: %d %s", r.Status, r.Body)
		}
		if r := patch(acme.AdminTok, acme.AdminID, map[string]any{"role": "employee"}); r.Status != http.StatusOK || r.Map(t)["role"] != "employee" {
			t.Fatalf("demote self with another admin: %d %s", r.Status, r.Body)
		}
		// The demotion too: the old admin token no longer opens admin routes.
		if r := a.Do(t, testutil.Req{Host: acme.Host, Path: "/api/v1/admin/invites", Token: acme.AdminTok}); r.Status != http.StatusForbidden {
			t.Fatalf("demoted admin on an admin route: %d %s", r.Status, r.Body)
		}
		wantError(t, "new last admin deactivates self", patch(acme.HRTok, acme.HRID, map[string]any{"active": false}), http.StatusConflict, "last_admin")
		wantError(t, "member of nobody", patch(acme.HRTok, 999999, map[string]any{"role": "hr"}), http.StatusNotFound, "not_found")
	})
}

func TestTeams(t *testing.T) {
	t.Parallel()
	testutil.EachDriver(t, func(t *testing.T, d config.Driver) {
		a := testutil.NewApp(t, d)
		acme := a.SeedCompany(t, "acme")
		globex := a.SeedCompany(t, "globex")
		adm := func(method, path string, body any) *testutil.Resp {
			return a.Do(t, testutil.Req{Method: method, Host: acme.Host, Path: path, Token: acme.AdminTok, Body: body})
		}
		r := adm(http.MethodPost, "/api/v1/admin/teams", map[string]string{"name": " Red "})
		if r.Status != http.StatusCreated || r.Map(t)["name"] != "Red" {
			t.Fatalf("create team: %d %s", r.Status, r.Body)
		}
		red := int64(r.Map(t)["id"].(float64))
		wantError(t, "duplicate team", adm(http.MethodPost, "/api/v1/admin/teams", map[string]string{"name": "Red"}), http.StatusConflict, "team_name_taken", "name")
		wantError(t, "empty team name", adm(http.MethodPost, "/api/v1/admin/teams", map[string]string{"name": ""}), http.StatusUnprocessableEntity, "validation_failed", "name")
		r = adm(http.MethodPost, "/api/v1/admin/teams", map[string]string{"name": "Blue"})
		blue := int64(r.Map(t)["id"].(float64))
		// globex may have its own Red.
		if r := a.Do(t, testutil.Req{Method: http.MethodPost, Host: globex.Host, Path: "/api/v1/admin/teams", Token: globex.AdminTok,
			Body: map[string]string{"name": "Red"}}); r.Status != http.StatusCreated {
			t.Fatalf("globex Red: %d %s", r.Status, r.Body)
		}
		globexRed := int64(a.Do(t, testutil.Req{Host: globex.Host, Path: "/api/v1/teams", Token: globex.EmpTok}).Map(t)["items"].([]any)[0].(map[string]any)["id"].(float64))

		r = adm(http.MethodPatch, fmt.Sprintf("/api/v1/admin/teams/%d", red), map[string]string{"name": "Crimson"})
		if r.Status != http.StatusOK || r.Map(t)["name"] != "Crimson" {
			t.Fatalf("rename: %d %s", r.Status, r.Body)
		}
		wantError(t, "rename to a taken name", adm(http.MethodPatch, fmt.Sprintf("/api/v1/admin/teams/%d", red), map[string]string{"name": "Blue"}), http.StatusConflict, "team_name_taken")

		// Team choice: refused until the admin allows it.
		me := func(body map[string]any) *testutil.Resp {
			return a.Do(t, testutil.Req{Method: http.MethodPatch, Host: acme.Host, Path: "/api/v1/me", Token: acme.EmpTok, Body: body})
		}
		wantError(t, "team choice not allowed", me(map[string]any{"team_id": red}), http.StatusForbidden, "forbidden")
		if r := me(map[string]any{"display_name": "Emp Renamed"}); r.Status != http.StatusOK || r.Map(t)["display_name"] != "Emp Renamed" {
			t.Fatalf("rename self: %d %s", r.Status, r.Body)
		}
		if r := adm(http.MethodPatch, "/api/v1/admin/company", map[string]any{"allow_team_choice": true}); r.Status != http.StatusOK {
			t.Fatal(r.Status)
		}
		if r := a.Do(t, testutil.Req{Host: acme.Host, Path: "/api/v1/company"}); r.Map(t)["allow_team_choice"] != true {
			t.Errorf("public company info: %s", r.Body)
		}
		r = me(map[string]any{"team_id": red})
		if r.Status != http.StatusOK || r.Map(t)["team_name"] != "Crimson" || r.Map(t)["team_id"] != float64(red) {
			t.Fatalf("choose team: %d %s", r.Status, r.Body)
		}
		wantError(t, "another company's team", me(map[string]any{"team_id": globexRed}), http.StatusUnprocessableEntity, "validation_failed", "team_id")
		r = a.Do(t, testutil.Req{Host: acme.Host, Path: "/api/v1/teams", Token: acme.EmpTok})
		if r.Status != http.StatusOK || !strings.Contains(string(r.Body), `"name":"Crimson","members":1`) {
			t.Errorf("team picker: %d %s", r.Status, r.Body)
		}
		// {} changes nothing; null leaves the team.
		if r := me(map[string]any{}); r.Map(t)["team_id"] != float64(red) {
			t.Errorf("empty patch changed the team: %s", r.Body)
		}
		if r := me(map[string]any{"team_id": nil}); r.Status != http.StatusOK || r.Map(t)["team_id"] != nil {
			t.Errorf("leave team: %d %s", r.Status, r.Body)
		}
		// Admin assigns, then deletes the team: the member stays, teamless.
		if r := adm(http.MethodPatch, fmt.Sprintf("/api/v1/admin/members/%d", acme.EmpID), map[string]any{"team_id": blue}); r.Map(t)["team_name"] != "Blue" {
			t.Fatalf("assign team: %s", r.Body)
		}
		if r := adm(http.MethodDelete, fmt.Sprintf("/api/v1/admin/teams/%d", blue), nil); r.Status != http.StatusNoContent {
			t.Fatalf("delete team: %d %s", r.Status, r.Body)
		}
		wantError(t, "delete twice", adm(http.MethodDelete, fmt.Sprintf("/api/v1/admin/teams/%d", blue), nil), http.StatusNotFound, "not_found")
		if r := a.Do(t, testutil.Req{Host: acme.Host, Path: "/api/v1/me", Token: acme.EmpTok}); r.Status != http.StatusOK || r.Map(t)["team_id"] != nil {
			t.Errorf("member of a deleted team: %d %s", r.Status, r.Body)
		}
		wantError(t, "bad id", adm(http.MethodDelete, "/api/v1/admin/teams/abc", nil), http.StatusNotFound, "not_found")
	})
}

func TestPasswordResetLink(t *testing.T) {
	t.Parallel()
	testutil.EachDriver(t, func(t *testing.T, d config.Driver) {
		a := testutil.NewApp(t, d)
		acme := a.SeedCompany(t, "acme")
		globex := a.SeedCompany(t, "globex")
		_, oldCookie := loginResp(t, a, acme.Host, acme.Employee, testutil.Password)
		r := a.Do(t, testutil.Req{Method: http.MethodPost, Host: acme.Host, Path: fmt.Sprintf("/api/v1/admin/members/%d/reset-link", acme.EmpID), Token: acme.AdminTok})
		if r.Status != http.StatusCreated {
			t.Fatalf("reset link: %d %s", r.Status, r.Body)
		}
		tok := r.Map(t)["token"].(string)
		if u := r.Map(t)["url"].(string); !strings.Contains(u, acme.Host) || !strings.Contains(u, tok) {
			t.Errorf("reset url %q", u)
		}
		reset := func(host, pw string) *testutil.Resp {
			return a.Do(t, testutil.Req{Method: http.MethodPost, Host: host, Path: "/api/v1/auth/password-reset", Body: map[string]string{"token": tok, "password": pw}})
		}
		wantError(t, "acme link on globex", reset(globex.Host, "brand-new-password"), http.StatusUnprocessableEntity, "reset_token_invalid", "token")
		wantError(t, "short password", reset(acme.Host, "short"), http.StatusUnprocessableEntity, "validation_failed", "password")
		if r := reset(acme.Host, "brand-new-password"); r.Status != http.StatusNoContent {
			t.Fatalf("reset: %d %s", r.Status, r.Body)
		}
		wantError(t, "second use", reset(acme.Host, "another-new-password"), http.StatusUnprocessableEntity, "reset_token_invalid", "token")
		loginResp(t, a, acme.Host, acme.Employee, "brand-new-password")
		if r := loginFrom(t, a, acme.Host, "192.0.2.1", acme.Employee, testutil.Password); r.Status != http.StatusUnauthorized {
			t.Errorf("old password still works: %d", r.Status)
		}
		if r := a.Do(t, refreshReq(acme.Host, oldCookie)); r.Status != http.StatusUnauthorized {
			t.Errorf("a reset must end existing sessions: %d", r.Status)
		}
		// Links expire after a day.
		r = a.Do(t, testutil.Req{Method: http.MethodPost, Host: acme.Host, Path: fmt.Sprintf("/api/v1/admin/members/%d/reset-link", acme.EmpID), Token: acme.AdminTok})
		tok = r.Map(t)["token"].(string)
		a.Clock.Advance(25 * time.Hour)
		wantError(t, "expired link", reset(acme.Host, "yet-another-password"), http.StatusUnprocessableEntity, "reset_token_invalid")
		// globex's admin cannot make a link for acme's member.
		globex.AdminTok, _ = a.Login(t, "globex", globex.Admin, testutil.Password)
		r = a.Do(t, testutil.Req{Method: http.MethodPost, Host: globex.Host, Path: fmt.Sprintf("/api/v1/admin/members/%d/reset-link", acme.EmpID), Token: globex.AdminTok})
		if r.Status != http.StatusNotFound {
			t.Errorf("globex reset link for acme member: %d %s", r.Status, r.Body)
		}
	})
}

func TestMembersPagination(t *testing.T) {
	t.Parallel()
	testutil.EachDriver(t, func(t *testing.T, d config.Driver) {
		a := testutil.NewApp(t, d)
		acme := a.SeedCompany(t, "acme")
		for i := range 4 {
			a.AddMember(t, acme, fmt.Sprintf("extra%d@acme.test", i), "employee")
		}
		type page struct {
			Items []struct {
				ID    int64  `json:"id"`
				Email string `json:"email"`
			} `json:"items"`
			Page    int `json:"page"`
			PerPage int `json:"per_page"`
			Total   int `json:"total"`
		}
		get := func(q string) page {
			r := a.Do(t, testutil.Req{Host: acme.Host, Path: "/api/v1/admin/members" + q, Token: acme.HRTok})
			if r.Status != http.StatusOK {
				t.Fatalf("members%s: %d %s", q, r.Status, r.Body)
			}
			for _, k := range []string{"items", "page", "per_page", "total"} {
				if _, ok := r.Map(t)[k]; !ok {
					t.Fatalf("members%s: no %q in %s", q, k, r.Body)
				}
			}
			var p page
			r.JSON(t, &p)
			return p
		}
		all := get("")
		if all.Total != 7 || len(all.Items) != 7 || all.Page != 1 || all.PerPage != 50 {
			t.Fatalf("default page: %+v", all)
		}
		seen := map[int64]bool{}
		for n := 1; n <= 4; n++ {
			p := get(fmt.Sprintf("?per_page=2&page=%d", n))
			want := min(2, 7-(n-1)*2)
			if p.Total != 7 || p.Page != n || p.PerPage != 2 || len(p.Items) != want {
				t.Fatalf("page %d: %+v", n, p)
			}
			for _, it := range p.Items {
				if seen[it.ID] {
					t.Fatalf("member %d on two pages", it.ID)
				}
				seen[it.ID] = true
			}
		}
		if p := get("?per_page=5000&page=0"); p.PerPage != 200 || p.Page != 1 {
			t.Errorf("bounds are clamped: %+v", p)
		}
		if p := get("?q=EXTRA"); p.Total != 4 {
			t.Errorf("search: %+v", p)
		}
		if p := get("?page=9"); p.Total != 7 || p.Items == nil || len(p.Items) != 0 {
			t.Errorf("past the end: %+v", p)
		}
	})
}

// Every error, whatever its cause, has the one shape.
func TestErrorShape(t *testing.T) {
	t.Parallel()
	testutil.EachDriver(t, func(t *testing.T, d config.Driver) {
		a := testutil.NewApp(t, d)
		acme := a.SeedCompany(t, "acme")
		do := func(r testutil.Req) *testutil.Resp { return a.Do(t, r) }
		post := func(path, tok string, body any) testutil.Req {
			return testutil.Req{Method: http.MethodPost, Host: acme.Host, Path: path, Token: tok, Body: body}
		}
		b := wantError(t, "unknown field", do(post("/api/v1/auth/login", "", `{"email":"a@b.c","password":"x","pasword":"typo"}`)), http.StatusBadRequest, "bad_request")
		if !strings.Contains(b.Error.Message, "pasword") {
			t.Errorf("the unknown field is not named: %q", b.Error.Message)
		}
		wantError(t, "unknown field on a patch", do(testutil.Req{Method: http.MethodPatch, Host: acme.Host, Path: "/api/v1/me", Token: acme.EmpTok,
			Body: map[string]any{"role": "admin"}}), http.StatusBadRequest, "bad_request")
		wantError(t, "bad JSON", do(post("/api/v1/auth/login", "", `{"email":`)), http.StatusBadRequest, "bad_json")
		wantError(t, "wrong type", do(post("/api/v1/admin/teams", acme.AdminTok, `{"name":42}`)), http.StatusBadRequest, "bad_json", "name")
		wantError(t, "no body", do(post("/api/v1/auth/login", "", nil)), http.StatusUnprocessableEntity, "bad_request")
		wantError(t, "login fields", do(post("/api/v1/auth/login", "", map[string]string{})), http.StatusUnprocessableEntity, "validation_failed", "email", "password")
		wantError(t, "bad credentials", do(post("/api/v1/auth/login", "", map[string]string{"email": acme.Admin, "password": "nope"})), http.StatusUnauthorized, "invalid_credentials")
		wantError(t, "unknown email", do(post("/api/v1/auth/login", "", map[string]string{"email": "ghost@acme.test", "password": "nope"})), http.StatusUnauthorized, "invalid_credentials")
		wantError(t, "no token", do(testutil.Req{Host: acme.Host, Path: "/api/v1/me"}), http.StatusUnauthorized, "missing_token")
		wantError(t, "role", do(testutil.Req{Host: acme.Host, Path: "/api/v1/admin/company", Token: acme.EmpTok}), http.StatusForbidden, "forbidden")
		wantError(t, "unknown route", do(testutil.Req{Host: acme.Host, Path: "/api/v1/nope"}), http.StatusNotFound, "route_not_found")
		wantError(t, "unknown company", do(testutil.Req{Host: "nope.localhost", Path: "/api/v1/company"}), http.StatusNotFound, "company_not_found")
		wantError(t, "unknown host", do(testutil.Req{Host: "evil.example", Path: "/api/v1/company"}), http.StatusNotFound, "unknown_host")
		wantError(t, "company route on the console", do(testutil.Req{Host: "localhost", Path: "/api/v1/teams", Token: acme.EmpTok}), http.StatusNotFound, "company_host_required")
		wantError(t, "wrong method", do(testutil.Req{Method: http.MethodDelete, Host: acme.Host, Path: "/api/v1/company"}), http.StatusMethodNotAllowed, "method_not_allowed")
		wantError(t, "too large", do(post("/api/v1/auth/login", "", `{"email":"`+strings.Repeat("a", 9<<20)+`"}`)), http.StatusRequestEntityTooLarge, "body_too_large")
		for range 5 {
			do(post("/api/v1/auth/login", "", map[string]string{"email": acme.Employee, "password": "nope"}))
		}
		wantError(t, "throttled", do(post("/api/v1/auth/login", "", map[string]string{"email": acme.Employee, "password": "nope"})), http.StatusTooManyRequests, "too_many_attempts")

		// A deactivated company disappears from its host.
		op := a.OperatorToken(t)
		r := do(testutil.Req{Method: http.MethodPatch, Host: "localhost", Path: fmt.Sprintf("/api/v1/operator/companies/%d", acme.ID), Token: op,
			Body: map[string]any{"active": false}})
		if r.Status != http.StatusOK || r.Map(t)["active"] != false {
			t.Fatalf("deactivate company: %d %s", r.Status, r.Body)
		}
		wantError(t, "deactivated company", do(testutil.Req{Host: acme.Host, Path: "/api/v1/me", Token: acme.AdminTok}), http.StatusNotFound, "company_not_found")
		wantError(t, "slug taken", do(testutil.Req{Method: http.MethodPost, Host: "localhost", Path: "/api/v1/operator/companies", Token: op,
			Body: map[string]any{"slug": "acme", "name": "Acme Again"}}), http.StatusConflict, "slug_taken", "slug")
		wantError(t, "bad company", do(testutil.Req{Method: http.MethodPost, Host: "localhost", Path: "/api/v1/operator/companies", Token: op,
			Body: map[string]any{"slug": "-bad-", "name": "", "admin_email": "nope", "admin_password": "x"}}), http.StatusUnprocessableEntity,
			"validation_failed", "slug", "name", "admin_email", "admin_password")
	})
}
