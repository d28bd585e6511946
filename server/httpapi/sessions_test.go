package httpapi_test

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/betcity/betcity/server/accounts"
	"github.com/betcity/betcity/server/config"
	"github.com/betcity/betcity/server/testutil"
)

// jwtSecret is the secret the test apps sign with.
func jwtSecret() []byte {
	return []byte(testutil.Env(config.SQLite, "", nil)("BETCITY_JWT_SECRET"))
}

func companyAud(id int64) string { return fmt.Sprintf("betcity:company:%d", id) }

// The access token guard refuses every forged, confused or stale token.
func TestJWTAttacks(t *testing.T) {
	t.Parallel()
	testutil.EachDriver(t, func(t *testing.T, d config.Driver) {
		a := testutil.NewApp(t, d)
		acme := a.SeedCompany(t, "acme")
		globex := a.SeedCompany(t, "globex")
		now := a.Clock.Now()
		claims := func(mod func(jwt.MapClaims)) jwt.MapClaims {
			c := jwt.MapClaims{
				"iss":  "betcity",
				"sub":  fmt.Sprint(acme.EmpID),
				"aud":  []string{companyAud(acme.ID)},
				"iat":  now.Unix(),
				"nbf":  now.Unix(),
				"exp":  now.Add(10 * time.Minute).Unix(),
				"role": "employee",
			}
			if mod != nil {
				mod(c)
			}
			return c
		}
		sign := func(m jwt.SigningMethod, key any, c jwt.MapClaims) string {
			s, err := jwt.NewWithClaims(m, c).SignedString(key)
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		hs256 := func(mod func(jwt.MapClaims)) string { return sign(jwt.SigningMethodHS256, jwtSecret(), claims(mod)) }
		rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatal(err)
		}
		// The classic confusion: an RS256 header, HMAC-signed with the secret.
		b64 := base64.RawURLEncoding.EncodeToString
		confused := func() string {
			head := b64([]byte(`{"alg":"RS256","typ":"JWT"}`))
			body := strings.Split(hs256(nil), ".")[1]
			mac := hmac.New(sha256.New, jwtSecret())
			mac.Write([]byte(head + "." + body))
			return head + "." + body + "." + b64(mac.Sum(nil))
		}()
		noneTok := sign(jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, claims(nil))
		valid := hs256(nil)
		tampered := func() string {
			// A valid signature over other claims (role raised to admin).
			p := strings.Split(valid, ".")
			body := b64([]byte(fmt.Sprintf(`{"iss":"betcity","sub":"%d","aud":["%s"],"iat":%d,"nbf":%d,"exp":%d,"role":"admin"}`,
				acme.EmpID, companyAud(acme.ID), now.Unix(), now.Unix(), now.Add(10*time.Minute).Unix())))
			return p[0] + "." + body + "." + p[2]
		}()

		me := func(tok string) *testutil.Resp {
			return a.Do(t, testutil.Req{Host: acme.Host, Path: "/api/v1/me", Token: tok})
		}
		if r := me(valid); r.Status != http.StatusOK || r.Map(t)["email"] != acme.Employee {
			t.Fatalf("control: a well-formed token must work: %d %s", r.Status, r.Body)
		}
		cases := map[string]string{
			"alg none":                noneTok,
			"alg none, no dot":        strings.TrimSuffix(noneTok, "."),
			"HS384 with the secret":   sign(jwt.SigningMethodHS384, jwtSecret(), claims(nil)),
			"HS512 with the secret":   sign(jwt.SigningMethodHS512, jwtSecret(), claims(nil)),
			"RS256":                   sign(jwt.SigningMethodRS256, rsaKey, claims(nil)),
			"RS256 header, HMAC body": confused,
			"another secret":          sign(jwt.SigningMethodHS256, []byte(strings.Repeat("x", 48)), claims(nil)),
			"claims changed":          tampered,
			"signature cut":           valid[:strings.LastIndexByte(valid, '.')+1],
			"expired":                 hs256(func(c jwt.MapClaims) { c["iat"], c["exp"] = now.Add(-time.Hour).Unix(), now.Add(-time.Minute).Unix() }),
			"iat in the future":       hs256(func(c jwt.MapClaims) { c["iat"], c["exp"] = now.Add(time.Hour).Unix(), now.Add(2*time.Hour).Unix() }),
			"nbf in the future":       hs256(func(c jwt.MapClaims) { c["nbf"] = now.Add(time.Hour).Unix() }),
			"missing exp":             hs256(func(c jwt.MapClaims) { delete(c, "exp") }),
			"missing iat":             hs256(func(c jwt.MapClaims) { delete(c, "iat") }),
			"audience of globex":      hs256(func(c jwt.MapClaims) { c["aud"] = []string{companyAud(globex.ID)} }),
			"operator audience":       hs256(func(c jwt.MapClaims) { c["aud"] = []string{"betcity:operator"} }),
			"no audience":             hs256(func(c jwt.MapClaims) { delete(c, "aud") }),
			"wrong issuer":            hs256(func(c jwt.MapClaims) { c["iss"] = "someone-else" }),
			"no issuer":               hs256(func(c jwt.MapClaims) { delete(c, "iss") }),
			"globex user, acme aud":   hs256(func(c jwt.MapClaims) { c["sub"] = fmt.Sprint(globex.EmpID) }),
			"subject not a number":    hs256(func(c jwt.MapClaims) { c["sub"] = "admin" }),
			"unknown subject":         hs256(func(c jwt.MapClaims) { c["sub"] = "999999" }),
			"garbage":                 "not.a.jwt",
			"empty segments":          "..",
		}
		for name, tok := range cases {
			r := me(tok)
			if r.Status != http.StatusUnauthorized {
				t.Errorf("%s: %d %s, want 401", name, r.Status, r.Body)
			}
			if strings.Contains(string(r.Body), acme.Employee) {
				t.Errorf("%s: body leaks the user: %s", name, r.Body)
			}
		}
		// Wrong scheme or the token outside the Authorization header.
		for name, h := range map[string]string{"Basic": "Basic " + valid, "bare token": valid, "Bearer only": "Bearer "} {
			r := a.Do(t, testutil.Req{Host: acme.Host, Path: "/api/v1/me", Header: map[string]string{"Authorization": h}})
			if r.Status != http.StatusUnauthorized {
				t.Errorf("Authorization %s: %d", name, r.Status)
			}
		}

		// A real token from login expires with the app's clock after 15 minutes.
		tok, _ := a.Login(t, "acme", acme.Employee, testutil.Password)
		if r := me(tok); r.Status != http.StatusOK {
			t.Fatalf("fresh token: %d %s", r.Status, r.Body)
		}
		a.Clock.Advance(14 * time.Minute)
		if r := me(tok); r.Status != http.StatusOK {
			t.Fatalf("token at 14 minutes: %d %s", r.Status, r.Body)
		}
		a.Clock.Advance(2 * time.Minute)
		if r := me(tok); r.Status != http.StatusUnauthorized || r.ErrorCode() != "invalid_token" {
			t.Fatalf("token at 16 minutes: %d %s", r.Status, r.Body)
		}
	})
}

