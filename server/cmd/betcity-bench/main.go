// Command betcity-bench is BetCity's load runner, driven by scripts/bench.sh
// (make bench). Each subcommand appends its figures, with their same-run
// baselines, to a results file; "summary" prints the final table.
//
//	betcity-bench place   -admin-dsn DSN -server-bin bin/betcity -out results.tsv
//	betcity-bench settle  -admin-dsn DSN -out results.tsv
//	betcity-bench summary -results results.tsv -leaderboard go-bench-output.txt
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/betcity/betcity/server/bench"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: betcity-bench place|settle|summary [flags]")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	switch os.Args[1] {
	case "place":
		err = place(ctx, os.Args[2:])
	case "settle":
		err = settle(ctx, os.Args[2:])
	case "summary":
		err = summary(os.Args[2:])
	default:
		err = fmt.Errorf("unknown subcommand %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "betcity-bench:", err)
		os.Exit(1)
	}
}

func adminDSN() string {
	if v := os.Getenv("TEST_MYSQL_DSN"); v != "" {
		return v
	}
	return "root:@tcp(127.0.0.1:3306)/"
}

func appendResults(path string, rs []bench.Result) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	for _, r := range rs {
		fmt.Fprintln(f, r.TSV())
	}
	return f.Close()
}

func place(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("place", flag.ContinueOnError)
	cfg := bench.PlaceConfig{Log: os.Stdout}
	fs.StringVar(&cfg.AdminDSN, "admin-dsn", adminDSN(), "MySQL DSN of a user that may create databases")
	fs.StringVar(&cfg.ServerBin, "server-bin", "bin/betcity", "the betcity binary to serve with")
	fs.IntVar(&cfg.Clients, "clients", 64, "concurrent clients")
	fs.IntVar(&cfg.Runs, "runs", 3, "runs of each side (medians are reported)")
	fs.DurationVar(&cfg.Warmup, "warmup", 2*time.Second, "warm-up per run, not measured")
	fs.DurationVar(&cfg.Duration, "duration", 8*time.Second, "measured time per run")
	fs.IntVar(&cfg.UsersPerClient, "users-per-client", 4, "members per client per run")
	fs.IntVar(&cfg.Matches, "matches", 300, "open matches")
	out := fs.String("out", "bench-results.tsv", "results file to append to")
	if err := fs.Parse(args); err != nil {
		return err
	}
	rs, err := bench.RunPlace(ctx, cfg)
	if err != nil {
		return err
	}
	return appendResults(*out, rs)
}

func settle(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("settle", flag.ContinueOnError)
	cfg := bench.SettleConfig{Log: os.Stdout}
	fs.StringVar(&cfg.AdminDSN, "admin-dsn", adminDSN(), "MySQL DSN of a user that may create databases")
	fs.IntVar(&cfg.Bets, "bets", 100_000, "bets on the match (one member each)")
	fs.IntVar(&cfg.BaselinePasses, "baseline-passes", 4, "plain UPDATE passes timed for the baseline")
	fs.IntVar(&cfg.LeaderboardIterations, "leaderboard-iterations", 2000, "bare leaderboard page queries timed (0 skips)")
	fs.BoolVar(&cfg.SeedOnly, "seed-only", false, "stop after seeding (with BENCH_KEEP=1 to keep the database)")
	out := fs.String("out", "bench-results.tsv", "results file to append to")
	if err := fs.Parse(args); err != nil {
		return err
	}
	rs, err := bench.RunSettle(ctx, cfg)
	if err != nil {
		return err
	}
	return appendResults(*out, rs)
}

func summary(args []string) error {
	fs := flag.NewFlagSet("summary", flag.ContinueOnError)
	results := fs.String("results", "bench-results.tsv", "results file")
	lb := fs.String("leaderboard", "", "output of go test -bench BenchmarkIndividualLeaderboard100k")
	lbNote := fs.String("leaderboard-note", "", "why the leaderboard benchmark is missing")
	if err := fs.Parse(args); err != nil {
		return err
	}
	f, err := os.Open(*results)
	if err != nil {
		return err
	}
	defer f.Close()
	rs, err := bench.ParseResults(f)
	if err != nil {
		return err
	}
	var p50, p99 float64
	ok := false
	if *lb != "" {
		if g, err := os.Open(*lb); err == nil {
			p50, p99, _, ok = bench.ParseGoBench(g, "BenchmarkIndividualLeaderboard100k")
			g.Close()
		}
	}
	note := *lbNote
	if !ok && note == "" {
		note = "BenchmarkIndividualLeaderboard100k reported no p50/p99 metrics"
	}
	if !bench.WriteSummary(os.Stdout, rs, p50, p99, ok, note) {
		return errors.New("some figures are missing or below their goal (see the table)")
	}
	return nil
}
