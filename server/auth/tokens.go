// Package auth issues and verifies access tokens (JWT, HMAC-SHA256 only),
// makes opaque refresh tokens, and hashes passwords.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/crypto/bcrypt"

	"github.com/betcity/betcity/server/clock"
)

const (
	Issuer         = "betcity"
	AccessTokenTTL = 15 * time.Minute
	RefreshTTL     = 30 * 24 * time.Hour
)

// OperatorAudience is the audience of tokens minted on the bare base domain.
const OperatorAudience = "betcity:operator"

// CompanyAudience binds a token to one company, so a token minted on acme's
// host is worthless on globex's host and on the operator console.
func CompanyAudience(companyID int64) string {
	return "betcity:company:" + strconv.FormatInt(companyID, 10)
}

// Claims are what an access token asserts.
type Claims struct {
	Role string `json:"role"`
	jwt.RegisteredClaims
}

// Principal is the verified identity behind a request.
type Principal struct {
	UserID int64
	Role   string
	// Audience is the tenant the token was minted for.
	Audience string
}

type Tokens struct {
	secret []byte
	clock  clock.Clock
}

func NewTokens(secret string, clk clock.Clock) *Tokens {
	return &Tokens{secret: []byte(secret), clock: clk}
}

// Issue mints an access token for userID on the given audience.
func (t *Tokens) Issue(userID int64, role, audience string) (string, time.Duration, error) {
	now := t.clock.Now()
	claims := Claims{
		Role: role,
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    Issuer,
			Subject:   strconv.FormatInt(userID, 10),
			Audience:  jwt.ClaimStrings{audience},
			IssuedAt:  jwt.NewNumericDate(now),
			NotBefore: jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(AccessTokenTTL)),
		},
	}
	signed, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(t.secret)
	return signed, AccessTokenTTL, err
}

// ErrInvalidToken covers every reason a token is refused; callers answer 401
// without telling an attacker which check failed.
var ErrInvalidToken = errors.New("invalid access token")

// Verify checks the signature (HS256 only: `none` and every other alg are
// refused), issuer, audience, exp, nbf and iat.
func (t *Tokens) Verify(raw, audience string) (Principal, error) {
	parser := jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(Issuer),
		jwt.WithAudience(audience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithTimeFunc(t.clock.Now),
		jwt.WithLeeway(5*time.Second),
	)
	var claims Claims
	tok, err := parser.ParseWithClaims(raw, &claims, func(*jwt.Token) (any, error) { return t.secret, nil })
	if err != nil || !tok.Valid {
		return Principal{}, fmt.Errorf("%w: %v", ErrInvalidToken, err)
	}
	// Belt and braces: an iat in the future means a forged or skewed token.
	if claims.IssuedAt == nil || claims.IssuedAt.After(t.clock.Now().Add(time.Minute)) {
		return Principal{}, ErrInvalidToken
	}
	id, err := strconv.ParseInt(claims.Subject, 10, 64)
	if err != nil || id <= 0 {
		return Principal{}, ErrInvalidToken
	}
	return Principal{UserID: id, Role: claims.Role, Audience: audience}, nil
}

// NewOpaqueToken returns a random URL-safe token and the SHA-256 hex of it,
// which is all the database ever stores.
func NewOpaqueToken() (token, hash string, err error) {
	buf := make([]byte, 32)
	if _, err := rand.Read(buf); err != nil {
		return "", "", err
	}
	token = base64.RawURLEncoding.EncodeToString(buf)
	return token, HashToken(token), nil
}

// HashToken hashes an opaque token. Tokens carry 256 bits of entropy, so a
// plain SHA-256 (no salt, no stretching) is enough and keeps lookups indexed.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// RandomID returns n random bytes as hex.
func RandomID(n int) string {
	buf := make([]byte, n)
	if _, err := rand.Read(buf); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return hex.EncodeToString(buf)
}

// Passwords hashes with bcrypt at a configurable cost (tests lower it).
type Passwords struct {
	cost int
	// dummy lets a login for an unknown email spend the same time as a real
	// one, so response timing does not reveal which emails exist.
	dummy []byte
}

func NewPasswords(cost int) (*Passwords, error) {
	if cost == 0 {
		cost = bcrypt.DefaultCost
	}
	dummy, err := bcrypt.GenerateFromPassword([]byte(RandomID(16)), cost)
	if err != nil {
		return nil, err
	}
	return &Passwords{cost: cost, dummy: dummy}, nil
}

func (p *Passwords) Hash(password string) (string, error) {
	b, err := bcrypt.GenerateFromPassword([]byte(password), p.cost)
	return string(b), err
}

func (p *Passwords) Check(hash, password string) bool {
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) == nil
}

func (p *Passwords) Waste(password string) {
	_ = bcrypt.CompareHashAndPassword(p.dummy, []byte(password))
}
