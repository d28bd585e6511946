//go:build testclock

package main

import (
	"github.com/betcity/betcity/server/app"
	"github.com/betcity/betcity/server/clock"
)

// withTestClock gives end-to-end test binaries a clock they can move.
func withTestClock(opt app.Options) app.Options {
	opt.ClockControl = &clock.Adjustable{}
	return opt
}
