package betting

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/betcity/betcity/server/apperr"
	"github.com/betcity/betcity/server/clock"
	"github.com/betcity/betcity/server/database"
	"github.com/betcity/betcity/server/paging"
)

// Service is the betting domain.
type Service struct {
	db    *database.DB
	clock clock.Clock
}

func NewService(db *database.DB, clk clock.Clock) *Service { return &Service{db: db, clock: clk} }

// isRetryable spots MySQL deadlocks and lock wait timeouts, and SQLite busy
// errors: the transaction did nothing and can simply run again.
func isRetryable(err error) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "Error 1213") || strings.Contains(msg, "Error 1205") ||
		strings.Contains(msg, "database is locked") || strings.Contains(msg, "SQLITE_BUSY")
}

// tx runs f in a transaction, retrying a few times on deadlock. On MySQL it
// uses READ COMMITTED: the rules here never rely on repeatable reads, and it
// avoids the gap locks that make concurrent inserts deadlock.
func (s *Service) tx(ctx context.Context, f func(tx *gorm.DB) error) error {
	var opts []*sql.TxOptions
	if s.db.IsMySQL() {
		opts = append(opts, &sql.TxOptions{Isolation: sql.LevelReadCommitted})
	}
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		err = s.db.WithContext(ctx).Transaction(f, opts...)
		if !isRetryable(err) {
			return err
		}
		time.Sleep(time.Duration(attempt+1) * 5 * time.Millisecond)
	}
	return err
}

// ---- tournaments ----

func validStages(stages []string) error {
	for _, st := range stages {
		ok := false
		for _, known := range Stages {
			ok = ok || st == known
		}
		if !ok {
			return apperr.Invalid("stages", "unknown stage \""+st+"\"; use "+strings.Join(Stages, ", "))
		}
	}
	return nil
}

type TournamentInput struct {
	Name   string
	Stages []string
}

func (s *Service) CreateTournament(ctx context.Context, in TournamentInput) (*Tournament, error) {
	name := strings.TrimSpace(in.Name)
	if name == "" || len([]rune(name)) > 120 {
		return nil, apperr.Invalid("name", "must be 1 to 120 characters")
	}
	if len(in.Stages) == 0 {
		in.Stages = Stages
	}
	if err := validStages(in.Stages); err != nil {
		return nil, err
	}
	now := s.clock.Now()
	t := Tournament{Name: name, Stages: strings.Join(in.Stages, ","), CreatedAt: now, UpdatedAt: now}
	if err := s.db.WithContext(ctx).Create(&t).Error; err != nil {
		if database.IsDuplicate(err) {
			return nil, &apperr.Error{Kind: apperr.KindConflict, Code: "tournament_exists", Message: "a tournament with this name exists", Fields: map[string]string{"name": "is already used"}}
		}
		return nil, err
	}
	return &t, nil
}

func (s *Service) UpdateTournament(ctx context.Context, id int64, in TournamentInput) (*Tournament, error) {
	u := map[string]any{"updated_at": s.clock.Now()}
	if in.Name != "" {
		u["name"] = strings.TrimSpace(in.Name)
	}
	if in.Stages != nil {
		if err := validStages(in.Stages); err != nil {
			return nil, err
		}
		u["stages"] = strings.Join(in.Stages, ",")
	}
	res := s.db.WithContext(ctx).Model(&Tournament{}).Where("id = ?", id).Updates(u)
	if res.Error != nil {
		if database.IsDuplicate(res.Error) {
			return nil, apperr.Conflict("tournament_exists", "a tournament with this name exists")
		}
		return nil, res.Error
	}
	return s.Tournament(ctx, id)
}

const tournamentSpan = "(SELECT MIN(kickoff) FROM matches m WHERE m.tournament_id = tournaments.id) AS starts_at, " +
	"(SELECT MAX(kickoff) FROM matches m WHERE m.tournament_id = tournaments.id) AS ends_at"

func (s *Service) Tournament(ctx context.Context, id int64) (*Tournament, error) {
	var t Tournament
	err := s.db.WithContext(ctx).Select("tournaments.*, "+tournamentSpan).Where("id = ?", id).Take(&t).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, &apperr.Error{Kind: apperr.KindNotFound, Code: "tournament_not_found", Message: "tournament not found"}
	}
	return &t, err
}

func (s *Service) Tournaments(ctx context.Context, p paging.Page) ([]Tournament, int64, error) {
	p = p.Normalize()
	var total int64
	if err := s.db.WithContext(ctx).Model(&Tournament{}).Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var ts []Tournament
	err := s.db.WithContext(ctx).Select("tournaments.*, " + tournamentSpan).Order("id DESC").
		Limit(p.PerPage).Offset(p.Offset()).Find(&ts).Error
	return ts, total, err
}

// EnrolledTournament is a tournament as a company sees it.
type EnrolledTournament struct {
	Tournament
	StartingCoins int
}

