package auth_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/betcity/betcity/server/auth"
	"github.com/betcity/betcity/server/clock"
)

var secret = strings.Repeat("k", 40)

func TestIssueVerify(t *testing.T) {
	clk := &clock.Adjustable{}
	clk.Set(time.Date(2026, 6, 11, 18, 0, 0, 0, time.UTC))
	tk := auth.NewTokens(secret, clk)
	aud := auth.CompanyAudience(7)
	raw, ttl, err := tk.Issue(42, "hr", aud)
	if err != nil || ttl != 15*time.Minute {
		t.Fatal(ttl, err)
	}
	p, err := tk.Verify(raw, aud)
	if err != nil || p.UserID != 42 || p.Role != "hr" || p.Audience != aud {
		t.Fatalf("verify: %+v %v", p, err)
	}
	for name, check := range map[string]func() error{
		"other company": func() error { _, err := tk.Verify(raw, auth.CompanyAudience(8)); return err },
		"operator":      func() error { _, err := tk.Verify(raw, auth.OperatorAudience); return err },
		"other secret": func() error {
			_, err := auth.NewTokens(strings.Repeat("j", 40), clk).Verify(raw, aud)
			return err
		},
		"expired": func() error {
			c2 := &clock.Adjustable{}
			c2.Set(clk.Now().Add(15*time.Minute + 6*time.Second))
			_, err := auth.NewTokens(secret, c2).Verify(raw, aud)
			return err
		},
		"issued in the future": func() error {
			c2 := &clock.Adjustable{}
			c2.Set(clk.Now().Add(-2 * time.Minute))
			_, err := auth.NewTokens(secret, c2).Verify(raw, aud)
			return err
		},
	} {
		if err := check(); !errors.Is(err, auth.ErrInvalidToken) {
			t.Errorf("%s: %v, want ErrInvalidToken", name, err)
		}
	}
}

func TestOpaqueTokens(t *testing.T) {
	a, ha, err := auth.NewOpaqueToken()
	if err != nil {
		t.Fatal(err)
	}
	b, hb, _ := auth.NewOpaqueToken()
	if a == b || ha == hb || len(a) < 43 {
		t.Fatalf("tokens must be random and 256-bit: %q %q", a, b)
	}
	if auth.HashToken(a) != ha || strings.Contains(ha, a) {
		t.Fatal("the hash must be a deterministic digest, not the token")
	}
}

func TestPasswords(t *testing.T) {
	p, err := auth.NewPasswords(4)
	if err != nil {
		t.Fatal(err)
	}
	h, err := p.Hash("correct-horse-battery")
	if err != nil || strings.Contains(h, "correct-horse") {
		t.Fatal(h, err)
	}
	if !p.Check(h, "correct-horse-battery") || p.Check(h, "correct-horse-batterY") || p.Check("", "") {
		t.Fatal("check")
	}
	p.Waste("anything")
}
