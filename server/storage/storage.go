// Package storage keeps uploaded files (avatars, company logos) where every
// instance of the server can reach them: a shared filesystem such as EFS
// (file:///mnt/efs/uploads) or an S3 bucket (s3://bucket/prefix?region=...).
//
// The interface is deliberately small so both backends pass one shared test
// suite; anything a backend cannot do the same way is left out.
//
// An upload handler is expected to run the body through imaging.Process,
// then Put(ctx, "companies/<id>/avatars/"+res.Key, ...) and keep the key;
// the /media/ route serves Get's reader with the object's ContentType and
// ETag, "X-Content-Type-Options: nosniff" and, because keys are content
// addressed, an immutable Cache-Control.
package storage

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"net/url"
	"strings"
	"time"

	"github.com/betcity/betcity/server/apperr"
)

// Object describes a stored file.
type Object struct {
	Key         string
	ContentType string
	ETag        string // quoted, ready for an HTTP ETag header
	Size        int64
	ModTime     time.Time
}

// Store is implemented by every backend.
type Store interface {
	// Put stores exactly size bytes from body under key, replacing any
	// previous object. Readers see either the old or the new object, never a
	// mix. contentType must agree with the key's extension (see ValidateKey).
	Put(ctx context.Context, key string, body io.Reader, size int64, contentType string) error
	// Get opens the object; it returns ErrNotFound when there is none.
	Get(ctx context.Context, key string) (io.ReadCloser, Object, error)
	// Delete removes the object; deleting a missing key is not an error.
	Delete(ctx context.Context, key string) error
	// URL is where a browser fetches the object: "/media/<key>" when the app
	// serves it, or a short-lived presigned S3 URL in redirect mode.
	URL(ctx context.Context, key string) (string, error)
	// Check writes, reads back and deletes a probe object, for
	// `betcity storage check` and readiness diagnostics.
	Check(ctx context.Context) error
}

// ErrNotFound is returned by Get for a missing key. It is an apperr so the
// HTTP layer answers 404 without special-casing storage.
var ErrNotFound error = apperr.NotFound("file")

// MediaPrefix is the app route that serves objects when the store does not
// hand out presigned URLs.
const MediaPrefix = "/media/"

// Open chooses the backend from rawURL (BETCITY_STORAGE).
func Open(ctx context.Context, rawURL string) (Store, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("BETCITY_STORAGE: not a URL: %w", err)
	}
	switch u.Scheme {
	case "file":
		return openFS(u)
	case "s3":
		return openS3(ctx, u)
	case "":
		return nil, fmt.Errorf("BETCITY_STORAGE: %q has no scheme; use file:///path or s3://bucket/prefix?region=...", rawURL)
	default:
		return nil, fmt.Errorf("BETCITY_STORAGE: unsupported scheme %q; use file:///path or s3://bucket/prefix?region=...", u.Scheme)
	}
}

const maxKeyLen = 512

// ValidateKey accepts slash-separated keys made of letters, digits, '.', '_'
// and '-', whose segments are non-empty, not "." or "..", and do not start
// with a dot. That one rule set keeps keys safe as file paths (no traversal,
// no absolute paths, no clash with the filesystem backend's hidden temp
// files), as S3 keys and as URL paths without escaping.
func ValidateKey(key string) error {
	if key == "" || len(key) > maxKeyLen {
		return apperr.Invalid("key", fmt.Sprintf("must be 1 to %d characters", maxKeyLen))
	}
	for _, seg := range strings.Split(key, "/") {
		if seg == "" || seg[0] == '.' {
			return apperr.Invalid("key", "must be a relative path without empty, '.' or '..' segments")
		}
		for _, c := range seg {
			ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-'
			if !ok {
				return apperr.Invalid("key", fmt.Sprintf("contains %q; only letters, digits, '.', '_', '-' and '/' are allowed", c))
			}
		}
	}
	return nil
}

// typeForKey is the content type implied by the key's extension, or
// "application/octet-stream". The filesystem has nowhere atomic to keep a
// content type next to the data, so both backends treat the extension as
// the source of truth and Put refuses a contradicting type.
func typeForKey(key string) string {
	i := strings.LastIndexByte(key, '.')
	if i < 0 || strings.LastIndexByte(key, '/') > i {
		return "application/octet-stream"
	}
	if t := mime.TypeByExtension(key[i:]); t != "" {
		return t
	}
	return "application/octet-stream"
}

func checkPut(key string, size int64, contentType string) error {
	if err := ValidateKey(key); err != nil {
		return err
	}
	if size < 0 {
		return fmt.Errorf("storage: put %s: size must be known, got %d", key, size)
	}
	want := typeForKey(key)
	if contentType != "" && !sameMediaType(contentType, want) {
		return fmt.Errorf("storage: put %s: content type %q does not match the key's extension (%s)", key, contentType, want)
	}
	return nil
}

func sameMediaType(a, b string) bool {
	ma, _, errA := mime.ParseMediaType(a)
	mb, _, errB := mime.ParseMediaType(b)
	return errA == nil && errB == nil && ma == mb
}

func unavailable(op, key string, err error) error {
	return apperr.Unavailable("storage_unavailable", "file storage is unavailable, try again later",
		fmt.Errorf("%s %s: %w", op, key, err))
}

// check is the Store.Check of every backend: the round trip a real upload
// makes, under a key that cannot collide with user files.
func check(ctx context.Context, s Store) error {
	nonce := make([]byte, 8)
	_, _ = rand.Read(nonce)
	key := "_probe/" + hex.EncodeToString(nonce) + ".txt"
	want := []byte("betcity storage probe " + time.Now().UTC().Format(time.RFC3339Nano))

	if err := s.Put(ctx, key, bytes.NewReader(want), int64(len(want)), "text/plain"); err != nil {
		return fmt.Errorf("storage check: write: %w", err)
	}
	// Clean up even if the read fails, so probes do not pile up.
	defer func() { _ = s.Delete(context.WithoutCancel(ctx), key) }()

	rc, _, err := s.Get(ctx, key)
	if err != nil {
		return fmt.Errorf("storage check: read back: %w", err)
	}
	got, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		return fmt.Errorf("storage check: read back: %w", err)
	}
	if !bytes.Equal(got, want) {
		return fmt.Errorf("storage check: read back %d bytes that differ from the %d written", len(got), len(want))
	}
	if err := s.Delete(ctx, key); err != nil {
		return fmt.Errorf("storage check: delete: %w", err)
	}
	return nil
}
