package deploy

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Problem is one finding of the offline check, located by file and line.
type Problem struct {
	Path string
	Line int
	Msg  string
}

func (p Problem) String() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", p.Path, p.Line, p.Msg)
	}
	return fmt.Sprintf("%s: %s", p.Path, p.Msg)
}

// Setting is one option setting as written in a .ebextensions file.
type Setting struct {
	Path      string
	Line      int
	Resource  string
	Namespace string
	Option    string
	Value     string
}

// Config is one parsed .ebextensions file.
type Config struct {
	Path     string
	Settings []Setting
	// Resources are the CloudFormation resources, decoded generically.
	Resources map[string]map[string]any
	// ContainerCommands by name, decoded generically.
	ContainerCommands map[string]map[string]any
}

// topLevelKeys are the keys a configuration file may have (reference §2.1).
var topLevelKeys = map[string]bool{
	"option_settings": true, "Resources": true, "Mappings": true,
	"packages": true, "groups": true, "users": true, "sources": true,
	"files": true, "commands": true, "services": true, "container_commands": true,
}

// ParseConfig parses one .ebextensions file and checks what can be checked
// within it: YAML validity, duplicate keys (which EB resolves by silently
// dropping a section), top-level keys, option names and values, commands and
// files. Cross-file rules are in CheckSettings.
func ParseConfig(path string, data []byte) (*Config, []Problem) {
	c := &Config{Path: path, Resources: map[string]map[string]any{}, ContainerCommands: map[string]map[string]any{}}
	var probs []Problem
	bad := func(line int, format string, args ...any) {
		probs = append(probs, Problem{Path: path, Line: line, Msg: fmt.Sprintf(format, args...)})
	}
	if i := bytes.IndexByte(data, '\t'); i >= 0 {
		// Reference §2.1: spaces, no tabs.
		bad(bytes.Count(data[:i], []byte("\n"))+1, "tab character; configuration files must indent with spaces")
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		bad(0, "invalid YAML: %v", err)
		return c, probs
	}
	if len(doc.Content) == 0 {
		bad(0, "empty configuration file")
		return c, probs
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		bad(root.Line, "top level must be a mapping")
		return c, probs
	}
	dups := duplicateKeys(root)
	for _, d := range dups {
		bad(d.Line, "%s", d.Msg)
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if !topLevelKeys[k.Value] {
			bad(k.Line, "unknown top-level key %q (EB ignores the whole file)", k.Value)
			continue
		}
		switch k.Value {
		case "option_settings":
			c.Settings = append(c.Settings, parseOptionSettings(path, v, bad)...)
		case "Resources":
			parseResources(c, v, bad)
		case "container_commands":
			c.ContainerCommands = parseCommands(v, true, bad)
		case "commands":
			parseCommands(v, false, bad)
		case "files":
			parseFiles(v, bad)
		}
	}
	probs = append(probs, checkOptions(c.Settings)...)
	return c, probs
}

// duplicateKeys reports every mapping key that appears twice in the same
// mapping, at any depth. yaml.v3 keeps both in the node tree, so they can be
// found before anything decides which one wins.
func duplicateKeys(n *yaml.Node) []Problem {
	var out []Problem
	if n.Kind == yaml.MappingNode {
		first := map[string]int{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if line, ok := first[k.Value]; ok {
				out = append(out, Problem{Line: k.Line, Msg: fmt.Sprintf("duplicate key %q (first at line %d); one of the two sections would be dropped", k.Value, line)})
				continue
			}
			first[k.Value] = k.Line
		}
	}
	for _, c := range n.Content {
		out = append(out, duplicateKeys(c)...)
	}
	return out
}

