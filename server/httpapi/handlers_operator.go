package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/betcity/betcity/server/accounts"
)

func (s *Server) listCompanies(c echo.Context) error {
	p := pageOf(c)
	cs, total, err := s.deps.Accounts.ListCompanies(c.Request().Context(), p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(mapSlice(cs, s.presentCompany), p, total))
}

type createCompanyRequest struct {
	Slug             string   `json:"slug"`
	Name             string   `json:"name"`
	PrimaryColor     string   `json:"primary_color"`
	AccentColor      string   `json:"accent_color"`
	AllowedDomains   []string `json:"allowed_domains"`
	StartingCoins    *int     `json:"starting_coins"`
	InCompanyRanking *bool    `json:"in_company_ranking"`
	AdminEmail       string   `json:"admin_email"`
	AdminPassword    string   `json:"admin_password"`
	AdminName        string   `json:"admin_name"`
}

func (s *Server) createCompany(c echo.Context) error {
	var req createCompanyRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	co, err := s.deps.Accounts.CreateCompany(c.Request().Context(), accounts.CompanyInput{
		Slug: req.Slug, Name: req.Name, PrimaryColor: req.PrimaryColor, AccentColor: req.AccentColor,
		AllowedDomains: req.AllowedDomains, StartingCoins: req.StartingCoins, InCompanyRanking: req.InCompanyRanking,
		AdminEmail: req.AdminEmail, AdminPassword: req.AdminPassword, AdminName: req.AdminName})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, s.presentCompany(co))
}

type operatorCompanyPatch struct {
	companyPatchRequest
	Active *bool `json:"active"`
}

func (s *Server) patchCompany(c echo.Context) error {
	companyID, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req operatorCompanyPatch
	if err := bind(c, &req); err != nil {
		return err
	}
	p := req.patch()
	p.Active = req.Active
	co, err := s.deps.Accounts.UpdateCompany(c.Request().Context(), companyID, p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.presentCompany(co))
}
