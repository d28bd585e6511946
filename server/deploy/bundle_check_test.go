package deploy

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/betcity/betcity/server/config"
)

// repoRoot finds the module root by walking up to go.mod, so the test checks
// the files that will really be bundled.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test directory")
		}
		dir = parent
	}
}

func loadBundle(t *testing.T) (string, *Bundle) {
	t.Helper()
	root := repoRoot(t)
	b, probs, err := CheckBundle(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range probs {
		t.Errorf("bundle check: %s", p)
	}
	if len(b.Configs) == 0 {
		t.Fatal("no .ebextensions/*.config found")
	}
	return root, b
}

func TestBundlePassesOfflineCheck(t *testing.T) {
	loadBundle(t)
}

// value returns the effective value of an option, failing when it is unset:
// every rule below is one we set on purpose, not a default we rely on.
func value(t *testing.T, b *Bundle, ns, opt string) string {
	t.Helper()
	s, ok := Effective(b.Settings)[settingKey("", ns, opt)]
	if !ok {
		t.Fatalf("%s %s is not set in .ebextensions", ns, opt)
	}
	return s.Value
}

func TestBundleScalingMatchesSeedRule(t *testing.T) {
	_, b := loadBundle(t)

	if got := value(t, b, "aws:autoscaling:asg", "MinSize"); got != strconv.Itoa(BaselineMinSize) {
		t.Errorf("MinSize = %s, want %d", got, BaselineMinSize)
	}
	if got := value(t, b, "aws:autoscaling:asg", "MaxSize"); got != strconv.Itoa(BaselineMaxSize) {
		t.Errorf("MaxSize = %s, want %d", got, BaselineMaxSize)
	}
	if BaselineMinSize != 1 || BaselineMaxSize != 4 {
		t.Errorf("baseline %d..%d, the seed asks for 1..4", BaselineMinSize, BaselineMaxSize)
	}
	if got := value(t, b, "aws:autoscaling:launchconfiguration", "MonitoringInterval"); got != "1 minute" {
		t.Errorf("MonitoringInterval = %q; 60-second alarms need 1-minute metrics", got)
	}

	res := b.Resources()
	// EB's own alarms must be inert, or they would scale on their single
	// shared period next to ours (reference §3.2).
	for _, name := range []string{"AWSEBCloudwatchAlarmHigh", "AWSEBCloudwatchAlarmLow"} {
		r, ok := res[name]
		if !ok {
			t.Errorf("%s is not overridden", name)
			continue
		}
		props, _ := r["Properties"].(map[string]any)
		actions, ok := props["AlarmActions"].([]any)
		if !ok || len(actions) != 0 {
			t.Errorf("%s AlarmActions = %v, want []", name, props["AlarmActions"])
		}
	}

	type rule struct {
		adjustment int
		threshold  float64
		operator   string
		window     time.Duration
	}
	want := map[int]rule{
		+1: {+1, 90, "GreaterThanThreshold", 3 * time.Minute},
		-1: {-1, 5, "LessThanThreshold", 10 * time.Minute},
	}
	found := map[int]bool{}
	for name, r := range res {
		if r["Type"] != "AWS::CloudWatch::Alarm" {
			continue
		}
		props, _ := r["Properties"].(map[string]any)
		if props["MetricName"] == nil {
			continue
		}
		actions, _ := props["AlarmActions"].([]any)
		if len(actions) != 1 {
			t.Errorf("%s: want exactly one alarm action, got %v", name, actions)
			continue
		}
		policyName := ref(actions[0])
		policy, ok := res[policyName]
		if !ok || policy["Type"] != "AWS::AutoScaling::ScalingPolicy" {
			t.Errorf("%s: action %v is not a scaling policy in the bundle", name, actions[0])
			continue
		}
		pp, _ := policy["Properties"].(map[string]any)
		if ref(pp["AutoScalingGroupName"]) != "AWSEBAutoScalingGroup" {
			t.Errorf("%s: AutoScalingGroupName = %v, want Ref AWSEBAutoScalingGroup", policyName, pp["AutoScalingGroupName"])
		}
		if pp["AdjustmentType"] != "ChangeInCapacity" {
			t.Errorf("%s: AdjustmentType = %v, want ChangeInCapacity", policyName, pp["AdjustmentType"])
		}
		adj, _ := asInt(pp["ScalingAdjustment"])
		w, ok := want[adj]
		if !ok {
			t.Errorf("%s: ScalingAdjustment %d, the seed rule only steps by one", policyName, adj)
			continue
		}
		found[adj] = true
		period, _ := asInt(props["Period"])
		evals, _ := asInt(props["EvaluationPeriods"])
		threshold, _ := asFloat(props["Threshold"])
		if got := time.Duration(period*evals) * time.Second; got != w.window {
			t.Errorf("%s: Period %d s × EvaluationPeriods %d = %s, want %s", name, period, evals, got, w.window)
		}
		if dp, ok := asInt(props["DatapointsToAlarm"]); ok && dp != evals {
			t.Errorf("%s: DatapointsToAlarm %d != EvaluationPeriods %d; the rule is 'for the whole window'", name, dp, evals)
		}
		if threshold != w.threshold || props["ComparisonOperator"] != w.operator {
			t.Errorf("%s: %v %v, want %v %v", name, props["ComparisonOperator"], threshold, w.operator, w.threshold)
		}
		if props["Namespace"] != "AWS/EC2" || props["MetricName"] != "CPUUtilization" || props["Statistic"] != "Average" {
			t.Errorf("%s: metric %v/%v %v, want AWS/EC2/CPUUtilization Average", name, props["Namespace"], props["MetricName"], props["Statistic"])
		}
		dims, _ := props["Dimensions"].([]any)
		if len(dims) != 1 || ref(dims[0].(map[string]any)["Value"]) != "AWSEBAutoScalingGroup" {
			t.Errorf("%s: Dimensions %v, want AutoScalingGroupName = Ref AWSEBAutoScalingGroup", name, dims)
		}
	}
	if !found[+1] || !found[-1] {
		t.Errorf("scale-out alarm found: %v, scale-in alarm found: %v", found[+1], found[-1])
	}
}

func ref(v any) string {
	m, _ := v.(map[string]any)
	s, _ := m["Ref"].(string)
	return s
}

func TestBundleHealthCheckAndDrain(t *testing.T) {
	_, b := loadBundle(t)
	const proc = "aws:elasticbeanstalk:environment:process:default"
	if got := value(t, b, proc, "HealthCheckPath"); got != "/readyz" {
		t.Errorf("HealthCheckPath = %q, want /readyz", got)
	}
	if got := value(t, b, proc, "MatcherHTTPCode"); got != "200" {
		t.Errorf("MatcherHTTPCode = %q, want 200 (/readyz answers 503 when the DB is down)", got)
	}

	// The drain time must match how long the app takes to shut down: read
	// the app's own default rather than repeating "20s" here.
	cfg, err := config.Load(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	delay, err := strconv.Atoi(value(t, b, proc, "DeregistrationDelay"))
	if err != nil {
		t.Fatal(err)
	}
	if got := time.Duration(delay) * time.Second; got != cfg.ShutdownTimeout {
		t.Errorf("DeregistrationDelay %s != app default shutdown timeout %s", got, cfg.ShutdownTimeout)
	}
	env, err := time.ParseDuration(value(t, b, envNamespace, "BETCITY_SHUTDOWN_TIMEOUT"))
	if err != nil || env != cfg.ShutdownTimeout {
		t.Errorf("BETCITY_SHUTDOWN_TIMEOUT = %v (%v), want %s", env, err, cfg.ShutdownTimeout)
	}
	if got := value(t, b, envNamespace, "PORT"); got != strconv.Itoa(cfg.Port) {
		t.Errorf("PORT = %s, app default %d; nginx proxies to 5000", got, cfg.Port)
	}
}

func TestBundleDeploymentSettings(t *testing.T) {
	_, b := loadBundle(t)
	checks := []struct{ ns, opt, want string }{
		{"aws:elasticbeanstalk:command", "DeploymentPolicy", "RollingWithAdditionalBatch"},
		{"aws:elasticbeanstalk:healthreporting:system", "SystemType", "enhanced"},
		{"aws:elasticbeanstalk:cloudwatch:logs", "StreamLogs", "true"},
		{"aws:ec2:instances", "SupportedArchitectures", "x86_64"}, // bundle.sh builds GOARCH=amd64
		{envNamespace, "BETCITY_MIGRATE_ON_START", "false"},
	}
	for _, c := range checks {
		if got := value(t, b, c.ns, c.opt); got != c.want {
			t.Errorf("%s %s = %q, want %q", c.ns, c.opt, got, c.want)
		}
	}
	// Secrets must come from environmentsecrets, never as plain properties.
	for _, s := range b.Settings {
		if s.Namespace == envNamespace && regexp.MustCompile(`SECRET|PASSWORD`).MatchString(s.Option) {
			t.Errorf("%s:%d: %s is a secret set as a plain environment property", s.Path, s.Line, s.Option)
		}
	}
	if got := value(t, b, secretsNamespace, "BETCITY_JWT_SECRET"); got == "" {
		t.Error("BETCITY_JWT_SECRET has no secret reference")
	}

	var migrate []string
	for _, c := range b.Configs {
		for name, cmd := range c.ContainerCommands {
			if cmd["leader_only"] == true && strings.Contains(cmd["command"].(string), "bin/betcity migrate") {
				migrate = append(migrate, c.Path+" "+name)
			}
		}
	}
	if len(migrate) != 1 {
		t.Errorf("want exactly one leader_only `bin/betcity migrate` container command, got %v", migrate)
	}
}

func TestProcfileRunsTheBinary(t *testing.T) {
	root := repoRoot(t)
	data, err := os.ReadFile(filepath.Join(root, "Procfile"))
	if err != nil {
		t.Fatal(err)
	}
	first, _, _ := strings.Cut(string(data), "\n")
	if first != "web: bin/betcity serve" {
		t.Errorf("Procfile first line = %q", first)
	}
}

func TestNginxBodySizeAboveUploadLimit(t *testing.T) {
	root := repoRoot(t)
	data, err := os.ReadFile(filepath.Join(root, ".platform/nginx/conf.d/10-upload-size.conf"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s*client_max_body_size\s+(\d+)([kKmM]?);`).FindSubmatch(data)
	if m == nil {
		t.Fatal("no client_max_body_size directive")
	}
	n, _ := strconv.Atoi(string(m[1]))
	switch strings.ToLower(string(m[2])) {
	case "k":
		n <<= 10
	case "m":
		n <<= 20
	}
	const uploadLimit = 5 << 20
	if n <= uploadLimit {
		t.Errorf("client_max_body_size %d bytes is not above the 5 MB upload limit", n)
	}
}

// TestHooksAreExecutableInGit checks the mode git will give a clean clone,
// which is what bundle.sh zips there; the disk mode is checked by
// CheckPlatform.
func TestHooksAreExecutableInGit(t *testing.T) {
	root := repoRoot(t)
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatal("git is needed to read the index modes of the hooks")
	}
	var hooks []string
	for _, tree := range []string{"hooks", "confighooks"} {
		m, _ := filepath.Glob(filepath.Join(root, ".platform", tree, "*", "*"))
		hooks = append(hooks, m...)
	}
	if len(hooks) == 0 {
		t.Fatal("no hooks found")
	}
	for _, h := range hooks {
		rel, _ := filepath.Rel(root, h)
		out, err := exec.Command("git", "-C", root, "ls-files", "-s", "--", rel).Output()
		if err != nil {
			t.Fatalf("git ls-files: %v", err)
		}
		fields := strings.Fields(string(out))
		if len(fields) == 0 {
			t.Errorf("%s is not tracked by git, so a clean clone would not bundle it", rel)
			continue
		}
		if fields[0] != "100755" {
			t.Errorf("%s has git mode %s, want 100755 (git update-index --chmod=+x)", rel, fields[0])
		}
	}
	// A script that must run for code and config deployments is kept as two
	// identical copies (reference §1.5).
	for _, name := range []string{"predeploy/01-check-binary.sh", "postdeploy/01-smoke.sh"} {
		a, errA := os.ReadFile(filepath.Join(root, ".platform/hooks", name))
		b, errB := os.ReadFile(filepath.Join(root, ".platform/confighooks", name))
		if errA != nil || errB != nil || !bytes.Equal(a, b) {
			t.Errorf("hooks/%s and confighooks/%s differ or are missing (%v, %v)", name, name, errA, errB)
		}
	}
}

func TestEnvManifest(t *testing.T) {
	root := repoRoot(t)
	data, err := os.ReadFile(filepath.Join(root, "env.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	for _, p := range duplicateKeys(&doc) {
		t.Errorf("env.yaml:%d: %s", p.Line, p.Msg)
	}
	var m struct {
		OptionSettings map[string]map[string]string `yaml:"OptionSettings"`
		Tags           map[string]string            `yaml:"Tags"`
	}
	if err := yaml.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	if got := m.OptionSettings["aws:elasticbeanstalk:environment"]["LoadBalancerType"]; got != "application" {
		t.Errorf("LoadBalancerType = %q, want application", got)
	}
	if m.Tags["Project"] != "BetCity" || m.Tags["CostCenter"] == "" {
		t.Errorf("Tags = %v, want Project=BetCity and a CostCenter", m.Tags)
	}
	// Reference §9: at most 47 tags in env.yaml (EB adds three).
	if len(m.Tags) > 47 {
		t.Errorf("%d tags, at most 47", len(m.Tags))
	}
	var settings []Setting
	for ns, opts := range m.OptionSettings {
		for k, v := range opts {
			settings = append(settings, Setting{Path: "env.yaml", Namespace: ns, Option: k, Value: v})
		}
	}
	for _, p := range checkOptions(settings) {
		if !strings.Contains(p.Msg, "creation-time only") { // env.yaml is where it belongs
			t.Errorf("%s", p)
		}
	}
}

// TestCheckerReportsBrokenConfig proves the checker can fail: each known
// mistake in testdata/broken.config must be reported.
func TestCheckerReportsBrokenConfig(t *testing.T) {
	data, err := os.ReadFile("testdata/broken.config")
	if err != nil {
		t.Fatal(err)
	}
	c, probs := ParseConfig("broken.config", data)
	probs = append(probs, CheckSettings(c.Settings)...)
	var all []string
	for _, p := range probs {
		all = append(all, p.String())
	}
	joined := strings.Join(all, "\n")
	for _, want := range []string{
		`duplicate key "option_settings"`,
		`unknown option "DeregistrationTimeout"`,
		`MeasureName = "CPUUtilisation"`,
		`BreachDuration 5 min must equal Period 1 min × EvaluationPeriods 3`,
		`MinSize 5 is above MaxSize 2`,
		`HealthCheckPath = "readyz"`,
		`RetentionInDays = "10"`,
		`unknown namespace "aws:elasticbeanstalk:container:golang:staticfiles"`,
		`BETCITY_JWT_SECRET: must be a Secrets Manager secret ARN`,
		`StartTime = "2026-11-21 14:30"`,
		`LoadBalancerType is creation-time only`,
		`leader_only and test are exclusive`,
		`mode must be a quoted six-digit octal string`,
		`Period 90 s must be 10, 20, 30 or a multiple of 60`,
		`DatapointsToAlarm 4 must be between 1 and EvaluationPeriods 3`,
		`ComparisonOperator must be one of`,
		`unknown top-level key "cron"`,
	} {
		if !strings.Contains(joined, want) {
			t.Errorf("checker did not report %q; it reported:\n%s", want, joined)
		}
	}
	// The duplicate is located on the second occurrence.
	for _, p := range probs {
		if strings.Contains(p.Msg, `duplicate key "option_settings"`) && p.Line != 25 {
			t.Errorf("duplicate reported at line %d, want 25", p.Line)
		}
	}
}

func TestCheckerRejectsInvalidYAMLAndTabs(t *testing.T) {
	_, probs := ParseConfig("x.config", []byte("option_settings:\n  aws:autoscaling:asg: {MinSize: '1'\n"))
	if len(probs) == 0 || !strings.Contains(probs[0].Msg, "invalid YAML") {
		t.Errorf("invalid YAML not reported: %v", probs)
	}
	_, probs = ParseConfig("x.config", []byte("option_settings:\n\taws:autoscaling:asg:\n"))
	if len(probs) == 0 || !strings.Contains(probs[0].Msg, "tab character") || probs[0].Line != 2 {
		t.Errorf("tab not reported on line 2: %v", probs)
	}
}

func TestCheckerListSyntaxAndDefaults(t *testing.T) {
	src := `option_settings:
  - option_name: BETCITY_LOG_LEVEL
    value: debug
  - namespace: aws:autoscaling:trigger
    option_name: Period
    value: '2'
  - namespace: aws:autoscaling:scheduledaction
    resource_name: Up1
    option_name: StartTime
    value: '2026-11-21T14:30:00Z'
  - namespace: aws:autoscaling:scheduledaction
    resource_name: Up2
    option_name: StartTime
    value: '2026-11-21T14:30:00Z'
`
	c, probs := ParseConfig("list.config", []byte(src))
	if len(probs) != 0 {
		t.Fatalf("unexpected problems: %v", probs)
	}
	if c.Settings[0].Namespace != envNamespace {
		t.Errorf("list item without namespace got %q, want the environment namespace", c.Settings[0].Namespace)
	}
	joined := ""
	for _, p := range CheckSettings(c.Settings) {
		joined += p.String() + "\n"
	}
	// Period 2 with the default EvaluationPeriods 1 and BreachDuration 5.
	if !strings.Contains(joined, "BreachDuration 5 min must equal Period 2 min × EvaluationPeriods 1") {
		t.Errorf("default-based breach mismatch not reported:\n%s", joined)
	}
	if !strings.Contains(joined, "share StartTime 2026-11-21T14:30:00Z") {
		t.Errorf("duplicate StartTime not reported:\n%s", joined)
	}
}

func TestCheckerProcfileAndHooks(t *testing.T) {
	probs := CheckProcfile("Procfile", []byte("worker: bin/betcity work\nweb bin/betcity serve\nworker: x\n"))
	joined := ""
	for _, p := range probs {
		joined += p.String() + "\n"
	}
	for _, want := range []string{`first process is "worker"`, `"web bin/betcity serve" does not match`, `process "worker" defined twice`} {
		if !strings.Contains(joined, want) {
			t.Errorf("Procfile problem %q not reported:\n%s", want, joined)
		}
	}
	if p := CheckProcfile("Procfile", []byte("web: bin/betcity serve\n")); len(p) != 0 {
		t.Errorf("valid Procfile reported: %v", p)
	}

	root := t.TempDir()
	write := func(rel, content string, mode os.FileMode) {
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), mode); err != nil {
			t.Fatal(err)
		}
	}
	write(".platform/hooks/predeploy/01-noexec.sh", "#!/bin/bash\ntrue\n", 0o644)
	write(".platform/hooks/predeploy/02-noshebang.sh", "true\n", 0o755)
	write(".platform/hooks/postdeploy/03-crlf.sh", "#!/bin/bash\r\ntrue\r\n", 0o755)
	write(".platform/hooks/afterdeploy/04-stage.sh", "#!/bin/bash\n", 0o755)
	write(".platform/nginx/conf.d/size.txt", "client_max_body_size 8M;\n", 0o644)
	probs, err := CheckPlatform(root)
	if err != nil {
		t.Fatal(err)
	}
	joined = ""
	for _, p := range probs {
		joined += p.String() + "\n"
	}
	for _, want := range []string{
		"01-noexec.sh: hook is not executable",
		"02-noshebang.sh: hook has no #! line",
		"03-crlf.sh: hook has CRLF line endings",
		"afterdeploy/04-stage.sh: hooks must be files in hooks/{prebuild,predeploy,postdeploy}/",
		"size.txt: nginx only includes conf.d/*.conf",
	} {
		if !strings.Contains(joined, want) {
			t.Errorf("platform problem %q not reported:\n%s", want, joined)
		}
	}
}
