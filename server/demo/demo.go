// Package demo seeds a ready-to-play demo tenant: a company on
// demo.<base domain>, an admin, an HR user and employees in two teams, and a
// tournament of real national teams with matches that have just been played
// and matches about to kick off. Seed is idempotent and cheap when there is
// nothing to do, so `make run` calls it every time.
//
// Every demo account's password is Password. It is printed by `betcity
// demo` and documented in the README; the demo is for local use only.
package demo

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"strings"
	"time"

	"github.com/betcity/betcity/server/accounts"
	"github.com/betcity/betcity/server/apperr"
	"github.com/betcity/betcity/server/betting"
	"github.com/betcity/betcity/server/clock"
	"github.com/betcity/betcity/server/fifa"
	"github.com/betcity/betcity/server/paging"
)

// The demo's fixed names.
const (
	Slug           = "demo"
	CompanyName    = "Demo Corp"
	TournamentName = "BetCity Demo Cup"
	// Password is the password of every demo account (only set when the
	// account is created; an existing account keeps its own).
	Password     = "betcity-demo-2026"
	PrimaryColor = "#0b6e4f"
	AccentColor  = "#f2a541"
	emailDomain  = "democorp.example"
	keyPrefix    = "demo:"
)

// Credentials are what `betcity demo` prints.
type Credentials struct {
	CompanyID    int64
	Slug         string
	CompanyName  string
	Password     string
	Admin        string
	HR           string
	Employees    []string
	TournamentID int64
	// CompanyCreated and UsersCreated tell a first run from a re-run.
	CompanyCreated bool
	UsersCreated   int
	MatchesAdded   int
	ResultsAdded   int
	// NextKickoff is the first match still open for betting.
	NextKickoff time.Time
}

type person struct {
	local, name, role, team string
}

var people = []person{
	{"alice.admin", "Alice Martin", accounts.RoleAdmin, ""},
	{"hugo.hr", "Hugo Bernard", accounts.RoleHR, ""},
	{"emma", "Emma Dubois", accounts.RoleEmployee, "Red Lions"},
	{"lucas", "Lucas Moreau", accounts.RoleEmployee, "Red Lions"},
	{"chloe", "Chloé Laurent", accounts.RoleEmployee, "Red Lions"},
	{"noah", "Noah Petit", accounts.RoleEmployee, "Blue Sharks"},
	{"lea", "Léa Garcia", accounts.RoleEmployee, "Blue Sharks"},
	{"jules", "Jules Roux", accounts.RoleEmployee, "Blue Sharks"},
}

// nations are the demo's football teams, with a rating that shapes odds.
var nations = []struct {
	code, name string
	rating     int
}{
	{"FRA", "France", 9}, {"BRA", "Brazil", 9}, {"ARG", "Argentina", 9}, {"ESP", "Spain", 8},
	{"ENG", "England", 8}, {"GER", "Germany", 7}, {"POR", "Portugal", 7}, {"NED", "Netherlands", 7},
	{"BEL", "Belgium", 6}, {"ITA", "Italy", 6}, {"MAR", "Morocco", 5}, {"JPN", "Japan", 5},
}

type fixture struct {
	home, away string
	at         time.Duration // from the seeding time
	result     *[2]int       // for matches already played
}

func played(h, a int) *[2]int { return &[2]int{h, a} }

// firstBatch: three matches already played, two within the next hour, more
// over the following days.
var firstBatch = []fixture{
	{"FRA", "BEL", -72 * time.Hour, played(2, 1)},
	{"ESP", "ITA", -48 * time.Hour, played(1, 1)},
	{"BRA", "JPN", -26 * time.Hour, played(3, 0)},
	{"ARG", "MAR", 20 * time.Minute, nil},
	{"ENG", "NED", 50 * time.Minute, nil},
	{"GER", "POR", 24 * time.Hour, nil},
	{"FRA", "ITA", 27 * time.Hour, nil},
	{"ESP", "BEL", 48 * time.Hour, nil},
	{"BRA", "MAR", 51 * time.Hour, nil},
	{"ARG", "JPN", 72 * time.Hour, nil},
	{"ENG", "GER", 96 * time.Hour, nil},
}