// parseOptionSettings reads both syntaxes of reference §2.1: the shorthand
// mapping `[Resource.]namespace: {option: value}` and the list of
// {namespace, option_name, value, resource_name}.
func parseOptionSettings(path string, n *yaml.Node, bad func(int, string, ...any)) []Setting {
	var out []Setting
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, opts := n.Content[i], n.Content[i+1]
			resource, ns := splitResource(k.Value)
			if opts.Kind != yaml.MappingNode {
				bad(k.Line, "namespace %q must map option names to values", k.Value)
				continue
			}
			for j := 0; j+1 < len(opts.Content); j += 2 {
				ok, ov := opts.Content[j], opts.Content[j+1]
				if ov.Kind != yaml.ScalarNode {
					bad(ov.Line, "%s %s: value must be a scalar", ns, ok.Value)
					continue
				}
				out = append(out, Setting{Path: path, Line: ok.Line, Resource: resource, Namespace: ns, Option: ok.Value, Value: ov.Value})
			}
		}
	case yaml.SequenceNode:
		for _, item := range n.Content {
			if item.Kind != yaml.MappingNode {
				bad(item.Line, "option_settings list items must be mappings")
				continue
			}
			s := Setting{Path: path, Line: item.Line, Namespace: envNamespace}
			hasName, hasValue := false, false
			for j := 0; j+1 < len(item.Content); j += 2 {
				k, v := item.Content[j], item.Content[j+1]
				if v.Kind != yaml.ScalarNode {
					bad(v.Line, "%s must be a scalar", k.Value)
					continue
				}
				switch k.Value {
				case "namespace":
					s.Namespace = v.Value
				case "option_name":
					s.Option, hasName = v.Value, true
				case "value":
					s.Value, hasValue = v.Value, true
				case "resource_name":
					s.Resource = v.Value
				default:
					bad(k.Line, "unknown option_settings field %q (want namespace, option_name, value, resource_name)", k.Value)
				}
			}
			if !hasName || !hasValue {
				bad(item.Line, "option_settings item needs option_name and value")
				continue
			}
			out = append(out, s)
		}
	default:
		bad(n.Line, "option_settings must be a mapping or a list")
	}
	return out
}

// splitResource separates "MyAction.aws:autoscaling:scheduledaction".
func splitResource(key string) (resource, ns string) {
	if i := strings.Index(key, ".aws:"); i > 0 {
		return key[:i], key[i+1:]
	}
	return "", key
}

var logicalIDRe = regexp.MustCompile(`^[A-Za-z0-9]+$`)

func parseResources(c *Config, n *yaml.Node, bad func(int, string, ...any)) {
	if n.Kind != yaml.MappingNode {
		bad(n.Line, "Resources must be a mapping")
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !logicalIDRe.MatchString(k.Value) {
			bad(k.Line, "resource name %q must be alphanumeric (CloudFormation logical ID)", k.Value)
		}
		var r map[string]any
		if err := v.Decode(&r); err != nil {
			// Duplicate keys inside were already reported.
			continue
		}
		if _, ok := r["Type"].(string); !ok {
			bad(k.Line, "resource %s has no Type", k.Value)
		}
		c.Resources[k.Value] = r
		if r["Type"] == "AWS::CloudWatch::Alarm" {
			checkAlarm(k.Value, k.Line, r, bad)
		}
	}
}

