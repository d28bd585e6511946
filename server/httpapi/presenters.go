package httpapi

import (
	"time"

	"github.com/betcity/betcity/server/accounts"
	"github.com/betcity/betcity/server/storage"
)

// Response shapes are kept apart from database models, so a new column never
// leaks into the API by accident.

type userJSON struct {
	ID          int64     `json:"id"`
	Email       string    `json:"email"`
	DisplayName string    `json:"display_name"`
	Role        string    `json:"role"`
	CompanySlug *string   `json:"company_slug"`
	TeamID      *int64    `json:"team_id"`
	TeamName    *string   `json:"team_name"`
	AvatarURL   *string   `json:"avatar_url"`
	Active      bool      `json:"active"`
	CreatedAt   time.Time `json:"created_at"`
}

func (s *Server) presentUser(t Tenant, u *accounts.User) userJSON {
	var slug *string
	if t.Company != nil {
		slug = &t.Company.Slug
	}
	return userJSON{ID: u.ID, Email: u.Email, DisplayName: u.DisplayName, Role: u.Role, CompanySlug: slug,
		TeamID: u.TeamID, TeamName: u.TeamName, AvatarURL: s.mediaURL(u.AvatarKey), Active: u.Active, CreatedAt: u.CreatedAt}
}

type companyPublicJSON struct {
	Kind            string  `json:"kind"`
	Slug            string  `json:"slug,omitempty"`
	Name            string  `json:"name"`
	PrimaryColor    string  `json:"primary_color"`
	AccentColor     string  `json:"accent_color"`
	LogoURL         *string `json:"logo_url"`
	AllowTeamChoice bool    `json:"allow_team_choice"`
}

type companySettingsJSON struct {
	ID                 int64     `json:"id"`
	Slug               string    `json:"slug"`
	Name               string    `json:"name"`
	PrimaryColor       string    `json:"primary_color"`
	AccentColor        string    `json:"accent_color"`
	LogoURL            *string   `json:"logo_url"`
	AllowedDomains     []string  `json:"allowed_domains"`
	StartingCoins      int       `json:"starting_coins"`
	InCompanyRanking   bool      `json:"in_company_ranking"`
	AllowTeamChoice    bool      `json:"allow_team_choice"`
	ExactScoreBonusPct int       `json:"exact_score_bonus_pct"`
	Active             bool      `json:"active"`
	CreatedAt          time.Time `json:"created_at"`
}

func (s *Server) presentCompany(c *accounts.Company) companySettingsJSON {
	domains := c.Domains()
	if domains == nil {
		domains = []string{}
	}
	return companySettingsJSON{ID: c.ID, Slug: c.Slug, Name: c.Name, PrimaryColor: c.PrimaryColor, AccentColor: c.AccentColor,
		LogoURL: s.mediaURL(c.LogoKey), AllowedDomains: domains, StartingCoins: c.StartingCoins,
		InCompanyRanking: c.InCompanyRanking, AllowTeamChoice: c.AllowTeamChoice, ExactScoreBonusPct: c.ExactScoreBonusPct,
		Active: c.Active, CreatedAt: c.CreatedAt}
}

type teamJSON struct {
	ID      int64  `json:"id"`
	Name    string `json:"name"`
	Members int    `json:"members"`
}

func presentTeam(t *accounts.Team) teamJSON {
	return teamJSON{ID: t.ID, Name: t.Name, Members: t.Members}
}

type inviteJSON struct {
	ID        int64     `json:"id"`
	Token     string    `json:"token"`
	URL       string    `json:"url"`
	Role      string    `json:"role"`
	MaxUses   *int      `json:"max_uses"`
	Uses      int       `json:"uses"`
	ExpiresAt time.Time `json:"expires_at"`
	CreatedAt time.Time `json:"created_at"`
}

// mediaURL turns a storage key into the URL the browser loads: the logo's
// plain /media/ URL, or for an avatar a signed link that works in an <img>
// tag for members of the key's company (see handlers_media.go). The company
// is read from the key, which the upload handlers prefix with it.
func (s *Server) mediaURL(key *string) *string {
	if key == nil || *key == "" {
		return nil
	}
	companyID, kind, ok := parseMediaKey(*key)
	if !ok {
		return nil // not a key we made; the media route would refuse it
	}
	u := storage.MediaPrefix + *key
	if kind == mediaAvatar {
		u = s.signedAvatarURL(companyID, *key)
	}
	return &u
}
