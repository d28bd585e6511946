package main

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/betcity/betcity/server/apperr"
	"github.com/betcity/betcity/server/betting"
	"github.com/betcity/betcity/server/clock"
	"github.com/betcity/betcity/server/config"
	"github.com/betcity/betcity/server/demo"
	"github.com/betcity/betcity/server/deploy"
	"github.com/betcity/betcity/server/storage"
)

// demoCmd: betcity demo
func demoCmd(ctx context.Context, args []string, getenv config.Getenv, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		return fmt.Errorf("%w: betcity demo takes no arguments", errUsage)
	}
	a, err := openApp(ctx, getenv, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	clk := clock.Clock(clock.System{})
	cred, err := demo.Seed(ctx, a.Accounts, a.Betting, clk)
	if err != nil {
		return err
	}
	state := "refreshed"
	if cred.CompanyCreated {
		state = "created"
	}
	fmt.Fprintf(stdout, "Demo data %s: %d accounts created, %d matches added, %d results recorded.\n",
		state, cred.UsersCreated, cred.MatchesAdded, cred.ResultsAdded)
	fmt.Fprintf(stdout, "  Demo company:  %s   (%s)\n", tenantURL(a.Config, cred.Slug), cred.CompanyName)
	fmt.Fprintf(stdout, "  Admin:         %s\n", cred.Admin)
	fmt.Fprintf(stdout, "  HR:            %s\n", cred.HR)
	fmt.Fprintf(stdout, "  Employees:     %s\n", strings.Join(cred.Employees, ", "))
	fmt.Fprintf(stdout, "  Password:      %s   (set when an account is created; changed passwords are kept)\n", cred.Password)
	if !cred.NextKickoff.IsZero() {
		fmt.Fprintf(stdout, "  Next match open for betting kicks off at %s (in %s).\n",
			cred.NextKickoff.UTC().Format("2006-01-02 15:04 UTC"), humanDuration(cred.NextKickoff.Sub(clk.Now())))
	}
	return nil
}

// humanDuration renders a wait as "19 min" or "2 h 05 min".
func humanDuration(d time.Duration) string {
	m := int(d.Round(time.Minute) / time.Minute)
	if m < 60 {
		return fmt.Sprintf("%d min", max(m, 0))
	}
	return fmt.Sprintf("%d h %02d min", m/60, m%60)
}

// tenantURL is where a company is reached in a browser.
func tenantURL(cfg *config.Config, slug string) string {
	host := slug + "." + cfg.BaseDomain
	if cfg.Port != 80 {
		host += ":" + strconv.Itoa(cfg.Port)
	}
	return "http://" + host
}

// storageCmd: betcity storage check
func storageCmd(ctx context.Context, args []string, getenv config.Getenv, stdout io.Writer) error {
	if len(args) != 1 || args[0] != "check" {
		return fmt.Errorf("%w: betcity storage check", errUsage)
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	where := redactURL(cfg.Storage)
	st, err := storage.Open(ctx, cfg.Storage)
	if err != nil {
		return fmt.Errorf("storage %s: %w", where, err)
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := st.Check(ctx); err != nil {
		return fmt.Errorf("storage %s: %w", where, err)
	}
	fmt.Fprintf(stdout, "storage ok: %s\n", where)
	return nil
}

// redactURL drops any user information from a storage URL. The s3 backend
// refuses credentials in the URL anyway; this keeps a mistaken one out of
// the output.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable BETCITY_STORAGE)"
	}
	u.User = nil
	return u.String()
}

// ebScheduleCmd: betcity eb-schedule --tournament ID|NAME ...
func ebScheduleCmd(ctx context.Context, args []string, getenv config.Getenv, stdout, stderr io.Writer) error {
	fs := newFlagSet("eb-schedule", stderr)
	tournament := fs.String("tournament", "", "tournament ID or exact name (required)")
	before := fs.Duration("before", 30*time.Minute, "scale up this long before each kick-off")
	after := fs.Duration("after", 150*time.Minute, "stay scaled up this long after each kick-off")
	minSize := fs.Int("min", 2, "minimum instances during a window")
	maxSize := fs.Int("max", 4, "maximum instances during a window")
	format := fs.String("format", deploy.FormatJSON, "json (for update-environment --option-settings) or ebextensions")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	switch {
	case fs.NArg() > 0:
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	case strings.TrimSpace(*tournament) == "":
		return fmt.Errorf("%w: --tournament ID|NAME is required", errUsage)
	case *before < 0 || *after <= 0:
		return fmt.Errorf("%w: --before must be >= 0 and --after > 0", errUsage)
	case *minSize < 1 || *maxSize < *minSize:
		return fmt.Errorf("%w: need 1 <= --min <= --max", errUsage)
	case *format != deploy.FormatJSON && *format != deploy.FormatEBExtensions:
		return fmt.Errorf("%w: --format must be %s or %s", errUsage, deploy.FormatJSON, deploy.FormatEBExtensions)
	}
	a, err := openApp(ctx, getenv, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	t, err := findTournament(ctx, a.Betting, *tournament)
	if err != nil {
		return err
	}
	kickoffs, err := a.Betting.TournamentKickoffs(ctx, t.ID)
	if err != nil {
		return err
	}
	windows := deploy.Plan(kickoffs, *before, *after, clock.System{}.Now(), *minSize, *maxSize)
	if err := deploy.WriteSchedule(stdout, windows, *format); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "%q: %d matches, %d scale-up windows ahead\n", t.Name, len(kickoffs), len(windows))
	return nil
}

func findTournament(ctx context.Context, bet *betting.Service, ref string) (*betting.Tournament, error) {
	ref = strings.TrimSpace(ref)
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		t, err := bet.Tournament(ctx, id)
		if !apperr.Is(err, "tournament_not_found") {
			return t, err
		}
	}
	t, err := bet.TournamentByName(ctx, ref)
	if apperr.Is(err, "tournament_not_found") {
		return nil, fmt.Errorf("no tournament with ID or name %q", ref)
	}
	return t, err
}
