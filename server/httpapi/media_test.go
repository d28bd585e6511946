package httpapi_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"io/fs"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/betcity/betcity/server/app"
	"github.com/betcity/betcity/server/config"
	"github.com/betcity/betcity/server/storage"
	"github.com/betcity/betcity/server/testutil"
	"github.com/betcity/betcity/server/testutil/s3server"
)

// ---- images ----

// picture is a w x h opaque image whose colours depend on seed, so two
// seeds give two different files (and two different keys).
func picture(w, h int, seed uint8) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetNRGBA(x, y, color.NRGBA{R: uint8(x) + seed, G: uint8(y) * seed, B: seed, A: 255})
		}
	}
	return img
}

func pngOf(t testing.TB, img image.Image) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func jpegOf(t testing.TB, img image.Image, q int) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// pngClaiming is a few dozen bytes of valid PNG structure whose header
// claims w x h: a decompression bomb if decoded naively (same construction
// as the imaging tests).
func pngClaiming(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		crc := crc32.NewIEEE()
		crc.Write([]byte(typ))
		crc.Write(data)
		b.WriteString(typ)
		b.Write(data)
		binary.Write(&b, binary.BigEndian, crc.Sum32())
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 6
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	chunk("IEND", nil)
	return b.Bytes()
}

const polyglotScript = "<script>alert(document.cookie)</script>"

// polyglot is a valid JPEG that is also an HTML page: the script sits in a
// comment segment and after the end-of-image marker.
func polyglot(t testing.TB) []byte {
	jpg := jpegOf(t, picture(300, 300, 9), 90)
	seg := []byte{0xFF, 0xFE, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(polyglotScript)+2))
	out := append(append(append([]byte{}, jpg[:2]...), seg...), polyglotScript...)
	out = append(out, jpg[2:]...)
	return append(out, "<html><body>"+polyglotScript+"</body></html>"...)
}

// ---- the shared storage, seen from the test ----

type backend struct {
	name  string
	url   string
	count func(t *testing.T) int // objects stored, whatever their key
	stop  func()                 // makes the storage unreachable; nil when we cannot
	s3    *s3server.Server       // nil for the filesystem
}