func refreshReq(host string, ck *http.Cookie) testutil.Req {
	r := testutil.Req{Method: http.MethodPost, Host: host, Path: "/api/v1/auth/refresh"}
	if ck != nil {
		r.Cookies = []*http.Cookie{ck}
	}
	return r
}

func loginResp(t *testing.T, a *testutil.TestApp, host, email, pw string) (string, *http.Cookie) {
	t.Helper()
	r := a.Do(t, testutil.Req{Method: http.MethodPost, Host: host, Path: "/api/v1/auth/login",
		Body: map[string]string{"email": email, "password": pw}})
	if r.Status != http.StatusOK {
		t.Fatalf("login %s: %d %s", email, r.Status, r.Body)
	}
	ck := r.Cookie("betcity_refresh")
	if ck == nil || ck.Value == "" {
		t.Fatalf("login set no refresh cookie: %v", r.Header)
	}
	return r.Map(t)["access_token"].(string), ck
}

func TestRefreshRotationAndReuse(t *testing.T) {
	t.Parallel()
	testutil.EachDriver(t, func(t *testing.T, d config.Driver) {
		a := testutil.NewApp(t, d)
		acme := a.SeedCompany(t, "acme")
		globex := a.SeedCompany(t, "globex")
		access1, c1 := loginResp(t, a, acme.Host, acme.Employee, testutil.Password)

		r := a.Do(t, refreshReq(acme.Host, c1))
		if r.Status != http.StatusOK {
			t.Fatalf("refresh: %d %s", r.Status, r.Body)
		}
		c2 := r.Cookie("betcity_refresh")
		access2 := r.Map(t)["access_token"].(string)
		if c2 == nil || c2.Value == c1.Value || access2 == "" {
			t.Fatalf("refresh did not rotate the cookie: %v", r.Header)
		}
		if r.Map(t)["user"].(map[string]any)["email"] != acme.Employee {
			t.Errorf("refresh answer: %s", r.Body)
		}
		// The old access token is still good until it expires.
		if r := a.Do(t, testutil.Req{Host: acme.Host, Path: "/api/v1/me", Token: access1}); r.Status != http.StatusOK {
			t.Errorf("old access token after refresh: %d", r.Status)
		}
		// A refresh cookie is bound to its company.
		if r := a.Do(t, refreshReq(globex.Host, c2)); r.Status != http.StatusUnauthorized {
			t.Errorf("acme refresh cookie on globex: %d %s", r.Status, r.Body)
		}
		r = a.Do(t, refreshReq(acme.Host, c2))
		if r.Status != http.StatusOK {
			t.Fatalf("second refresh: %d %s", r.Status, r.Body)
		}
		c3 := r.Cookie("betcity_refresh")

		// Replaying c1 (stolen earlier) fails and kills the whole family.
		r = a.Do(t, refreshReq(acme.Host, c1))
		if r.Status != http.StatusUnauthorized || r.ErrorCode() != "invalid_refresh_token" {
			t.Fatalf("reuse of a rotated token: %d %s", r.Status, r.Body)
		}
		if ck := r.Cookie("betcity_refresh"); ck == nil || ck.MaxAge >= 0 {
			t.Errorf("a refused refresh must clear the cookie: %v", r.Header.Values("Set-Cookie"))
		}
		if r := a.Do(t, refreshReq(acme.Host, c3)); r.Status != http.StatusUnauthorized {
			t.Fatalf("the newest token of a family whose old token was replayed still works: %d %s", r.Status, r.Body)
		}
		// Other sessions of the same user are separate families and survive.
		_, other := loginResp(t, a, acme.Host, acme.Employee, testutil.Password)
		if r := a.Do(t, refreshReq(acme.Host, other)); r.Status != http.StatusOK {
			t.Errorf("a separate session: %d %s", r.Status, r.Body)
		}
		if r := a.Do(t, refreshReq(acme.Host, nil)); r.Status != http.StatusUnauthorized {
			t.Errorf("refresh without a cookie: %d", r.Status)
		}
		if r := a.Do(t, refreshReq(acme.Host, &http.Cookie{Name: "betcity_refresh", Value: "forged"})); r.Status != http.StatusUnauthorized {
			t.Errorf("refresh with a forged cookie: %d", r.Status)
		}
	})
}

