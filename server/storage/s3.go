package storage

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"io"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

type s3Store struct {
	client  *s3.Client
	presign *s3.PresignClient // nil unless presigned redirects are on
	bucket  string
	prefix  string // "" or ends with "/"
	expires time.Duration
}

var (
	bucketRe = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
	regionRe = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)
)

// The longest expiry SigV4 allows is 7 days; a presigned avatar URL should
// live minutes, but we only refuse what S3 itself would refuse.
const maxPresign = 7 * 24 * time.Hour

// openS3 parses s3://bucket/prefix?region=eu-west-1&endpoint=...&presign=5m.
// Credentials are never in the URL: they come from the default AWS chain
// (env, shared config, ECS/EC2 role), so the URL can be logged safely.
func openS3(ctx context.Context, u *url.URL) (Store, error) {
	if u.User != nil {
		return nil, errors.New("BETCITY_STORAGE: do not put credentials in the s3 URL; they come from the AWS default chain (env, profile, instance role)")
	}
	if u.Host == "" {
		return nil, errors.New("BETCITY_STORAGE: s3 URL needs a bucket, e.g. s3://my-bucket/uploads?region=eu-west-1")
	}
	if !bucketRe.MatchString(u.Host) || strings.Contains(u.Host, "..") {
		return nil, fmt.Errorf("BETCITY_STORAGE: %q is not a valid S3 bucket name (3-63 lowercase letters, digits, '.', '-')", u.Host)
	}
	s := &s3Store{bucket: u.Host}
	if p := strings.Trim(u.Path, "/"); p != "" {
		if err := ValidateKey(p); err != nil {
			return nil, fmt.Errorf("BETCITY_STORAGE: bad prefix %q: %w", p, err)
		}
		s.prefix = p + "/"
	}

	q := u.Query()
	for k := range q {
		switch k {
		case "region", "endpoint", "presign":
		default:
			return nil, fmt.Errorf("BETCITY_STORAGE: unknown s3 option %q (known: region, endpoint, presign)", k)
		}
	}
	region, endpoint := q.Get("region"), q.Get("endpoint")
	if endpoint != "" {
		eu, err := url.Parse(endpoint)
		if err != nil || (eu.Scheme != "http" && eu.Scheme != "https") || eu.Host == "" {
			return nil, fmt.Errorf("BETCITY_STORAGE: endpoint %q must be an http(s) URL such as http://127.0.0.1:7070", endpoint)
		}
	}
	// S3-compatible servers accept made-up regions; AWS does not.
	if region != "" && endpoint == "" && !regionRe.MatchString(region) {
		return nil, fmt.Errorf("BETCITY_STORAGE: unknown region %q (expected something like eu-west-1)", region)
	}
	if p := q.Get("presign"); p != "" {
		d, err := time.ParseDuration(p)
		if err != nil || d < time.Second || d > maxPresign {
			return nil, fmt.Errorf("BETCITY_STORAGE: presign=%q must be a duration between 1s and 168h, e.g. 5m", p)
		}
		s.expires = d
	}

	var opts []func(*config.LoadOptions) error
	if region != "" {
		opts = append(opts, config.WithRegion(region))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("BETCITY_STORAGE: load AWS config: %w", err)
	}
	if cfg.Region == "" {
		return nil, errors.New("BETCITY_STORAGE: s3 URL needs ?region=... (or set AWS_REGION)")
	}
	s.client = s3.NewFromConfig(cfg, func(o *s3.Options) {
		// An upload is a person waiting in front of a form: two quick tries,
		// then a clean 503, rather than the SDK's default three tries with
		// backoff of up to 20 s.
		o.Retryer = retry.AddWithMaxBackoffDelay(retry.AddWithMaxAttempts(retry.NewStandard(), 2), 500*time.Millisecond)
		if endpoint != "" {
			// S3-compatible servers (MinIO, versitygw, ...) rarely have
			// wildcard DNS for virtual-hosted buckets.
			o.BaseEndpoint = aws.String(endpoint)
			o.UsePathStyle = true
		}
	})
	if s.expires > 0 {
		s.presign = s3.NewPresignClient(s.client)
	}
	return s, nil
}

