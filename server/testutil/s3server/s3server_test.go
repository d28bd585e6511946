package s3server

import (
	"context"
	"os/exec"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// The helper itself must hand back a server that already has the bucket.
func TestStartCreatesBucket(t *testing.T) {
	s := Start(t)
	out, err := s.Client().ListBuckets(context.Background(), &s3.ListBucketsInput{})
	if err != nil {
		t.Fatalf("ListBuckets: %v", err)
	}
	if len(out.Buckets) != 1 || *out.Buckets[0].Name != s.Bucket {
		t.Fatalf("buckets = %+v, want only %q", out.Buckets, s.Bucket)
	}
}

// The fallback build path is only taken when a proxy refuses `go install`;
// prove it still works so that day is not the first time it runs.
func TestFallbackBuild(t *testing.T) {
	bin, err := buildTool(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	// The binary prints no real version, but its build info records the
	// module version it was built from.
	out, err := exec.Command("go", "version", "-m", bin).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "github.com/versity/versitygw\t"+Version) {
		t.Fatalf("built binary is not versitygw %s: %v\n%s", Version, err, out)
	}
}
