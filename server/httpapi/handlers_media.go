package httpapi

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/betcity/betcity/server/accounts"
	"github.com/betcity/betcity/server/apperr"
	"github.com/betcity/betcity/server/storage"
	"github.com/betcity/betcity/server/storage/imaging"
)

// Images live in shared storage under content-addressed, tenant-prefixed
// keys:
//
//	c/<companyID>/avatars/<sha256>.<jpg|png>   members of that company only
//	c/<companyID>/logo/<sha256>.png            public (the login page shows it)
//
// The key names its company, so the media route can check the tenant before
// touching the database or the storage, and a new image always gets a new
// URL, which lets browsers cache it for as long as they like.

type mediaKind int

const (
	mediaAvatar mediaKind = iota + 1
	mediaLogo
)

var mediaFolders = map[string]mediaKind{"avatars": mediaAvatar, "logo": mediaLogo}

func avatarPrefix(companyID int64) string { return fmt.Sprintf("c/%d/avatars/", companyID) }
func logoPrefix(companyID int64) string   { return fmt.Sprintf("c/%d/logo/", companyID) }

// parseMediaKey accepts exactly the keys the upload handlers make, and
// nothing else: c/<id>/<folder>/<64 hex>.<jpg|png>.
func parseMediaKey(key string) (companyID int64, kind mediaKind, ok bool) {
	seg := strings.Split(key, "/")
	if len(seg) != 4 || seg[0] != "c" {
		return 0, 0, false
	}
	id, err := strconv.ParseInt(seg[1], 10, 64)
	if err != nil || id <= 0 || strconv.FormatInt(id, 10) != seg[1] {
		return 0, 0, false
	}
	kind = mediaFolders[seg[2]]
	if kind == 0 {
		return 0, 0, false
	}
	sum, ext, _ := strings.Cut(seg[3], ".")
	if len(sum) != 2*sha256.Size || strings.Trim(sum, "0123456789abcdef") != "" || (ext != "jpg" && ext != "png") {
		return 0, 0, false
	}
	return id, kind, true
}

// Avatar URLs are capability links: an <img> tag cannot send the bearer
// token, so the URL itself carries a signature over (company, key, expiry).
// The expiry is rounded to the hour, so every page in the same hour gets the
// same URL (and the browser's cache), and a link stays valid for 1 to 2 hours.
const (
	avatarLinkLife = 2 * time.Hour
	avatarMaxAge   = "private, max-age=3600"
	logoMaxAge     = "public, max-age=31536000, immutable"
)

func (s *Server) mediaSig(companyID int64, key string, exp int64) string {
	m := hmac.New(sha256.New, s.deps.MediaKey)
	fmt.Fprintf(m, "%d|%s|%d", companyID, key, exp)
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func (s *Server) signedAvatarURL(companyID int64, key string) string {
	exp := s.deps.Clock.Now().Truncate(time.Hour).Add(avatarLinkLife).Unix()
	return storage.MediaPrefix + key + "?exp=" + strconv.FormatInt(exp, 10) + "&sig=" + s.mediaSig(companyID, key, exp)
}

// validAvatarLink checks the signature and that the link has not expired.
// An expiry further ahead than we ever issue is refused too, so a link's
// life stays bounded even if one instance's clock ran ahead.
func (s *Server) validAvatarLink(companyID int64, key, rawExp, sig string) bool {
	exp, err := strconv.ParseInt(rawExp, 10, 64)
	if err != nil || sig == "" {
		return false
	}
	now := s.deps.Clock.Now().Unix()
	if exp < now || exp > now+int64((avatarLinkLife+time.Hour)/time.Second) {
		return false
	}
	return hmac.Equal([]byte(sig), []byte(s.mediaSig(companyID, key, exp)))
}

var (
	errMediaNotFound = &apperr.Error{Kind: apperr.KindNotFound, Code: "not_found", Message: "image not found"}
	errMediaLink     = &apperr.Error{Kind: apperr.KindForbidden, Code: "media_link_invalid",
		Message: "this image link is not valid or has expired; reload the page"}
	errTooLarge = apperr.New(apperr.KindTooLarge, "file_too_large",
		fmt.Sprintf("the image must be at most %d MB", imaging.MaxBytes>>20))
	errRawBody = apperr.New(apperr.KindUnsupportedMedia, "raw_body_required",
		"send the image itself as the request body (Content-Type: image/png, image/jpeg, image/webp or image/gif), not a form")
)

// receiveImage reads the raw request body (never more than imaging.MaxBytes
// plus one byte), re-encodes it and stores it under prefix. The declared
// Content-Type is not trusted: imaging sniffs the bytes.
func (s *Server) receiveImage(c echo.Context, kind imaging.Kind, prefix string) (string, error) {
	req := c.Request()
	if ct := strings.ToLower(req.Header.Get(echo.HeaderContentType)); strings.HasPrefix(ct, "multipart/") ||
		strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
		return "", errRawBody
	}
	if req.ContentLength > imaging.MaxBytes {
		return "", errTooLarge
	}
	data, err := io.ReadAll(io.LimitReader(http.MaxBytesReader(c.Response(), req.Body, imaging.MaxBytes+1), imaging.MaxBytes+1))
	if err != nil {
		return "", fmt.Errorf("read upload: %w", err)
	}
	if len(data) > imaging.MaxBytes {
		return "", errTooLarge
	}
	// Decoding can take a few hundred MB for a large photo; only a few run
	// at once per instance. The slot is taken after the body has arrived,
	// so slow clients cannot hold one.
	select {
	case s.imageSlots <- struct{}{}:
	case <-req.Context().Done():
		return "", req.Context().Err()
	}
	res, err := imaging.Process(bytes.NewReader(data), kind)
	<-s.imageSlots
	if err != nil {
		return "", err
	}
	key := prefix + res.Key
	if err := s.deps.Storage.Put(req.Context(), key, bytes.NewReader(res.Bytes), int64(len(res.Bytes)), res.ContentType); err != nil {
		return "", err
	}
	return key, nil
}

