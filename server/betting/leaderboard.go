package betting

import (
	"context"
	"errors"
	"math/big"
	"sort"
	"sync"

	"github.com/betcity/betcity/server/paging"
)

// MinCompanyParticipants is how many members of a company must have placed
// a bet before the company is ranked against others: below it, one lucky
// bettor would stand for the whole company.
const MinCompanyParticipants = 3

// LeaderRow is one member on the individual leaderboard.
type LeaderRow struct {
	Rank         int64
	UserID       int64
	DisplayName  string
	AvatarKey    *string
	TeamName     *string
	Score        int64
	CorrectPicks int
	ExactScores  int
	SettledBets  int
	// SortKey is the standings' combined ordering key (lower ranks higher).
	SortKey int64
}

// IndividualBoard is one page of the individual leaderboard.
type IndividualBoard struct {
	TournamentID int64
	Items        []LeaderRow
	// Me is the caller's own row wherever it falls; nil when the caller has
	// no wallet in the tournament yet.
	Me    *LeaderRow
	Total int64
}

// IndividualLeaderboard ranks the company's members in a tournament
// (tournamentID 0 = the company's newest).
//
// Who is listed: every member with a wallet in the tournament (a wallet is
// created on the first visit to the matches or the wallet, or the first bet).
// Members who never opened the game are not listed. A member deactivated
// later keeps their row: the bets they placed were real.
//
// Order: score (starting Betcoins + settled net winnings) descending, then
// correct picks descending, then exact scores descending. Members equal on
// all three share a rank and the next rank skips (1, 1, 3: competition
// ranking); within such a tie rows are listed by earlier account (user id
// ascending), which never changes the rank.
//
// Cost: the page is one range scan of the standings index
// (tournament_id, company_id, sort_key, user_id) with users and teams joined
// for the page rows only; a rank is 1 + the number of rows with a strictly
// smaller sort_key, an index range count.
func (s *Service) IndividualLeaderboard(ctx context.Context, companyID, userID, tournamentID int64, p paging.Page) (*IndividualBoard, error) {
	e, err := s.ResolveTournament(ctx, companyID, tournamentID)
	if err != nil {
		return nil, err
	}
	p = p.Normalize()
	tid := e.TournamentID
	board := &IndividualBoard{TournamentID: tid}
	// The three reads are independent and each is one index range, so they
	// run side by side: the answer takes as long as the slowest, not the sum.
	var wg sync.WaitGroup
	var errs [3]error
	wg.Add(3)
	go func() {
		defer wg.Done()
		errs[0] = s.db.WithContext(ctx).Model(&LeaderboardSize{}).Select("members").
			Where("tournament_id = ? AND company_id = ?", tid, companyID).Scan(&board.Total).Error
	}()
	go func() {
		defer wg.Done()
		board.Items, errs[1] = s.leaderPage(ctx, companyID, tid, p)
	}()
	go func() {
		defer wg.Done()
		board.Me, errs[2] = s.leaderRowOf(ctx, companyID, tid, userID)
	}()
	wg.Wait()
	if err := errors.Join(errs[:]...); err != nil {
		return nil, err
	}
	return board, nil
}

const leaderColumns = `s.user_id, s.score, s.correct_picks, s.exact_scores, s.settled_bets, s.sort_key,
  u.display_name, u.avatar_key, t.name AS team_name`