// refillAt is when the matches of a later batch kick off.
var refillAt = []time.Duration{20 * time.Minute, 50 * time.Minute, 24 * time.Hour, 27 * time.Hour, 48 * time.Hour, 72 * time.Hour}

// matchLength is how long after kick-off a demo match gets its result.
const matchLength = 2 * time.Hour

type seeder struct {
	acc   *accounts.Service
	bet   *betting.Service
	now   time.Time
	cred  *Credentials
	sc    accounts.Scope
	users map[string]accounts.User // by email
	teams map[string]int64         // football teams by code
	tid   int64
}

// Seed creates what is missing of the demo and returns its credentials.
func Seed(ctx context.Context, acc *accounts.Service, bet *betting.Service, clk clock.Clock) (*Credentials, error) {
	s := &seeder{acc: acc, bet: bet, now: clk.Now().UTC(), cred: &Credentials{Slug: Slug, CompanyName: CompanyName, Password: Password}}
	steps := []struct {
		name string
		f    func(context.Context) error
	}{
		{"company", s.company},
		{"members", s.members},
		{"tournament", s.tournament},
		{"matches", s.matches},
	}
	for _, st := range steps {
		if err := st.f(ctx); err != nil {
			return nil, fmt.Errorf("demo %s: %w", st.name, err)
		}
	}
	return s.cred, nil
}

func email(local string) string { return local + "@" + emailDomain }

func (s *seeder) company(ctx context.Context) error {
	c, err := s.acc.CompanyBySlug(ctx, Slug)
	if apperr.Is(err, "company_not_found") {
		c, err = s.acc.CreateCompany(ctx, accounts.CompanyInput{Slug: Slug, Name: CompanyName,
			PrimaryColor: PrimaryColor, AccentColor: AccentColor,
			AdminEmail: email(people[0].local), AdminPassword: Password, AdminName: people[0].name})
		s.cred.CompanyCreated = err == nil
	}
	if err != nil {
		return err
	}
	s.cred.CompanyID, s.cred.CompanyName = c.ID, c.Name
	s.sc = accounts.CompanyScope(c.ID)
	return nil
}

// members creates the missing demo users through single-use invites (the
// way real members join), puts employees in their teams, and leaves
// existing accounts and their passwords alone.
func (s *seeder) members(ctx context.Context) error {
	us, _, err := s.acc.Members(ctx, s.sc, "@"+emailDomain, paging.Page{Number: 1, PerPage: paging.MaxPerPage})
	if err != nil {
		return err
	}
	s.users = map[string]accounts.User{}
	for _, u := range us {
		s.users[u.Email] = u
	}
	admin, ok := s.users[email(people[0].local)]
	if !ok {
		return fmt.Errorf("the %s company exists without its admin %s; remove it or restore the account", Slug, email(people[0].local))
	}
	teams, err := s.acc.Teams(ctx, s.sc)
	if err != nil {
		return err
	}
	teamIDs := map[string]int64{}
	for _, t := range teams {
		teamIDs[t.Name] = t.ID
	}
	for _, p := range people {
		if p.team != "" && teamIDs[p.team] == 0 {
			t, err := s.acc.CreateTeam(ctx, s.sc, p.team)
			if err != nil {
				return err
			}
			teamIDs[p.team] = t.ID
		}
		addr := email(p.local)
		u, ok := s.users[addr]
		if !ok {
			one := 1
			inv, err := s.acc.CreateInvite(ctx, s.sc, admin.ID, accounts.InviteInput{Role: p.role, MaxUses: &one, ExpiresInHours: 1})
			if err != nil {
				return err
			}
			sess, err := s.acc.Signup(ctx, s.sc, accounts.SignupInput{Email: addr, Password: Password, DisplayName: p.name, Invite: inv.Token})
			if err != nil {
				return err
			}
			u = *sess.User
			s.users[addr] = u
			s.cred.UsersCreated++
		}
		if p.team != "" && u.TeamID == nil {
			id := teamIDs[p.team]
			pid := &id
			if _, err := s.acc.UpdateMember(ctx, s.sc, u.ID, accounts.MemberPatch{TeamID: &pid}); err != nil {
				return err
			}
		}
		switch p.role {
		case accounts.RoleAdmin:
			s.cred.Admin = addr
		case accounts.RoleHR:
			s.cred.HR = addr
		default:
			s.cred.Employees = append(s.cred.Employees, addr)
		}
	}
	return nil
}