// Cleanup after the response is decided runs without the request's
// cancellation, so a client hanging up does not leave objects behind.
func cleanupCtx(c echo.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(c.Request().Context()), 10*time.Second)
}

// dropAvatar deletes an avatar object unless a member still uses it: keys
// are content-addressed, so two members with the same picture share one.
func (s *Server) dropAvatar(c echo.Context, sc accounts.Scope, key string) {
	ctx, cancel := cleanupCtx(c)
	defer cancel()
	used, err := s.deps.Accounts.AvatarVisible(ctx, sc, key)
	if err == nil && !used {
		err = s.deps.Storage.Delete(ctx, key)
	}
	if err != nil {
		s.deps.Logger.WarnContext(ctx, "avatar object left in storage", "key", key, "err", err.Error())
	}
}

// dropLogo deletes a logo object unless it is (again) the company's logo.
func (s *Server) dropLogo(c echo.Context, sc accounts.Scope, key string) {
	ctx, cancel := cleanupCtx(c)
	defer cancel()
	co, err := s.deps.Accounts.Company(ctx, sc)
	if err == nil && (co.LogoKey == nil || *co.LogoKey != key) {
		err = s.deps.Storage.Delete(ctx, key)
	}
	if err != nil {
		s.deps.Logger.WarnContext(ctx, "logo object left in storage", "key", key, "err", err.Error())
	}
}

// putAvatar: PUT /api/v1/me/avatar, the image as the raw body.
func (s *Server) putAvatar(c echo.Context) error {
	id := identityOf(c)
	key, err := s.receiveImage(c, imaging.Avatar, avatarPrefix(id.Scope.CompanyID))
	if err != nil {
		return err
	}
	old, err := s.deps.Accounts.SetAvatar(c.Request().Context(), id.Scope, id.User.ID, &key)
	if err != nil {
		s.dropAvatar(c, id.Scope, key)
		return err
	}
	if old != nil && *old != key {
		s.dropAvatar(c, id.Scope, *old)
	}
	u := *id.User
	u.AvatarKey = &key
	return c.JSON(http.StatusOK, s.presentUser(id.Tenant, &u))
}

// deleteAvatar clears the key first, then removes the object: a failed
// delete leaves an unreferenced file (logged), never a broken reference.
func (s *Server) deleteAvatar(c echo.Context) error {
	id := identityOf(c)
	old, err := s.deps.Accounts.SetAvatar(c.Request().Context(), id.Scope, id.User.ID, nil)
	if err != nil {
		return err
	}
	if old != nil {
		s.dropAvatar(c, id.Scope, *old)
	}
	u := *id.User
	u.AvatarKey = nil
	return c.JSON(http.StatusOK, s.presentUser(id.Tenant, &u))
}

