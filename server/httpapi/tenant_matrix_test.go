package httpapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/betcity/betcity/server/config"
	"github.com/betcity/betcity/server/testutil"
)

// acmeWorld is two seeded tenants, with a few acme objects whose IDs the
// matrix puts in other tenants' requests.
type acmeWorld struct {
	a             *testutil.TestApp
	acme, globex  *testutil.Company
	op            string
	acmeTeamID    int64
	acmeInviteID  int64
	acmeInviteTok string
}

func newAcmeWorld(t *testing.T, d config.Driver) *acmeWorld {
	t.Helper()
	a := testutil.NewApp(t, d)
	w := &acmeWorld{a: a, acme: a.SeedCompany(t, "acme"), globex: a.SeedCompany(t, "globex"), op: a.OperatorToken(t)}
	r := a.Do(t, testutil.Req{Method: http.MethodPost, Host: w.acme.Host, Path: "/api/v1/admin/teams", Token: w.acme.AdminTok,
		Body: map[string]string{"name": "Acme Rockets"}})
	if r.Status != http.StatusCreated {
		t.Fatalf("create team: %d %s", r.Status, r.Body)
	}
	w.acmeTeamID = int64(r.Map(t)["id"].(float64))
	r = a.Do(t, testutil.Req{Method: http.MethodPost, Host: w.acme.Host, Path: "/api/v1/admin/invites", Token: w.acme.AdminTok,
		Body: map[string]any{"max_uses": 5}})
	if r.Status != http.StatusCreated {
		t.Fatalf("create invite: %d %s", r.Status, r.Body)
	}
	m := r.Map(t)
	w.acmeInviteID, w.acmeInviteTok = int64(m["id"].(float64)), m["token"].(string)
	return w
}

// fill puts acme's real IDs into a route's path parameters. known is false
// when a parameter names something this test does not seed (routes added
// later); it then gets "1".
func (w *acmeWorld) fill(path string) (string, bool) {
	parts := strings.Split(path, "/")
	known := true
	for i, p := range parts {
		if !strings.HasPrefix(p, ":") {
			continue
		}
		prev := ""
		if i > 0 {
			prev = parts[i-1]
		}
		switch {
		case p == ":token" && prev == "invites":
			parts[i] = w.acmeInviteTok
		case prev == "teams" && strings.Contains(path, "/admin/"):
			parts[i] = fmt.Sprint(w.acmeTeamID)
		case prev == "invites":
			parts[i] = fmt.Sprint(w.acmeInviteID)
		case prev == "members":
			parts[i] = fmt.Sprint(w.acme.EmpID)
		case prev == "companies":
			parts[i] = fmt.Sprint(w.acme.ID)
		default:
			parts[i] = "1"
			known = false
		}
	}
	return strings.Join(parts, "/"), known
}

// leaks reports acme data in a body answered to someone who is not acme.
func leaks(body []byte) bool {
	b := strings.ToLower(string(body))
	return strings.Contains(b, "acme")
}

func needsToken(access string) bool {
	return access == "member" || access == "hr+admin" || access == "admin" || access == "signed-in"
}

func bodyFor(method string) any {
	if method == http.MethodPost || method == http.MethodPut || method == http.MethodPatch {
		return map[string]any{}
	}
	return nil
}

// Every company-scoped route, present and future, refuses other tenants'
// tokens, and never answers with acme's data.
func TestCrossTenantMatrix(t *testing.T) {
	t.Parallel()
	testutil.EachDriver(t, func(t *testing.T, d config.Driver) {
		w := newAcmeWorld(t, d)
		a, acme, globex := w.a, w.acme, w.globex
		routes := a.Server.RouteTable()
		if len(routes) < 20 {
			t.Fatalf("route table has only %d routes", len(routes))
		}
		seen := map[string]bool{}
		for _, rt := range routes {
			seen[rt.Access] = true
			path, _ := w.fill(rt.Path)
			name := rt.Method + " " + rt.Path
			send := func(host, tok string) *testutil.Resp {
				return a.Do(t, testutil.Req{Method: rt.Method, Host: host, Path: path, Token: tok, Body: bodyFor(rt.Method)})
			}
			noLeak := func(what string, r *testutil.Resp) {
				t.Helper()
				if r.Status >= 500 {
					t.Errorf("%s, %s: %d %s", name, what, r.Status, r.Body)
				}
				if leaks(r.Body) {
					t.Errorf("%s, %s: body has acme data: %s", name, what, r.Body)
				}
			}
			switch rt.Access {
			case "member", "hr+admin", "admin", "signed-in":
				// globex's admin token on acme's host.
				r := send(acme.Host, globex.AdminTok)
				if r.Status != http.StatusUnauthorized {
					t.Errorf("%s: globex token on acme host: %d %s", name, r.Status, r.Body)
				}
				noLeak("globex token on acme host", r)
				// acme's admin token on globex's host.
				r = send(globex.Host, acme.AdminTok)
				if r.Status != http.StatusUnauthorized {
					t.Errorf("%s: acme token on globex host: %d %s", name, r.Status, r.Body)
				}
				noLeak("acme token on globex host", r)
				// acme's token on the operator console.
				r = send("localhost", acme.AdminTok)
				if r.Status != http.StatusUnauthorized && r.Status != http.StatusNotFound {
					t.Errorf("%s: acme token on the operator host: %d %s", name, r.Status, r.Body)
				}
				noLeak("acme token on the operator host", r)
				// The operator's token on a company host.
				r = send(acme.Host, w.op)
				if r.Status != http.StatusUnauthorized && r.Status != http.StatusNotFound {
					t.Errorf("%s: operator token on acme host: %d %s", name, r.Status, r.Body)
				}
				noLeak("operator token on acme host", r)
				// No token at all.
				if r := send(acme.Host, ""); r.Status != http.StatusUnauthorized || r.ErrorCode() != "missing_token" {
					t.Errorf("%s: no token: %d %s", name, r.Status, r.Body)
				}
				// Roles: the route's own table entry is enforced.
				if rt.Access == "admin" {
					if r := send(acme.Host, acme.HRTok); r.Status != http.StatusForbidden {
						t.Errorf("%s: hr on an admin route: %d %s", name, r.Status, r.Body)
					}
				}
				if rt.Access == "admin" || rt.Access == "hr+admin" {
					if r := send(acme.Host, acme.EmpTok); r.Status != http.StatusForbidden {
						t.Errorf("%s: employee on an %s route: %d %s", name, rt.Access, r.Status, r.Body)
					}
				}
			case "company-public":
				// On another company's host, acme's objects are not found.
				r := send(globex.Host, "")
				noLeak("globex host", r)
				r = send("localhost", "")
				if r.Status != http.StatusNotFound {
					t.Errorf("%s: company-public route on the operator host: %d %s", name, r.Status, r.Body)
				}
				noLeak("operator host", r)
			case "operator":
				// Operator routes do not exist on company hosts, whoever asks.
				for _, tok := range []string{"", w.op, acme.AdminTok} {
					r := send(acme.Host, tok)
					if r.Status != http.StatusNotFound {
						t.Errorf("%s on a company host (token %.8s): %d %s", name, tok, r.Status, r.Body)
					}
				}
				if r := send("localhost", acme.AdminTok); r.Status != http.StatusUnauthorized {
					t.Errorf("%s: acme token on the operator host: %d %s", name, r.Status, r.Body)
				}
				if r := send("localhost", ""); r.Status != http.StatusUnauthorized {
					t.Errorf("%s: no token on the operator host: %d %s", name, r.Status, r.Body)
				}
			case "public":
			default:
				t.Errorf("%s: unknown access %q", name, rt.Access)
			}
		}
		for _, acc := range []string{"public", "company-public", "member", "hr+admin", "admin", "operator", "signed-in"} {
			if !seen[acc] {
				t.Errorf("no route with access %q: the matrix did not exercise it", acc)
			}
		}
	})
}

