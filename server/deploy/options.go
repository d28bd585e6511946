package deploy

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// validator checks one option value; it returns a reason when the value is
// not one Elastic Beanstalk accepts.
type validator func(string) error

// knownOptions is every option the bundle may set, per namespace, with the
// values Elastic Beanstalk accepts. It is transcribed from the reference; the
// section is given per namespace. Options absent here are reported as
// unknown: a misspelt option name is otherwise silently ignored by EB, or
// makes it ignore the whole file (reference §2.1).
func knownOptions() map[string]map[string]validator {
	return map[string]map[string]validator{
		// §3.1
		"aws:autoscaling:asg": {
			"MinSize":                   intRange(1, 10000),
			"MaxSize":                   intRange(1, 10000),
			"Availability Zones":        oneOf("Any", "Any 1", "Any 2", "Any 3"),
			"Cooldown":                  intRange(0, 10000),
			"Custom Availability Zones": nonEmpty,
			"EnableCapacityRebalancing": boolean,
		},
		// §3.1
		"aws:autoscaling:trigger": {
			"MeasureName": oneOf("CPUUtilization", "NetworkIn", "NetworkOut", "DiskWriteOps", "DiskReadBytes",
				"DiskReadOps", "DiskWriteBytes", "Latency", "RequestCount", "HealthyHostCount", "UnhealthyHostCount",
				"TargetResponseTime"),
			"Statistic":                 oneOf("Minimum", "Maximum", "Sum", "Average"),
			"Unit":                      oneOf("Seconds", "Percent", "Bytes", "Bits", "Count", "Bytes/Second", "Bits/Second", "Count/Second", "None"),
			"Period":                    intRange(1, 600),
			"EvaluationPeriods":         intRange(1, 600),
			"BreachDuration":            intRange(1, 600),
			"UpperThreshold":            numRange(0, 20000000),
			"LowerThreshold":            numRange(0, 20000000),
			"UpperBreachScaleIncrement": integer,
			"LowerBreachScaleIncrement": integer,
		},
		// §3.1, §3.4 (InstanceType is obsolete, superseded by aws:ec2:instances),
		// §6 (SecurityGroups for the database), §2.2 (DisableIMDSv1).
		"aws:autoscaling:launchconfiguration": {
			"MonitoringInterval":                  oneOf("1 minute", "5 minute"),
			"SecurityGroups":                      nonEmpty,
			"IamInstanceProfile":                  nonEmpty,
			"EC2KeyName":                          nonEmpty,
			"DisableIMDSv1":                       boolean,
			"LaunchTemplateTagPropagationEnabled": boolean,
		},
		// §3.3
		ScheduledActionNamespace: {
			"StartTime":       isoUTC,
			"EndTime":         isoUTC,
			"MinSize":         intRange(0, 10000),
			"MaxSize":         intRange(0, 10000),
			"DesiredCapacity": intRange(0, 10000),
			"Recurrence":      cron,
			"Suspend":         boolean,
		},
		// §3.4, §1.1
		"aws:ec2:instances": {
			"InstanceTypes":          listOf(1, 10, nonEmpty),
			"SupportedArchitectures": listOf(1, 3, oneOf("arm64", "x86_64", "i386")),
		},
		// §4.1 (LoadBalancerType is refused separately: creation-time only)
		"aws:elasticbeanstalk:environment": {
			"EnvironmentType":      oneOf("LoadBalanced", "SingleInstance"),
			"LoadBalancerType":     oneOf("classic", "application", "network"),
			"LoadBalancerIsShared": boolean,
			"ServiceRole":          nonEmpty,
		},
		// §4.2; the same table applies to aws:elasticbeanstalk:environment:process:<name>.
		"aws:elasticbeanstalk:environment:process:*": {
			"DeregistrationDelay":        intRange(0, 3600),
			"HealthCheckInterval":        intRange(5, 300),
			"HealthCheckPath":            path,
			"HealthCheckTimeout":         intRange(1, 60),
			"HealthyThresholdCount":      intRange(2, 10),
			"UnhealthyThresholdCount":    intRange(2, 10),
			"MatcherHTTPCode":            httpCodes,
			"Port":                       intRange(1, 65535),
			"Protocol":                   oneOf("HTTP", "HTTPS"),
			"StickinessEnabled":          boolean,
			"StickinessLBCookieDuration": intRange(1, 604800),
			"StickinessType":             oneOf("lb_cookie"),
		},
		// §4.3
		"aws:elbv2:listener:*": {
			"DefaultProcess":     nonEmpty,
			"ListenerEnabled":    boolean,
			"Protocol":           oneOf("HTTP", "HTTPS"),
			"Rules":              nonEmpty,
			"SSLCertificateArns": arn,
			"SSLPolicy":          nonEmpty,
		},
		"aws:elbv2:loadbalancer": {
			"IdleTimeout":          intRange(1, 3600),
			"AccessLogsS3Enabled":  boolean,
			"AccessLogsS3Bucket":   nonEmpty,
			"AccessLogsS3Prefix":   nonEmpty,
			"SecurityGroups":       nonEmpty,
			"ManagedSecurityGroup": nonEmpty,
			"IpAddressType":        oneOf("ipv4", "dualstack"),
			"SharedLoadBalancer":   nonEmpty,
		},
		"aws:elbv2:listenerrule:*": {
			"HostHeaders":  nonEmpty,
			"PathPatterns": nonEmpty,
			"Priority":     intRange(1, 1000),
			"Process":      nonEmpty,
		},
		// §4.4
		"aws:elasticbeanstalk:healthreporting:system": {
			"SystemType":                  oneOf("basic", "enhanced"),
			"HealthCheckSuccessThreshold": oneOf("Ok", "Warning", "Degraded", "Severe"),
			"EnhancedHealthAuthEnabled":   boolean,
			"ConfigDocument":              jsonDoc,
		},
		// §5.1
		"aws:elasticbeanstalk:command": {
			"DeploymentPolicy":  oneOf("AllAtOnce", "Rolling", "RollingWithAdditionalBatch", "Immutable", "TrafficSplitting"),
			"BatchSizeType":     oneOf("Percentage", "Fixed"),
			"BatchSize":         intRange(1, 10000),
			"Timeout":           intRange(1, 3600),
			"IgnoreHealthCheck": boolean,
		},
		"aws:elasticbeanstalk:trafficsplitting": {
			"NewVersionPercent": intRange(1, 100),
			"EvaluationTime":    intRange(3, 600),
		},
		"aws:autoscaling:updatepolicy:rollingupdate": {
			"RollingUpdateEnabled":  boolean,
			"RollingUpdateType":     oneOf("Time", "Health", "Immutable"),
			"MaxBatchSize":          intRange(1, 10000),
			"MinInstancesInService": intRange(0, 10000),
			"PauseTime":             isoDuration(0, time.Hour),
			"Timeout":               isoDuration(5*time.Minute, time.Hour),
		},
		// §9
		"aws:elasticbeanstalk:cloudwatch:logs": {
			"StreamLogs":        boolean,
			"DeleteOnTerminate": boolean,
			"RetentionInDays":   retentionDays,
		},
		"aws:elasticbeanstalk:cloudwatch:logs:health": {
			"HealthStreamingEnabled": boolean,
			"DeleteOnTerminate":      boolean,
			"RetentionInDays":        retentionDays,
		},
		// §8
		"aws:elasticbeanstalk:sqsd": {
			"WorkerQueueURL":         nonEmpty,
			"HttpPath":               path,
			"MimeType":               nonEmpty,
			"HttpConnections":        intRange(1, 100),
			"ConnectTimeout":         intRange(1, 60),
			"InactivityTimeout":      intRange(1, 36000),
			"VisibilityTimeout":      intRange(0, 43200),
			"ErrorVisibilityTimeout": intRange(0, 43200),
			"RetentionPeriod":        intRange(60, 1209600),
			"MaxRetries":             intRange(1, 100),
		},
	}
}

