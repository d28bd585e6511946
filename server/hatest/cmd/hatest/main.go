// Command hatest runs BetCity's high-availability rehearsal. It is started by
// scripts/ha-test.sh (make ha-test), which installs haproxy and MariaDB and
// builds the two betcity binaries first; see docs/ha-test.md.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/betcity/betcity/server/hatest"
)

func main() {
	var c hatest.Config
	flag.StringVar(&c.Work, "work", "", "throwaway folder (required)")
	flag.StringVar(&c.OldBin, "old", "", "betcity binary running at the start (required)")
	flag.StringVar(&c.OldVersion, "old-version", "", "version the old binary reports")
	flag.StringVar(&c.NewBin, "new", "", "betcity binary rolled out in phase b (required)")
	flag.StringVar(&c.NewVersion, "new-version", "", "version the new binary reports on /healthz (required)")
	flag.StringVar(&c.InstallDB, "mariadb-install-db", "mariadb-install-db", "mariadb-install-db path")
	flag.StringVar(&c.MariaDBD, "mariadbd", "mariadbd", "mariadbd path")
	flag.StringVar(&c.HAProxy, "haproxy", "haproxy", "haproxy path")
	flag.StringVar(&c.Report, "report", "", "write the final table here too")
	flag.IntVar(&c.Instances, "instances", 3, "betcity instances behind haproxy")
	flag.IntVar(&c.Members, "members", 40, "employees created through invites")
	flag.IntVar(&c.Users, "users", 24, "virtual users placing bets")
	flag.IntVar(&c.Matches, "matches", 300, "matches with odds (a user who runs out bets again on the first ones, changing its bet)")
	flag.DurationVar(&c.Warmup, "warmup", 8*time.Second, "steady load before the first failure")
	flag.DurationVar(&c.Phase, "phase", 25*time.Second, "length of phases a and c")
	flag.BoolVar(&c.RequireAvatar, "require-avatar", false, "fail, rather than report PENDING, when avatar upload is not implemented")
	flag.Parse()
	if c.Work == "" || c.OldBin == "" || c.NewBin == "" || c.NewVersion == "" || c.Users < 1 || c.Users > c.Members || c.Instances < 2 {
		fmt.Fprintln(os.Stderr, "hatest: -work, -old, -new and -new-version are required; 1 <= users <= members; instances >= 2")
		os.Exit(2)
	}
	c.Log = os.Stdout
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := hatest.Run(ctx, c); err != nil {
		fmt.Fprintln(os.Stderr, "hatest:", err)
		os.Exit(1)
	}
}
