// Package deploy holds what the Elastic Beanstalk deployment needs from Go:
// the pre-kick-off scaling planner behind `betcity eb-schedule`, and an
// offline checker for the bundle's .ebextensions, Procfile and .platform files
// (there is no offline validator for them, see the reference §10.1).
//
// Facts about Elastic Beanstalk come from /work/shared/reference/elastic-beanstalk.md,
// cited below as "reference §N".
package deploy

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"time"

	"gopkg.in/yaml.v3"
)

const (
	// BaselineMinSize and BaselineMaxSize are the fleet bounds outside match
	// windows. .ebextensions/03-scaling.config must say the same; the bundle
	// check asserts it, so the scale-down action restores what the
	// configuration declares.
	BaselineMinSize = 1
	BaselineMaxSize = 4

	// MaxScheduledActions is EC2 Auto Scaling's fixed quota of scheduled
	// actions per group ("Quotas for Auto Scaling resources and groups",
	// docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-quotas.html;
	// the reference does not state it). Each window needs two.
	MaxScheduledActions = 125

	// ScheduledActionNamespace is the option namespace of one scheduled
	// action; each action is one resource name (reference §3.3).
	ScheduledActionNamespace = "aws:autoscaling:scheduledaction"

	// startTimeLayout is ISO 8601 in UTC, as in the reference §3.3 example.
	startTimeLayout = "2006-01-02T15:04:05Z"
)

// Window is a period during which the fleet is held at MinSize..MaxSize
// instances because one or more matches kick off inside it.
type Window struct {
	Start   time.Time
	End     time.Time
	MinSize int
	MaxSize int
	// Kickoffs are the distinct kick-off times the window covers, sorted.
	Kickoffs []time.Time
}

// Plan turns kick-off times into scale-up windows. Each match occupies
// [kickoff-before, kickoff+after]; overlapping or touching windows merge, so
// no scale-down lands between two scale-ups. Starts are rounded down and ends
// up to the minute (pre-scaling early is cheap, late is not). Windows that end
// at or before now are dropped; a window already under way starts at the
// minute after now, because Auto Scaling only accepts future start times.
// Windows are returned in time order; every Start and End is distinct.
func Plan(kickoffs []time.Time, before, after time.Duration, now time.Time, minCap, maxCap int) []Window {
	sorted := make([]time.Time, 0, len(kickoffs))
	for _, k := range kickoffs {
		sorted = append(sorted, k.UTC())
	}
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Before(sorted[j]) })

	earliest := now.UTC().Truncate(time.Minute).Add(time.Minute)
	var windows []Window
	for _, k := range sorted {
		start := k.Add(-before).Truncate(time.Minute)
		end := ceilMinute(k.Add(after))
		if !end.After(now) {
			continue
		}
		if n := len(windows); n > 0 && !start.After(windows[n-1].End) {
			w := &windows[n-1]
			if end.After(w.End) {
				w.End = end
			}
			if !w.Kickoffs[len(w.Kickoffs)-1].Equal(k) {
				w.Kickoffs = append(w.Kickoffs, k)
			}
			continue
		}
		windows = append(windows, Window{Start: start, End: end, MinSize: minCap, MaxSize: maxCap, Kickoffs: []time.Time{k}})
	}

	// Clamp after merging: clamping first could make a past window look
	// adjacent to the next one and hide the overlap rule.
	out := windows[:0]
	for _, w := range windows {
		if w.Start.Before(earliest) {
			w.Start = earliest
		}
		if !w.Start.Before(w.End) {
			// The window closes within the minute; a scale-up now would
			// only be undone by its own scale-down.
			continue
		}
		out = append(out, w)
	}
	return out
}

func ceilMinute(t time.Time) time.Time {
	if r := t.Truncate(time.Minute); !r.Equal(t) {
		return r.Add(time.Minute)
	}
	return t
}

// OptionSetting is one Elastic Beanstalk option setting. The JSON names are
// those of `aws elasticbeanstalk update-environment --option-settings`; the
// YAML names are the .ebextensions list syntax (reference §2.1).
type OptionSetting struct {
	ResourceName string `json:"ResourceName" yaml:"resource_name"`
	Namespace    string `json:"Namespace" yaml:"namespace"`
	OptionName   string `json:"OptionName" yaml:"option_name"`
	Value        string `json:"Value" yaml:"value"`
}