// leaderPage reads one page in ranking order and ranks its rows.
func (s *Service) leaderPage(ctx context.Context, companyID, tid int64, p paging.Page) ([]LeaderRow, error) {
	var rows []LeaderRow
	// Deferred join: the inner query reads only the covering index, so a
	// deep page does not fetch the rows it skips.
	err := s.db.WithContext(ctx).Raw(`SELECT `+leaderColumns+`
FROM (SELECT user_id, sort_key FROM standings WHERE tournament_id = ? AND company_id = ?
      ORDER BY sort_key, user_id LIMIT ? OFFSET ?) pg
JOIN standings s ON s.tournament_id = ? AND s.user_id = pg.user_id
JOIN users u ON u.id = s.user_id
LEFT JOIN teams t ON t.id = u.team_id
ORDER BY pg.sort_key, pg.user_id`, tid, companyID, p.PerPage, p.Offset(), tid).Scan(&rows).Error
	if err != nil || len(rows) == 0 {
		return rows, err
	}
	// Only the first row's rank needs counting: after it, a row tied with
	// its predecessor shares its rank, any other row's rank is its position.
	if rows[0].Rank, err = s.rankOf(ctx, companyID, tid, rows[0].SortKey); err != nil {
		return nil, err
	}
	for i := 1; i < len(rows); i++ {
		if rows[i].SortKey == rows[i-1].SortKey {
			rows[i].Rank = rows[i-1].Rank
		} else {
			rows[i].Rank = int64(p.Offset()+i) + 1
		}
	}
	return rows, nil
}

// leaderRowOf is one member's row and rank, or nil without a wallet.
func (s *Service) leaderRowOf(ctx context.Context, companyID, tid, userID int64) (*LeaderRow, error) {
	var rows []struct {
		LeaderRow
		Better int64
	}
	err := s.db.WithContext(ctx).Raw(`SELECT `+leaderColumns+`,
  (SELECT COUNT(*) FROM standings x WHERE x.tournament_id = s.tournament_id AND x.company_id = s.company_id
     AND x.sort_key < s.sort_key) AS better
FROM standings s JOIN users u ON u.id = s.user_id LEFT JOIN teams t ON t.id = u.team_id
WHERE s.tournament_id = ? AND s.user_id = ? AND s.company_id = ?`, tid, userID, companyID).Scan(&rows).Error
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	me := rows[0].LeaderRow
	me.Rank = rows[0].Better + 1
	return &me, nil
}

// rankOf is 1 + the number of the company's standings that sort strictly
// before sortKey: everyone tied on sortKey gets the same rank.
func (s *Service) rankOf(ctx context.Context, companyID, tournamentID, sortKey int64) (int64, error) {
	var better int64
	err := s.db.WithContext(ctx).Table("standings").
		Where("tournament_id = ? AND company_id = ? AND sort_key < ?", tournamentID, companyID, sortKey).Count(&better).Error
	return better + 1, err
}

// groupScore is a sum of scores over a number of bettors; its average is
// compared exactly (cross-multiplied), never through a rounded float.
type groupScore struct {
	Total   int64
	Bettors int64
}

func (g groupScore) less(o groupScore) bool {
	// g.Total/g.Bettors < o.Total/o.Bettors, with both counts positive.
	a := new(big.Int).Mul(big.NewInt(g.Total), big.NewInt(o.Bettors))
	b := new(big.Int).Mul(big.NewInt(o.Total), big.NewInt(g.Bettors))
	return a.Cmp(b) < 0
}

func (g groupScore) equal(o groupScore) bool { return !g.less(o) && !o.less(g) }

// Average is the mean score, for display only.
func (g groupScore) Average() float64 { return float64(g.Total) / float64(g.Bettors) }

// TeamRow is one company team on the team leaderboard.
type TeamRow struct {
	// Rank is nil for a team none of whose members has bet yet.
	Rank   *int64
	TeamID int64
	Name   string
	// Score is the average score of the team's bettors; nil with no bettors.
	Score   *float64
	Bettors int64
	Members int64

	sum groupScore
}

// TeamBoard is one page of the team leaderboard.
type TeamBoard struct {
	TournamentID int64
	Items        []TeamRow
	// Me is the caller's team; nil when the caller is in no team.
	Me    *TeamRow
	Total int64
}

// bettorExists keeps the standings of a company's active members who placed at
// least one bet (not withdrawn) in the tournament.
const bettorExists = `EXISTS (SELECT 1 FROM bets b WHERE b.user_id = s.user_id AND b.tournament_id = s.tournament_id AND b.status <> ?)`

