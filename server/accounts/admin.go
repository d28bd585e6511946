package accounts

import (
	"context"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/betcity/betcity/server/apperr"
	"github.com/betcity/betcity/server/auth"
	"github.com/betcity/betcity/server/database"
	"github.com/betcity/betcity/server/paging"
)

// ---- teams ----

func (s *Service) teamExists(ctx context.Context, sc Scope, teamID int64) error {
	var n int64
	if err := s.db.WithContext(ctx).Model(&Team{}).Where("company_id = ? AND id = ?", sc.CompanyID, teamID).Count(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		return apperr.NotFound("team")
	}
	return nil
}

// Teams lists the company's teams with their active member counts.
func (s *Service) Teams(ctx context.Context, sc Scope) ([]Team, error) {
	var ts []Team
	err := s.db.WithContext(ctx).Table("teams").
		Select("teams.*, (SELECT COUNT(*) FROM users WHERE users.team_id = teams.id AND users.active = ?) AS members", true).
		Where("teams.company_id = ?", sc.CompanyID).Order("teams.name").Find(&ts).Error
	return ts, err
}

func validTeamName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" || len([]rune(name)) > 80 {
		return "", apperr.Invalid("name", "must be 1 to 80 characters")
	}
	return name, nil
}

var errTeamNameTaken = &apperr.Error{Kind: apperr.KindConflict, Code: "team_name_taken", Message: "a team already has this name", Fields: map[string]string{"name": "is already used"}}

func (s *Service) CreateTeam(ctx context.Context, sc Scope, name string) (*Team, error) {
	name, err := validTeamName(name)
	if err != nil {
		return nil, err
	}
	t := Team{CompanyID: sc.CompanyID, Name: name, CreatedAt: s.clock.Now()}
	if err := s.db.WithContext(ctx).Create(&t).Error; err != nil {
		if database.IsDuplicate(err) {
			return nil, errTeamNameTaken
		}
		return nil, err
	}
	return &t, nil
}

func (s *Service) RenameTeam(ctx context.Context, sc Scope, teamID int64, name string) (*Team, error) {
	name, err := validTeamName(name)
	if err != nil {
		return nil, err
	}
	res := s.db.WithContext(ctx).Model(&Team{}).Where("company_id = ? AND id = ?", sc.CompanyID, teamID).Update("name", name)
	if res.Error != nil {
		if database.IsDuplicate(res.Error) {
			return nil, errTeamNameTaken
		}
		return nil, res.Error
	}
	var t Team
	if err := s.db.WithContext(ctx).Where("company_id = ? AND id = ?", sc.CompanyID, teamID).Take(&t).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, apperr.NotFound("team")
		}
		return nil, err
	}
	return &t, nil
}

// DeleteTeam removes a team; its members stay, without a team.
func (s *Service) DeleteTeam(ctx context.Context, sc Scope, teamID int64) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Model(&User{}).Where("company_id = ? AND team_id = ?", sc.CompanyID, teamID).Update("team_id", nil).Error; err != nil {
			return err
		}
		res := tx.Where("company_id = ? AND id = ?", sc.CompanyID, teamID).Delete(&Team{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return apperr.NotFound("team")
		}
		return nil
	})
}

// ---- invites ----

type InviteInput struct {
	MaxUses        *int
	ExpiresInHours int
	Role           string
}

func (s *Service) Invites(ctx context.Context, sc Scope) ([]Invite, error) {
	var is []Invite
	err := s.db.WithContext(ctx).Where("company_id = ? AND revoked_at IS NULL", sc.CompanyID).Order("created_at DESC, id DESC").Find(&is).Error
	return is, err
}

