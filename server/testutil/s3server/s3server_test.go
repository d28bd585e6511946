package s3server

import (
	"context"
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
