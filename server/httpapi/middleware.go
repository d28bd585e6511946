package httpapi

import (
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/betcity/betcity/server/accounts"
	"github.com/betcity/betcity/server/apperr"
)

// access is the role a route needs. Every route in routes.go names one.
type access int

const (
	// public: no token; works on the operator console and company hosts.
	public access = iota
	// companyPublic: no token; only on a company host.
	companyPublic
	// signedIn: any signed-in user of the host's tenant (member or operator).
	signedIn
	// member: any active member of the host's company.
	member
	// hrOrAdmin: the company's HR or admins.
	hrOrAdmin
	// admin: the company's admins.
	admin
	// operator: the platform operator, on the bare base domain only.
	operator
)

func (a access) String() string {
	return [...]string{"public", "company-public", "signed-in", "member", "hr+admin", "admin", "operator"}[a]
}

func (a access) roles() []string {
	switch a {
	case member:
		return []string{accounts.RoleAdmin, accounts.RoleHR, accounts.RoleEmployee}
	case hrOrAdmin:
		return []string{accounts.RoleAdmin, accounts.RoleHR}
	case admin:
		return []string{accounts.RoleAdmin}
	case operator:
		return []string{accounts.RoleOperator}
	}
	return nil
}

const (
	ctxTenant   = "betcity.tenant"
	ctxIdentity = "betcity.identity"
)

// Tenant is the host's tenant; Company is nil on the operator console.
type Tenant struct {
	Scope   accounts.Scope
	Company *accounts.Company
}

// Identity is the verified caller.
type Identity struct {
	Tenant
	User *accounts.User
}

func tenantOf(c echo.Context) Tenant      { return c.Get(ctxTenant).(Tenant) }
func identityOf(c echo.Context) *Identity { return c.Get(ctxIdentity).(*Identity) }

var errNeedCompanyHost = &apperr.Error{Kind: apperr.KindNotFound, Code: "company_host_required",
	Message: "this is only available on a company's address"}

// guard resolves the tenant from the Host header, verifies the token against
// that tenant and checks the route's role, before the handler runs.
func (s *Server) guard(a access, next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		scope, company, err := s.tenantFromHost(ctx, c.Request().Host)
		if err != nil {
			return err
		}
		t := Tenant{Scope: scope, Company: company}
		c.Set(ctxTenant, t)
		if a == public {
			return next(c)
		}
		needsCompany := a != signedIn && a != operator
		if needsCompany && scope.IsOperator() {
			return errNeedCompanyHost
		}
		if a == operator && !scope.IsOperator() {
			// Operator routes do not exist on company hosts.
			return apperr.NotFound("route")
		}
		if a == companyPublic {
			return next(c)
		}
		raw, ok := bearer(c.Request().Header.Get(echo.HeaderAuthorization))
		if !ok {
			return apperr.Unauthorized("missing_token", "sign in first (no Authorization: Bearer token)")
		}
		aud := accounts.Audience(scope)
		p, err := s.deps.Tokens.Verify(raw, aud)
		if err != nil {
			return apperr.Unauthorized("invalid_token", "your session is not valid here; please sign in again")
		}
		u, err := s.deps.Accounts.ActiveUser(ctx, scope, p.UserID)
		if err != nil {
			return err
		}
		c.Set(ctxIdentity, &Identity{Tenant: t, User: u})
		if roles := a.roles(); roles != nil && !slices.Contains(roles, u.Role) {
			return apperr.Forbidden("your role does not allow this")
		}
		return next(c)
	}
}

func bearer(h string) (string, bool) {
	const prefix = "bearer "
	if len(h) <= len(prefix) || !strings.EqualFold(h[:len(prefix)], prefix) {
		return "", false
	}
	return strings.TrimSpace(h[len(prefix):]), true
}