func fsBackend(t *testing.T) backend {
	root := t.TempDir()
	return backend{name: "filesystem", url: "file://" + filepath.ToSlash(root), count: func(t *testing.T) int {
		n := 0
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && d.Type().IsRegular() {
				n++
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}}
}

func useS3Credentials(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", s3server.AccessKey)
	t.Setenv("AWS_SECRET_ACCESS_KEY", s3server.SecretKey)
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
}

func s3Backend(t *testing.T) backend {
	useS3Credentials(t)
	srv := s3server.Start(t)
	u := "s3://" + srv.Bucket + "/uploads?region=" + s3server.Region + "&endpoint=" + url.QueryEscape(srv.Endpoint)
	return backend{name: "s3", url: u, s3: srv, stop: srv.Stop, count: func(t *testing.T) int {
		out, err := srv.Client().ListObjectsV2(context.Background(), &s3.ListObjectsV2Input{Bucket: aws.String(srv.Bucket)})
		if err != nil {
			t.Fatal(err)
		}
		return len(out.Contents)
	}}
}

// exists looks straight into the storage, past the app.
func exists(t *testing.T, st storage.Store, key string) bool {
	t.Helper()
	rc, _, err := st.Get(context.Background(), key)
	if errors.Is(err, storage.ErrNotFound) {
		return false
	}
	if err != nil {
		t.Fatal(err)
	}
	rc.Close()
	return true
}

// ---- requests ----

func upload(t testing.TB, a *testutil.TestApp, host, path, tok string, body []byte, ctype string) *testutil.Resp {
	t.Helper()
	return a.Do(t, testutil.Req{Method: http.MethodPut, Host: host, Path: path, Token: tok, Body: body,
		Header: map[string]string{"Content-Type": ctype}})
}

func get(t *testing.T, a *testutil.TestApp, host, path string, header map[string]string) *testutil.Resp {
	t.Helper()
	return a.Do(t, testutil.Req{Host: host, Path: path, Header: header})
}

var (
	avatarURLRe = regexp.MustCompile(`^/media/(c/(\d+)/avatars/[0-9a-f]{64}\.(jpg|png))\?exp=(\d+)&sig=([A-Za-z0-9_-]+)$`)
	logoURLRe   = regexp.MustCompile(`^/media/(c/(\d+)/logo/[0-9a-f]{64}\.png)$`)
)

// avatarOf uploads img as the caller's avatar and returns its URL and key.
func avatarOf(t *testing.T, a *testutil.TestApp, co *testutil.Company, tok string, img []byte) (string, string) {
	t.Helper()
	r := upload(t, a, co.Host, "/api/v1/me/avatar", tok, img, "image/png")
	if r.Status != http.StatusOK {
		t.Fatalf("PUT avatar: %d %s", r.Status, r.Body)
	}
	u, _ := r.Map(t)["avatar_url"].(string)
	m := avatarURLRe.FindStringSubmatch(u)
	if m == nil || m[2] != fmt.Sprint(co.ID) {
		t.Fatalf("avatar_url %q is not a signed link under c/%d/avatars/", u, co.ID)
	}
	return u, m[1]
}

func wantImage(t *testing.T, what string, r *testutil.Resp, ctype, cache string) {
	t.Helper()
	if r.Status != http.StatusOK {
		t.Fatalf("%s: %d %s", what, r.Status, r.Body)
	}
	h := r.Header
	if h.Get("Content-Type") != ctype || http.DetectContentType(r.Body) != ctype {
		t.Errorf("%s: Content-Type %q, bytes sniff as %q, want %s", what, h.Get("Content-Type"), http.DetectContentType(r.Body), ctype)
	}
	if h.Get("Cache-Control") != cache || h.Get("X-Content-Type-Options") != "nosniff" ||
		h.Get("Content-Security-Policy") != "default-src 'none'" || h.Get("ETag") == "" {
		t.Errorf("%s: headers %v", what, h)
	}
}

// TestMediaSharedStorage runs the upload and media suite on both storage
// backends and both dialects, with two instances on one database and one
// storage: whatever one instance stores, the other serves.
func TestMediaSharedStorage(t *testing.T) {
	testutil.EachDriver(t, func(t *testing.T, driver config.Driver) {
		for _, mk := range []func(*testing.T) backend{fsBackend, s3Backend} {
			be := mk(t)
			t.Run(be.name, func(t *testing.T) { mediaSuite(t, driver, be) })
		}
	})
}

func mediaSuite(t *testing.T, driver config.Driver, be backend) {
	dsn := testutil.NewDatabase(t, driver)
	a := testutil.NewAppOn(t, driver, dsn, testutil.WithStorage(be.url))
	b := testutil.NewAppOn(t, driver, dsn, testutil.WithStorage(be.url))
	st, err := storage.Open(context.Background(), be.url)
	if err != nil {
		t.Fatal(err)
	}
	acme := a.SeedCompany(t, "acme")
	globex := a.SeedCompany(t, "globex")
	img1, img2 := pngOf(t, picture(320, 200, 1)), pngOf(t, picture(200, 320, 2))

	var url1, key1 string
	t.Run("uploaded on A, served by B", func(t *testing.T) {
		url1, key1 = avatarOf(t, a, acme, acme.EmpTok, img1)
		if !exists(t, st, key1) || be.count(t) != 1 {
			t.Fatalf("object %s not in the shared storage (%d objects)", key1, be.count(t))
		}
		me := b.Do(t, testutil.Req{Host: acme.Host, Path: "/api/v1/me", Token: acme.EmpTok})
		if me.Status != http.StatusOK || me.Map(t)["avatar_url"] != url1 {
			t.Fatalf("B's /me: %d %s, want avatar_url %s", me.Status, me.Body, url1)
		}
		// No Authorization: an <img> tag cannot send one; the link is the capability.
		r := get(t, b, acme.Host, url1, nil)
		wantImage(t, "avatar on B", r, "image/jpeg", "private, max-age=3600")
		if cfg, err := jpeg.DecodeConfig(bytes.NewReader(r.Body)); err != nil || cfg.Width != 256 || cfg.Height != 256 {
			t.Fatalf("served avatar is not the 256x256 re-encode: %v %+v", err, cfg)
		}
		if nm := get(t, b, acme.Host, url1, map[string]string{"If-None-Match": r.Header.Get("ETag")}); nm.Status != http.StatusNotModified || len(nm.Body) != 0 {
			t.Fatalf("If-None-Match: %d %q", nm.Status, nm.Body)
		}
		if r2 := get(t, a, acme.Host, url1, nil); r2.Header.Get("ETag") != r.Header.Get("ETag") {
			t.Fatalf("ETag differs between instances: %s vs %s", r2.Header.Get("ETag"), r.Header.Get("ETag"))
		}
	})

	t.Run("replace deletes the old object", func(t *testing.T) {
		url2, key2 := avatarOf(t, b, acme, acme.EmpTok, img2)
		if key2 == key1 || exists(t, st, key1) || !exists(t, st, key2) || be.count(t) != 1 {
			t.Fatalf("after replace: old %s exists=%v, new %s exists=%v, %d objects", key1, exists(t, st, key1), key2, exists(t, st, key2), be.count(t))
		}
		if r := get(t, a, acme.Host, url1, nil); r.Status != http.StatusNotFound {
			t.Fatalf("old avatar link: %d %s, want 404", r.Status, r.Body)
		}
		wantImage(t, "new avatar on A", get(t, a, acme.Host, url2, nil), "image/jpeg", "private, max-age=3600")
		url1, key1 = url2, key2
	})

	t.Run("a picture two members share survives one of them deleting it", func(t *testing.T) {
		_, keyHR := avatarOf(t, a, acme, acme.HRTok, img2)
		if keyHR != key1 || be.count(t) != 1 {
			t.Fatalf("same picture: key %s vs %s, %d objects", keyHR, key1, be.count(t))
		}
		r := a.Do(t, testutil.Req{Method: http.MethodDelete, Host: acme.Host, Path: "/api/v1/me/avatar", Token: acme.HRTok})
		if r.Status != http.StatusOK || r.Map(t)["avatar_url"] != nil || !exists(t, st, key1) {
			t.Fatalf("HR delete: %d %s; object still needed by the employee exists=%v", r.Status, r.Body, exists(t, st, key1))
		}
		wantImage(t, "employee avatar after HR delete", get(t, b, acme.Host, url1, nil), "image/jpeg", "private, max-age=3600")
	})

	t.Run("another company cannot see the avatar", func(t *testing.T) {
		m := avatarURLRe.FindStringSubmatch(url1)
		exp, sig := m[4], m[5]
		globexURL, _ := avatarOf(t, a, globex, globex.EmpTok, pngOf(t, picture(64, 64, 3)))
		gm := avatarURLRe.FindStringSubmatch(globexURL)
		forged := "A" + sig[1:]
		if sig[0] == 'A' {
			forged = "B" + sig[1:]
		}
		cases := []struct {
			name, host, path string
			status           int
			code             string
		}{
			{"stolen link on the thief's own host", globex.Host, url1, 404, "not_found"},
			{"stolen link on the operator console", "localhost", url1, 404, "not_found"},
			{"no signature", acme.Host, "/media/" + key1, 403, "media_link_invalid"},
			{"forged signature", acme.Host, "/media/" + key1 + "?exp=" + exp + "&sig=" + forged, 403, "media_link_invalid"},
			{"expiry pushed out", acme.Host, "/media/" + key1 + "?exp=" + exp + "0&sig=" + sig, 403, "media_link_invalid"},
			// globex's valid signature does not carry over to an acme key.
			{"own signature on another company's key", acme.Host, "/media/" + key1 + "?exp=" + gm[4] + "&sig=" + gm[5], 403, "media_link_invalid"},
			{"own key moved under another company", acme.Host, strings.Replace(globexURL, fmt.Sprintf("/c/%d/", globex.ID), fmt.Sprintf("/c/%d/", acme.ID), 1), 403, "media_link_invalid"},
			{"path traversal", acme.Host, "/media/c/" + fmt.Sprint(acme.ID) + "/avatars/../../" + fmt.Sprint(globex.ID) + "/avatars/x.jpg", 404, "not_found"},
		}
		for _, tc := range cases {
			r := get(t, b, tc.host, tc.path, nil)
			if r.Status != tc.status || r.ErrorCode() != tc.code || bytes.Contains(r.Body, []byte("JFIF")) {
				t.Errorf("%s: %d %s, want %d %s", tc.name, r.Status, r.Body, tc.status, tc.code)
			}
		}
		// A signed link for a key nobody uses looks like any refused link:
		// the same 403 as a key that exists, before any lookup.
		missing := "/media/c/" + fmt.Sprint(acme.ID) + "/avatars/" + strings.Repeat("ab", 32) + ".jpg?exp=" + exp + "&sig=" + sig
		if r := get(t, b, acme.Host, missing, nil); r.Status != 403 || r.ErrorCode() != "media_link_invalid" {
			t.Errorf("unknown key with a borrowed signature: %d %s", r.Status, r.Body)
		}
		// Links expire: two to three hours later the same URL is refused.
		b.Clock.Advance(3 * time.Hour)
		r := get(t, b, acme.Host, url1, nil)
		b.Clock.Advance(-3 * time.Hour)
		if r.Status != 403 || r.ErrorCode() != "media_link_invalid" {
			t.Errorf("expired link: %d %s", r.Status, r.Body)
		}
		// ... and are stable within the hour, so browsers can cache them.
		if me := a.Do(t, testutil.Req{Host: acme.Host, Path: "/api/v1/me", Token: acme.EmpTok}); me.Map(t)["avatar_url"] != url1 {
			t.Errorf("link changed within the hour: %v vs %s", me.Map(t)["avatar_url"], url1)
		}
		del := a.Do(t, testutil.Req{Method: http.MethodDelete, Host: globex.Host, Path: "/api/v1/me/avatar", Token: globex.EmpTok})
		if del.Status != http.StatusOK {
			t.Fatalf("globex delete: %d %s", del.Status, del.Body)
		}
	})

	var logoPath string
	t.Run("logo is public on the login page", func(t *testing.T) {
		if r := upload(t, a, acme.Host, "/api/v1/company/logo", acme.EmpTok, img1, "image/png"); r.Status != http.StatusForbidden {
			t.Fatalf("employee PUT logo: %d %s", r.Status, r.Body)
		}
		if r := upload(t, a, acme.Host, "/api/v1/company/logo", acme.HRTok, img1, "image/png"); r.Status != http.StatusForbidden {
			t.Fatalf("HR PUT logo: %d %s", r.Status, r.Body)
		}
		r := upload(t, a, acme.Host, "/api/v1/company/logo", acme.AdminTok, jpegOf(t, picture(800, 400, 4), 90), "image/jpeg")
		settings := r.Map(t)
		logo, _ := settings["logo_url"].(string)
		if r.Status != http.StatusOK || settings["slug"] != "acme" || !logoURLRe.MatchString(logo) {
			t.Fatalf("PUT logo: %d %s", r.Status, r.Body)
		}
		pub := get(t, b, acme.Host, "/api/v1/company", nil)
		if pub.Status != http.StatusOK || pub.Map(t)["logo_url"] != logo {
			t.Fatalf("login page company on B: %d %s, want logo_url %s", pub.Status, pub.Body, logo)
		}
		lr := get(t, b, acme.Host, logo, nil)
		wantImage(t, "logo", lr, "image/png", "public, max-age=31536000, immutable")
		if cfg, err := png.DecodeConfig(bytes.NewReader(lr.Body)); err != nil || cfg.Width != 512 || cfg.Height != 256 {
			t.Fatalf("logo not fitted to 512: %v %+v", err, cfg)
		}
		// Replacing the logo removes the previous object.
		r = upload(t, b, acme.Host, "/api/v1/company/logo", acme.AdminTok, img2, "image/png")
		logoPath, _ = r.Map(t)["logo_url"].(string)
		if r.Status != http.StatusOK || logoPath == logo || exists(t, st, strings.TrimPrefix(logo, "/media/")) {
			t.Fatalf("replace logo: %d %s; old object exists=%v", r.Status, r.Body, exists(t, st, strings.TrimPrefix(logo, "/media/")))
		}
		if r := get(t, a, acme.Host, logo, nil); r.Status != http.StatusNotFound {
			t.Fatalf("old logo: %d", r.Status)
		}
	})

	t.Run("bad uploads are refused and store nothing", func(t *testing.T) {
		var form bytes.Buffer
		mw := multipart.NewWriter(&form)
		fw, _ := mw.CreateFormFile("file", "a.png")
		fw.Write(img1)
		mw.Close()
		tooBig := append(pngOf(t, picture(16, 16, 5)), make([]byte, 5<<20)...)
		full := pngOf(t, picture(300, 300, 6))
		before := be.count(t)
		cases := []struct {
			name   string
			body   []byte
			ctype  string
			status int
			code   string
		}{
			{"larger than 5 MB", tooBig, "image/png", 413, "file_too_large"},
			{"zero bytes", []byte{}, "image/png", 422, "file_empty"},
			{"truncated PNG", full[:len(full)/2], "image/png", 422, "image_corrupt"},
			{"decompression bomb 50000x50000", pngClaiming(50000, 50000), "image/png", 413, "image_too_large_dimensions"},
			{"SVG with script", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), "image/svg+xml", 415, "unsupported_image_type"},
			{"text file sent as PNG", []byte("hello, I am definitely a PNG"), "image/png", 415, "unsupported_image_type"},
			{"HTML page", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>"), "image/png", 415, "unsupported_image_type"},
			{"multipart form instead of the raw body", form.Bytes(), mw.FormDataContentType(), 415, "raw_body_required"},
		}
		for _, tc := range cases {
			for _, path := range []string{"/api/v1/me/avatar", "/api/v1/company/logo"} {
				r := upload(t, a, acme.Host, path, acme.AdminTok, tc.body, tc.ctype)
				wantError(t, tc.name+" "+path, r, tc.status, tc.code)
			}
		}
		// Without a Content-Length the limit is enforced while reading.
		req, _ := http.NewRequest(http.MethodPut, a.URL+"/api/v1/me/avatar", io.MultiReader(bytes.NewReader(tooBig)))
		req.Host = acme.Host
		req.Header.Set("Authorization", "Bearer "+acme.AdminTok)
		res, err := a.Client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if req.ContentLength != 0 || res.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("chunked oversized upload: %d (content length %d)", res.StatusCode, req.ContentLength)
		}
		if after := be.count(t); after != before {
			t.Fatalf("bad uploads left objects: %d before, %d after", before, after)
		}
		// The admin's avatar and the logo did not change.
		co := get(t, a, acme.Host, "/api/v1/company", nil)
		if co.Map(t)["logo_url"] != logoPath {
			t.Fatalf("logo changed by refused uploads: %s", co.Body)
		}

		// A JPEG/HTML polyglot is a valid image: accepted, but what is
		// stored and served is a clean re-encode without the HTML.
		u, key := avatarOf(t, a, acme, acme.AdminTok, polyglot(t))
		served := get(t, b, acme.Host, u, nil)
		rc, _, err := st.Get(context.Background(), key)
		if err != nil {
			t.Fatal(err)
		}
		stored, _ := io.ReadAll(rc)
		rc.Close()
		for _, blob := range [][]byte{stored, served.Body} {
			if len(blob) == 0 || bytes.Contains(blob, []byte("<script")) || bytes.Contains(blob, []byte("<html")) {
				t.Fatalf("polyglot payload survived (%d bytes)", len(blob))
			}
		}
		wantImage(t, "polyglot avatar", served, "image/jpeg", "private, max-age=3600")
	})

	t.Run("delete removes the object and clears the key", func(t *testing.T) {
		me := a.Do(t, testutil.Req{Host: acme.Host, Path: "/api/v1/me", Token: acme.AdminTok})
		u, _ := me.Map(t)["avatar_url"].(string)
		key := avatarURLRe.FindStringSubmatch(u)[1]
		r := b.Do(t, testutil.Req{Method: http.MethodDelete, Host: acme.Host, Path: "/api/v1/me/avatar", Token: acme.AdminTok})
		if r.Status != http.StatusOK || r.Map(t)["avatar_url"] != nil || exists(t, st, key) {
			t.Fatalf("DELETE avatar: %d %s, object exists=%v", r.Status, r.Body, exists(t, st, key))
		}
		if me := a.Do(t, testutil.Req{Host: acme.Host, Path: "/api/v1/me", Token: acme.AdminTok}); me.Map(t)["avatar_url"] != nil {
			t.Fatalf("key not cleared: %s", me.Body)
		}
		if r := get(t, a, acme.Host, u, nil); r.Status != http.StatusNotFound {
			t.Fatalf("deleted avatar link: %d", r.Status)
		}
		logoKey := strings.TrimPrefix(logoPath, "/media/")
		r = a.Do(t, testutil.Req{Method: http.MethodDelete, Host: acme.Host, Path: "/api/v1/company/logo", Token: acme.AdminTok})
		if r.Status != http.StatusOK || r.Map(t)["logo_url"] != nil || exists(t, st, logoKey) {
			t.Fatalf("DELETE logo: %d %s, object exists=%v", r.Status, r.Body, exists(t, st, logoKey))
		}
		if r := get(t, b, acme.Host, logoPath, nil); r.Status != http.StatusNotFound {
			t.Fatalf("deleted logo: %d", r.Status)
		}
		// Only the employee's avatar is left.
		if n := be.count(t); n != 1 {
			t.Fatalf("%d objects left, want 1 (the employee's avatar)", n)
		}
	})

	if be.s3 == nil {
		return
	}
	t.Run("presigned redirect after the access checks", func(t *testing.T) {
		c := testutil.NewAppOn(t, driver, dsn, testutil.WithStorage(be.url+"&presign=5m"))
		noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		r := testutil.DoURL(t, noFollow, c.URL, testutil.Req{Host: acme.Host, Path: url1})
		loc := r.Header.Get("Location")
		if r.Status != http.StatusFound || !strings.HasPrefix(loc, be.s3.Endpoint+"/") || !strings.Contains(loc, "X-Amz-Signature=") ||
			r.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("presign mode: %d Location %q Cache-Control %q", r.Status, loc, r.Header.Get("Cache-Control"))
		}
		res, err := http.Get(loc)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || http.DetectContentType(body) != "image/jpeg" {
			t.Fatalf("presigned URL: %d, %d bytes", res.StatusCode, len(body))
		}
		if r := testutil.DoURL(t, noFollow, c.URL, testutil.Req{Host: globex.Host, Path: url1}); r.Status != http.StatusNotFound || r.Header.Get("Location") != "" {
			t.Fatalf("presign mode skipped the company check: %d %v", r.Status, r.Header)
		}
	})

	t.Run("storage down: uploads 503, the rest works", func(t *testing.T) {
		be.stop()
		r := upload(t, a, acme.Host, "/api/v1/me/avatar", acme.EmpTok, img1, "image/png")
		wantError(t, "PUT avatar with S3 down", r, http.StatusServiceUnavailable, "storage_unavailable")
		if me := b.Do(t, testutil.Req{Host: acme.Host, Path: "/api/v1/me", Token: acme.EmpTok}); me.Status != http.StatusOK || me.Map(t)["avatar_url"] != url1 {
			t.Fatalf("/me with S3 down: %d %s", me.Status, me.Body)
		}
		if r := get(t, a, "localhost", "/readyz", nil); r.Status != http.StatusOK {
			t.Fatalf("/readyz with S3 down: %d %s", r.Status, r.Body)
		}
		if r := get(t, a, acme.Host, url1, nil); r.Status != http.StatusServiceUnavailable || r.ErrorCode() != "storage_unavailable" {
			t.Fatalf("media with S3 down: %d %s", r.Status, r.Body)
		}
	})
}