// checkAlarm applies CloudWatch's own rules (not in the reference): a
// standard-resolution period is a multiple of 60 s (10/20/30 s only for
// high-resolution metrics), and an alarm needs no more datapoints than it
// evaluates.
func checkAlarm(name string, line int, r map[string]any, bad func(int, string, ...any)) {
	props, _ := r["Properties"].(map[string]any)
	if props == nil {
		bad(line, "alarm %s has no Properties", name)
		return
	}
	if _, hasMetric := props["MetricName"]; !hasMetric {
		// A partial override of an existing alarm, such as EB's own
		// AWSEBCloudwatchAlarmHigh with AlarmActions: [] (reference §3.2).
		return
	}
	period, okP := asInt(props["Period"])
	evals, okE := asInt(props["EvaluationPeriods"])
	switch {
	case !okP:
		bad(line, "alarm %s: Period must be an integer number of seconds", name)
	case period != 10 && period != 20 && period != 30 && (period <= 0 || period%60 != 0):
		bad(line, "alarm %s: Period %d s must be 10, 20, 30 or a multiple of 60", name, period)
	}
	if !okE || evals < 1 {
		bad(line, "alarm %s: EvaluationPeriods must be a positive integer", name)
	}
	if dp, ok := asInt(props["DatapointsToAlarm"]); ok && okE && (dp < 1 || dp > evals) {
		bad(line, "alarm %s: DatapointsToAlarm %d must be between 1 and EvaluationPeriods %d", name, dp, evals)
	}
	if err := oneOf("GreaterThanThreshold", "GreaterThanOrEqualToThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold")(fmt.Sprint(props["ComparisonOperator"])); err != nil {
		bad(line, "alarm %s: ComparisonOperator %v", name, err)
	}
	if _, ok := asFloat(props["Threshold"]); !ok {
		bad(line, "alarm %s: Threshold must be a number", name)
	}
}

func asInt(v any) (int, bool) {
	switch x := v.(type) {
	case int:
		return x, true
	case string:
		n, err := strconv.Atoi(x)
		return n, err == nil
	}
	return 0, false
}

func asFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case int:
		return float64(x), true
	case float64:
		return x, true
	case string:
		n, err := strconv.ParseFloat(x, 64)
		return n, err == nil
	}
	return 0, false
}

// parseCommands checks commands / container_commands entries (reference §2.2).
func parseCommands(n *yaml.Node, container bool, bad func(int, string, ...any)) map[string]map[string]any {
	allowed := map[string]bool{"command": true, "env": true, "cwd": true, "test": true, "ignoreErrors": true}
	if container {
		allowed["leader_only"] = true
	}
	out := map[string]map[string]any{}
	if n.Kind != yaml.MappingNode {
		bad(n.Line, "commands must be a mapping of name to command")
		return out
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		var cmd map[string]any
		if err := v.Decode(&cmd); err != nil {
			bad(k.Line, "command %s must be a mapping", k.Value)
			continue
		}
		for opt := range cmd {
			if !allowed[opt] {
				bad(k.Line, "command %s: unknown key %q", k.Value, opt)
			}
		}
		if _, ok := cmd["command"]; !ok {
			bad(k.Line, "command %s has no command", k.Value)
		}
		if lo, ok := cmd["leader_only"]; ok {
			if _, isBool := lo.(bool); !isBool {
				bad(k.Line, "command %s: leader_only must be true or false", k.Value)
			}
			if _, hasTest := cmd["test"]; hasTest {
				bad(k.Line, "command %s: leader_only and test are exclusive (test would be ignored)", k.Value)
			}
		}
		out[k.Value] = cmd
	}
	return out
}

var fileModeRe = regexp.MustCompile(`^[0-7]{6}$`)

func parseFiles(n *yaml.Node, bad func(int, string, ...any)) {
	var files map[string]map[string]any
	if err := n.Decode(&files); err != nil {
		bad(n.Line, "files must map paths to file definitions")
		return
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		f := files[name]
		_, hasContent := f["content"]
		_, hasSource := f["source"]
		if hasContent == hasSource {
			bad(n.Line, "file %s needs exactly one of content and source", name)
		}
		if m, ok := f["mode"]; ok {
			if s, isStr := m.(string); !isStr || !fileModeRe.MatchString(s) {
				bad(n.Line, "file %s: mode must be a quoted six-digit octal string such as \"000755\"", name)
			}
		}
		if e, ok := f["encoding"]; ok && e != "plain" && e != "base64" {
			bad(n.Line, "file %s: encoding must be plain or base64", name)
		}
	}
}

