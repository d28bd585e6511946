package hatest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"
)

// client speaks to the API on one base URL (haproxy or an instance) with a
// Host header choosing the tenant.
type client struct {
	base string
	hc   *http.Client
}

type response struct {
	status int
	body   []byte
	header http.Header
}

func (r *response) decode(v any) error { return json.Unmarshal(r.body, v) }

func (r *response) errorCode() string {
	var e struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	_ = json.Unmarshal(r.body, &e)
	return e.Error.Code
}

func (c *client) do(ctx context.Context, method, host, path, token string, body any, hdr map[string]string) (*response, error) {
	var rd io.Reader
	ctype := ""
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			return nil, err
		}
		rd, ctype = bytes.NewReader(j), "application/json"
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return nil, err
	}
	req.Host = host
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	return &response{status: resp.StatusCode, body: b, header: resp.Header}, nil
}

// must retries a seeding call a few times (haproxy may still be finding its
// servers) and wants a 2xx.
func (c *client) must(ctx context.Context, method, host, path, token string, body, out any) error {
	var last string
	for attempt := 0; attempt < 5; attempt++ {
		r, err := c.do(ctx, method, host, path, token, body, nil)
		switch {
		case err != nil:
			last = err.Error()
		case r.status >= 500 || r.status == http.StatusTooManyRequests:
			last = fmt.Sprintf("%d %s", r.status, r.body)
		case r.status >= 300:
			return fmt.Errorf("%s %s (Host %s): %d %s", method, path, host, r.status, r.body)
		default:
			if out != nil {
				return r.decode(out)
			}
			return nil
		}
		time.Sleep(time.Duration(200*(attempt+1)) * time.Millisecond)
	}
	return fmt.Errorf("%s %s (Host %s): %s", method, path, host, last)
}

const (
	companySlug  = "demo"
	companyHost  = "demo.localhost"
	operatorHost = "localhost"
	password     = "ha-rehearsal-password-1"
	startCoins   = 1_000_000
)

type member struct {
	userID int64
	email  string
	token  string
}

type seeded struct {
	companyID    int64
	tournamentID int64
	matchIDs     []int64
	members      []member
}

type session struct {
	AccessToken string `json:"access_token"`
	User        struct {
		ID        int64   `json:"id"`
		AvatarURL *string `json:"avatar_url"`
	} `json:"user"`
}

// seed builds the company, its members and a tournament through haproxy,
// as an operator and an admin would.
func seed(ctx context.Context, c *client, opEmail string, nMembers, nMatches int) (*seeded, error) {
	var op session
	if err := c.must(ctx, "POST", operatorHost, "/api/v1/auth/login", "", map[string]string{"email": opEmail, "password": password}, &op); err != nil {
		return nil, fmt.Errorf("operator login: %w", err)
	}
	s := &seeded{}
	var co struct {
		ID int64 `json:"id"`
	}
	adminEmail := "admin@demo.example"
	if err := c.must(ctx, "POST", operatorHost, "/api/v1/operator/companies", op.AccessToken, map[string]any{
		"slug": companySlug, "name": "Demo Corp", "starting_coins": startCoins,
		"admin_email": adminEmail, "admin_password": password, "admin_name": "Demo Admin"}, &co); err != nil {
		return nil, err
	}
	s.companyID = co.ID
	var admin session
	if err := c.must(ctx, "POST", companyHost, "/api/v1/auth/login", "", map[string]string{"email": adminEmail, "password": password}, &admin); err != nil {
		return nil, fmt.Errorf("admin login: %w", err)
	}
	var inv struct {
		Token string `json:"token"`
	}
	if err := c.must(ctx, "POST", companyHost, "/api/v1/admin/invites", admin.AccessToken,
		map[string]any{"max_uses": nMembers, "expires_in_hours": 72, "role": "employee"}, &inv); err != nil {
		return nil, err
	}
	s.members = make([]member, nMembers)
	if err := parallel(4, nMembers, func(i int) error {
		email := fmt.Sprintf("employee%02d@demo.example", i+1)
		var ss session
		if err := c.must(ctx, "POST", companyHost, "/api/v1/auth/signup", "", map[string]string{
			"email": email, "password": password, "display_name": fmt.Sprintf("Employee %02d", i+1), "invite": inv.Token}, &ss); err != nil {
			return err
		}
		s.members[i] = member{userID: ss.User.ID, email: email, token: ss.AccessToken}
		return nil
	}); err != nil {
		return nil, err
	}

	var tour struct {
		ID int64 `json:"id"`
	}
	if err := c.must(ctx, "POST", operatorHost, "/api/v1/operator/tournaments", op.AccessToken, map[string]any{"name": "HA Cup"}, &tour); err != nil {
		return nil, err
	}
	s.tournamentID = tour.ID
	teams := []struct{ name, code string }{{"France", "FRA"}, {"Brazil", "BRA"}, {"Japan", "JPN"}, {"Senegal", "SEN"},
		{"Mexico", "MEX"}, {"Norway", "NOR"}, {"Chile", "CHI"}, {"Ghana", "GHA"}}
	teamIDs := make([]int64, len(teams))
	for i, t := range teams {
		var out struct {
			ID int64 `json:"id"`
		}
		if err := c.must(ctx, "POST", operatorHost, "/api/v1/operator/teams", op.AccessToken, map[string]string{"name": t.name, "code": t.code}, &out); err != nil {
			return nil, err
		}
		teamIDs[i] = out.ID
	}
	kickoff := time.Now().UTC().Add(24 * time.Hour).Truncate(time.Minute)
	s.matchIDs = make([]int64, nMatches)
	if err := parallel(6, nMatches, func(i int) error {
		home, away := teamIDs[i%len(teamIDs)], teamIDs[(i+1+i/len(teamIDs))%len(teamIDs)]
		if home == away {
			away = teamIDs[(i+1)%len(teamIDs)]
		}
		var m struct {
			ID int64 `json:"id"`
		}
		if err := c.must(ctx, "POST", operatorHost, fmt.Sprintf("/api/v1/operator/tournaments/%d/matches", tour.ID), op.AccessToken, map[string]any{
			"kickoff": kickoff.Add(time.Duration(i) * time.Minute), "home_team_id": home, "away_team_id": away, "stage": "group", "group": "A"}, &m); err != nil {
			return err
		}
		s.matchIDs[i] = m.ID
		return c.must(ctx, "PUT", operatorHost, fmt.Sprintf("/api/v1/operator/matches/%d/odds", m.ID), op.AccessToken,
			map[string]float64{"home": 2.1, "draw": 3.2, "away": 3.6}, nil)
	}); err != nil {
		return nil, err
	}
	if err := c.must(ctx, "POST", operatorHost, fmt.Sprintf("/api/v1/operator/tournaments/%d/enrollments", tour.ID), op.AccessToken,
		map[string]any{"company_id": co.ID, "starting_coins": startCoins}, nil); err != nil {
		return nil, err
	}
	return s, nil
}

// parallel runs f(0..n-1) on `workers` goroutines and returns the first error.
func parallel(workers, n int, f func(i int) error) error {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
		next  int
	)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				stop := first != nil || i >= n
				mu.Unlock()
				if stop {
					return
				}
				if err := f(i); err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	return first
}
