//go:build !testclock

package main

import "github.com/betcity/betcity/server/app"

func withTestClock(opt app.Options) app.Options { return opt }