func (s *seeder) tournament(ctx context.Context) error {
	t, _, err := s.bet.EnsureTournament(ctx, betting.TournamentInput{Name: TournamentName, Stages: []string{"group"}})
	if err != nil {
		return err
	}
	s.tid, s.cred.TournamentID = t.ID, t.ID
	if _, err := s.bet.Enroll(ctx, t.ID, s.cred.CompanyID, 0); err != nil && !apperr.Is(err, "already_enrolled") {
		return err
	}
	s.teams = map[string]int64{}
	for _, n := range nations {
		var flag *string
		if f, ok := fifa.FlagFile(n.code); ok {
			flag = &f
		}
		ft, err := s.bet.UpsertFootballTeam(ctx, n.name, n.code, flag)
		if err != nil {
			return err
		}
		s.teams[n.code] = ft.ID
	}
	return nil
}

// matches settles demo matches that are over, then adds a batch when
// nothing is open for betting: the whole first programme on a fresh
// database, else a few more matches from twenty minutes from now.
func (s *seeder) matches(ctx context.Context) error {
	existing, err := s.bet.MatchesByExternalKey(ctx, s.tid)
	if err != nil {
		return err
	}
	if len(existing) == 0 {
		if err := s.addBatch(ctx, 0, firstBatch); err != nil {
			return err
		}
	} else {
		open := false
		for key, m := range existing {
			if m.Status == betting.StatusScheduled && m.SettledHome == nil && !s.now.Before(m.Kickoff.Add(matchLength)) &&
				m.HomeTeamID != nil && m.AwayTeamID != nil {
				h, a := scoreFor(key)
				if _, err := s.bet.RecordResult(ctx, m.ID, betting.Result{FT: [2]int{h, a}}); err != nil {
					return err
				}
				s.cred.ResultsAdded++
			}
			open = open || m.OpenAt(s.now)
		}
		if !open {
			if err := s.addBatch(ctx, len(existing), refill(len(existing))); err != nil {
				return err
			}
		}
	}
	ms, _, err := s.bet.OperatorMatches(ctx, betting.MatchFilter{TournamentID: s.tid}, paging.Page{Number: 1, PerPage: paging.MaxPerPage})
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.OpenAt(s.now) {
			s.cred.NextKickoff = m.Kickoff
			break
		}
	}
	return nil
}

// refill pairs the nations afresh for a later batch, rotating with n so
// successive batches differ.
func refill(n int) []fixture {
	out := make([]fixture, len(refillAt))
	for i, at := range refillAt {
		h := (n + 2*i) % len(nations)
		a := (h + 1 + (n/len(refillAt)+i)%(len(nations)-1)) % len(nations)
		out[i] = fixture{home: nations[h].code, away: nations[a].code, at: at}
	}
	return out
}

