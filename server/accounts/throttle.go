package accounts

import (
	"context"
	"strconv"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/betcity/betcity/server/apperr"
	"github.com/betcity/betcity/server/clock"
	"github.com/betcity/betcity/server/database"
)

// ThrottleKey names one throttled subject with its limit.
type ThrottleKey struct {
	Key         string
	MaxFailures int
}

const (
	throttleWindow = 15 * time.Minute
	lockDuration   = 15 * time.Minute
)

// AccountKey throttles guesses against one account: 5 failures in 15 minutes
// lock it for 15 minutes.
func AccountKey(sc Scope, email string) ThrottleKey {
	return ThrottleKey{Key: "acct:" + strconv.FormatInt(sc.CompanyID, 10) + ":" + email, MaxFailures: 5}
}

// IPKey throttles one address spraying many accounts: 30 failures in 15
// minutes. Offices share one address behind NAT, hence the higher limit.
func IPKey(ip string) ThrottleKey {
	return ThrottleKey{Key: "ip:" + ip, MaxFailures: 30}
}

// Throttle keeps its state in the database, so every instance behind the
// load balancer sees the same counters.
type Throttle struct {
	db    *database.DB
	clock clock.Clock
}

func NewThrottle(db *database.DB, clk clock.Clock) *Throttle { return &Throttle{db: db, clock: clk} }

// Check refuses with 429 and the time to wait while any key is locked.
func (t *Throttle) Check(ctx context.Context, keys ...ThrottleKey) error {
	now := t.clock.Now()
	names := make([]string, len(keys))
	for i, k := range keys {
		names[i] = k.Key
	}
	var rows []LoginThrottle
	if err := t.db.WithContext(ctx).Where("throttle_key IN ? AND locked_until > ?", names, now).Find(&rows).Error; err != nil {
		return err
	}
	var wait time.Duration
	for _, r := range rows {
		wait = max(wait, r.LockedUntil.Sub(now))
	}
	if wait > 0 {
		return apperr.RateLimited("too many failed sign-in attempts; try again later", wait.Round(time.Second)+time.Second)
	}
	return nil
}

// Fail counts one failure against each key and locks keys over their limit.
func (t *Throttle) Fail(ctx context.Context, keys ...ThrottleKey) error {
	now := t.clock.Now()
	windowStart := now.Add(-throttleWindow)
	return t.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, k := range keys {
			// Start a new window when the old one has lapsed.
			if err := tx.Model(&LoginThrottle{}).Where("throttle_key = ? AND window_start < ?", k.Key, windowStart).
				Updates(map[string]any{"failures": 0, "window_start": now, "locked_until": nil}).Error; err != nil {
				return err
			}
			// Atomic upsert-increment: concurrent failures on two instances
			// both count.
			if err := tx.Clauses(clause.OnConflict{
				Columns:   []clause.Column{{Name: "throttle_key"}},
				DoUpdates: clause.Assignments(map[string]any{"failures": gorm.Expr("login_throttle.failures + 1")}),
			}).Create(&LoginThrottle{ThrottleKey: k.Key, Failures: 1, WindowStart: now}).Error; err != nil {
				return err
			}
			if err := tx.Model(&LoginThrottle{}).Where("throttle_key = ? AND failures >= ?", k.Key, k.MaxFailures).
				Update("locked_until", now.Add(lockDuration)).Error; err != nil {
				return err
			}
		}
		return nil
	})
}

// Reset clears a key after a successful login.
func (t *Throttle) Reset(ctx context.Context, k ThrottleKey) error {
	return t.db.WithContext(ctx).Where("throttle_key = ?", k.Key).Delete(&LoginThrottle{}).Error
}
