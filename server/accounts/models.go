// Package accounts holds companies (tenants), their members, teams, invites,
// sessions and the login throttle. It knows nothing of HTTP.
package accounts

import (
	"strings"
	"time"
)

// Roles, from most to least powerful.
const (
	RoleOperator = "operator"
	RoleAdmin    = "admin"
	RoleHR       = "hr"
	RoleEmployee = "employee"
)

// Scope is the tenant a call acts in. CompanyID 0 is the platform operator's
// console on the bare base domain.
type Scope struct {
	CompanyID int64
}

func (s Scope) IsOperator() bool { return s.CompanyID == 0 }

// CompanyScope builds the scope of one company.
func CompanyScope(id int64) Scope { return Scope{CompanyID: id} }

type Company struct {
	ID                 int64
	Slug               string
	Name               string
	PrimaryColor       string
	AccentColor        string
	LogoKey            *string
	AllowedDomains     string // one domain per line
	StartingCoins      int
	InCompanyRanking   bool
	AllowTeamChoice    bool
	ExactScoreBonusPct int
	Active             bool
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

// Domains returns the allowed sign-up domains.
func (c *Company) Domains() []string {
	var out []string
	for _, d := range strings.Split(c.AllowedDomains, "\n") {
		if d = strings.TrimSpace(d); d != "" {
			out = append(out, d)
		}
	}
	return out
}

type User struct {
	ID           int64
	CompanyID    *int64
	Email        string
	PasswordHash string
	DisplayName  string
	Role         string
	TeamID       *int64
	AvatarKey    *string
	Active       bool
	CreatedAt    time.Time
	UpdatedAt    time.Time

	// TeamName is filled by queries that join teams.
	TeamName *string `gorm:"->;-:migration"`
}

type Team struct {
	ID        int64
	CompanyID int64
	Name      string
	CreatedAt time.Time

	Members int `gorm:"->;-:migration"`
}

type Invite struct {
	ID        int64
	CompanyID int64
	Token     string
	Role      string
	MaxUses   *int
	Uses      int
	ExpiresAt time.Time
	RevokedAt *time.Time
	CreatedBy *int64
	CreatedAt time.Time
}

// Usable reports whether the invite can still sign someone up at now.
func (i *Invite) Usable(now time.Time) bool {
	return i.RevokedAt == nil && now.Before(i.ExpiresAt) && (i.MaxUses == nil || i.Uses < *i.MaxUses)
}

type RefreshToken struct {
	ID        int64
	FamilyID  string
	UserID    int64
	CompanyID *int64
	TokenHash string
	ExpiresAt time.Time
	UsedAt    *time.Time
	RevokedAt *time.Time
	CreatedAt time.Time
}

type PasswordReset struct {
	ID        int64
	UserID    int64
	CompanyID *int64
	TokenHash string
	ExpiresAt time.Time
	UsedAt    *time.Time
	CreatedAt time.Time
}

type LoginThrottle struct {
	ThrottleKey string `gorm:"primaryKey"`
	Failures    int
	WindowStart time.Time
	LockedUntil *time.Time
}

func (LoginThrottle) TableName() string { return "login_throttle" }
