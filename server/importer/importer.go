// Package importer stores a parsed openfootball file: the tournament, its
// football teams and its matches, created or updated in place so that the
// same file, or a newer version of it, can be imported again and again.
// Results in the file settle bets through the betting service.
package importer

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/betcity/betcity/server/apperr"
	"github.com/betcity/betcity/server/betting"
	"github.com/betcity/betcity/server/fifa"
	"github.com/betcity/betcity/server/importer/openfootball"
)

// Summary says what an import did. Matches are counted once each, as
// created, updated (any stored field changed, its result included) or
// unchanged; MatchesSettled counts the matches whose 90-minute result was
// (re)settled. Skipped explains what was left out and why.
type Summary struct {
	TournamentID     int64
	MatchesCreated   int
	MatchesUpdated   int
	MatchesUnchanged int
	TeamsCreated     int
	MatchesSettled   int
	Skipped          []string
}

// Column limits of the matches table.
const (
	maxRound = 60
	maxLabel = 60
	maxVenue = 120
	maxGroup = 10
	maxTeam  = 80
)

// Import stores t. It is idempotent: the tournament is found by name, teams
// by FIFA code, and matches by (tournament, Match.Key). progress, when not
// nil, is called after each match.
func Import(ctx context.Context, bet *betting.Service, t *openfootball.Tournament, progress func(done, total int)) (Summary, error) {
	if progress == nil {
		progress = func(int, int) {}
	}
	var sum Summary
	name := strings.TrimSpace(t.Name)
	if name == "" {
		return sum, apperr.Invalid("name", "the file has no tournament name")
	}
	im := &run{bet: bet, sum: &sum}
	tour, err := im.tournament(ctx, name, t.Matches)
	if err != nil {
		return sum, err
	}
	sum.TournamentID = tour.ID
	if err := im.loadTeams(ctx); err != nil {
		return sum, err
	}
	existing, err := bet.MatchesByExternalKey(ctx, tour.ID)
	if err != nil {
		return sum, err
	}
	total := len(t.Matches)
	progress(0, total)
	for i := range t.Matches {
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		if err := im.match(ctx, tour.ID, &t.Matches[i], existing); err != nil {
			return sum, err
		}
		progress(i+1, total)
	}
	return sum, nil
}

type run struct {
	bet   *betting.Service
	sum   *Summary
	teams map[string]betting.FootballTeam // by code
}

func (im *run) skip(format string, args ...any) {
	im.sum.Skipped = append(im.sum.Skipped, fmt.Sprintf(format, args...))
}

// tournament finds or creates the tournament, and adds any stage the file
// uses that it does not list yet.
func (im *run) tournament(ctx context.Context, name string, matches []openfootball.Match) (*betting.Tournament, error) {
	used := map[string]bool{}
	for _, m := range matches {
		used[m.Stage] = true
	}
	var stages []string
	for _, st := range betting.Stages {
		if used[st] {
			stages = append(stages, st)
		}
	}
	tour, created, err := im.bet.EnsureTournament(ctx, betting.TournamentInput{Name: name, Stages: stages})
	if err != nil || created {
		return tour, err
	}
	have := tour.StageList()
	missing := false
	for _, st := range stages {
		missing = missing || !slices.Contains(have, st)
	}
	if !missing {
		return tour, nil
	}
	var merged []string
	for _, st := range betting.Stages {
		if used[st] || slices.Contains(have, st) {
			merged = append(merged, st)
		}
	}
	return im.bet.UpdateTournament(ctx, tour.ID, betting.TournamentInput{Stages: merged})
}

func (im *run) loadTeams(ctx context.Context) error {
	ts, err := im.bet.FootballTeams(ctx)
	if err != nil {
		return err
	}
	im.teams = make(map[string]betting.FootballTeam, len(ts))
	for _, t := range ts {
		im.teams[t.Code] = t
	}
	return nil
}