// ScheduledActions renders a scale-up action at each window's start and a
// scale-down action back to the baseline at its end. Scheduled actions do not
// revert by themselves, hence the second action (reference §3.3).
func ScheduledActions(windows []Window) ([]OptionSetting, error) {
	if err := validateWindows(windows); err != nil {
		return nil, err
	}
	var out []OptionSetting
	add := func(name string, at time.Time, minSize, maxSize, desired int) {
		for _, kv := range [][2]string{
			{"MinSize", strconv.Itoa(minSize)},
			{"MaxSize", strconv.Itoa(maxSize)},
			{"DesiredCapacity", strconv.Itoa(desired)},
			{"StartTime", at.UTC().Format(startTimeLayout)},
		} {
			out = append(out, OptionSetting{ResourceName: name, Namespace: ScheduledActionNamespace, OptionName: kv[0], Value: kv[1]})
		}
	}
	for _, w := range windows {
		add(ActionName("BetCityUp", w.Start), w.Start, w.MinSize, w.MaxSize, w.MinSize)
		// Desired goes back to the baseline so the extra instances stop
		// costing money; if the crowd lingers, the CPU alarm adds them back.
		add(ActionName("BetCityDown", w.End), w.End, BaselineMinSize, BaselineMaxSize, BaselineMinSize)
	}
	return out, nil
}

// ActionName is the resource name of a scheduled action. It is derived from
// the start time, so re-running eb-schedule updates the same actions instead
// of piling up duplicates, and it is alphanumeric like a CloudFormation
// logical ID.
func ActionName(prefix string, at time.Time) string {
	return prefix + at.UTC().Format("20060102T1504")
}

func validateWindows(windows []Window) error {
	if 2*len(windows) > MaxScheduledActions {
		return fmt.Errorf("deploy: %d windows need %d scheduled actions; Auto Scaling allows %d per group, schedule fewer days ahead",
			len(windows), 2*len(windows), MaxScheduledActions)
	}
	seen := map[time.Time]bool{}
	for i, w := range windows {
		switch {
		case w.MinSize < 1 || w.MaxSize < w.MinSize:
			return fmt.Errorf("deploy: window %d: need 1 <= min (%d) <= max (%d)", i, w.MinSize, w.MaxSize)
		case w.MaxSize > 10000:
			return fmt.Errorf("deploy: window %d: max %d above the option's limit of 10000", i, w.MaxSize)
		case !w.Start.Before(w.End):
			return fmt.Errorf("deploy: window %d: start %s is not before end %s", i, w.Start.Format(startTimeLayout), w.End.Format(startTimeLayout))
		}
		// StartTime must be unique across all scheduled actions (reference §3.3).
		for _, t := range []time.Time{w.Start.UTC(), w.End.UTC()} {
			if seen[t] {
				return fmt.Errorf("deploy: two scheduled actions would start at %s; merge the windows (use Plan)", t.Format(startTimeLayout))
			}
			seen[t] = true
		}
	}
	return nil
}

// Schedule output formats accepted by WriteSchedule.
const (
	// FormatEBExtensions is a complete .ebextensions/*.config file.
	FormatEBExtensions = "ebextensions"
	// FormatJSON is the list for `aws elasticbeanstalk update-environment
	// --option-settings file://schedule.json`.
	FormatJSON = "json"
)

// WriteSchedule writes the scheduled actions for windows in the given format.
func WriteSchedule(w io.Writer, windows []Window, format string) error {
	settings, err := ScheduledActions(windows)
	if err != nil {
		return err
	}
	if settings == nil {
		// An empty list, not null: the CLI rejects null option settings.
		settings = []OptionSetting{}
	}
	switch format {
	case FormatJSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(settings)
	case FormatEBExtensions, "yaml":
		if _, err := io.WriteString(w, "# Generated by `betcity eb-schedule`; pre-kick-off scaling (reference §3.3).\n"); err != nil {
			return err
		}
		enc := yaml.NewEncoder(w)
		enc.SetIndent(2)
		if err := enc.Encode(map[string][]OptionSetting{"option_settings": settings}); err != nil {
			return err
		}
		return enc.Close()
	default:
		return fmt.Errorf("deploy: unknown schedule format %q (want %q or %q)", format, FormatJSON, FormatEBExtensions)
	}
}