// checkOptions validates each setting against the table of known options.
func checkOptions(settings []Setting) []Problem {
	table := knownOptions()
	var probs []Problem
	for _, s := range settings {
		bad := func(format string, args ...any) {
			probs = append(probs, Problem{Path: s.Path, Line: s.Line, Msg: fmt.Sprintf(format, args...)})
		}
		switch s.Namespace {
		case envNamespace, secretsNamespace:
			if !envKeyRe.MatchString(s.Option) || len(s.Option) > 128 {
				bad("%s: property name %q must match [A-Z_][A-Z0-9_]* and be at most 128 characters", s.Namespace, s.Option)
			}
			if len(s.Value) > 256 {
				bad("%s %s: value longer than 256 characters", s.Namespace, s.Option)
			}
			if s.Namespace == secretsNamespace {
				if err := secretRef(s.Value); err != nil {
					bad("%s %s: %v", s.Namespace, s.Option, err)
				}
			}
			continue
		case staticNamespace:
			if err := path(s.Option); err != nil {
				bad("%s: URL path %q %v", s.Namespace, s.Option, err)
			}
			continue
		}
		opts, ok := lookupNamespace(table, s.Namespace)
		if !ok {
			bad("unknown namespace %q", s.Namespace)
			continue
		}
		v, ok := opts[s.Option]
		if !ok {
			bad("unknown option %q in namespace %s", s.Option, s.Namespace)
			continue
		}
		if err := v(s.Value); err != nil {
			bad("%s %s = %q: %v", s.Namespace, s.Option, s.Value, err)
		}
		if s.Namespace == ScheduledActionNamespace && s.Resource == "" {
			bad("%s %s: scheduled actions need a resource name (Name.%s or resource_name)", s.Namespace, s.Option, s.Namespace)
		}
		if s.Namespace == "aws:elasticbeanstalk:environment" && s.Option == "LoadBalancerType" {
			// Reference §4.1: creation-time only, and the docs disagree on
			// whether .ebextensions may set it at all.
			bad("LoadBalancerType is creation-time only; set it in env.yaml, not .ebextensions")
		}
	}
	return probs
}

// Effective resolves the settings of all files into the value that wins
// for each resource/namespace/option: files are applied in alphabetical
// order, later files overriding earlier ones (reference §2.1).
func Effective(settings []Setting) map[string]Setting {
	out := map[string]Setting{}
	for _, s := range settings {
		out[settingKey(s.Resource, s.Namespace, s.Option)] = s
	}
	return out
}

func settingKey(resource, ns, option string) string {
	return resource + "|" + ns + "|" + option
}