// putLogo: PUT /api/v1/company/logo, the image as the raw body.
func (s *Server) putLogo(c echo.Context) error {
	id := identityOf(c)
	ctx := c.Request().Context()
	key, err := s.receiveImage(c, imaging.Logo, logoPrefix(id.Scope.CompanyID))
	if err != nil {
		return err
	}
	old, err := s.deps.Accounts.SetCompanyLogo(ctx, id.Scope, &key)
	if err != nil {
		s.dropLogo(c, id.Scope, key)
		return err
	}
	if old != nil && *old != key {
		s.dropLogo(c, id.Scope, *old)
	}
	co, err := s.deps.Accounts.Company(ctx, id.Scope)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.presentCompany(co))
}

func (s *Server) deleteLogo(c echo.Context) error {
	id := identityOf(c)
	ctx := c.Request().Context()
	old, err := s.deps.Accounts.SetCompanyLogo(ctx, id.Scope, nil)
	if err != nil {
		return err
	}
	if old != nil {
		s.dropLogo(c, id.Scope, *old)
	}
	co, err := s.deps.Accounts.Company(ctx, id.Scope)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.presentCompany(co))
}

// serveMedia: GET /media/<key>. Access is checked from the key alone first
// (which company, which kind, a valid link), then against the database, and
// only then is the storage touched, so a refused request learns nothing
// about what exists.
func (s *Server) serveMedia(c echo.Context) error {
	key := c.Param("*")
	companyID, kind, ok := parseMediaKey(key)
	if !ok {
		return errMediaNotFound
	}
	ctx := c.Request().Context()
	var cacheControl string
	switch kind {
	case mediaLogo:
		co, err := s.deps.Accounts.Company(ctx, accounts.CompanyScope(companyID))
		if apperr.Is(err, "company_not_found") {
			return errMediaNotFound
		}
		if err != nil {
			return err
		}
		if co.LogoKey == nil || *co.LogoKey != key {
			return errMediaNotFound
		}
		cacheControl = logoMaxAge
	case mediaAvatar:
		t := tenantOf(c)
		if t.Company == nil || t.Company.ID != companyID {
			return errMediaNotFound
		}
		if !s.validAvatarLink(companyID, key, c.QueryParam("exp"), c.QueryParam("sig")) {
			return errMediaLink
		}
		visible, err := s.deps.Accounts.AvatarVisible(ctx, t.Scope, key)
		if err != nil {
			return err
		}
		if !visible {
			return errMediaNotFound
		}
		cacheControl = avatarMaxAge
	}

	h := c.Response().Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'")
	h.Set("Cross-Origin-Resource-Policy", "same-site")

	// Presign mode: the browser fetches from S3 directly. The redirect is
	// not cached, because the presigned URL it points to expires.
	if u, err := s.deps.Storage.URL(ctx, key); err != nil {
		return err
	} else if strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://") {
		h.Set("Cache-Control", "no-store")
		return c.Redirect(http.StatusFound, u)
	}

	// The key is the SHA-256 of the bytes: the same ETag on every instance
	// and backend, and a revalidation needs no storage round trip.
	etag := `"` + strings.TrimSuffix(path.Base(key), path.Ext(key)) + `"`
	h.Set("Cache-Control", cacheControl)
	h.Set("ETag", etag)
	if etagMatches(c.Request().Header.Get("If-None-Match"), etag) {
		return c.NoContent(http.StatusNotModified)
	}

	rc, obj, err := s.deps.Storage.Get(ctx, key)
	if errors.Is(err, storage.ErrNotFound) {
		return errMediaNotFound
	}
	if err != nil {
		return err
	}
	defer rc.Close()
	ctype := obj.ContentType
	if ctype == "" {
		ctype = mime.TypeByExtension(path.Ext(key))
	}
	h.Set(echo.HeaderContentType, ctype)
	if rs, ok := rc.(io.ReadSeeker); ok {
		// Files: ServeContent adds ranges and Last-Modified.
		http.ServeContent(c.Response(), c.Request(), "", obj.ModTime, rs)
		return nil
	}
	if obj.Size > 0 {
		h.Set(echo.HeaderContentLength, strconv.FormatInt(obj.Size, 10))
	}
	c.Response().WriteHeader(http.StatusOK)
	_, err = io.Copy(c.Response(), rc)
	return err
}

// etagMatches implements If-None-Match's weak comparison.
func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}
