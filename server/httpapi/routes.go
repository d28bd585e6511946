package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// route is one line of the route table: method, path, who may call it, and
// the handler. The table below is the whole API surface, reviewable at a
// glance; the OpenAPI test keeps openapi.yaml in step with it.
type route struct {
	method  string
	path    string
	access  access
	handler echo.HandlerFunc
}

func (s *Server) routes() []route {
	return []route{
		// Tenant and site
		{http.MethodGet, "/api/v1/company", public, s.getCompany},
		{http.MethodGet, "/api/v1/invites/:token", companyPublic, s.getInvite},

		// Sessions
		{http.MethodPost, "/api/v1/auth/signup", companyPublic, s.signup},
		{http.MethodPost, "/api/v1/auth/login", public, s.login},
		{http.MethodPost, "/api/v1/auth/refresh", public, s.refresh},
		{http.MethodPost, "/api/v1/auth/logout", public, s.logout},
		{http.MethodPost, "/api/v1/auth/password-reset", public, s.resetPassword},

		// Me
		{http.MethodGet, "/api/v1/me", signedIn, s.getMe},
		{http.MethodPatch, "/api/v1/me", signedIn, s.patchMe},
		{http.MethodPost, "/api/v1/me/password", signedIn, s.changePassword},
		{http.MethodGet, "/api/v1/teams", member, s.listTeamsForMember},

		// Company administration
		{http.MethodGet, "/api/v1/admin/company", admin, s.getCompanySettings},
		{http.MethodPatch, "/api/v1/admin/company", admin, s.patchCompanySettings},
		{http.MethodGet, "/api/v1/admin/invites", admin, s.listInvites},
		{http.MethodPost, "/api/v1/admin/invites", admin, s.createInvite},
		{http.MethodDelete, "/api/v1/admin/invites/:id", admin, s.revokeInvite},
		{http.MethodGet, "/api/v1/admin/teams", admin, s.listTeams},
		{http.MethodPost, "/api/v1/admin/teams", admin, s.createTeam},
		{http.MethodPatch, "/api/v1/admin/teams/:id", admin, s.renameTeam},
		{http.MethodDelete, "/api/v1/admin/teams/:id", admin, s.deleteTeam},
		{http.MethodGet, "/api/v1/admin/members", hrOrAdmin, s.listMembers},
		{http.MethodPatch, "/api/v1/admin/members/:id", admin, s.patchMember},
		{http.MethodPost, "/api/v1/admin/members/:id/reset-link", admin, s.createResetLink},

		// Betting
		{http.MethodGet, "/api/v1/tournaments", member, s.listMyTournaments},
		{http.MethodGet, "/api/v1/matches", member, s.listMatches},
		{http.MethodGet, "/api/v1/matches/:id", member, s.getMatch},
		{http.MethodPut, "/api/v1/matches/:id/bet", member, s.putBet},
		{http.MethodDelete, "/api/v1/matches/:id/bet", member, s.deleteBet},
		{http.MethodGet, "/api/v1/me/bets", member, s.listMyBets},
		{http.MethodGet, "/api/v1/me/wallet", member, s.getWallet},

		// Rankings and participation
		{http.MethodGet, "/api/v1/leaderboards/individual", member, s.individualLeaderboard},
		{http.MethodGet, "/api/v1/leaderboards/teams", member, s.teamLeaderboard},
		{http.MethodGet, "/api/v1/leaderboards/companies", member, s.companyLeaderboard},
		{http.MethodGet, "/api/v1/participation/missing", hrOrAdmin, s.missingBets},
		{http.MethodGet, "/api/v1/participation/missing.csv", hrOrAdmin, s.missingBetsCSV},
		{http.MethodGet, "/api/v1/participation/activity", hrOrAdmin, s.activity},
		{http.MethodGet, "/api/v1/participation/activity.csv", hrOrAdmin, s.activityCSV},

		// Images. PUT takes the raw image as the request body, not a form
		// (image/png, jpeg, webp or gif; the type is sniffed from the bytes,
		// at most 5 MB) and answers the user / the company settings. Avatars
		// are served to members of the same company only, through signed
		// /media/ links; the logo is public (the login page shows it).
		{http.MethodPut, "/api/v1/me/avatar", member, s.putAvatar},
		{http.MethodDelete, "/api/v1/me/avatar", member, s.deleteAvatar},
		{http.MethodPut, "/api/v1/company/logo", admin, s.putLogo},
		{http.MethodDelete, "/api/v1/company/logo", admin, s.deleteLogo},
		{http.MethodGet, "/media/*", public, s.serveMedia},

		// Platform operator console
		{http.MethodGet, "/api/v1/operator/companies", operator, s.listCompanies},
		{http.MethodPost, "/api/v1/operator/companies", operator, s.createCompany},
		{http.MethodPatch, "/api/v1/operator/companies/:id", operator, s.patchCompany},
		{http.MethodGet, "/api/v1/operator/tournaments", operator, s.listTournaments},
		{http.MethodPost, "/api/v1/operator/tournaments", operator, s.createTournament},
		{http.MethodPatch, "/api/v1/operator/tournaments/:id", operator, s.patchTournament},
		{http.MethodGet, "/api/v1/operator/tournaments/:id/enrollments", operator, s.listEnrollments},
		{http.MethodPost, "/api/v1/operator/tournaments/:id/enrollments", operator, s.createEnrollment},
		{http.MethodGet, "/api/v1/operator/tournaments/:id/matches", operator, s.listTournamentMatches},
		{http.MethodPost, "/api/v1/operator/tournaments/:id/matches", operator, s.createMatch},
		{http.MethodGet, "/api/v1/operator/teams", operator, s.listFootballTeams},
		{http.MethodPost, "/api/v1/operator/teams", operator, s.createFootballTeam},
		{http.MethodPatch, "/api/v1/operator/matches/:id", operator, s.patchMatch},
		{http.MethodPut, "/api/v1/operator/matches/:id/odds", operator, s.putOdds},
		{http.MethodPut, "/api/v1/operator/matches/:id/result", operator, s.putResult},
		{http.MethodPost, "/api/v1/operator/matches/:id/cancel", operator, s.cancelMatch},
		{http.MethodPost, "/api/v1/operator/import/openfootball", operator, s.importOpenfootball},
	}
}

func (s *Server) registerRoutes() {
	e := s.echo
	// Probes answer on any host: the load balancer calls them by IP.
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/api/openapi.json", s.openAPI)
	for _, r := range s.routes() {
		e.Add(r.method, r.path, s.guard(r.access, r.handler))
	}
	for _, r := range s.extraRoutes() {
		e.Add(r.method, r.path, s.guard(r.access, r.handler))
	}
	s.registerStatic()
}

// RouteInfo describes one API route for tests and tooling.
type RouteInfo struct {
	Method string
	Path   string
	Access string
}

// RouteTable lists every API route with the role it needs.
func (s *Server) RouteTable() []RouteInfo {
	var out []RouteInfo
	for _, r := range append(s.routes(), s.extraRoutes()...) {
		out = append(out, RouteInfo{Method: r.method, Path: r.path, Access: r.access.String()})
	}
	return out
}