// A storage URL that cannot work stops the start with an error that names
// the variable; an unreachable but well-formed one does not.
func TestStorageConfigAtStart(t *testing.T) {
	useS3Credentials(t)
	for _, tc := range []struct{ url, want string }{
		{"file://relative/uploads", "BETCITY_STORAGE"},
		{"s3://Bad_Bucket?region=eu-west-1", "BETCITY_STORAGE"},
		{"s3://bucket?region=eu-west-1&colour=blue", "BETCITY_STORAGE"},
	} {
		env := map[string]string{"BETCITY_DATA_DIR": t.TempDir(), "BETCITY_MIGRATE_ON_START": "true", "BETCITY_STORAGE": tc.url}
		cfg, err := config.Load(testutil.Env(config.SQLite, filepath.Join(t.TempDir(), "db.sqlite"), env))
		if err == nil {
			var a *app.App
			a, err = app.New(context.Background(), cfg, app.Options{BcryptCost: 4})
			if err == nil {
				a.Close()
			}
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want one naming %s", tc.url, err, tc.want)
		}
	}
	// Nothing listens on port 1: the instance still starts and serves.
	down := "s3://betcity-down/uploads?region=us-east-1&endpoint=" + url.QueryEscape("http://127.0.0.1:1")
	a := testutil.NewApp(t, config.SQLite, testutil.WithStorage(down))
	co := a.SeedCompany(t, "acme")
	if r := a.Do(t, testutil.Req{Host: co.Host, Path: "/api/v1/me", Token: co.EmpTok}); r.Status != http.StatusOK {
		t.Fatalf("/me with unreachable storage: %d %s", r.Status, r.Body)
	}
	r := upload(t, a, co.Host, "/api/v1/me/avatar", co.EmpTok, pngOf(t, picture(32, 32, 7)), "image/png")
	wantError(t, "upload with unreachable storage", r, http.StatusServiceUnavailable, "storage_unavailable")
}