func (s *seeder) addBatch(ctx context.Context, first int, fixtures []fixture) error {
	base := s.now.Truncate(time.Minute)
	for i, fx := range fixtures {
		key := fmt.Sprintf("%s%d", keyPrefix, first+i+1)
		kickoff := base.Add(fx.at)
		if fx.result != nil {
			// Bets are only taken before kick-off, so a match "already
			// played" is scheduled ahead, bet on, then moved to its real
			// date and given its result, as an operator would. An hour
			// ahead, not a minute: seeding on a slow machine must not cross
			// that kickoff while it is still placing the bets.
			kickoff = s.now.Add(time.Hour)
		}
		m, err := s.upsertMatch(ctx, key, fx, kickoff, (first+i)/4+1)
		if err != nil {
			return err
		}
		s.cred.MatchesAdded++
		switch {
		case fx.result != nil:
			if err := s.placeBets(ctx, m, key, s.cred.Employees); err != nil {
				return err
			}
			played := base.Add(fx.at)
			if _, err := s.bet.UpdateMatch(ctx, m.ID, betting.MatchInput{Kickoff: &played}); err != nil {
				return err
			}
			if _, err := s.bet.RecordResult(ctx, m.ID, betting.Result{FT: *fx.result}); err != nil {
				return err
			}
		case i < 2 || first == 0 && i == len(firstBatch)-1:
			// Colleagues have already bet on the next matches, so the pick
			// distribution shows something after kick-off. The first
			// employees (whose accounts a newcomer uses) are left to bet.
			if err := s.placeBets(ctx, m, key, s.cred.Employees[3:]); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *seeder) upsertMatch(ctx context.Context, key string, fx fixture, kickoff time.Time, day int) (*betting.Match, error) {
	home, away := s.teams[fx.home], s.teams[fx.away]
	hp, ap := &home, &away
	stage, round, venue := "group", fmt.Sprintf("Matchday %d", day), venues[hash(key)%uint32(len(venues))]
	m, _, err := s.bet.UpsertMatch(ctx, s.tid, betting.MatchInput{ExternalKey: &key, Stage: &stage, Round: &round,
		Kickoff: &kickoff, HomeTeamID: &hp, AwayTeamID: &ap, Venue: &venue})
	if err != nil {
		return nil, err
	}
	return s.bet.SetOdds(ctx, m.ID, oddsFor(rating(fx.home), rating(fx.away)))
}

var venues = []string{"Stade de France, Saint-Denis", "Wembley Stadium, London", "Allianz Arena, Munich",
	"Estadio Santiago Bernabéu, Madrid", "Johan Cruijff ArenA, Amsterdam", "Stadio San Siro, Milan"}

// placeBets has each listed employee bet on m with a pick and stake
// derived from the match key, so re-seeding a fresh database gives the
// same story.
func (s *seeder) placeBets(ctx context.Context, m *betting.Match, key string, emails []string) error {
	picks := []string{betting.PickHome, betting.PickDraw, betting.PickAway}
	for i, addr := range emails {
		u := s.users[addr]
		h := hash(key + addr)
		in := betting.BetInput{Pick: picks[(int(h)+i)%3], Stake: int64(25 * (2 + h%7))}
		if h%3 == 0 {
			g := [3][2]int{{2, 1}, {1, 1}, {0, 2}}[(int(h)+i)%3]
			in.Score = &betting.ScorePrediction{Home: g[0], Away: g[1]}
		}
		member := betting.Member{CompanyID: s.cred.CompanyID, UserID: u.ID}
		if _, err := s.bet.PlaceBet(ctx, member, m.ID, in, "demo-seed-"+key); err != nil {
			return fmt.Errorf("bet of %s on %s: %w", addr, key, err)
		}
	}
	return nil
}

func hash(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()
}

func rating(code string) int {
	for _, n := range nations {
		if n.code == code {
			return n.rating
		}
	}
	return 5
}

// oddsFor prices a match from the two ratings with a bookmaker's margin.
func oddsFor(home, away int) betting.Odds {
	d := float64(home-away) + 0.5 // home advantage
	ph := 1 / (1 + math.Exp(-d/2.5))
	pd := 0.28 - 0.015*math.Abs(d)
	pa := 1 - ph
	ph, pa = ph*(1-pd), pa*(1-pd)
	price := func(p float64) float64 { return math.Max(1.05, math.Round(100/(p*1.06))/100) }
	return betting.Odds{Home: price(ph), Draw: price(pd), Away: price(pa)}
}

// scoreFor is the deterministic result given to a demo match once over.
func scoreFor(key string) (int, int) {
	h := hash(strings.ToUpper(key))
	return int(h % 4), int((h / 4) % 3)
}
