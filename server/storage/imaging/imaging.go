// Package imaging turns an untrusted upload into a small, clean image that
// is safe to serve from our own origin.
//
// Nothing the client says is trusted: not the file name, not the declared
// content type. The type is sniffed from the bytes, the dimensions are
// checked from the header before any pixel is decoded, and the image is
// always re-encoded from pixels, which drops EXIF/GPS metadata and any
// payload smuggled alongside the pixels (HTML/JS polyglots, ICC tricks).
package imaging

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"

	"golang.org/x/image/draw"
	"golang.org/x/image/webp"

	"github.com/betcity/betcity/server/apperr"
)

// Kind says what the image is for, which decides its output size and format.
type Kind int

const (
	// Avatar: center-cropped square, AvatarSize x AvatarSize.
	Avatar Kind = iota + 1
	// Logo: whole image kept, fitted inside LogoMaxSide, always PNG.
	Logo
)

const (
	MaxBytes    = 5 << 20    // upload limit
	MaxPixels   = 40_000_000 // refuse larger images before decoding them
	MaxSide     = 10_000
	AvatarSize  = 256
	LogoMaxSide = 512
	jpegQuality = 85
)

// Result is a processed image ready to store.
type Result struct {
	Bytes         []byte
	ContentType   string // image/png or image/jpeg
	Ext           string // ".png" or ".jpg", matching ContentType
	Width, Height int
	// Key is a content-addressed name (sha256 of Bytes + Ext): identical
	// uploads dedupe, and the URL can be cached forever because a new image
	// always gets a new key. Callers prefix it, e.g. "companies/7/avatars/".
	Key string
}

type format struct {
	decodeConfig func(io.Reader) (image.Config, error)
	decode       func(io.Reader) (image.Image, error)
}

// Decoders are chosen explicitly from the sniffed type, rather than through
// image.Decode's global registry, so a file sniffed as PNG is only ever
// parsed by the PNG decoder.
var formats = map[string]format{
	"image/png":  {png.DecodeConfig, png.Decode},
	"image/jpeg": {jpeg.DecodeConfig, jpeg.Decode},
	"image/gif":  {gif.DecodeConfig, gif.Decode}, // first frame only
	"image/webp": {webp.DecodeConfig, webp.Decode},
}

// Process validates and re-encodes one upload. It reads at most MaxBytes+1
// bytes from r, so an oversized upload is refused without being buffered.
func Process(r io.Reader, kind Kind) (Result, error) {
	if kind != Avatar && kind != Logo {
		return Result{}, fmt.Errorf("imaging: unknown kind %d", kind)
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxBytes+1))
	if err != nil {
		return Result{}, fmt.Errorf("imaging: read upload: %w", err)
	}
	if len(data) > MaxBytes {
		return Result{}, apperr.New(apperr.KindTooLarge, "file_too_large",
			fmt.Sprintf("the image must be at most %d MB", MaxBytes>>20))
	}
	if len(data) == 0 {
		return Result{}, apperr.New(apperr.KindValidation, "file_empty", "the file is empty")
	}

	ctype := http.DetectContentType(data)
	f, ok := formats[ctype]
	if !ok {
		return Result{}, apperr.New(apperr.KindUnsupportedMedia, "unsupported_image_type",
			"only PNG, JPEG, GIF and WebP images are accepted")
	}

	// The header alone tells the size of the pixel buffer decoding would
	// allocate; a 50 KB file can claim 50000x50000 (10 GB of RGBA).
	cfg, err := f.decodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return Result{}, corrupt()
	}
	if cfg.Width > MaxSide || cfg.Height > MaxSide || int64(cfg.Width)*int64(cfg.Height) > MaxPixels {
		return Result{}, apperr.New(apperr.KindTooLarge, "image_too_large_dimensions",
			fmt.Sprintf("the image is %dx%d; it must be at most %dx%d and %d megapixels",
				cfg.Width, cfg.Height, MaxSide, MaxSide, MaxPixels/1_000_000))
	}
	src, err := f.decode(bytes.NewReader(data))
	if err != nil {
		return Result{}, corrupt()
	}

	var dst *image.RGBA
	switch kind {
	case Avatar:
		dst = squareCrop(src, AvatarSize)
	case Logo:
		dst = fit(src, LogoMaxSide)
	}
	// Phones store photos sideways plus an EXIF rotation flag; since
	// re-encoding drops EXIF, apply the flag to the pixels. Centered crops
	// and aspect-keeping fits commute with rotation, so rotating the small
	// result is the same picture and far cheaper than rotating the source.
	if ctype == "image/jpeg" {
		dst = orient(dst, jpegOrientation(data))
	}
	return encode(dst, kind)
}

func corrupt() error {
	return apperr.Unprocessable("image_corrupt", "the image is damaged or truncated")
}

// squareCrop takes the largest centered square and scales it to side.
func squareCrop(src image.Image, side int) *image.RGBA {
	b := src.Bounds()
	n := min(b.Dx(), b.Dy())
	x0 := b.Min.X + (b.Dx()-n)/2
	y0 := b.Min.Y + (b.Dy()-n)/2
	dst := image.NewRGBA(image.Rect(0, 0, side, side))
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, image.Rect(x0, y0, x0+n, y0+n), draw.Src, nil)
	return dst
}

// fit scales src down (never up: upscaling only blurs a small logo) so
// both sides are at most maxSide, keeping the aspect ratio.
func fit(src image.Image, maxSide int) *image.RGBA {
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	if w > maxSide || h > maxSide {
		if w >= h {
			w, h = maxSide, max(1, h*maxSide/w)
		} else {
			w, h = max(1, w*maxSide/h), maxSide
		}
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	if w == b.Dx() && h == b.Dy() {
		draw.Draw(dst, dst.Bounds(), src, b.Min, draw.Src)
	} else {
		draw.CatmullRom.Scale(dst, dst.Bounds(), src, b, draw.Src, nil)
	}
	return dst
}

// encode picks the output format. Logos are always PNG: they are mostly
// flat colours and text with transparency, where PNG is both exact and
// small. Avatars are mostly photos, where JPEG q85 is several times smaller
// than PNG at 256x256 with no visible loss, so they are JPEG unless they
// actually use transparency, which JPEG would turn black.
func encode(img *image.RGBA, kind Kind) (Result, error) {
	var buf bytes.Buffer
	res := Result{Width: img.Rect.Dx(), Height: img.Rect.Dy()}
	if kind == Avatar && img.Opaque() {
		if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: jpegQuality}); err != nil {
			return Result{}, fmt.Errorf("imaging: encode jpeg: %w", err)
		}
		res.ContentType, res.Ext = "image/jpeg", ".jpg"
	} else {
		if err := png.Encode(&buf, img); err != nil {
			return Result{}, fmt.Errorf("imaging: encode png: %w", err)
		}
		res.ContentType, res.Ext = "image/png", ".png"
	}
	res.Bytes = buf.Bytes()
	sum := sha256.Sum256(res.Bytes)
	res.Key = hex.EncodeToString(sum[:]) + res.Ext
	return res, nil
}