// globex's own admin, on globex's host, names acme's objects by ID: every
// such call is "not found", and acme's objects are unchanged.
func TestForeignIDsAreNotFound(t *testing.T) {
	t.Parallel()
	testutil.EachDriver(t, func(t *testing.T, d config.Driver) {
		w := newAcmeWorld(t, d)
		a, acme, globex := w.a, w.acme, w.globex
		bodies := map[string]any{
			"PATCH /api/v1/admin/teams/:id":   map[string]string{"name": "Hijacked"},
			"PATCH /api/v1/admin/members/:id": map[string]any{"role": "admin", "active": false},
		}
		checked := 0
		for _, rt := range a.Server.RouteTable() {
			if !strings.Contains(rt.Path, ":") || rt.Access == "operator" || rt.Access == "public" {
				continue
			}
			path, known := w.fill(rt.Path)
			name := rt.Method + " " + rt.Path
			body := bodies[name]
			if body == nil {
				body = bodyFor(rt.Method)
			}
			tok := globex.AdminTok
			if rt.Access == "company-public" {
				tok = ""
			}
			r := a.Do(t, testutil.Req{Method: rt.Method, Host: globex.Host, Path: path, Token: tok, Body: body})
			if leaks(r.Body) || r.Status >= 500 {
				t.Errorf("%s with acme IDs on globex: %d %s", name, r.Status, r.Body)
			}
			if known {
				checked++
				if r.Status != http.StatusNotFound {
					t.Errorf("%s with acme IDs by globex's admin: %d %s, want 404", name, r.Status, r.Body)
				}
			}
		}
		if checked < 6 {
			t.Fatalf("only %d routes were checked with acme IDs", checked)
		}

		// acme's objects are as they were.
		r := a.Do(t, testutil.Req{Host: acme.Host, Path: "/api/v1/admin/teams", Token: acme.AdminTok})
		if !strings.Contains(string(r.Body), "Acme Rockets") || strings.Contains(string(r.Body), "Hijacked") {
			t.Errorf("acme's team changed: %s", r.Body)
		}
		r = a.Do(t, testutil.Req{Host: acme.Host, Path: "/api/v1/invites/" + w.acmeInviteTok})
		if r.Status != http.StatusOK {
			t.Errorf("acme's invite was revoked from globex: %d %s", r.Status, r.Body)
		}
		r = a.Do(t, testutil.Req{Host: acme.Host, Path: "/api/v1/me", Token: acme.EmpTok})
		if r.Status != http.StatusOK || r.Map(t)["role"] != "employee" {
			t.Errorf("acme's employee changed from globex: %d %s", r.Status, r.Body)
		}
		// globex's member list has no acme member.
		r = a.Do(t, testutil.Req{Host: globex.Host, Path: "/api/v1/admin/members", Token: globex.AdminTok})
		if r.Status != http.StatusOK || leaks(r.Body) {
			t.Errorf("globex members: %d %s", r.Status, r.Body)
		}
		// The same email may exist in two companies; each login stays in its tenant.
		if r := a.Do(t, testutil.Req{Method: http.MethodPost, Host: globex.Host, Path: "/api/v1/auth/login",
			Body: map[string]string{"email": acme.Admin, "password": testutil.Password}}); r.Status != http.StatusUnauthorized {
			t.Errorf("acme's admin signed in on globex: %d %s", r.Status, r.Body)
		}
	})
}
