package accounts

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/betcity/betcity/server/apperr"
	"github.com/betcity/betcity/server/auth"
	"github.com/betcity/betcity/server/clock"
	"github.com/betcity/betcity/server/database"
	"github.com/betcity/betcity/server/paging"
)

// Service is the accounts domain. Every method takes the tenant scope first
// and every query filters on it.
type Service struct {
	db        *database.DB
	clock     clock.Clock
	tokens    *auth.Tokens
	passwords *auth.Passwords
	throttle  *Throttle
}

func NewService(db *database.DB, clk clock.Clock, tokens *auth.Tokens, passwords *auth.Passwords) *Service {
	return &Service{db: db, clock: clk, tokens: tokens, passwords: passwords, throttle: NewThrottle(db, clk)}
}

// Session is what a successful login, sign-up or refresh hands back.
type Session struct {
	AccessToken  string
	ExpiresIn    time.Duration
	RefreshToken string
	User         *User
}

var (
	slugPattern  = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$`)
	colorPattern = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)
	emailPattern = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
	domainPatten = regexp.MustCompile(`^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$`)
)

// Slugs that would collide with infrastructure host names.
var reservedSlugs = map[string]bool{"www": true, "api": true, "admin": true, "operator": true, "static": true, "media": true, "mail": true}

func scoped(tx *gorm.DB, s Scope) *gorm.DB {
	if s.IsOperator() {
		return tx.Where("company_id IS NULL")
	}
	return tx.Where("company_id = ?", s.CompanyID)
}

func companyIDPtr(s Scope) *int64 {
	if s.IsOperator() {
		return nil
	}
	id := s.CompanyID
	return &id
}

func normalizeEmail(e string) string { return strings.ToLower(strings.TrimSpace(e)) }

func validatePassword(f apperr.Fields, field, pw string) {
	switch {
	case len(pw) < 10:
		f.Add(field, "must be at least 10 characters")
	case len(pw) > 200:
		f.Add(field, "must be at most 200 characters")
	}
}

func validateDisplayName(f apperr.Fields, name string) string {
	name = strings.TrimSpace(name)
	if name == "" {
		f.Add("display_name", "is required")
	} else if len([]rune(name)) > 80 {
		f.Add("display_name", "must be at most 80 characters")
	}
	return name
}

// ---- companies ----

// CompanyBySlug resolves a host's tenant. Deactivated companies are not found.
func (s *Service) CompanyBySlug(ctx context.Context, slug string) (*Company, error) {
	var c Company
	err := s.db.WithContext(ctx).Where("slug = ? AND active = ?", slug, true).Take(&c).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, &apperr.Error{Kind: apperr.KindNotFound, Code: "company_not_found", Message: "no company is reachable at this address"}
	}
	return &c, err
}

// Company loads the scope's own company.
func (s *Service) Company(ctx context.Context, sc Scope) (*Company, error) {
	var c Company
	err := s.db.WithContext(ctx).Where("id = ?", sc.CompanyID).Take(&c).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, &apperr.Error{Kind: apperr.KindNotFound, Code: "company_not_found", Message: "company not found"}
	}
	return &c, err
}

// CompanyInput creates a company (operator only).
type CompanyInput struct {
	Slug             string
	Name             string
	PrimaryColor     string
	AccentColor      string
	AllowedDomains   []string
	StartingCoins    *int
	InCompanyRanking *bool
	AdminEmail       string
	AdminPassword    string
	AdminName        string
}

// CompanyPatch changes settings; nil fields are left alone.
type CompanyPatch struct {
	Name               *string
	PrimaryColor       *string
	AccentColor        *string
	AllowedDomains     *[]string
	StartingCoins      *int
	InCompanyRanking   *bool
	AllowTeamChoice    *bool
	ExactScoreBonusPct *int
	Active             *bool
}

func validateCompanyPatch(f apperr.Fields, p *CompanyPatch) {
	if p.Name != nil {
		n := strings.TrimSpace(*p.Name)
		p.Name = &n
		if n == "" || len([]rune(n)) > 120 {
			f.Add("name", "must be 1 to 120 characters")
		}
	}
	for field, v := range map[string]*string{"primary_color": p.PrimaryColor, "accent_color": p.AccentColor} {
		if v != nil && !colorPattern.MatchString(*v) {
			f.Add(field, "must be a colour like #1f4fd1")
		}
	}
	if p.PrimaryColor != nil {
		lc := strings.ToLower(*p.PrimaryColor)
		p.PrimaryColor = &lc
	}
	if p.AccentColor != nil {
		lc := strings.ToLower(*p.AccentColor)
		p.AccentColor = &lc
	}
	if p.AllowedDomains != nil {
		var clean []string
		for _, d := range *p.AllowedDomains {
			d = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(d), "@"))
			if d == "" {
				continue
			}
			if !domainPatten.MatchString(d) {
				f.Add("allowed_domains", "\""+d+"\" is not a domain name such as acme.com")
			}
			clean = append(clean, d)
		}
		if len(clean) > 50 {
			f.Add("allowed_domains", "at most 50 domains")
		}
		p.AllowedDomains = &clean
	}
	if p.StartingCoins != nil && (*p.StartingCoins < 1 || *p.StartingCoins > 1_000_000) {
		f.Add("starting_coins", "must be between 1 and 1,000,000")
	}
	if p.ExactScoreBonusPct != nil && (*p.ExactScoreBonusPct < 0 || *p.ExactScoreBonusPct > 500) {
		f.Add("exact_score_bonus_pct", "must be between 0 and 500")
	}
}

func (p *CompanyPatch) updates() map[string]any {
	u := map[string]any{}
	if p.Name != nil {
		u["name"] = *p.Name
	}
	if p.PrimaryColor != nil {
		u["primary_color"] = *p.PrimaryColor
	}
	if p.AccentColor != nil {
		u["accent_color"] = *p.AccentColor
	}
	if p.AllowedDomains != nil {
		u["allowed_domains"] = strings.Join(*p.AllowedDomains, "\n")
	}
	if p.StartingCoins != nil {
		u["starting_coins"] = *p.StartingCoins
	}
	if p.InCompanyRanking != nil {
		u["in_company_ranking"] = *p.InCompanyRanking
	}
	if p.AllowTeamChoice != nil {
		u["allow_team_choice"] = *p.AllowTeamChoice
	}
	if p.ExactScoreBonusPct != nil {
		u["exact_score_bonus_pct"] = *p.ExactScoreBonusPct
	}
	if p.Active != nil {
		u["active"] = *p.Active
	}
	return u
}

// CreateCompany creates a tenant and, when asked, its first admin.
func (s *Service) CreateCompany(ctx context.Context, in CompanyInput) (*Company, error) {
	f := apperr.Fields{}
	slug := strings.ToLower(strings.TrimSpace(in.Slug))
	if !slugPattern.MatchString(slug) {
		f.Add("slug", "must be 1 to 63 lowercase letters, digits or hyphens, not starting or ending with a hyphen")
	} else if reservedSlugs[slug] {
		f.Add("slug", "is reserved")
	}
	name := in.Name
	patch := CompanyPatch{Name: &name, StartingCoins: in.StartingCoins, InCompanyRanking: in.InCompanyRanking}
	if in.PrimaryColor != "" {
		patch.PrimaryColor = &in.PrimaryColor
	}
	if in.AccentColor != "" {
		patch.AccentColor = &in.AccentColor
	}
	if in.AllowedDomains != nil {
		patch.AllowedDomains = &in.AllowedDomains
	}
	validateCompanyPatch(f, &patch)
	adminEmail := normalizeEmail(in.AdminEmail)
	if adminEmail != "" {
		if !emailPattern.MatchString(adminEmail) {
			f.Add("admin_email", "must be an email address")
		}
		validatePassword(f, "admin_password", in.AdminPassword)
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	now := s.clock.Now()
	c := Company{Slug: slug, Name: *patch.Name, PrimaryColor: "#1f4fd1", AccentColor: "#f5a623",
		StartingCoins: 1000, InCompanyRanking: true, ExactScoreBonusPct: 50, Active: true, CreatedAt: now, UpdatedAt: now}
	if patch.PrimaryColor != nil {
		c.PrimaryColor = *patch.PrimaryColor
	}
	if patch.AccentColor != nil {
		c.AccentColor = *patch.AccentColor
	}
	if patch.AllowedDomains != nil {
		c.AllowedDomains = strings.Join(*patch.AllowedDomains, "\n")
	}
	if patch.StartingCoins != nil {
		c.StartingCoins = *patch.StartingCoins
	}
	if patch.InCompanyRanking != nil {
		c.InCompanyRanking = *patch.InCompanyRanking
	}
	var hash string
	if adminEmail != "" {
		var err error
		if hash, err = s.passwords.Hash(in.AdminPassword); err != nil {
			return nil, err
		}
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&c).Error; err != nil {
			if database.IsDuplicate(err) {
				return &apperr.Error{Kind: apperr.KindConflict, Code: "slug_taken", Message: "a company already uses this slug", Fields: map[string]string{"slug": "is already taken"}}
			}
			return err
		}
		if adminEmail == "" {
			return nil
		}
		adminName := strings.TrimSpace(in.AdminName)
		if adminName == "" {
			adminName = "Admin"
		}
		cid := c.ID
		return tx.Create(&User{CompanyID: &cid, Email: adminEmail, PasswordHash: hash, DisplayName: adminName,
			Role: RoleAdmin, Active: true, CreatedAt: now, UpdatedAt: now}).Error
	})
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// ListCompanies is the operator's view of every tenant.
func (s *Service) ListCompanies(ctx context.Context, p paging.Page) ([]Company, int64, error) {
	p = p.Normalize()
	var total int64
	if err := s.db.WithContext(ctx).Model(&Company{}).Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var cs []Company
	err := s.db.WithContext(ctx).Order("name, id").Limit(p.PerPage).Offset(p.Offset()).Find(&cs).Error
	return cs, total, err
}

// UpdateCompany applies a patch to companyID. Admins reach it for their own
// company only (the scope); the operator for any company.
func (s *Service) UpdateCompany(ctx context.Context, companyID int64, patch CompanyPatch) (*Company, error) {
	f := apperr.Fields{}
	validateCompanyPatch(f, &patch)
	if err := f.Err(); err != nil {
		return nil, err
	}
	u := patch.updates()
	if len(u) > 0 {
		u["updated_at"] = s.clock.Now()
		res := s.db.WithContext(ctx).Model(&Company{}).Where("id = ?", companyID).Updates(u)
		if res.Error != nil {
			return nil, res.Error
		}
		if res.RowsAffected == 0 {
			return nil, apperr.NotFound("company")
		}
		if patch.Active != nil && !*patch.Active {
			// A deactivated company's members lose their sessions at once.
			if err := s.db.WithContext(ctx).Model(&RefreshToken{}).
				Where("company_id = ? AND revoked_at IS NULL", companyID).
				Update("revoked_at", s.clock.Now()).Error; err != nil {
				return nil, err
			}
		}
	}
	var c Company
	if err := s.db.WithContext(ctx).Where("id = ?", companyID).Take(&c).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, apperr.NotFound("company")
		}
		return nil, err
	}
	return &c, nil
}

// SetCompanyLogo records a new logo key and returns the previous one, so the
// caller can delete the old object and nothing is orphaned.
func (s *Service) SetCompanyLogo(ctx context.Context, sc Scope, key *string) (old *string, err error) {
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var c Company
		if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ?", sc.CompanyID).Take(&c).Error; err != nil {
			return err
		}
		old = c.LogoKey
		return tx.Model(&Company{}).Where("id = ?", sc.CompanyID).
			Updates(map[string]any{"logo_key": key, "updated_at": s.clock.Now()}).Error
	})
	return old, err
}

// ---- users ----

// User loads a member of the scope (joined with the team name).
func (s *Service) User(ctx context.Context, sc Scope, userID int64) (*User, error) {
	var u User
	q := s.db.WithContext(ctx).Table("users").
		Select("users.*, teams.name AS team_name").
		Joins("LEFT JOIN teams ON teams.id = users.team_id").
		Where("users.id = ?", userID)
	if sc.IsOperator() {
		q = q.Where("users.company_id IS NULL")
	} else {
		q = q.Where("users.company_id = ?", sc.CompanyID)
	}
	err := q.Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, apperr.NotFound("user")
	}
	return &u, err
}

// ActiveUser is what the auth middleware calls on every request: the token
// alone is not trusted for role or deactivation, which take effect at once.
func (s *Service) ActiveUser(ctx context.Context, sc Scope, userID int64) (*User, error) {
	u, err := s.User(ctx, sc, userID)
	if err != nil {
		if apperr.Is(err, "not_found") {
			return nil, apperr.Unauthorized("invalid_token", "your session is no longer valid; please sign in again")
		}
		return nil, err
	}
	if !u.Active {
		return nil, apperr.Unauthorized("account_deactivated", "this account has been deactivated")
	}
	return u, nil
}

// EnsureOperator creates the platform operator account if it does not exist.
// It never changes an existing account's password.
func (s *Service) EnsureOperator(ctx context.Context, email, password string) (created bool, err error) {
	email = normalizeEmail(email)
	var n int64
	if err := s.db.WithContext(ctx).Model(&User{}).Where("company_id IS NULL AND email = ?", email).Count(&n).Error; err != nil {
		return false, err
	}
	if n > 0 {
		return false, nil
	}
	hash, err := s.passwords.Hash(password)
	if err != nil {
		return false, err
	}
	now := s.clock.Now()
	err = s.db.WithContext(ctx).Create(&User{Email: email, PasswordHash: hash, DisplayName: "Platform operator",
		Role: RoleOperator, Active: true, CreatedAt: now, UpdatedAt: now}).Error
	if database.IsDuplicate(err) {
		return false, nil
	}
	return err == nil, err
}

// LoginInput carries the credentials and the caller's address for throttling.
type LoginInput struct {
	Email    string
	Password string
	IP       string
}

// Login checks credentials under the throttle and opens a session.
func (s *Service) Login(ctx context.Context, sc Scope, in LoginInput) (*Session, error) {
	email := normalizeEmail(in.Email)
	f := apperr.Fields{}
	if email == "" {
		f.Add("email", "is required")
	}
	if in.Password == "" {
		f.Add("password", "is required")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	keys := []ThrottleKey{AccountKey(sc, email), IPKey(in.IP)}
	if err := s.throttle.Check(ctx, keys...); err != nil {
		return nil, err
	}
	var u User
	err := scoped(s.db.WithContext(ctx), sc).Where("email = ?", email).Take(&u).Error
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, err
	}
	ok := false
	if err == nil {
		ok = s.passwords.Check(u.PasswordHash, in.Password)
	} else {
		s.passwords.Waste(in.Password)
	}
	if !ok {
		if err := s.throttle.Fail(ctx, keys...); err != nil {
			return nil, err
		}
		return nil, apperr.Unauthorized("invalid_credentials", "the email or password is not correct")
	}
	if !u.Active {
		return nil, apperr.Unauthorized("account_deactivated", "this account has been deactivated; ask your company admin")
	}
	if err := s.throttle.Reset(ctx, keys[0]); err != nil {
		return nil, err
	}
	return s.openSession(ctx, sc, &u, "")
}

// Audience is the JWT audience of a tenant.
func Audience(sc Scope) string {
	if sc.IsOperator() {
		return auth.OperatorAudience
	}
	return auth.CompanyAudience(sc.CompanyID)
}

// openSession mints an access token and a refresh token (new family unless
// one is given, as on rotation).
func (s *Service) openSession(ctx context.Context, sc Scope, u *User, family string) (*Session, error) {
	return s.openSessionTx(s.db.WithContext(ctx), sc, u, family)
}

func (s *Service) openSessionTx(tx *gorm.DB, sc Scope, u *User, family string) (*Session, error) {
	access, ttl, err := s.tokens.Issue(u.ID, u.Role, Audience(sc))
	if err != nil {
		return nil, err
	}
	raw, hash, err := auth.NewOpaqueToken()
	if err != nil {
		return nil, err
	}
	if family == "" {
		family = auth.RandomID(16)
	}
	now := s.clock.Now()
	rt := RefreshToken{FamilyID: family, UserID: u.ID, CompanyID: companyIDPtr(sc), TokenHash: hash,
		ExpiresAt: now.Add(auth.RefreshTTL), CreatedAt: now}
	if err := tx.Create(&rt).Error; err != nil {
		return nil, err
	}
	full, err := s.User(tx.Statement.Context, sc, u.ID)
	if err != nil {
		full = u
	}
	return &Session{AccessToken: access, ExpiresIn: ttl, RefreshToken: raw, User: full}, nil
}

var errRefreshInvalid = apperr.Unauthorized("invalid_refresh_token", "your session has ended; please sign in again")

// Refresh rotates a refresh token. Presenting a token that was already used
// (or revoked) means it leaked: the whole family is revoked.
func (s *Service) Refresh(ctx context.Context, sc Scope, raw string) (*Session, error) {
	if raw == "" {
		return nil, errRefreshInvalid
	}
	hash := auth.HashToken(raw)
	now := s.clock.Now()
	var rt RefreshToken
	err := scoped(s.db.WithContext(ctx), sc).Where("token_hash = ?", hash).Take(&rt).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, errRefreshInvalid
	}
	if err != nil {
		return nil, err
	}
	if rt.UsedAt != nil || rt.RevokedAt != nil {
		if err := s.revokeFamily(ctx, rt.FamilyID); err != nil {
			return nil, err
		}
		return nil, errRefreshInvalid
	}
	if !now.Before(rt.ExpiresAt) {
		return nil, errRefreshInvalid
	}
	var sess *Session
	reused := false
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// The conditional update is the race guard: of two concurrent uses of
		// one token, exactly one flips used_at.
		res := tx.Model(&RefreshToken{}).Where("id = ? AND used_at IS NULL AND revoked_at IS NULL", rt.ID).Update("used_at", now)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			reused = true
			return nil
		}
		u, err := s.ActiveUser(tx.Statement.Context, sc, rt.UserID)
		if err != nil {
			return err
		}
		sess, err = s.openSessionTx(tx, sc, u, rt.FamilyID)
		return err
	})
	if reused {
		if err := s.revokeFamily(ctx, rt.FamilyID); err != nil {
			return nil, err
		}
		return nil, errRefreshInvalid
	}
	if err != nil {
		if ae, ok := apperr.As(err); ok && ae.Kind == apperr.KindUnauthorized {
			return nil, errRefreshInvalid
		}
		return nil, err
	}
	return sess, nil
}

func (s *Service) revokeFamily(ctx context.Context, family string) error {
	return s.db.WithContext(ctx).Model(&RefreshToken{}).
		Where("family_id = ? AND revoked_at IS NULL", family).Update("revoked_at", s.clock.Now()).Error
}

func (s *Service) revokeUser(tx *gorm.DB, userID int64) error {
	return tx.Model(&RefreshToken{}).Where("user_id = ? AND revoked_at IS NULL", userID).Update("revoked_at", s.clock.Now()).Error
}

// Logout revokes the refresh token's whole family (this device's session).
func (s *Service) Logout(ctx context.Context, sc Scope, raw string) error {
	if raw == "" {
		return nil
	}
	var rt RefreshToken
	err := scoped(s.db.WithContext(ctx), sc).Where("token_hash = ?", auth.HashToken(raw)).Take(&rt).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	return s.revokeFamily(ctx, rt.FamilyID)
}

// SignupInput is a self sign-up, by invite or by allowed email domain.
type SignupInput struct {
	Email       string
	Password    string
	DisplayName string
	Invite      string
	IP          string
}

// Signup creates an employee (or the invite's role) and opens a session.
func (s *Service) Signup(ctx context.Context, sc Scope, in SignupInput) (*Session, error) {
	if sc.IsOperator() {
		return nil, apperr.Forbidden("sign-up happens on your company's address")
	}
	email := normalizeEmail(in.Email)
	f := apperr.Fields{}
	if !emailPattern.MatchString(email) || len(email) > 254 {
		f.Add("email", "must be an email address")
	}
	validatePassword(f, "password", in.Password)
	name := validateDisplayName(f, in.DisplayName)
	if err := f.Err(); err != nil {
		return nil, err
	}
	company, err := s.Company(ctx, sc)
	if err != nil {
		return nil, err
	}
	hash, err := s.passwords.Hash(in.Password)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	var u User
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		role := RoleEmployee
		if in.Invite != "" {
			var inv Invite
			err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).
				Where("company_id = ? AND token = ?", sc.CompanyID, in.Invite).Take(&inv).Error
			if errors.Is(err, gorm.ErrRecordNotFound) || (err == nil && !inv.Usable(now)) {
				return &apperr.Error{Kind: apperr.KindUnprocessable, Code: "invite_invalid", Message: "this invite link is unknown, expired or used up", Fields: map[string]string{"invite": "is not valid any more"}}
			}
			if err != nil {
				return err
			}
			// Conditional increment: a single-use invite cannot be spent twice
			// by two concurrent sign-ups.
			res := tx.Model(&Invite{}).Where("id = ? AND (max_uses IS NULL OR uses < max_uses)", inv.ID).
				Update("uses", gorm.Expr("uses + 1"))
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected != 1 {
				return &apperr.Error{Kind: apperr.KindUnprocessable, Code: "invite_invalid", Message: "this invite link is used up", Fields: map[string]string{"invite": "is used up"}}
			}
			role = inv.Role
		} else if !domainAllowed(company, email) {
			return &apperr.Error{Kind: apperr.KindUnprocessable, Code: "email_domain_not_allowed",
				Message: "sign-up with this email domain is not open; ask your admin for an invite link",
				Fields:  map[string]string{"email": "this domain is not allowed for self sign-up"}}
		}
		cid := sc.CompanyID
		u = User{CompanyID: &cid, Email: email, PasswordHash: hash, DisplayName: name, Role: role, Active: true, CreatedAt: now, UpdatedAt: now}
		if err := tx.Create(&u).Error; err != nil {
			if database.IsDuplicate(err) {
				return &apperr.Error{Kind: apperr.KindConflict, Code: "email_taken", Message: "an account with this email already exists; sign in instead", Fields: map[string]string{"email": "is already registered"}}
			}
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.openSession(ctx, sc, &u, "")
}

func domainAllowed(c *Company, email string) bool {
	at := strings.LastIndexByte(email, '@')
	if at < 0 {
		return false
	}
	domain := email[at+1:]
	for _, d := range c.Domains() {
		if domain == d {
			return true
		}
	}
	return false
}

// ProfilePatch is what a member may change about themself.
type ProfilePatch struct {
	DisplayName *string
	TeamID      **int64
}

func (s *Service) UpdateProfile(ctx context.Context, sc Scope, userID int64, p ProfilePatch) (*User, error) {
	f := apperr.Fields{}
	u := map[string]any{}
	if p.DisplayName != nil {
		u["display_name"] = validateDisplayName(f, *p.DisplayName)
	}
	if p.TeamID != nil {
		if sc.IsOperator() {
			f.Add("team_id", "operators have no team")
		} else {
			c, err := s.Company(ctx, sc)
			if err != nil {
				return nil, err
			}
			if !c.AllowTeamChoice {
				return nil, apperr.Forbidden("your company admin assigns teams")
			}
			if *p.TeamID != nil {
				if err := s.teamExists(ctx, sc, **p.TeamID); err != nil {
					f.Add("team_id", "no such team")
				}
			}
			u["team_id"] = *p.TeamID
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	if len(u) > 0 {
		u["updated_at"] = s.clock.Now()
		if err := scoped(s.db.WithContext(ctx).Model(&User{}), sc).Where("id = ?", userID).Updates(u).Error; err != nil {
			return nil, err
		}
	}
	return s.User(ctx, sc, userID)
}

// SetAvatar records the avatar key and returns the previous one.
func (s *Service) SetAvatar(ctx context.Context, sc Scope, userID int64, key *string) (old *string, err error) {
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var u User
		if err := scoped(tx.Clauses(clause.Locking{Strength: "UPDATE"}), sc).Where("id = ?", userID).Take(&u).Error; err != nil {
			return err
		}
		old = u.AvatarKey
		return tx.Model(&User{}).Where("id = ?", userID).Updates(map[string]any{"avatar_key": key, "updated_at": s.clock.Now()}).Error
	})
	return old, err
}

// AvatarOwnerCompany tells which company an avatar key belongs to, so media
// serving can refuse other companies.
func (s *Service) AvatarVisible(ctx context.Context, sc Scope, key string) (bool, error) {
	var n int64
	err := scoped(s.db.WithContext(ctx).Model(&User{}), sc).Where("avatar_key = ?", key).Count(&n).Error
	return n > 0, err
}

// ChangePassword checks the current password, sets the new one and revokes
// every session of the user; the caller gets a fresh one.
func (s *Service) ChangePassword(ctx context.Context, sc Scope, userID int64, current, next string) (*Session, error) {
	f := apperr.Fields{}
	if current == "" {
		f.Add("current_password", "is required")
	}
	validatePassword(f, "new_password", next)
	if err := f.Err(); err != nil {
		return nil, err
	}
	u, err := s.ActiveUser(ctx, sc, userID)
	if err != nil {
		return nil, err
	}
	if !s.passwords.Check(u.PasswordHash, current) {
		return nil, apperr.Invalid("current_password", "is not correct")
	}
	hash, err := s.passwords.Hash(next)
	if err != nil {
		return nil, err
	}
	var sess *Session
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Model(&User{}).Where("id = ?", u.ID).Updates(map[string]any{"password_hash": hash, "updated_at": s.clock.Now()}).Error; err != nil {
			return err
		}
		if err := s.revokeUser(tx, u.ID); err != nil {
			return err
		}
		sess, err = s.openSessionTx(tx, sc, u, "")
		return err
	})
	return sess, err
}

// ResetLink is a one-time password reset token for a member.
type ResetLink struct {
	Token     string
	ExpiresAt time.Time
}

const resetTTL = 24 * time.Hour

// CreateResetLink lets an admin hand a member a reset link (until email
// sending exists).
func (s *Service) CreateResetLink(ctx context.Context, sc Scope, userID int64) (*ResetLink, error) {
	if _, err := s.User(ctx, sc, userID); err != nil {
		return nil, err
	}
	raw, hash, err := auth.NewOpaqueToken()
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	pr := PasswordReset{UserID: userID, CompanyID: companyIDPtr(sc), TokenHash: hash, ExpiresAt: now.Add(resetTTL), CreatedAt: now}
	if err := s.db.WithContext(ctx).Create(&pr).Error; err != nil {
		return nil, err
	}
	return &ResetLink{Token: raw, ExpiresAt: pr.ExpiresAt}, nil
}

// ResetPassword spends a reset token once.
func (s *Service) ResetPassword(ctx context.Context, sc Scope, token, password string) error {
	f := apperr.Fields{}
	if token == "" {
		f.Add("token", "is required")
	}
	validatePassword(f, "password", password)
	if err := f.Err(); err != nil {
		return err
	}
	hash, err := s.passwords.Hash(password)
	if err != nil {
		return err
	}
	now := s.clock.Now()
	invalid := &apperr.Error{Kind: apperr.KindUnprocessable, Code: "reset_token_invalid", Message: "this reset link is unknown, expired or already used", Fields: map[string]string{"token": "is not valid"}}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var pr PasswordReset
		err := scoped(tx, sc).Where("token_hash = ?", auth.HashToken(token)).Take(&pr).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return invalid
		}
		if err != nil {
			return err
		}
		res := tx.Model(&PasswordReset{}).Where("id = ? AND used_at IS NULL AND expires_at > ?", pr.ID, now).Update("used_at", now)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return invalid
		}
		if err := tx.Model(&User{}).Where("id = ?", pr.UserID).Updates(map[string]any{"password_hash": hash, "updated_at": now}).Error; err != nil {
			return err
		}
		return s.revokeUser(tx, pr.UserID)
	})
}