func TestSessionsEnd(t *testing.T) {
	t.Parallel()
	testutil.EachDriver(t, func(t *testing.T, d config.Driver) {
		a := testutil.NewApp(t, d)
		acme := a.SeedCompany(t, "acme")

		// Logout revokes this session's refresh family and clears the cookie.
		_, ck := loginResp(t, a, acme.Host, acme.Employee, testutil.Password)
		r := a.Do(t, testutil.Req{Method: http.MethodPost, Host: acme.Host, Path: "/api/v1/auth/logout", Cookies: []*http.Cookie{ck}})
		if r.Status != http.StatusNoContent {
			t.Fatalf("logout: %d %s", r.Status, r.Body)
		}
		if c := r.Cookie("betcity_refresh"); c == nil || c.MaxAge >= 0 || c.Value != "" {
			t.Errorf("logout must clear the cookie: %v", r.Header.Values("Set-Cookie"))
		}
		if r := a.Do(t, refreshReq(acme.Host, ck)); r.Status != http.StatusUnauthorized {
			t.Errorf("refresh after logout: %d %s", r.Status, r.Body)
		}

		// Changing the password ends every other session.
		tokA, ckA := loginResp(t, a, acme.Host, acme.Employee, testutil.Password)
		_, ckB := loginResp(t, a, acme.Host, acme.Employee, testutil.Password)
		r = a.Do(t, testutil.Req{Method: http.MethodPost, Host: acme.Host, Path: "/api/v1/me/password", Token: tokA,
			Body: map[string]string{"current_password": "wrong-password", "new_password": "a-new-password-1"}})
		if r.Status != http.StatusUnprocessableEntity || r.Map(t)["error"].(map[string]any)["fields"].(map[string]any)["current_password"] == nil {
			t.Fatalf("wrong current password: %d %s", r.Status, r.Body)
		}
		r = a.Do(t, testutil.Req{Method: http.MethodPost, Host: acme.Host, Path: "/api/v1/me/password", Token: tokA,
			Body: map[string]string{"current_password": testutil.Password, "new_password": "a-new-password-1"}})
		if r.Status/100 != 2 {
			t.Fatalf("change password: %d %s", r.Status, r.Body)
		}
		for name, c := range map[string]*http.Cookie{"other session": ckB, "this session's old cookie": ckA} {
			if r := a.Do(t, refreshReq(acme.Host, c)); r.Status != http.StatusUnauthorized {
				t.Errorf("%s after a password change: %d", name, r.Status)
			}
		}
		if fresh := r.Cookie("betcity_refresh"); fresh != nil {
			if r := a.Do(t, refreshReq(acme.Host, fresh)); r.Status != http.StatusOK {
				t.Errorf("the session handed back by the password change: %d %s", r.Status, r.Body)
			}
		}
		loginResp(t, a, acme.Host, acme.Employee, "a-new-password-1")

		// Deactivation ends the member's sessions and access at once.
		tokH, ckH := loginResp(t, a, acme.Host, acme.HR, testutil.Password)
		r = a.Do(t, testutil.Req{Method: http.MethodPatch, Host: acme.Host, Path: fmt.Sprintf("/api/v1/admin/members/%d", acme.HRID),
			Token: acme.AdminTok, Body: map[string]any{"active": false}})
		if r.Status != http.StatusOK || r.Map(t)["active"] != false {
			t.Fatalf("deactivate: %d %s", r.Status, r.Body)
		}
		if r := a.Do(t, refreshReq(acme.Host, ckH)); r.Status != http.StatusUnauthorized {
			t.Errorf("refresh of a deactivated member: %d", r.Status)
		}
		if r := a.Do(t, testutil.Req{Host: acme.Host, Path: "/api/v1/me", Token: tokH}); r.Status != http.StatusUnauthorized || r.ErrorCode() != "account_deactivated" {
			t.Errorf("access token of a deactivated member: %d %s", r.Status, r.Body)
		}
		r = a.Do(t, testutil.Req{Method: http.MethodPost, Host: acme.Host, Path: "/api/v1/auth/login",
			Body: map[string]string{"email": acme.HR, "password": testutil.Password}})
		if r.Status != http.StatusUnauthorized || r.ErrorCode() != "account_deactivated" {
			t.Errorf("login of a deactivated member: %d %s", r.Status, r.Body)
		}
	})
}

