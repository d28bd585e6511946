package imaging_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"

	"github.com/betcity/betcity/server/apperr"
	"github.com/betcity/betcity/server/storage/imaging"
)

// thirds is w x h with a red left third, green middle and blue right third,
// so crops can be checked by colour.
func thirds(w, h int, alpha uint8) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.NRGBA{A: alpha}
			switch {
			case x < w/3:
				c.R = 255
			case x < 2*w/3:
				c.G = 255
			default:
				c.B = 255
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

func encodePNG(t testing.TB, img image.Image) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeJPEG(t testing.TB, img image.Image, q int) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeGIF(t testing.TB, img image.Image) []byte {
	var b bytes.Buffer
	if err := gif.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// Tiny valid WebP files (the well-known 1x1 feature-detection images):
// lossless (VP8L), lossy (VP8) and lossy with alpha (VP8X+ALPH).
var (
	webpLossless = mustB64("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==")
	webpLossy    = mustB64("UklGRiIAAABXRUJQVlA4IBYAAAAwAQCdASoBAAEADsD+JaQAA3AAAAAA")
	// 90x60 red|green|blue thirds, made with `cwebp -q 80 -metadata none`
	// (libwebp 1.2.4, Debian package webp) from the thirds() image below.
	webpThirds = mustB64("UklGRrAAAABXRUJQVlA4IKQAAAAQCACdASpaADwAPm0wlEakIyIhLAgAgA2JQBqYuB/K/wA06v4AUoD+gfirvf+cAboB1gAFKaJunHNaWHA8GWaIIJ1NPCIsdpzgAP7wmywj/LGtdRXT8gP/ID/+PnAFw29wOJuBW79pAN6DxyK+g2etHBkV9CSRlesLmK+J/beeWh83rF/+7VRmwWF8D4reX1udXFby7jvdIFtVaAhz+HCEHBAAAA==")
	webpAlpha  = mustB64("UklGRkoAAABXRUJQVlA4WAoAAAAQAAAAAAAAAAAAQUxQSAwAAAARBxAR/Q9ERP8DAABWUDggGAAAABQBAJ0BKgEAAQAAAP4AAA3AAP7mtQAAAA==")
)

func mustB64(s string) []byte {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// pngHeaderOnly is a hand-made PNG whose IHDR (with a valid CRC) claims
// w x h, followed by a token IDAT and IEND: a few dozen bytes that would
// ask a naive decoder for w*h*4 bytes of memory.
func pngHeaderOnly(w, h uint32) []byte {
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
	ihdr[8], ihdr[9] = 8, 6 // 8-bit RGBA; compression, filter, interlace 0
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	chunk("IEND", nil)
	return b.Bytes()
}

// withJPEGSegment inserts a marker segment right after SOI.
func withJPEGSegment(jpg []byte, marker byte, payload []byte) []byte {
	seg := []byte{0xFF, marker, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	out := append([]byte{}, jpg[:2]...)
	out = append(out, seg...)
	out = append(out, payload...)
	return append(out, jpg[2:]...)
}

// exifOrientation is an APP1 payload with only IFD0 Orientation=o.
func exifOrientation(o uint16) []byte {
	p := []byte("Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08\x00\x01")
	p = append(p, 0x01, 0x12, 0x00, 0x03, 0, 0, 0, 1, byte(o>>8), byte(o), 0, 0)
	return append(p, 0, 0, 0, 0) // no next IFD
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

func decodeOut(t *testing.T, res imaging.Result) image.Image {
	t.Helper()
	if got := http.DetectContentType(res.Bytes); got != res.ContentType {
		t.Fatalf("bytes sniff as %s, result says %s", got, res.ContentType)
	}
	wantExt := map[string]string{"image/png": ".png", "image/jpeg": ".jpg"}[res.ContentType]
	sum := sha256.Sum256(res.Bytes)
	if res.Ext != wantExt || res.Key != hex.EncodeToString(sum[:])+wantExt {
		t.Fatalf("ext %q key %q do not match content", res.Ext, res.Key)
	}
	img, _, err := image.Decode(bytes.NewReader(res.Bytes))
	if err != nil {
		t.Fatalf("output does not decode: %v", err)
	}
	if b := img.Bounds(); b.Dx() != res.Width || b.Dy() != res.Height {
		t.Fatalf("output is %v, result says %dx%d", b, res.Width, res.Height)
	}
	return img
}

// near reports whether c is close to want, allowing for JPEG and resampling.
func near(c color.Color, want color.NRGBA) bool {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	d := func(a, b uint8) bool { return int(a)-int(b) < 40 && int(b)-int(a) < 40 }
	return d(n.R, want.R) && d(n.G, want.G) && d(n.B, want.B) && d(n.A, want.A)
}

var (
	red   = color.NRGBA{255, 0, 0, 255}
	green = color.NRGBA{0, 255, 0, 255}
	blue  = color.NRGBA{0, 0, 255, 255}
)

func TestProcessGoodInputs(t *testing.T) {
	tests := []struct {
		name     string
		in       []byte
		kind     imaging.Kind
		w, h     int
		ctype    string
		checkPix func(t *testing.T, img image.Image)
	}{
		{"opaque PNG avatar is a centered square JPEG", encodePNG(t, thirds(600, 200, 255)), imaging.Avatar, 256, 256, "image/jpeg",
			func(t *testing.T, img image.Image) {
				// The centered 200x200 square is the green middle third.
				for _, p := range []image.Point{{5, 5}, {128, 128}, {250, 250}} {
					if !near(img.At(p.X, p.Y), green) {
						t.Errorf("pixel %v = %v, want green (center crop)", p, img.At(p.X, p.Y))
					}
				}
			}},
		{"portrait JPEG avatar", encodeJPEG(t, thirds(300, 900, 255), 90), imaging.Avatar, 256, 256, "image/jpeg", nil},
		{"GIF avatar", encodeGIF(t, thirds(120, 120, 255)), imaging.Avatar, 256, 256, "image/jpeg", nil},
		{"transparent PNG avatar stays PNG with alpha", encodePNG(t, thirds(300, 300, 0)), imaging.Avatar, 256, 256, "image/png",
			func(t *testing.T, img image.Image) {
				if _, _, _, a := img.At(10, 10).RGBA(); a != 0 {
					t.Errorf("alpha %d, want transparent", a)
				}
			}},
		{"WebP avatar is center-cropped", webpThirds, imaging.Avatar, 256, 256, "image/jpeg",
			func(t *testing.T, img image.Image) {
				// The centered 60x60 square spans x 15..75 of the source:
				// red up to 30, green to 60, blue after.
				for x, want := range map[int]color.NRGBA{20: red, 128: green, 236: blue} {
					if c := img.At(x, 128); !near(c, want) {
						t.Errorf("x=%d: %v, want %v", x, color.NRGBAModel.Convert(c), want)
					}
				}
			}},
		{"WebP lossless avatar", webpLossless, imaging.Avatar, 256, 256, "", nil},
		{"WebP lossy avatar", webpLossy, imaging.Avatar, 256, 256, "image/jpeg", nil},
		{"WebP with alpha avatar", webpAlpha, imaging.Avatar, 256, 256, "", nil},
		{"large logo is fitted keeping aspect and alpha", encodePNG(t, thirds(1200, 600, 128)), imaging.Logo, 512, 256, "image/png",
			func(t *testing.T, img image.Image) {
				if !near(img.At(10, 128), color.NRGBA{255, 0, 0, 128}) || !near(img.At(500, 128), color.NRGBA{0, 0, 255, 128}) {
					t.Errorf("logo colours/alpha lost: %v %v", img.At(10, 128), img.At(500, 128))
				}
			}},
		{"tall logo", encodeJPEG(t, thirds(300, 1500, 255), 90), imaging.Logo, 102, 512, "image/png", nil},
		{"small logo is not upscaled", encodePNG(t, thirds(90, 30, 255)), imaging.Logo, 90, 30, "image/png", nil},
		{"WebP logo keeps its size", webpThirds, imaging.Logo, 90, 60, "image/png", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := imaging.Process(bytes.NewReader(tc.in), tc.kind)
			if err != nil {
				t.Fatalf("Process: %v", err)
			}
			if res.Width != tc.w || res.Height != tc.h {
				t.Fatalf("size %dx%d, want %dx%d", res.Width, res.Height, tc.w, tc.h)
			}
			if tc.ctype != "" && res.ContentType != tc.ctype {
				t.Fatalf("content type %s, want %s", res.ContentType, tc.ctype)
			}
			img := decodeOut(t, res)
			if tc.checkPix != nil {
				tc.checkPix(t, img)
			}
		})
	}
}

// A phone photo stored sideways with EXIF Orientation must come out upright,
// since re-encoding drops the EXIF that told browsers to rotate it.
func TestProcessAppliesEXIFOrientation(t *testing.T) {
	src := encodeJPEG(t, thirds(300, 150, 255), 95) // red | green | blue, landscape
	for o, want := range map[uint16]struct {
		w, h      int
		top, bot  color.NRGBA
		left, rgt color.NRGBA
	}{
		1: {300, 150, green, green, red, blue},
		3: {300, 150, green, green, blue, red},
		6: {150, 300, red, blue, green, green}, // turned clockwise: left edge goes on top
		8: {150, 300, blue, red, green, green},
	} {
		res, err := imaging.Process(bytes.NewReader(withJPEGSegment(src, 0xE1, exifOrientation(o))), imaging.Logo)
		if err != nil {
			t.Fatalf("orientation %d: %v", o, err)
		}
		img := decodeOut(t, res)
		if res.Width != want.w || res.Height != want.h {
			t.Fatalf("orientation %d: %dx%d, want %dx%d", o, res.Width, res.Height, want.w, want.h)
		}
		w, h := want.w, want.h
		for name, c := range map[string]struct {
			p    image.Point
			want color.NRGBA
		}{"top": {image.Pt(w/2, 5), want.top}, "bottom": {image.Pt(w/2, h-5), want.bot},
			"left": {image.Pt(5, h/2), want.left}, "right": {image.Pt(w-5, h/2), want.rgt}} {
			if !near(img.At(c.p.X, c.p.Y), c.want) {
				t.Errorf("orientation %d: %s %v = %v, want %v", o, name, c.p, img.At(c.p.X, c.p.Y), c.want)
			}
		}
	}
}

func TestProcessRejectsBadInputs(t *testing.T) {
	noisy := image.NewNRGBA(image.Rect(0, 0, 300, 300))
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range noisy.Pix {
		noisy.Pix[i] = uint8(rng.Uint32())
	}
	goodPNG := encodePNG(t, noisy)
	goodJPEG := encodeJPEG(t, noisy, 90)

	tests := []struct {
		name string
		in   []byte
		kind apperr.Kind
		code string
	}{
		{"zero bytes", nil, apperr.KindValidation, "file_empty"},
		{"truncated PNG", goodPNG[:len(goodPNG)/2], apperr.KindUnprocessable, "image_corrupt"},
		{"truncated JPEG", goodJPEG[:len(goodJPEG)/2], apperr.KindUnprocessable, "image_corrupt"},
		{"PNG magic then garbage", []byte("\x89PNG\r\n\x1a\nthis is not a chunk at all"), apperr.KindUnprocessable, "image_corrupt"},
		{"decompression bomb 50000x50000", pngHeaderOnly(50000, 50000), apperr.KindTooLarge, "image_too_large_dimensions"},
		{"one side over 10000", pngHeaderOnly(20000, 10), apperr.KindTooLarge, "image_too_large_dimensions"},
		{"41 megapixels", pngHeaderOnly(8000, 5125), apperr.KindTooLarge, "image_too_large_dimensions"},
		{"SVG with script", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), apperr.KindUnsupportedMedia, "unsupported_image_type"},
		{"bare SVG", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`), apperr.KindUnsupportedMedia, "unsupported_image_type"},
		{"HTML page", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>"), apperr.KindUnsupportedMedia, "unsupported_image_type"},
		{"text file named avatar.png", []byte("hello, I am definitely a PNG"), apperr.KindUnsupportedMedia, "unsupported_image_type"},
		{"PDF", []byte("%PDF-1.4\n1 0 obj\n"), apperr.KindUnsupportedMedia, "unsupported_image_type"},
		{"BMP (not on the list)", append([]byte("BM"), make([]byte, 60)...), apperr.KindUnsupportedMedia, "unsupported_image_type"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := imaging.Process(bytes.NewReader(tc.in), imaging.Avatar)
			ae, ok := apperr.As(err)
			if !ok || ae.Kind != tc.kind || ae.Code != tc.code {
				t.Fatalf("err = %v, want kind %d code %s", err, tc.kind, tc.code)
			}
			if tc.code == "unsupported_image_type" && !strings.Contains(ae.Message, "PNG, JPEG, GIF and WebP") {
				t.Fatalf("message %q should list the accepted types", ae.Message)
			}
		})
	}
}

// A 6 MB upload is refused after reading just past the limit, so a client
// cannot make the server buffer an unbounded body.
func TestProcessTooLargeStopsReading(t *testing.T) {
	r := &countingReader{r: io.LimitReader(zeros{}, 6<<20)}
	_, err := imaging.Process(r, imaging.Avatar)
	if ae, ok := apperr.As(err); !ok || ae.Kind != apperr.KindTooLarge || ae.Code != "file_too_large" {
		t.Fatalf("err = %v, want file_too_large", err)
	}
	if r.n > imaging.MaxBytes+1 {
		t.Fatalf("read %d bytes, want at most %d", r.n, imaging.MaxBytes+1)
	}
	// Exactly at the limit is still accepted as far as size goes (it then
	// fails as not-an-image, which proves it got past the size check).
	_, err = imaging.Process(io.LimitReader(zeros{}, imaging.MaxBytes), imaging.Avatar)
	if !apperr.Is(err, "unsupported_image_type") {
		t.Fatalf("5 MB exactly: %v, want it past the size check", err)
	}
}

// A JPEG that is also an HTML page (script in a comment segment and after
// the end-of-image marker) is a valid image; re-encoding must leave none of
// the script in what we serve.
func TestProcessStripsPolyglotPayload(t *testing.T) {
	const payload = "<script>alert(document.cookie)</script>"
	jpg := encodeJPEG(t, thirds(400, 400, 255), 90)
	jpg = withJPEGSegment(jpg, 0xFE, []byte(payload)) // COM
	jpg = append(jpg, []byte("<html><body>"+payload+"</body></html>")...)
	if !bytes.Contains(jpg, []byte(payload)) || http.DetectContentType(jpg) != "image/jpeg" {
		t.Fatal("test input is not the polyglot it claims to be")
	}
	for _, kind := range []imaging.Kind{imaging.Avatar, imaging.Logo} {
		res, err := imaging.Process(bytes.NewReader(jpg), kind)
		if err != nil {
			t.Fatalf("Process: %v", err)
		}
		if bytes.Contains(res.Bytes, []byte("<script")) || bytes.Contains(res.Bytes, []byte("alert(")) {
			t.Fatalf("kind %d: output still carries the script", kind)
		}
	}
}

// The same image twice gets the same key, a different image another.
func TestProcessKeyIsContentAddressed(t *testing.T) {
	in := encodePNG(t, thirds(100, 100, 255))
	a, err1 := imaging.Process(bytes.NewReader(in), imaging.Logo)
	b, err2 := imaging.Process(bytes.NewReader(in), imaging.Logo)
	c, err3 := imaging.Process(bytes.NewReader(encodePNG(t, thirds(100, 99, 255))), imaging.Logo)
	if err1 != nil || err2 != nil || err3 != nil {
		t.Fatal(err1, err2, err3)
	}
	if a.Key != b.Key || a.Key == c.Key {
		t.Fatalf("keys %s %s %s", a.Key, b.Key, c.Key)
	}
}

// BenchmarkProcessAvatar3MBJPEG measures what an avatar upload costs the
// server: a ~3 MB camera-like JPEG in, a 256x256 avatar out.
func BenchmarkProcessAvatar3MBJPEG(b *testing.B) {
	// Per-pixel noise barely compresses: at q95, 1800x1400 (2.5 MP) is
	// ~3 MB. A real 3 MB photo has more pixels (8-12 MP), so decoding it
	// costs more; this measures the upload limit's worst entropy case.
	img := image.NewRGBA(image.Rect(0, 0, 1800, 1400))
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range img.Pix {
		img.Pix[i] = uint8(rng.Uint32())
	}
	in := encodeJPEG(b, img, 95)
	b.SetBytes(int64(len(in)))
	for b.Loop() { // b.Loop excludes the set-up above from the timing
		if _, err := imaging.Process(bytes.NewReader(in), imaging.Avatar); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(in))/1e6, "MB_in")
}
