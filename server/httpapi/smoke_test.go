package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/betcity/betcity/server/config"
	"github.com/betcity/betcity/server/testutil"
)

func TestLoginMeAndCompanyBranding(t *testing.T) {
	testutil.EachDriver(t, func(t *testing.T, d config.Driver) {
		a := testutil.NewApp(t, d)
		acme := a.SeedCompany(t, "acme")

		r := a.Do(t, testutil.Req{Host: acme.Host, Path: "/api/v1/company"})
		if r.Status != http.StatusOK || r.Map(t)["slug"] != "acme" {
			t.Fatalf("company: %d %s", r.Status, r.Body)
		}
		if r.Header.Get("X-Request-ID") == "" {
			t.Error("missing X-Request-ID")
		}
		r = a.Do(t, testutil.Req{Host: testutil.Host("nope"), Path: "/api/v1/company"})
		if r.Status != http.StatusNotFound || r.ErrorCode() != "company_not_found" {
			t.Fatalf("unknown company: %d %s", r.Status, r.Body)
		}
		r = a.Do(t, testutil.Req{Host: acme.Host, Path: "/api/v1/me", Token: acme.EmpTok})
		if r.Status != http.StatusOK || r.Map(t)["email"] != acme.Employee {
			t.Fatalf("me: %d %s", r.Status, r.Body)
		}
		r = a.Do(t, testutil.Req{Host: acme.Host, Path: "/api/v1/admin/members", Token: acme.EmpTok})
		if r.Status != http.StatusForbidden {
			t.Fatalf("employee on admin route: %d %s", r.Status, r.Body)
		}
		r = a.Do(t, testutil.Req{Host: acme.Host, Path: "/api/v1/admin/members", Token: acme.HRTok})
		if r.Status != http.StatusOK {
			t.Fatalf("hr members: %d %s", r.Status, r.Body)
		}
		op := a.OperatorToken(t)
		r = a.Do(t, testutil.Req{Path: "/api/v1/operator/companies", Token: op})
		if r.Status != http.StatusOK {
			t.Fatalf("operator companies: %d %s", r.Status, r.Body)
		}
		r = a.Do(t, testutil.Req{Host: acme.Host, Path: "/api/v1/me", Token: op})
		if r.Status != http.StatusUnauthorized {
			t.Fatalf("operator token on company host: %d %s", r.Status, r.Body)
		}
	})
}