// Namespaces whose option names are free-form (checked by key pattern).
const (
	envNamespace     = "aws:elasticbeanstalk:application:environment"
	secretsNamespace = "aws:elasticbeanstalk:application:environmentsecrets"
	staticNamespace  = "aws:elasticbeanstalk:environment:proxy:staticfiles"
)

// lookupNamespace finds the options of ns, trying the wildcard forms for
// namespaces that end in a process, listener or rule name.
func lookupNamespace(table map[string]map[string]validator, ns string) (map[string]validator, bool) {
	if opts, ok := table[ns]; ok {
		return opts, true
	}
	if i := strings.LastIndex(ns, ":"); i > 0 && i < len(ns)-1 {
		if opts, ok := table[ns[:i]+":*"]; ok {
			return opts, true
		}
	}
	return nil, false
}

func oneOf(values ...string) validator {
	return func(v string) error {
		for _, ok := range values {
			if v == ok {
				return nil
			}
		}
		return fmt.Errorf("must be one of %s", strings.Join(values, ", "))
	}
}

func intRange(lo, hi int) validator {
	return func(v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < lo || n > hi {
			return fmt.Errorf("must be an integer from %d to %d", lo, hi)
		}
		return nil
	}
}

func numRange(lo, hi float64) validator {
	return func(v string) error {
		n, err := strconv.ParseFloat(v, 64)
		if err != nil || n < lo || n > hi {
			return fmt.Errorf("must be a number from %g to %g", lo, hi)
		}
		return nil
	}
}

