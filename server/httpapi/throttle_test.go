package httpapi_test

import (
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/betcity/betcity/server/config"
	"github.com/betcity/betcity/server/testutil"
)

func loginFrom(t *testing.T, a *testutil.TestApp, host, ip, email, pw string) *testutil.Resp {
	t.Helper()
	return a.Do(t, testutil.Req{Method: http.MethodPost, Host: host, Path: "/api/v1/auth/login",
		Header: map[string]string{"X-Forwarded-For": ip}, Body: map[string]string{"email": email, "password": pw}})
}

func assert429(t *testing.T, what string, r *testutil.Resp) {
	t.Helper()
	if r.Status != http.StatusTooManyRequests || r.ErrorCode() != "too_many_attempts" {
		t.Fatalf("%s: %d %s, want 429 too_many_attempts", what, r.Status, r.Body)
	}
	secs, err := strconv.Atoi(r.Header.Get("Retry-After"))
	if err != nil || secs < 1 || secs > 16*60 {
		t.Fatalf("%s: Retry-After %q", what, r.Header.Get("Retry-After"))
	}
}

// The login throttle lives in the database: two instances behind a load
// balancer count the same failures.
func TestThrottleAcrossInstances(t *testing.T) {
	t.Parallel()
	testutil.EachDriver(t, func(t *testing.T, d config.Driver) {
		dsn := testutil.NewDatabase(t, d)
		a1 := testutil.NewAppOn(t, d, dsn)
		a2 := testutil.NewAppOn(t, d, dsn)
		acme := a1.SeedCompany(t, "acme")
		apps := []*testutil.TestApp{a1, a2}
		const ip = "198.51.100.10"

		for i := range 5 {
			r := loginFrom(t, apps[i%2], acme.Host, ip, acme.Employee, "wrong-password-"+strconv.Itoa(i))
			if r.Status != http.StatusUnauthorized || r.ErrorCode() != "invalid_credentials" {
				t.Fatalf("failure %d: %d %s", i+1, r.Status, r.Body)
			}
		}
		// Locked on both, even with the right password.
		for i, a := range apps {
			assert429(t, fmt.Sprintf("instance %d, right password", i+1), loginFrom(t, a, acme.Host, ip, acme.Employee, testutil.Password))
		}
		// The lock is per account: a colleague signs in from the same office.
		if r := loginFrom(t, a2, acme.Host, ip, acme.HR, testutil.Password); r.Status != http.StatusOK {
			t.Fatalf("another account: %d %s", r.Status, r.Body)
		}
		// Still locked after 14 minutes, open after 16.
		for _, a := range apps {
			a.Clock.Advance(14 * time.Minute)
		}
		assert429(t, "after 14 minutes", loginFrom(t, a1, acme.Host, ip, acme.Employee, testutil.Password))
		for _, a := range apps {
			a.Clock.Advance(2 * time.Minute)
		}
		for i, a := range apps {
			if r := loginFrom(t, a, acme.Host, ip, acme.Employee, testutil.Password); r.Status != http.StatusOK {
				t.Fatalf("instance %d after the lock expired: %d %s", i+1, r.Status, r.Body)
			}
		}
		// A success resets the count: four new failures do not lock.
		for i := range 4 {
			loginFrom(t, apps[i%2], acme.Host, ip, acme.Employee, "wrong")
		}
		if r := loginFrom(t, a2, acme.Host, ip, acme.Employee, testutil.Password); r.Status != http.StatusOK {
			t.Fatalf("after a reset and 4 failures: %d %s", r.Status, r.Body)
		}
	})
}

// One address spraying many accounts is stopped after 30 failures, on
// every instance, while other addresses are not.
func TestThrottlePerIP(t *testing.T) {
	t.Parallel()
	testutil.EachDriver(t, func(t *testing.T, d config.Driver) {
		dsn := testutil.NewDatabase(t, d)
		a1 := testutil.NewAppOn(t, d, dsn)
		a2 := testutil.NewAppOn(t, d, dsn)
		acme := a1.SeedCompany(t, "acme")
		const sprayer = "203.0.113.66"
		for i := range 30 {
			a := []*testutil.TestApp{a1, a2}[i%2]
			r := loginFrom(t, a, acme.Host, sprayer, fmt.Sprintf("guess%d@acme.test", i), "password-guess")
			if r.Status != http.StatusUnauthorized {
				t.Fatalf("failure %d: %d %s", i+1, r.Status, r.Body)
			}
		}
		assert429(t, "sprayer, real account", loginFrom(t, a2, acme.Host, sprayer, acme.Employee, testutil.Password))
		assert429(t, "sprayer on the other instance", loginFrom(t, a1, acme.Host, sprayer, acme.Admin, testutil.Password))
		if r := loginFrom(t, a1, acme.Host, "203.0.113.67", acme.Employee, testutil.Password); r.Status != http.StatusOK {
			t.Fatalf("another address: %d %s", r.Status, r.Body)
		}
	})
}
