package testutil

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/betcity/betcity/server/accounts"
	"github.com/betcity/betcity/server/app"
	"github.com/betcity/betcity/server/clock"
	"github.com/betcity/betcity/server/config"
)

// OperatorEmail and OperatorPassword are the operator account every test app has.
const (
	OperatorEmail    = "operator@betcity.test"
	OperatorPassword = "operator-password-1"
	// Password is the password of every user the helpers create.
	Password = "correct-horse-battery"
)

// TestApp is a full BetCity server on a fresh database, behind httptest.
type TestApp struct {
	*app.App
	URL    string
	Clock  *clock.Adjustable
	Driver config.Driver
	DSN    string
	Client *http.Client
}

// AppOption tweaks a test app.
type AppOption func(env map[string]string, opt *app.Options)

// WithEnv sets extra environment variables for the app's config.
func WithEnv(k, v string) AppOption {
	return func(env map[string]string, _ *app.Options) { env[k] = v }
}

// WithStorage points the app at a storage URL (BETCITY_STORAGE); apps given
// the same URL share uploads, like instances behind a load balancer.
func WithStorage(url string) AppOption { return WithEnv("BETCITY_STORAGE", url) }

// NewApp starts an app on a fresh database of the given dialect.
func NewApp(t testing.TB, driver config.Driver, opts ...AppOption) *TestApp {
	t.Helper()
	dsn := NewDatabase(t, driver)
	return NewAppOn(t, driver, dsn, opts...)
}

// NewAppOn starts an app on an existing database (several apps may share one,
// like instances behind a load balancer).
func NewAppOn(t testing.TB, driver config.Driver, dsn string, opts ...AppOption) *TestApp {
	t.Helper()
	env := map[string]string{
		"BETCITY_ADMIN_EMAIL":      OperatorEmail,
		"BETCITY_ADMIN_PASSWORD":   OperatorPassword,
		"BETCITY_DATA_DIR":         t.TempDir(),
		"BETCITY_MIGRATE_ON_START": "true",
		// Tests run many apps at once against one MySQL server.
		"BETCITY_DB_MAX_OPEN_CONNS": "10",
	}
	clk := &clock.Adjustable{}
	opt := app.Options{Logger: slog.New(slog.NewJSONHandler(io.Discard, nil)), ClockControl: clk, BcryptCost: 4}
	for _, o := range opts {
		o(env, &opt)
	}
	if os.Getenv("BETCITY_TEST_LOG") != "" {
		opt.Logger = slog.New(slog.NewJSONHandler(os.Stderr, nil))
	}
	if env["BETCITY_STORAGE"] == "" {
		// Each app gets its own folder unless the test shares one (see
		// WithStorage), like instances on one EFS mount or S3 bucket.
		env["BETCITY_STORAGE"] = "file://" + filepath.ToSlash(filepath.Join(env["BETCITY_DATA_DIR"], "uploads"))
	}
	cfg, err := config.Load(Env(driver, dsn, env))
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(context.Background(), cfg, opt)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Server.Handler())
	t.Cleanup(func() {
		srv.Close()
		a.Close()
	})
	return &TestApp{App: a, URL: srv.URL, Clock: clk, Driver: driver, DSN: dsn, Client: srv.Client()}
}

// Host returns the Host header of a company (or the operator console for "").
func Host(slug string) string {
	if slug == "" {
		return "localhost"
	}
	return slug + ".localhost"
}

// Resp is a decoded HTTP answer.
type Resp struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into v, failing the test on error.
func (r *Resp) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %q: %v", r.Body, err)
	}
}

// Map decodes the body as a JSON object.
func (r *Resp) Map(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	r.JSON(t, &m)
	return m
}

// ErrorCode returns error.code of an error body ("" when none).
func (r *Resp) ErrorCode() string {
	var b struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	_ = json.Unmarshal(r.Body, &b)
	return b.Error.Code
}

// Req describes one request.
type Req struct {
	Method  string
	Host    string
	Path    string
	Token   string
	Body    any
	Header  map[string]string
	Cookies []*http.Cookie
}

// Do sends a request to the app.
func (a *TestApp) Do(t testing.TB, r Req) *Resp {
	t.Helper()
	return DoURL(t, a.Client, a.URL, r)
}