func integer(v string) error {
	if _, err := strconv.Atoi(v); err != nil {
		return fmt.Errorf("must be an integer")
	}
	return nil
}

func boolean(v string) error {
	if v != "true" && v != "false" {
		return fmt.Errorf("must be true or false")
	}
	return nil
}

func nonEmpty(v string) error {
	if strings.TrimSpace(v) == "" {
		return fmt.Errorf("must not be empty")
	}
	return nil
}

func path(v string) error {
	if !strings.HasPrefix(v, "/") || strings.ContainsAny(v, " \t") {
		return fmt.Errorf("must be an absolute URL path such as /readyz")
	}
	return nil
}

func isoUTC(v string) error {
	if _, err := time.Parse(startTimeLayout, v); err != nil {
		return fmt.Errorf("must be an ISO 8601 UTC time such as 2026-11-21T14:30:00Z")
	}
	return nil
}

var cronField = regexp.MustCompile(`^[0-9*/,\-A-Za-z?LW#]+$`)

func cron(v string) error {
	f := strings.Fields(v)
	if len(f) != 5 {
		return fmt.Errorf("must be a five-field cron expression (UTC)")
	}
	for _, x := range f {
		if !cronField.MatchString(x) {
			return fmt.Errorf("cron field %q is not valid", x)
		}
	}
	return nil
}

// httpCodes accepts the ALB matcher forms: a code, a comma list or a range.
func httpCodes(v string) error {
	for _, part := range strings.Split(v, ",") {
		bounds := strings.SplitN(strings.TrimSpace(part), "-", 2)
		for _, b := range bounds {
			n, err := strconv.Atoi(b)
			if err != nil || n < 200 || n > 499 {
				return fmt.Errorf("must be HTTP codes from 200 to 499, comma separated")
			}
		}
	}
	return nil
}

func listOf(lo, hi int, each validator) validator {
	return func(v string) error {
		items := strings.Split(v, ",")
		if len(items) < lo || len(items) > hi {
			return fmt.Errorf("must list %d to %d comma-separated values", lo, hi)
		}
		for _, it := range items {
			if err := each(strings.TrimSpace(it)); err != nil {
				return fmt.Errorf("%q: %v", strings.TrimSpace(it), err)
			}
		}
		return nil
	}
}

func retentionDays(v string) error {
	return oneOf("1", "3", "5", "7", "14", "30", "60", "90", "120", "150", "180", "365", "400", "545", "731", "1827", "3653")(v)
}

func jsonDoc(v string) error {
	if !json.Valid([]byte(v)) {
		return fmt.Errorf("must be a JSON document")
	}
	return nil
}

var isoDurationRe = regexp.MustCompile(`^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$`)

func isoDuration(lo, hi time.Duration) validator {
	return func(v string) error {
		m := isoDurationRe.FindStringSubmatch(v)
		if m == nil || v == "PT" {
			return fmt.Errorf("must be an ISO 8601 duration such as PT5M")
		}
		var d time.Duration
		for i, unit := range []time.Duration{time.Hour, time.Minute, time.Second} {
			if m[i+1] != "" {
				n, _ := strconv.Atoi(m[i+1])
				d += time.Duration(n) * unit
			}
		}
		if d < lo || d > hi {
			return fmt.Errorf("must be between %s and %s", lo, hi)
		}
		return nil
	}
}

// arnRe matches the ARNs the bundle uses. Region and account may be the
// ${AWS_REGION}/${AWS_ACCOUNT_ID} placeholders that scripts/bundle.sh fills in.
var arnRe = regexp.MustCompile(`^arn:aws[a-z-]*:[a-z0-9-]+:[^:\s]*:[^:\s]*:\S+$`)

func arn(v string) error {
	for _, a := range strings.Split(v, ",") {
		if !arnRe.MatchString(strings.TrimSpace(a)) {
			return fmt.Errorf("must be an ARN")
		}
	}
	return nil
}

// secretRef accepts what environmentsecrets allows: a Secrets Manager secret
// (optionally with a top-level JSON key) or an SSM parameter (reference §6).
var secretRe = regexp.MustCompile(`^arn:aws[a-z-]*:(secretsmanager:[^:\s]+:[^:\s]+:secret:[^:\s]+(:[^:\s]+)?|ssm:[^:\s]+:[^:\s]+:parameter/\S+)$`)

func secretRef(v string) error {
	if !secretRe.MatchString(v) {
		return fmt.Errorf("must be a Secrets Manager secret ARN (optionally :jsonkey) or an SSM parameter ARN")
	}
	return nil
}

// envKeyRe is the portable environment property name (reference §6).
var envKeyRe = regexp.MustCompile(`^[A-Z_][A-Z0-9_]*$`)
