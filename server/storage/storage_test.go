package storage_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/betcity/betcity/server/apperr"
	"github.com/betcity/betcity/server/storage"
	"github.com/betcity/betcity/server/testutil/s3server"
)

// backend opens a fresh, empty store.
type backend func(t *testing.T) storage.Store

func fsBackend(t *testing.T) storage.Store {
	st, err := storage.Open(context.Background(), "file://"+filepath.ToSlash(t.TempDir())+"/uploads")
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// useTestCredentials points the AWS default chain at the test server's
// keys only; production code never sees anything but the default chain.
func useTestCredentials(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", s3server.AccessKey)
	t.Setenv("AWS_SECRET_ACCESS_KEY", s3server.SecretKey)
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_PROFILE", "")
	// Keep a developer's own ~/.aws out of the test.
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
}

func s3URL(srv *s3server.Server, prefix, extra string) string {
	return "s3://" + srv.Bucket + "/" + prefix + "?region=" + s3server.Region +
		"&endpoint=" + url.QueryEscape(srv.Endpoint) + extra
}

func TestFilesystemStore(t *testing.T) { runSuite(t, fsBackend) }

func TestS3Store(t *testing.T) {
	useTestCredentials(t)
	srv := s3server.Start(t)
	n := 0
	runSuite(t, func(t *testing.T) storage.Store {
		// One server, a fresh prefix per subtest keeps them independent.
		n++
		st, err := storage.Open(context.Background(), s3URL(srv, "t"+string(rune('a'+n)), ""))
		if err != nil {
			t.Fatal(err)
		}
		return st
	})
}

func put(t *testing.T, st storage.Store, key, body, ctype string) {
	t.Helper()
	if err := st.Put(context.Background(), key, strings.NewReader(body), int64(len(body)), ctype); err != nil {
		t.Fatalf("Put(%q): %v", key, err)
	}
}

func get(t *testing.T, st storage.Store, key string) (string, storage.Object) {
	t.Helper()
	rc, obj, err := st.Get(context.Background(), key)
	if err != nil {
		t.Fatalf("Get(%q): %v", key, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("read %q: %v", key, err)
	}
	return string(b), obj
}

func wantValidation(t *testing.T, err error) {
	t.Helper()
	if ae, ok := apperr.As(err); !ok || ae.Kind != apperr.KindValidation {
		t.Fatalf("err = %v, want a validation error", err)
	}
}

// runSuite is the contract every backend keeps; the HTTP layer relies on it.
func runSuite(t *testing.T, open backend) {
	ctx := context.Background()
	tests := []struct {
		name string
		run  func(t *testing.T, st storage.Store)
	}{
		{"round trip keeps bytes, size and type", func(t *testing.T, st storage.Store) {
			body := "\x89PNG not really, but bytes are bytes \x00\xff"
			put(t, st, "companies/7/avatars/abc.png", body, "image/png")
			got, obj := get(t, st, "companies/7/avatars/abc.png")
			if got != body {
				t.Fatalf("body = %q, want %q", got, body)
			}
			if obj.Key != "companies/7/avatars/abc.png" || obj.Size != int64(len(body)) || obj.ContentType != "image/png" {
				t.Fatalf("object = %+v", obj)
			}
			if obj.ETag == "" || !strings.HasPrefix(obj.ETag, `"`) {
				t.Fatalf("ETag = %q, want a quoted tag", obj.ETag)
			}
			if d := time.Since(obj.ModTime); d < -time.Minute || d > time.Minute {
				t.Fatalf("ModTime = %v, not about now", obj.ModTime)
			}
		}},
		{"content type follows the extension", func(t *testing.T, st storage.Store) {
			put(t, st, "a.jpg", "j", "image/jpeg")
			put(t, st, "b.webp", "w", "")
			put(t, st, "noext", "x", "")
			for key, want := range map[string]string{"a.jpg": "image/jpeg", "b.webp": "image/webp", "noext": "application/octet-stream"} {
				if _, obj := get(t, st, key); obj.ContentType != want {
					t.Errorf("%s: content type %q, want %q", key, obj.ContentType, want)
				}
			}
			err := st.Put(ctx, "c.png", strings.NewReader("x"), 1, "text/html")
			if err == nil {
				t.Fatal("Put accepted text/html for a .png key")
			}
		}},
		{"overwrite replaces content and ETag", func(t *testing.T, st storage.Store) {
			put(t, st, "logo.png", "first", "image/png")
			_, first := get(t, st, "logo.png")
			put(t, st, "logo.png", "other", "image/png") // same size on purpose
			got, second := get(t, st, "logo.png")
			if got != "other" {
				t.Fatalf("body = %q after overwrite", got)
			}
			if first.ETag == second.ETag {
				t.Fatalf("ETag %s did not change on overwrite", first.ETag)
			}
		}},
		{"size must match the body", func(t *testing.T, st storage.Store) {
			if err := st.Put(ctx, "short.png", strings.NewReader("abc"), 10, "image/png"); err == nil {
				t.Fatal("Put accepted 3 bytes announced as 10")
			}
			if err := st.Put(ctx, "long.png", strings.NewReader("abcdef"), 2, "image/png"); err == nil {
				t.Fatal("Put accepted 6 bytes announced as 2")
			}
			// A failed put leaves nothing behind.
			if _, _, err := st.Get(ctx, "short.png"); !errors.Is(err, storage.ErrNotFound) {
				t.Fatalf("Get after failed Put: %v", err)
			}
		}},
		{"delete removes", func(t *testing.T, st storage.Store) {
			put(t, st, "x/y.png", "data", "image/png")
			if err := st.Delete(ctx, "x/y.png"); err != nil {
				t.Fatal(err)
			}
			if _, _, err := st.Get(ctx, "x/y.png"); !errors.Is(err, storage.ErrNotFound) {
				t.Fatalf("Get after Delete: %v, want ErrNotFound", err)
			}
		}},
		{"delete missing is fine", func(t *testing.T, st storage.Store) {
			if err := st.Delete(ctx, "never/was.png"); err != nil {
				t.Fatalf("Delete missing: %v", err)
			}
		}},
		{"get missing is ErrNotFound (a 404 apperr)", func(t *testing.T, st storage.Store) {
			_, _, err := st.Get(ctx, "nope/nothing.png")
			if !errors.Is(err, storage.ErrNotFound) {
				t.Fatalf("err = %v, want ErrNotFound", err)
			}
			if ae, ok := apperr.As(err); !ok || ae.Kind != apperr.KindNotFound {
				t.Fatalf("err = %v, want apperr NotFound", err)
			}
		}},
		{"bad keys are refused everywhere", func(t *testing.T, st storage.Store) {
			for _, key := range []string{"", "../etc/passwd", "a/../../b.png", "/abs.png", "a//b.png", "a/./b.png",
				".hidden", "a/.tmp-123", `a\b.png`, "sp ace.png", "q?.png", "a/", strings.Repeat("k", 513)} {
				wantValidation(t, st.Put(ctx, key, strings.NewReader("x"), 1, ""))
				_, _, err := st.Get(ctx, key)
				wantValidation(t, err)
				wantValidation(t, st.Delete(ctx, key))
				_, err = st.URL(ctx, key)
				wantValidation(t, err)
			}
		}},
		{"URL is app-served by default", func(t *testing.T, st storage.Store) {
			u, err := st.URL(ctx, "companies/7/logo.png")
			if err != nil || u != "/media/companies/7/logo.png" {
				t.Fatalf("URL = %q, %v", u, err)
			}
		}},
		{"check round-trips a probe and cleans up", func(t *testing.T, st storage.Store) {
			if err := st.Check(ctx); err != nil {
				t.Fatalf("Check: %v", err)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, open(t)) })
	}
}

func TestS3PrefixAndPresignedURL(t *testing.T) {
	useTestCredentials(t)
	srv := s3server.Start(t)
	ctx := context.Background()
	st, err := storage.Open(ctx, s3URL(srv, "tenant-uploads/", "&presign=5m"))
	if err != nil {
		t.Fatal(err)
	}
	put(t, st, "companies/1/logo.png", "logo-bytes", "image/png")

	// The object really lives under the prefix in the bucket.
	out, err := srv.Client().HeadObject(ctx, &s3.HeadObjectInput{
		Bucket: aws.String(srv.Bucket), Key: aws.String("tenant-uploads/companies/1/logo.png")})
	if err != nil {
		t.Fatalf("object not under prefix: %v", err)
	}
	if aws.ToString(out.ContentType) != "image/png" {
		t.Fatalf("stored content type %q", aws.ToString(out.ContentType))
	}

	// A browser with no credentials can fetch the presigned URL.
	u, err := st.URL(ctx, "companies/1/logo.png")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(u, srv.Endpoint+"/") || !strings.Contains(u, "X-Amz-Expires=300") {
		t.Fatalf("URL = %q, want a 5-minute presigned URL on the server", u)
	}
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || string(body) != "logo-bytes" {
		t.Fatalf("GET presigned: %d %q", resp.StatusCode, body)
	}
	// And tampering with the key breaks the signature.
	resp2, err := http.Get(strings.Replace(u, "logo.png", "other.png", 1))
	if err != nil {
		t.Fatal(err)
	}
	resp2.Body.Close()
	if resp2.StatusCode != http.StatusForbidden {
		t.Fatalf("tampered presigned URL: status %d, want 403", resp2.StatusCode)
	}
}

func TestS3DownIsUnavailable(t *testing.T) {
	useTestCredentials(t)
	srv := s3server.Start(t)
	st, err := storage.Open(context.Background(), s3URL(srv, "", ""))
	if err != nil {
		t.Fatal(err)
	}
	put(t, st, "before.png", "ok", "image/png") // it works while up
	srv.Stop()

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for name, err := range map[string]error{
		"put": st.Put(ctx, "after.png", bytes.NewReader([]byte("x")), 1, "image/png"),
		"get": func() error { _, _, err := st.Get(ctx, "before.png"); return err }(),
	} {
		ae, ok := apperr.As(err)
		if !ok || ae.Kind != apperr.KindUnavailable || ae.Code != "storage_unavailable" {
			t.Errorf("%s with server down: %v, want apperr Unavailable storage_unavailable", name, err)
		}
	}
}

func TestOpenRejectsBadURLs(t *testing.T) {
	useTestCredentials(t)
	t.Setenv("AWS_REGION", "")
	t.Setenv("AWS_DEFAULT_REGION", "")
	for raw, want := range map[string]string{
		"":                                 "has no scheme",
		"/var/uploads":                     "has no scheme",
		"ftp://x/y":                        `unsupported scheme "ftp"`,
		"file://relative/path":             "absolute path",
		"file:///tmp/x?sync=1":             "takes no options",
		"s3:///prefix?region=eu-west-1":    "s3 URL needs a bucket",
		"s3://Bad_Bucket?region=eu-west-1": "not a valid S3 bucket name",
		"s3://bucket?region=mars":          `unknown region "mars"`,
		"s3://bucket":                      "needs ?region=",
		"s3://bucket?region=eu-west-1&x=1": `unknown s3 option "x"`,
		"s3://bucket?region=eu-west-1&presign=forever": "presign",
		"s3://bucket?region=eu-west-1&presign=720h":    "presign",
		"s3://bucket?endpoint=localhost:9000&region=x": "must be an http(s) URL",
		"s3://key:secret@bucket?region=eu-west-1":      "credentials",
		"s3://bucket/../x?region=eu-west-1":            "bad prefix",
	} {
		_, err := storage.Open(context.Background(), raw)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Open(%q) = %v, want error containing %q", raw, err, want)
			continue
		}
		if !strings.HasPrefix(err.Error(), "BETCITY_STORAGE: ") {
			t.Errorf("Open(%q) error %q does not name the setting", raw, err)
		}
	}
	// Good URLs open without touching the network.
	for _, raw := range []string{"s3://my-bucket/uploads?region=eu-west-1&presign=5m", "s3://b.c.d?region=x&endpoint=http://127.0.0.1:1"} {
		if _, err := storage.Open(context.Background(), raw); err != nil {
			t.Errorf("Open(%q): %v", raw, err)
		}
	}
}