// TeamLeaderboard ranks the company's teams (a team is its current active
// members). A team's score is the AVERAGE score of its members who placed
// at least one bet in the tournament, so members who never bet do not drag
// it down; the row shows both the bettor count and the member count. Higher
// average ranks first; teams with equal averages share a rank (1, 1, 3) and
// are listed by name. Teams with no bettor yet are listed last, unranked,
// with no score.
func (s *Service) TeamLeaderboard(ctx context.Context, companyID, userID, tournamentID int64, p paging.Page) (*TeamBoard, error) {
	e, err := s.ResolveTournament(ctx, companyID, tournamentID)
	if err != nil {
		return nil, err
	}
	p = p.Normalize()
	db := s.db.WithContext(ctx)
	var rows []TeamRow
	if err := db.Raw(`SELECT t.id AS team_id, t.name, COUNT(u.id) AS members
FROM teams t LEFT JOIN users u ON u.team_id = t.id AND u.active = ?
WHERE t.company_id = ? GROUP BY t.id, t.name`, true, companyID).Scan(&rows).Error; err != nil {
		return nil, err
	}
	var sums []struct {
		TeamID  int64
		Bettors int64
		Total   int64
	}
	if err := db.Raw(`SELECT u.team_id, COUNT(*) AS bettors, SUM(s.score) AS total
FROM standings s JOIN users u ON u.id = s.user_id AND u.active = ? AND u.team_id IS NOT NULL
WHERE s.tournament_id = ? AND s.company_id = ? AND `+bettorExists+`
GROUP BY u.team_id`, true, e.TournamentID, companyID, BetCancelled).Scan(&sums).Error; err != nil {
		return nil, err
	}
	byTeam := map[int64]groupScore{}
	for _, x := range sums {
		byTeam[x.TeamID] = groupScore{Total: x.Total, Bettors: x.Bettors}
	}
	for i := range rows {
		if g, ok := byTeam[rows[i].TeamID]; ok {
			rows[i].sum, rows[i].Bettors = g, g.Bettors
			avg := g.Average()
			rows[i].Score = &avg
		}
	}
	rankGroups(rows, func(r *TeamRow) (groupScore, string) { return r.sum, r.Name }, func(r *TeamRow, rank int64) { r.Rank = &rank })

	board := &TeamBoard{TournamentID: e.TournamentID, Total: int64(len(rows)), Items: pageSlice(rows, p)}
	var teamID *int64
	if err := db.Table("users").Select("team_id").Where("id = ? AND company_id = ?", userID, companyID).Scan(&teamID).Error; err != nil {
		return nil, err
	}
	for i := range rows {
		if teamID != nil && rows[i].TeamID == *teamID {
			me := rows[i]
			board.Me = &me
		}
	}
	return board, nil
}

// rankGroups sorts rows by average score descending (then by name), rows
// without bettors last, and gives ranks with ties shared.
func rankGroups[T any](rows []T, key func(*T) (groupScore, string), setRank func(*T, int64)) {
	sort.SliceStable(rows, func(i, j int) bool {
		gi, ni := key(&rows[i])
		gj, nj := key(&rows[j])
		switch {
		case gi.Bettors == 0 || gj.Bettors == 0:
			if (gi.Bettors == 0) != (gj.Bettors == 0) {
				return gj.Bettors == 0
			}
		case !gi.equal(gj):
			return gj.less(gi)
		}
		return ni < nj
	})
	var prev groupScore
	var prevRank int64
	for i := range rows {
		g, _ := key(&rows[i])
		if g.Bettors == 0 {
			continue
		}
		rank := int64(i) + 1
		if i > 0 && prev.Bettors > 0 && g.equal(prev) {
			rank = prevRank
		}
		setRank(&rows[i], rank)
		prev, prevRank = g, rank
	}
}