// team returns the ID of the side's football team, creating the team on
// first sight. A placeholder or a team without a FIFA code has none.
func (im *run) team(ctx context.Context, key string, ref openfootball.TeamRef) (*int64, error) {
	if ref.TBD {
		return nil, nil
	}
	code := strings.ToUpper(ref.Code)
	if code == "" {
		im.skip("%s: team %q has no known FIFA code; it is kept as a label and the match cannot be bet on", key, ref.Name)
		return nil, nil
	}
	var flag *string
	if f, ok := fifa.FlagFile(code); ok {
		flag = &f
	}
	if t, ok := im.teams[code]; ok {
		if flag != nil && (t.Flag == nil || *t.Flag == "") {
			// Keep the name the operator may have chosen; only add the flag.
			up, err := im.bet.UpsertFootballTeam(ctx, t.Name, code, flag)
			if err != nil {
				return nil, err
			}
			up.Flag = flag
			im.teams[code] = *up
		}
		id := t.ID
		return &id, nil
	}
	t, err := im.bet.UpsertFootballTeam(ctx, truncate(ref.Name, maxTeam), code, flag)
	if ae, ok := apperr.As(err); ok && ae.Kind == apperr.KindValidation {
		im.skip("%s: team %q (%s) not stored: %s; it is kept as a label", key, ref.Name, code, explain(ae))
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	im.teams[code] = *t
	im.sum.TeamsCreated++
	id := t.ID
	return &id, nil
}

// describe names a match for the skipped list.
func describe(m *openfootball.Match) string {
	return fmt.Sprintf("%s (%s v %s, %s)", m.Key, m.Home.Name, m.Away.Name, m.Round)
}

func (im *run) match(ctx context.Context, tournamentID int64, m *openfootball.Match, existing map[string]betting.Match) error {
	homeID, err := im.team(ctx, m.Key, m.Home)
	if err != nil {
		return err
	}
	awayID, err := im.team(ctx, m.Key, m.Away)
	if err != nil {
		return err
	}
	if homeID != nil && awayID != nil && *homeID == *awayID {
		im.skip("%s: both sides are the same team", describe(m))
		return nil
	}
	homeLabel, awayLabel := "", ""
	if homeID == nil {
		homeLabel = truncate(m.Home.Name, maxLabel)
	}
	if awayID == nil {
		awayLabel = truncate(m.Away.Name, maxLabel)
	}
	key, stage := m.Key, m.Stage
	group, round, venue := truncate(m.Group, maxGroup), truncate(m.Round, maxRound), truncate(m.Venue, maxVenue)
	kickoff := m.Kickoff.UTC()
	in := betting.MatchInput{ExternalKey: &key, Stage: &stage, Group: &group, Round: &round, Kickoff: &kickoff,
		HomeTeamID: &homeID, AwayTeamID: &awayID, HomeLabel: &homeLabel, AwayLabel: &awayLabel, Venue: &venue}

	var stored *betting.Match
	state := "unchanged"
	old, found := existing[key]
	switch {
	case !found:
		stored, _, err = im.bet.UpsertMatch(ctx, tournamentID, in)
		state = "created"
	case differs(&old, &in):
		stored, err = im.bet.UpdateMatch(ctx, old.ID, in)
		state = "updated"
	default:
		stored = &old
	}
	if err != nil {
		if ae, ok := apperr.As(err); ok && ae.Kind == apperr.KindValidation {
			im.skip("%s: %s", describe(m), explain(ae))
			return nil
		}
		return fmt.Errorf("match %s: %w", key, err)
	}

	if m.Score != nil {
		changed, settled, err := im.result(ctx, stored, m)
		if err != nil {
			return err
		}
		if changed && state == "unchanged" {
			state = "updated"
		}
		if settled {
			im.sum.MatchesSettled++
		}
	}
	switch state {
	case "created":
		im.sum.MatchesCreated++
	case "updated":
		im.sum.MatchesUpdated++
	default:
		im.sum.MatchesUnchanged++
	}
	return nil
}

// differs reports whether storing in would change the match.
func differs(m *betting.Match, in *betting.MatchInput) bool {
	sameID := func(a *int64, b *int64) bool {
		return (a == nil) == (b == nil) && (a == nil || *a == *b)
	}
	return *in.Stage != m.Stage || *in.Group != m.GroupName || *in.Round != m.Round ||
		!in.Kickoff.Equal(m.Kickoff) || !sameID(*in.HomeTeamID, m.HomeTeamID) || !sameID(*in.AwayTeamID, m.AwayTeamID) ||
		*in.HomeLabel != m.HomeLabel || *in.AwayLabel != m.AwayLabel || *in.Venue != m.Venue
}

func samePair(h, a *int, p *[2]int) bool {
	if p == nil {
		return h == nil && a == nil
	}
	return h != nil && a != nil && *h == p[0] && *a == p[1]
}

// result records the file's score unless the match already holds it.
// changed: the stored result changed; settled: bets were (re)settled on a
// new 90-minute score.
func (im *run) result(ctx context.Context, m *betting.Match, fm *openfootball.Match) (changed, settled bool, err error) {
	s := fm.Score
	ft := s.FT
	if m.Status == betting.StatusFinished && samePair(m.SettledHome, m.SettledAway, &ft) &&
		samePair(m.FtHome, m.FtAway, &ft) && samePair(m.EtHome, m.EtAway, s.ET) && samePair(m.PenHome, m.PenAway, s.P) {
		return false, false, nil
	}
	if m.HomeTeamID == nil || m.AwayTeamID == nil {
		im.skip("%s: result %d-%d not recorded: the teams are not both known", describe(fm), ft[0], ft[1])
		return false, false, nil
	}
	sum, err := im.bet.RecordResult(ctx, m.ID, betting.Result{FT: ft, ET: s.ET, P: s.P})
	if err != nil {
		ae, ok := apperr.As(err)
		if !ok {
			return false, false, fmt.Errorf("match %s: record result: %w", fm.Key, err)
		}
		if ae.Code == "match_not_started" {
			im.skip("%s: result %d-%d not recorded: kick-off %s is in the future", describe(fm), ft[0], ft[1],
				m.Kickoff.UTC().Format("2006-01-02 15:04 UTC"))
		} else {
			im.skip("%s: result %d-%d not recorded: %s", describe(fm), ft[0], ft[1], ae.Message)
		}
		return false, false, nil
	}
	return true, !sum.Unchanged, nil
}

// explain renders a domain error with its field messages.
func explain(ae *apperr.Error) string {
	msg := ae.Message
	for _, k := range slices.Sorted(maps.Keys(ae.Fields)) {
		msg += "; " + k + " " + ae.Fields[k]
	}
	return msg
}

func truncate(s string, n int) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) <= n {
		return string(r)
	}
	return strings.TrimSpace(string(r[:n]))
}

// ParseAndImport is the common path of the CLI and the HTTP handler:
// parse data, in zone when its times carry no offset, then import it.
func ParseAndImport(ctx context.Context, bet *betting.Service, r io.Reader, zone *time.Location, progress func(done, total int)) (Summary, error) {
	var opts []openfootball.Option
	if zone != nil {
		opts = append(opts, openfootball.WithZone(zone))
	}
	t, err := openfootball.Parse(r, opts...)
	if err != nil {
		return Summary{}, err
	}
	return Import(ctx, bet, t, progress)
}
