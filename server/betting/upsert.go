package betting

import (
	"context"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/betcity/betcity/server/apperr"
	"github.com/betcity/betcity/server/database"
)

// Lookups used by imports and seeding, which create-or-update by natural
// keys (a tournament's name, a match's external key) rather than by ID.

var errTournamentNotFound = &apperr.Error{Kind: apperr.KindNotFound, Code: "tournament_not_found", Message: "tournament not found"}

// TournamentByName finds a tournament by its exact (trimmed) name.
func (s *Service) TournamentByName(ctx context.Context, name string) (*Tournament, error) {
	var t Tournament
	err := s.db.WithContext(ctx).Select("tournaments.*, "+tournamentSpan).
		Where("name = ?", strings.TrimSpace(name)).Take(&t).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, errTournamentNotFound
	}
	return &t, err
}

// EnsureTournament returns the tournament of that name, creating it when
// missing; created tells which. Two concurrent callers end up with the same
// row: the unique name decides, and the loser reads the winner's.
func (s *Service) EnsureTournament(ctx context.Context, in TournamentInput) (t *Tournament, created bool, err error) {
	t, err = s.TournamentByName(ctx, in.Name)
	if err == nil || !apperr.Is(err, "tournament_not_found") {
		return t, false, err
	}
	t, err = s.CreateTournament(ctx, in)
	if apperr.Is(err, "tournament_exists") {
		t, err = s.TournamentByName(ctx, in.Name)
		return t, false, err
	}
	return t, err == nil, err
}

// MatchByExternalKey finds a tournament's match by the key its source gave it.
func (s *Service) MatchByExternalKey(ctx context.Context, tournamentID int64, key string) (*Match, error) {
	var m Match
	err := s.db.WithContext(ctx).Preload("HomeTeam").Preload("AwayTeam").
		Where("tournament_id = ? AND external_key = ?", tournamentID, key).Take(&m).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, errMatchNotFound
	}
	return &m, err
}

// MatchesByExternalKey loads every keyed match of a tournament, by key, in
// one query.
func (s *Service) MatchesByExternalKey(ctx context.Context, tournamentID int64) (map[string]Match, error) {
	var ms []Match
	if err := s.db.WithContext(ctx).Where("tournament_id = ? AND external_key IS NOT NULL", tournamentID).
		Find(&ms).Error; err != nil {
		return nil, err
	}
	out := make(map[string]Match, len(ms))
	for _, m := range ms {
		out[*m.ExternalKey] = m
	}
	return out, nil
}

// UpsertMatch creates the tournament's match with in.ExternalKey, or updates
// the existing one with the non-nil fields of in. A concurrent creation of
// the same key turns into an update.
func (s *Service) UpsertMatch(ctx context.Context, tournamentID int64, in MatchInput) (m *Match, created bool, err error) {
	if in.ExternalKey == nil || *in.ExternalKey == "" {
		return nil, false, apperr.Invalid("external_key", "is required to upsert a match")
	}
	existing, err := s.MatchByExternalKey(ctx, tournamentID, *in.ExternalKey)
	switch {
	case err == nil:
		m, err = s.UpdateMatch(ctx, existing.ID, in)
		return m, false, err
	case !apperr.Is(err, "match_not_found"):
		return nil, false, err
	}
	m, err = s.insertMatch(ctx, tournamentID, in)
	if err != nil && database.IsDuplicate(err) {
		if existing, err = s.MatchByExternalKey(ctx, tournamentID, *in.ExternalKey); err != nil {
			return nil, false, err
		}
		m, err = s.UpdateMatch(ctx, existing.ID, in)
		return m, false, err
	}
	return m, err == nil, err
}

// insertMatch inserts a match and its external key in one statement, so
// losing a race on the key leaves no half-made row behind. A taken key comes
// back as the raw duplicate error, for the caller to decide.
func (s *Service) insertMatch(ctx context.Context, tournamentID int64, in MatchInput) (*Match, error) {
	f := apperr.Fields{}
	if in.Kickoff == nil {
		f.Add("kickoff", "is required")
	}
	in.validate(f)
	if err := f.Err(); err != nil {
		return nil, err
	}
	if _, err := s.Tournament(ctx, tournamentID); err != nil {
		return nil, err
	}
	now := s.clock.Now()
	m := Match{TournamentID: tournamentID, ExternalKey: in.ExternalKey, Stage: "group", Kickoff: in.Kickoff.UTC(),
		Status: StatusScheduled, CreatedAt: now, UpdatedAt: now}
	str := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	str(&m.Stage, in.Stage)
	str(&m.GroupName, in.Group)
	str(&m.Round, in.Round)
	str(&m.HomeLabel, in.HomeLabel)
	str(&m.AwayLabel, in.AwayLabel)
	str(&m.Venue, in.Venue)
	str(&m.Status, in.Status)
	if in.HomeTeamID != nil {
		m.HomeTeamID = *in.HomeTeamID
	}
	if in.AwayTeamID != nil {
		m.AwayTeamID = *in.AwayTeamID
	}
	if err := s.db.WithContext(ctx).Omit("HomeTeam", "AwayTeam").Create(&m).Error; err != nil {
		return nil, err
	}
	return s.OperatorMatch(ctx, m.ID)
}

// TournamentKickoffs returns the kick-off times of a tournament's matches
// that are not cancelled, in order.
func (s *Service) TournamentKickoffs(ctx context.Context, tournamentID int64) ([]time.Time, error) {
	var ks []time.Time
	err := s.db.WithContext(ctx).Model(&Match{}).Where("tournament_id = ? AND status <> ?", tournamentID, StatusCancelled).
		Order("kickoff").Pluck("kickoff", &ks).Error
	for i := range ks {
		ks[i] = ks[i].UTC()
	}
	return ks, err
}