func pageSlice[T any](rows []T, p paging.Page) []T {
	from := p.Offset()
	if from >= len(rows) {
		return []T{}
	}
	to := min(from+p.PerPage, len(rows))
	return rows[from:to]
}

// CompanyRow is one company on the inter-company leaderboard.
type CompanyRow struct {
	// Rank is nil for a company below MinCompanyParticipants.
	Rank         *int64
	CompanyID    int64
	Slug         string
	Name         string
	LogoKey      *string
	Score        *float64
	Participants int64

	sum groupScore
}

// CompanyBoard is one page of the inter-company leaderboard.
type CompanyBoard struct {
	TournamentID    int64
	Items           []CompanyRow
	Me              *CompanyRow
	Total           int64
	MinParticipants int
}

// CompanyLeaderboard ranks the companies enrolled in the tournament that
// take part in the inter-company ranking (in_company_ranking, and active).
// A company's score is the average score of its participants: active members
// who placed at least one bet in the tournament. A company needs
// MinCompanyParticipants participants to be ranked; below that it is left
// out of the items, but the caller's own company still gets its Me row with
// its participant count and no rank. A company that opted out of the
// ranking has no row at all, not even Me. Equal averages share a rank and
// are listed by name.
func (s *Service) CompanyLeaderboard(ctx context.Context, companyID, userID, tournamentID int64, p paging.Page) (*CompanyBoard, error) {
	e, err := s.ResolveTournament(ctx, companyID, tournamentID)
	if err != nil {
		return nil, err
	}
	p = p.Normalize()
	db := s.db.WithContext(ctx)
	var rows []CompanyRow
	if err := db.Raw(`SELECT c.id AS company_id, c.slug, c.name, c.logo_key
FROM enrollments en JOIN companies c ON c.id = en.company_id
WHERE en.tournament_id = ? AND c.in_company_ranking = ? AND c.active = ?`, e.TournamentID, true, true).Scan(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return &CompanyBoard{TournamentID: e.TournamentID, Items: []CompanyRow{}, MinParticipants: MinCompanyParticipants}, nil
	}
	ids := make([]int64, len(rows))
	for i := range rows {
		ids[i] = rows[i].CompanyID
	}
	var sums []struct {
		CompanyID    int64
		Participants int64
		Total        int64
	}
	if err := db.Raw(`SELECT s.company_id, COUNT(*) AS participants, SUM(s.score) AS total
FROM standings s JOIN users u ON u.id = s.user_id AND u.active = ?
WHERE s.tournament_id = ? AND s.company_id IN ? AND `+bettorExists+`
GROUP BY s.company_id`, true, e.TournamentID, ids, BetCancelled).Scan(&sums).Error; err != nil {
		return nil, err
	}
	byCompany := map[int64]groupScore{}
	for _, x := range sums {
		byCompany[x.CompanyID] = groupScore{Total: x.Total, Bettors: x.Participants}
	}
	var mine *CompanyRow
	ranked := make([]CompanyRow, 0, len(rows))
	for i := range rows {
		g := byCompany[rows[i].CompanyID]
		rows[i].Participants = g.Bettors
		if g.Bettors > 0 {
			avg := g.Average()
			rows[i].Score = &avg
		}
		if g.Bettors >= MinCompanyParticipants {
			rows[i].sum = g
			ranked = append(ranked, rows[i])
		} else if rows[i].CompanyID == companyID {
			me := rows[i]
			mine = &me
		}
	}
	rankGroups(ranked, func(r *CompanyRow) (groupScore, string) { return r.sum, r.Name }, func(r *CompanyRow, rank int64) { r.Rank = &rank })
	for i := range ranked {
		if ranked[i].CompanyID == companyID {
			me := ranked[i]
			mine = &me
		}
	}
	return &CompanyBoard{TournamentID: e.TournamentID, Items: pageSlice(ranked, p), Me: mine, Total: int64(len(ranked)),
		MinParticipants: MinCompanyParticipants}, nil
}