// CheckSettings applies the rules that span options and files: the trigger
// timing identity, size bounds, sqsd timeouts, the environment size limit and
// unique scheduled-action start times.
func CheckSettings(settings []Setting) []Problem {
	eff := Effective(settings)
	var probs []Problem
	get := func(ns, opt string, def int) (int, Setting) {
		s, ok := eff[settingKey("", ns, opt)]
		if !ok {
			return def, Setting{}
		}
		n, _ := strconv.Atoi(s.Value)
		return n, s
	}
	at := func(ss ...Setting) (string, int) {
		for _, s := range ss {
			if s.Path != "" {
				return s.Path, s.Line
			}
		}
		return "(defaults)", 0
	}
	add := func(ss []Setting, format string, args ...any) {
		p, l := at(ss...)
		probs = append(probs, Problem{Path: p, Line: l, Msg: fmt.Sprintf(format, args...)})
	}

	// Reference §3.1: BreachDuration = Period × EvaluationPeriods, or EB
	// rewrites one of them. Defaults 5 / 1 / 5.
	const trig = "aws:autoscaling:trigger"
	period, ps := get(trig, "Period", 5)
	evals, es := get(trig, "EvaluationPeriods", 1)
	breach, bs := get(trig, "BreachDuration", 5)
	if breach != period*evals {
		add([]Setting{bs, ps, es}, "%s: BreachDuration %d min must equal Period %d min × EvaluationPeriods %d", trig, breach, period, evals)
	}

	minSize, mins := get("aws:autoscaling:asg", "MinSize", 1)
	maxSize, maxs := get("aws:autoscaling:asg", "MaxSize", 4)
	if minSize > maxSize {
		add([]Setting{mins, maxs}, "aws:autoscaling:asg: MinSize %d is above MaxSize %d", minSize, maxSize)
	}

	vis, vs := get("aws:elasticbeanstalk:sqsd", "VisibilityTimeout", 300)
	inact, is := get("aws:elasticbeanstalk:sqsd", "InactivityTimeout", 299)
	if (vs.Path != "" || is.Path != "") && vis <= inact {
		add([]Setting{vs, is}, "aws:elasticbeanstalk:sqsd: VisibilityTimeout %d must exceed InactivityTimeout %d", vis, inact)
	}

	// Reference §6: all key=value pairs together at most 4096 bytes.
	total := 0
	var last Setting
	for _, s := range eff {
		if s.Namespace == envNamespace {
			total += len(s.Option) + 1 + len(s.Value)
			last = s
		}
	}
	if total > 4096 {
		add([]Setting{last}, "environment properties total %d bytes, above the 4096-byte limit", total)
	}

	// Scheduled actions: per resource, min ≤ max, and StartTime unique
	// across all of them (reference §3.3).
	type action struct {
		min, max, desired *int
		start             Setting
	}
	actions := map[string]*action{}
	var order []string
	for _, s := range eff {
		if s.Namespace != ScheduledActionNamespace {
			continue
		}
		a := actions[s.Resource]
		if a == nil {
			a = &action{}
			actions[s.Resource] = a
			order = append(order, s.Resource)
		}
		n, _ := strconv.Atoi(s.Value)
		switch s.Option {
		case "MinSize":
			a.min = &n
		case "MaxSize":
			a.max = &n
		case "DesiredCapacity":
			a.desired = &n
		case "StartTime":
			a.start = s
		}
	}
	sort.Strings(order)
	if len(order) > MaxScheduledActions {
		probs = append(probs, Problem{Path: "(all files)", Msg: fmt.Sprintf("%d scheduled actions, above Auto Scaling's %d per group", len(order), MaxScheduledActions)})
	}
	starts := map[string]string{}
	for _, name := range order {
		a := actions[name]
		if a.min != nil && a.max != nil && *a.min > *a.max {
			add([]Setting{a.start}, "scheduled action %s: MinSize %d above MaxSize %d", name, *a.min, *a.max)
		}
		if a.desired != nil && ((a.min != nil && *a.desired < *a.min) || (a.max != nil && *a.desired > *a.max)) {
			add([]Setting{a.start}, "scheduled action %s: DesiredCapacity %d outside MinSize..MaxSize", name, *a.desired)
		}
		if a.start.Value == "" {
			continue
		}
		if other, dup := starts[a.start.Value]; dup {
			add([]Setting{a.start}, "scheduled actions %s and %s share StartTime %s; it must be unique", other, name, a.start.Value)
		}
		starts[a.start.Value] = name
	}
	sort.Slice(probs, func(i, j int) bool { return probs[i].String() < probs[j].String() })
	return probs
}

// procfileLine is the Procfile line format of reference §1.2.
var procfileLine = regexp.MustCompile(`^[A-Za-z0-9_-]+:\s*[^\s].*$`)

// CheckProcfile checks the Procfile: one `name: command` per line, names
// unique, and `web` first because EB only routes traffic to it (§1.2).
func CheckProcfile(path string, data []byte) []Problem {
	var probs []Problem
	if bytes.Contains(data, []byte("\r")) {
		probs = append(probs, Problem{Path: path, Msg: "CRLF line endings"})
	}
	seen := map[string]bool{}
	first := true
	for i, line := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		if !procfileLine.MatchString(line) {
			probs = append(probs, Problem{Path: path, Line: i + 1, Msg: fmt.Sprintf("%q does not match <name>: <command>", line)})
			continue
		}
		name := line[:strings.Index(line, ":")]
		if first && name != "web" {
			probs = append(probs, Problem{Path: path, Line: i + 1, Msg: fmt.Sprintf("first process is %q; the main process must be named web and come first", name)})
		}
		if seen[name] {
			probs = append(probs, Problem{Path: path, Line: i + 1, Msg: fmt.Sprintf("process %q defined twice", name)})
		}
		seen[name] = true
		first = false
	}
	if first {
		probs = append(probs, Problem{Path: path, Msg: "no process defined"})
	}
	return probs
}