// DoURL sends a request to any BetCity base URL (another instance, a
// process, a load balancer).
func DoURL(t testing.TB, client *http.Client, base string, r Req) *Resp {
	t.Helper()
	var body io.Reader
	switch b := r.Body.(type) {
	case nil:
	case []byte:
		body = bytes.NewReader(b)
	case string:
		body = strings.NewReader(b)
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		body = bytes.NewReader(buf)
	}
	method := r.Method
	if method == "" {
		method = http.MethodGet
	}
	req, err := http.NewRequest(method, base+r.Path, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = r.Host
	if r.Host == "" {
		req.Host = "localhost"
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if r.Token != "" {
		req.Header.Set("Authorization", "Bearer "+r.Token)
	}
	for k, v := range r.Header {
		req.Header.Set(k, v)
	}
	for _, c := range r.Cookies {
		req.AddCookie(c)
	}
	if client == nil {
		client = http.DefaultClient
	}
	res, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, r.Path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return &Resp{Status: res.StatusCode, Header: res.Header, Body: b}
}

// Cookie returns a Set-Cookie value by name.
func (r *Resp) Cookie(name string) *http.Cookie {
	for _, c := range (&http.Response{Header: r.Header}).Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Company is a seeded tenant with one user per role.
type Company struct {
	*accounts.Company
	Host                    string
	AdminID, HRID, EmpID    int64
	Admin, HR, Employee     string // emails
	AdminTok, HRTok, EmpTok string
}

// SeedCompany creates a company with an admin, an HR user and an employee,
// and logs each of them in.
func (a *TestApp) SeedCompany(t testing.TB, slug string) *Company {
	t.Helper()
	ctx := context.Background()
	c, err := a.Accounts.CreateCompany(ctx, accounts.CompanyInput{Slug: slug, Name: strings.ToUpper(slug[:1]) + slug[1:] + " Inc",
		AdminEmail: "admin@" + slug + ".test", AdminPassword: Password, AdminName: slug + " admin"})
	if err != nil {
		t.Fatal(err)
	}
	co := &Company{Company: c, Host: Host(slug), Admin: "admin@" + slug + ".test", HR: "hr@" + slug + ".test", Employee: "emp@" + slug + ".test"}
	co.AdminTok, co.AdminID = a.Login(t, slug, co.Admin, Password)
	co.HRID = a.AddMember(t, co, co.HR, accounts.RoleHR)
	co.EmpID = a.AddMember(t, co, co.Employee, accounts.RoleEmployee)
	co.HRTok, _ = a.Login(t, slug, co.HR, Password)
	co.EmpTok, _ = a.Login(t, slug, co.Employee, Password)
	return co
}

// AddMember signs a member up through an invite of the given role.
func (a *TestApp) AddMember(t testing.TB, co *Company, email, role string) int64 {
	t.Helper()
	sc := accounts.CompanyScope(co.ID)
	inv, err := a.Accounts.CreateInvite(context.Background(), sc, co.AdminID, accounts.InviteInput{Role: role})
	if err != nil {
		t.Fatal(err)
	}
	sess, err := a.Accounts.Signup(context.Background(), sc, accounts.SignupInput{Email: email, Password: Password,
		DisplayName: strings.Split(email, "@")[0], Invite: inv.Token})
	if err != nil {
		t.Fatal(err)
	}
	return sess.User.ID
}

// Login signs in through the API and returns the access token and user ID.
func (a *TestApp) Login(t testing.TB, slug, email, password string) (string, int64) {
	t.Helper()
	r := a.Do(t, Req{Method: http.MethodPost, Host: Host(slug), Path: "/api/v1/auth/login",
		Body: map[string]string{"email": email, "password": password}})
	if r.Status != http.StatusOK {
		t.Fatalf("login %s on %s: %d %s", email, Host(slug), r.Status, r.Body)
	}
	var s struct {
		AccessToken string `json:"access_token"`
		User        struct {
			ID int64 `json:"id"`
		} `json:"user"`
	}
	r.JSON(t, &s)
	return s.AccessToken, s.User.ID
}

// OperatorToken logs the operator in on the bare domain.
func (a *TestApp) OperatorToken(t testing.TB) string {
	tok, _ := a.Login(t, "", OperatorEmail, OperatorPassword)
	return tok
}

// WaitHTTP polls url until it answers 200 or the timeout passes.
func WaitHTTP(t testing.TB, url string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		res, err := http.Get(url)
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s did not become ready within %s", url, timeout)
}
