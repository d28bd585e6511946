// Package clock lets the server's notion of "now" be injected. Kickoff locks
// are decided by this clock alone; the client's time never counts.
package clock

import (
	"sync"
	"time"
)

type Clock interface {
	Now() time.Time
}

// System is the real wall clock, in UTC.
type System struct{}

func (System) Now() time.Time { return time.Now().UTC() }

// Adjustable is a clock whose offset from the real time can be moved. It is
// used by tests and by the test-only clock control; production wiring never
// exposes it over HTTP unless explicitly enabled.
type Adjustable struct {
	mu     sync.RWMutex
	offset time.Duration
	fixed  *time.Time
}

func (a *Adjustable) Now() time.Time {
	a.mu.RLock()
	defer a.mu.RUnlock()
	if a.fixed != nil {
		return *a.fixed
	}
	return time.Now().UTC().Add(a.offset)
}

// Set pins the clock to t.
func (a *Adjustable) Set(t time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	u := t.UTC()
	a.fixed = &u
}

// Advance moves the clock forward by d (pinned or running).
func (a *Adjustable) Advance(d time.Duration) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.fixed != nil {
		u := a.fixed.Add(d)
		a.fixed = &u
		return
	}
	a.offset += d
}

// Offset returns how far the clock runs ahead of the real time.
func (a *Adjustable) Offset() time.Duration {
	a.mu.RLock()
	defer a.mu.RUnlock()
	if a.fixed != nil {
		return time.Until(*a.fixed)
	}
	return a.offset
}

// SetOffset makes the clock run d ahead of the real time.
func (a *Adjustable) SetOffset(d time.Duration) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.fixed = nil
	a.offset = d
}