// photo3MB is a 3000x2000 (6 MP, phone-sized) noisy gradient JPEG of
// about 3 MB.
func photo3MB(b testing.TB) []byte {
	rng := rand.New(rand.NewPCG(1, 2))
	img := image.NewNRGBA(image.Rect(0, 0, 3000, 2000))
	for y := range 2000 {
		for x := range 3000 {
			i := img.PixOffset(x, y)
			img.Pix[i] = uint8(x/12 + rng.IntN(64))
			img.Pix[i+1] = uint8(y/8 + rng.IntN(64))
			img.Pix[i+2] = uint8((x+y)/20 + rng.IntN(64))
			img.Pix[i+3] = 255
		}
	}
	for q := 80; q <= 95; q++ {
		if j := jpegOf(b, img, q); len(j) >= 3_000_000 {
			return j
		}
	}
	b.Fatal("could not make a 3 MB JPEG")
	return nil
}

// BenchmarkUploadAvatar3MB measures one avatar upload through the whole
// HTTP stack: request, auth, sniff, decode, crop, re-encode, storage write,
// database update, response.
func BenchmarkUploadAvatar3MB(b *testing.B) {
	a := testutil.NewApp(b, config.SQLite)
	co := a.SeedCompany(b, "acme")
	img := photo3MB(b)
	b.SetBytes(int64(len(img)))
	b.ResetTimer()
	for b.Loop() {
		r := upload(b, a, co.Host, "/api/v1/me/avatar", co.EmpTok, img, "image/jpeg")
		if r.Status != http.StatusOK {
			b.Fatalf("%d %s", r.Status, r.Body)
		}
	}
}