func (s *Service) CreateInvite(ctx context.Context, sc Scope, actorID int64, in InviteInput) (*Invite, error) {
	f := apperr.Fields{}
	if in.MaxUses != nil && (*in.MaxUses < 1 || *in.MaxUses > 100000) {
		f.Add("max_uses", "must be between 1 and 100000, or empty for unlimited")
	}
	if in.ExpiresInHours == 0 {
		in.ExpiresInHours = 7 * 24
	}
	if in.ExpiresInHours < 1 || in.ExpiresInHours > 24*90 {
		f.Add("expires_in_hours", "must be between 1 and 2160 (90 days)")
	}
	if in.Role == "" {
		in.Role = RoleEmployee
	}
	if in.Role != RoleEmployee && in.Role != RoleHR && in.Role != RoleAdmin {
		f.Add("role", "must be employee, hr or admin")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	now := s.clock.Now()
	inv := Invite{CompanyID: sc.CompanyID, Token: auth.RandomID(16), Role: in.Role, MaxUses: in.MaxUses,
		ExpiresAt: now.Add(time.Duration(in.ExpiresInHours) * time.Hour), CreatedBy: &actorID, CreatedAt: now}
	if err := s.db.WithContext(ctx).Create(&inv).Error; err != nil {
		return nil, err
	}
	return &inv, nil
}

func (s *Service) RevokeInvite(ctx context.Context, sc Scope, inviteID int64) error {
	res := s.db.WithContext(ctx).Model(&Invite{}).Where("company_id = ? AND id = ? AND revoked_at IS NULL", sc.CompanyID, inviteID).Update("revoked_at", s.clock.Now())
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return apperr.NotFound("invite")
	}
	return nil
}

// InviteInfo is the public view of an invite for the sign-up page.
func (s *Service) InviteInfo(ctx context.Context, sc Scope, token string) (*Invite, error) {
	var inv Invite
	err := s.db.WithContext(ctx).Where("company_id = ? AND token = ?", sc.CompanyID, token).Take(&inv).Error
	if errors.Is(err, gorm.ErrRecordNotFound) || (err == nil && !inv.Usable(s.clock.Now())) {
		return nil, &apperr.Error{Kind: apperr.KindNotFound, Code: "invite_invalid", Message: "this invite link is unknown, expired or used up"}
	}
	return &inv, err
}

// ---- members ----

func (s *Service) Members(ctx context.Context, sc Scope, query string, p paging.Page) ([]User, int64, error) {
	p = p.Normalize()
	q := s.db.WithContext(ctx).Table("users").Where("users.company_id = ?", sc.CompanyID)
	if query = strings.TrimSpace(query); query != "" {
		like := "%" + strings.ToLower(query) + "%"
		q = q.Where("(LOWER(users.email) LIKE ? OR LOWER(users.display_name) LIKE ?)", like, like)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var us []User
	err := q.Select("users.*, teams.name AS team_name").Joins("LEFT JOIN teams ON teams.id = users.team_id").
		Order("users.display_name, users.id").Limit(p.PerPage).Offset(p.Offset()).Find(&us).Error
	return us, total, err
}

type MemberPatch struct {
	Role   *string
	Active *bool
	TeamID **int64
}

// UpdateMember changes a member's role, activity or team. The company always
// keeps at least one active admin.
func (s *Service) UpdateMember(ctx context.Context, sc Scope, memberID int64, p MemberPatch) (*User, error) {
	f := apperr.Fields{}
	if p.Role != nil && *p.Role != RoleAdmin && *p.Role != RoleHR && *p.Role != RoleEmployee {
		f.Add("role", "must be admin, hr or employee")
	}
	if p.TeamID != nil && *p.TeamID != nil {
		if err := s.teamExists(ctx, sc, **p.TeamID); err != nil {
			f.Add("team_id", "no such team")
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// Lock every admin row of the company: two admins demoting each other
		// at the same moment must not both succeed.
		var admins []User
		if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).
			Where("company_id = ? AND role = ? AND active = ?", sc.CompanyID, RoleAdmin, true).Find(&admins).Error; err != nil {
			return err
		}
		var m User
		if err := tx.Where("company_id = ? AND id = ?", sc.CompanyID, memberID).Take(&m).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return apperr.NotFound("member")
			}
			return err
		}
		stillAdmin := m.Role == RoleAdmin && m.Active
		if p.Role != nil && *p.Role != RoleAdmin {
			stillAdmin = false
		}
		if p.Active != nil && !*p.Active {
			stillAdmin = false
		}
		if m.Role == RoleAdmin && m.Active && !stillAdmin && len(admins) <= 1 {
			return apperr.Conflict("last_admin", "the company needs at least one active admin; promote someone else first")
		}
		u := map[string]any{"updated_at": s.clock.Now()}
		if p.Role != nil {
			u["role"] = *p.Role
		}
		if p.Active != nil {
			u["active"] = *p.Active
		}
		if p.TeamID != nil {
			u["team_id"] = *p.TeamID
		}
		if err := tx.Model(&User{}).Where("id = ?", m.ID).Updates(u).Error; err != nil {
			return err
		}
		if p.Active != nil && !*p.Active {
			return s.revokeUser(tx, m.ID)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.User(ctx, sc, memberID)
}