func TestRefreshCookieAttributes(t *testing.T) {
	t.Parallel()
	check := func(t *testing.T, ck *http.Cookie, secure bool) {
		t.Helper()
		if !ck.HttpOnly || ck.Path != "/api/v1/auth" || ck.SameSite != http.SameSiteStrictMode || ck.Secure != secure {
			t.Errorf("cookie: HttpOnly=%v Path=%q SameSite=%v Secure=%v (want Secure=%v)", ck.HttpOnly, ck.Path, ck.SameSite, ck.Secure, secure)
		}
		if ck.MaxAge < 24*3600 {
			t.Errorf("cookie MaxAge %d", ck.MaxAge)
		}
	}
	testutil.EachDriver(t, func(t *testing.T, d config.Driver) {
		t.Run("localhost", func(t *testing.T) {
			a := testutil.NewApp(t, d)
			acme := a.SeedCompany(t, "acme")
			_, ck := loginResp(t, a, acme.Host, acme.Employee, testutil.Password)
			check(t, ck, false)
		})
		t.Run("public domain", func(t *testing.T) {
			a := testutil.NewApp(t, d, testutil.WithEnv("BETCITY_BASE_DOMAIN", "betcity.example"))
			if _, err := a.Accounts.CreateCompany(t.Context(), accounts.CompanyInput{Slug: "acme", Name: "Acme",
				AdminEmail: "boss@acme.test", AdminPassword: testutil.Password}); err != nil {
				t.Fatal(err)
			}
			_, ck := loginResp(t, a, "acme.betcity.example", "boss@acme.test", testutil.Password)
			check(t, ck, true)
			r := a.Do(t, refreshReq("acme.betcity.example", ck))
			if r.Status != http.StatusOK {
				t.Fatalf("refresh: %d %s", r.Status, r.Body)
			}
			check(t, r.Cookie("betcity_refresh"), true)
			if r.Header.Get("Strict-Transport-Security") == "" {
				t.Error("no HSTS header on a public domain")
			}
			// The operator console is the bare domain; localhost names are unknown here.
			if r := a.Do(t, testutil.Req{Host: "acme.localhost", Path: "/api/v1/company"}); r.Status != http.StatusNotFound {
				t.Errorf("foreign host: %d %s", r.Status, r.Body)
			}
			if r := a.Do(t, testutil.Req{Host: "betcity.example", Path: "/api/v1/company"}); r.Status != http.StatusOK || r.Map(t)["kind"] != "operator" {
				t.Errorf("bare domain: %d %s", r.Status, r.Body)
			}
		})
	})
}