func (s *s3Store) Put(ctx context.Context, key string, body io.Reader, size int64, contentType string) error {
	if err := checkPut(key, size, contentType); err != nil {
		return err
	}
	// SigV4 over plain HTTP has to hash the payload before sending, which
	// needs a seekable body. Uploads here are small, already-processed
	// images, so buffering a plain reader is cheaper than multipart logic.
	rs, ok := body.(io.ReadSeeker)
	if !ok {
		buf, err := io.ReadAll(io.LimitReader(body, size+1))
		if err != nil {
			return fmt.Errorf("storage: put %s: read body: %w", key, err)
		}
		rs = bytes.NewReader(buf)
	}
	// A short or long body would otherwise surface as an opaque SDK error.
	n, err := remaining(rs)
	if err != nil {
		return fmt.Errorf("storage: put %s: seek body: %w", key, err)
	}
	if n != size {
		return fmt.Errorf("storage: put %s: body has %d bytes, want %d", key, n, size)
	}
	_, err = s.client.PutObject(ctx, &s3.PutObjectInput{
		Bucket:        aws.String(s.bucket),
		Key:           aws.String(s.prefix + key),
		Body:          rs,
		ContentLength: aws.Int64(size),
		ContentType:   aws.String(typeForKey(key)),
	})
	if err != nil {
		return unavailable("put", key, err)
	}
	return nil
}

func (s *s3Store) Get(ctx context.Context, key string) (io.ReadCloser, Object, error) {
	if err := ValidateKey(key); err != nil {
		return nil, Object{}, err
	}
	out, err := s.client.GetObject(ctx, &s3.GetObjectInput{
		Bucket: aws.String(s.bucket),
		Key:    aws.String(s.prefix + key),
	})
	if err != nil {
		if isNotFound(err) {
			return nil, Object{}, ErrNotFound
		}
		return nil, Object{}, unavailable("get", key, err)
	}
	return out.Body, Object{
		Key:         key,
		ContentType: aws.ToString(out.ContentType),
		ETag:        aws.ToString(out.ETag),
		Size:        aws.ToInt64(out.ContentLength),
		ModTime:     aws.ToTime(out.LastModified),
	}, nil
}

func isNotFound(err error) bool {
	var nsk *types.NoSuchKey
	if errors.As(err, &nsk) {
		return true
	}
	var api smithy.APIError
	return errors.As(err, &api) && (api.ErrorCode() == "NoSuchKey" || api.ErrorCode() == "NotFound")
}

func (s *s3Store) Delete(ctx context.Context, key string) error {
	if err := ValidateKey(key); err != nil {
		return err
	}
	// S3 answers 204 for a missing key too, which is the contract we want.
	_, err := s.client.DeleteObject(ctx, &s3.DeleteObjectInput{
		Bucket: aws.String(s.bucket),
		Key:    aws.String(s.prefix + key),
	})
	if err != nil && !isNotFound(err) {
		return unavailable("delete", key, err)
	}
	return nil
}

// URL presigns locally (no network call) when redirects are on, so the
// browser downloads straight from S3 and the app never proxies the bytes.
func (s *s3Store) URL(ctx context.Context, key string) (string, error) {
	if err := ValidateKey(key); err != nil {
		return "", err
	}
	if s.presign == nil {
		return MediaPrefix + key, nil
	}
	req, err := s.presign.PresignGetObject(ctx, &s3.GetObjectInput{
		Bucket: aws.String(s.bucket),
		Key:    aws.String(s.prefix + key),
	}, s3.WithPresignExpires(s.expires))
	if err != nil {
		return "", unavailable("presign", key, err)
	}
	return req.URL, nil
}

func (s *s3Store) Check(ctx context.Context) error { return check(ctx, s) }

// remaining is how many bytes rs holds from its current position, which
// it leaves unchanged.
func remaining(rs io.Seeker) (int64, error) {
	cur, err := rs.Seek(0, io.SeekCurrent)
	if err != nil {
		return 0, err
	}
	end, err := rs.Seek(0, io.SeekEnd)
	if err != nil {
		return 0, err
	}
	_, err = rs.Seek(cur, io.SeekStart)
	return end - cur, err
}