// hookStages are the hook directories EB runs (reference §1.5).
var hookStages = map[string]bool{"prebuild": true, "predeploy": true, "postdeploy": true}

// CheckPlatform checks .platform under root: hooks sit in a known stage, are
// executable `#!` scripts with LF endings; nginx snippets end in .conf.
func CheckPlatform(root string) ([]Problem, error) {
	var probs []Problem
	base := filepath.Join(root, ".platform")
	err := filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		parts := strings.Split(rel, "/")
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		bad := func(format string, args ...any) {
			probs = append(probs, Problem{Path: rel, Msg: fmt.Sprintf(format, args...)})
		}
		switch {
		case len(parts) >= 3 && (parts[1] == "hooks" || parts[1] == "confighooks"):
			if len(parts) != 4 || !hookStages[parts[2]] {
				bad("hooks must be files in %s/{prebuild,predeploy,postdeploy}/", parts[1])
				return nil
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			if info.Mode().Perm()&0o111 == 0 {
				bad("hook is not executable (chmod +x and git update-index --chmod=+x)")
			}
			if !bytes.HasPrefix(data, []byte("#!")) {
				bad("hook has no #! line")
			}
			if bytes.Contains(data, []byte("\r")) {
				bad("hook has CRLF line endings")
			}
		case len(parts) >= 3 && parts[1] == "nginx":
			if parts[2] == "conf.d" && !strings.HasSuffix(p, ".conf") {
				bad("nginx only includes conf.d/*.conf; this file is ignored")
			}
			if bytes.Contains(data, []byte("\r")) {
				bad("CRLF line endings")
			}
		}
		return nil
	})
	return probs, err
}

// Bundle is the parsed deployable part of a source tree.
type Bundle struct {
	Configs  []*Config
	Settings []Setting
}

// CheckBundle runs every offline check on the bundle files under root.
func CheckBundle(root string) (*Bundle, []Problem, error) {
	b := &Bundle{}
	var probs []Problem
	entries, err := os.ReadDir(filepath.Join(root, ".ebextensions"))
	if err != nil {
		return nil, nil, err
	}
	// ReadDir sorts by name, which is EB's processing order (reference §2.1).
	for _, e := range entries {
		rel := ".ebextensions/" + e.Name()
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".config") {
			probs = append(probs, Problem{Path: rel, Msg: "EB only reads .ebextensions/*.config files"})
			continue
		}
		data, err := os.ReadFile(filepath.Join(root, rel))
		if err != nil {
			return nil, nil, err
		}
		c, ps := ParseConfig(rel, data)
		probs = append(probs, ps...)
		b.Configs = append(b.Configs, c)
		b.Settings = append(b.Settings, c.Settings...)
	}
	probs = append(probs, CheckSettings(b.Settings)...)

	proc, err := os.ReadFile(filepath.Join(root, "Procfile"))
	if err != nil {
		return nil, nil, err
	}
	probs = append(probs, CheckProcfile("Procfile", proc)...)

	ps, err := CheckPlatform(root)
	if err != nil {
		return nil, nil, err
	}
	probs = append(probs, ps...)
	return b, probs, nil
}

// Resources returns every CloudFormation resource of the bundle by name.
func (b *Bundle) Resources() map[string]map[string]any {
	out := map[string]map[string]any{}
	for _, c := range b.Configs {
		for k, v := range c.Resources {
			out[k] = v
		}
	}
	return out
}
