package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/betcity/betcity/server/config"
	"github.com/betcity/betcity/server/importer"
	"github.com/betcity/betcity/server/importer/openfootball"
)

// importCmd: betcity import openfootball FILE [--tz ZONE]
func importCmd(ctx context.Context, args []string, getenv config.Getenv, stdout, stderr io.Writer) error {
	fs := newFlagSet("import", stderr)
	tz := fs.String("tz", "", "IANA zone of times written without a UTC offset, e.g. Europe/Berlin")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return errUsage
	}
	if len(pos) != 2 || pos[0] != "openfootball" {
		return fmt.Errorf("%w: betcity import openfootball FILE [--tz ZONE]", errUsage)
	}
	var opts []openfootball.Option
	if *tz != "" {
		loc, err := time.LoadLocation(*tz)
		if err != nil {
			return fmt.Errorf("%w: --tz %q is not a known time zone (use an IANA name such as Europe/Berlin)", errUsage, *tz)
		}
		opts = append(opts, openfootball.WithZone(loc))
	}
	// Parse before touching the database: a broken file changes nothing.
	f, err := os.Open(pos[1])
	if err != nil {
		return err
	}
	t, err := openfootball.Parse(f, opts...)
	f.Close()
	if err != nil {
		return fmt.Errorf("%s: %w", pos[1], err)
	}

	a, err := openApp(ctx, getenv, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	p := &progressLine{w: stderr}
	sum, err := importer.Import(ctx, a.Betting, t, p.update)
	p.end()
	if err != nil {
		return err
	}
	printSummary(stdout, t.Name, sum)
	return nil
}

// progressLine rewrites one stderr line as the import goes.
type progressLine struct {
	w       io.Writer
	started bool
}

func (p *progressLine) update(done, total int) {
	p.started = true
	fmt.Fprintf(p.w, "\rimporting %d/%d matches", done, total)
}

func (p *progressLine) end() {
	if p.started {
		fmt.Fprintln(p.w)
	}
}

func printSummary(w io.Writer, name string, s importer.Summary) {
	n := s.MatchesCreated + s.MatchesUpdated + s.MatchesUnchanged
	fmt.Fprintf(w, "imported %q (tournament %d): %d matches: %d created, %d updated, %d unchanged; %d teams created; %d matches settled\n",
		name, s.TournamentID, n, s.MatchesCreated, s.MatchesUpdated, s.MatchesUnchanged, s.TeamsCreated, s.MatchesSettled)
	if len(s.Skipped) > 0 {
		fmt.Fprintf(w, "skipped (%d):\n  %s\n", len(s.Skipped), strings.Join(s.Skipped, "\n  "))
	}
}