// CompanyTournaments lists the tournaments a company is enrolled in, newest first.
func (s *Service) CompanyTournaments(ctx context.Context, companyID int64) ([]EnrolledTournament, error) {
	var out []EnrolledTournament
	err := s.db.WithContext(ctx).Table("tournaments").
		Select("tournaments.*, enrollments.starting_coins, "+tournamentSpan).
		Joins("JOIN enrollments ON enrollments.tournament_id = tournaments.id AND enrollments.company_id = ?", companyID).
		Order("tournaments.id DESC").Find(&out).Error
	return out, err
}

// ResolveTournament returns the enrollment for the requested tournament, or
// the company's newest one when none is requested.
func (s *Service) ResolveTournament(ctx context.Context, companyID, tournamentID int64) (*Enrollment, error) {
	var e Enrollment
	q := s.db.WithContext(ctx).Where("company_id = ?", companyID)
	if tournamentID > 0 {
		q = q.Where("tournament_id = ?", tournamentID)
	}
	err := q.Order("tournament_id DESC").Take(&e).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		if tournamentID > 0 {
			return nil, &apperr.Error{Kind: apperr.KindForbidden, Code: "not_enrolled", Message: "your company is not enrolled in this tournament"}
		}
		return nil, &apperr.Error{Kind: apperr.KindNotFound, Code: "no_tournament", Message: "your company is not enrolled in any tournament yet"}
	}
	return &e, err
}

// Enroll adds a company to a tournament. startingCoins 0 takes the company's
// default.
func (s *Service) Enroll(ctx context.Context, tournamentID, companyID int64, startingCoins int) (*Enrollment, error) {
	if _, err := s.Tournament(ctx, tournamentID); err != nil {
		return nil, err
	}
	if startingCoins == 0 {
		var coins sql.NullInt64
		if err := s.db.WithContext(ctx).Table("companies").Select("starting_coins").Where("id = ?", companyID).Scan(&coins).Error; err != nil {
			return nil, err
		}
		if !coins.Valid {
			return nil, apperr.Invalid("company_id", "no such company")
		}
		startingCoins = int(coins.Int64)
	}
	if startingCoins < 1 || startingCoins > 1_000_000 {
		return nil, apperr.Invalid("starting_coins", "must be between 1 and 1,000,000")
	}
	e := Enrollment{TournamentID: tournamentID, CompanyID: companyID, StartingCoins: startingCoins, CreatedAt: s.clock.Now()}
	if err := s.db.WithContext(ctx).Create(&e).Error; err != nil {
		if database.IsDuplicate(err) {
			return nil, apperr.Conflict("already_enrolled", "this company is already enrolled in this tournament")
		}
		return nil, err
	}
	return &e, nil
}

// EnrollmentView is an enrolment with its company's name.
type EnrollmentView struct {
	Enrollment
	CompanySlug string
	CompanyName string
}

func (s *Service) Enrollments(ctx context.Context, tournamentID int64) ([]EnrollmentView, error) {
	var out []EnrollmentView
	err := s.db.WithContext(ctx).Table("enrollments").
		Select("enrollments.*, companies.slug AS company_slug, companies.name AS company_name").
		Joins("JOIN companies ON companies.id = enrollments.company_id").
		Where("enrollments.tournament_id = ?", tournamentID).Order("companies.name").Find(&out).Error
	return out, err
}

// ---- football teams ----

func (s *Service) FootballTeams(ctx context.Context) ([]FootballTeam, error) {
	var ts []FootballTeam
	err := s.db.WithContext(ctx).Order("name").Find(&ts).Error
	return ts, err
}

// UpsertFootballTeam creates a team by code or updates its name and flag.
func (s *Service) UpsertFootballTeam(ctx context.Context, name, code string, flag *string) (*FootballTeam, error) {
	f := map[string]string{}
	name = strings.TrimSpace(name)
	code = strings.ToUpper(strings.TrimSpace(code))
	if name == "" || len([]rune(name)) > 80 {
		f["name"] = "must be 1 to 80 characters"
	}
	if code == "" || len(code) > 8 {
		f["code"] = "must be a FIFA code such as FRA"
	}
	if len(f) > 0 {
		return nil, &apperr.Error{Kind: apperr.KindValidation, Code: "validation_failed", Message: "some fields are invalid", Fields: f}
	}
	var t FootballTeam
	err := s.db.WithContext(ctx).Where("code = ?", code).Take(&t).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		t = FootballTeam{Name: name, Code: code, Flag: flag, CreatedAt: s.clock.Now()}
		if err := s.db.WithContext(ctx).Create(&t).Error; err != nil {
			if database.IsDuplicate(err) {
				return s.UpsertFootballTeam(ctx, name, code, flag)
			}
			return nil, err
		}
		return &t, nil
	case err != nil:
		return nil, err
	}
	u := map[string]any{}
	if t.Name != name {
		u["name"] = name
	}
	if flag != nil && (t.Flag == nil || *t.Flag != *flag) {
		u["flag"] = *flag
	}
	if len(u) > 0 {
		if err := s.db.WithContext(ctx).Model(&t).Updates(u).Error; err != nil {
			return nil, err
		}
	}
	return &t, nil
}
