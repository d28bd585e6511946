// Package apperr holds the typed errors that domain code returns. The HTTP
// layer maps them to status codes in exactly one place, so domain packages
// never import Echo.
package apperr

import (
	"errors"
	"fmt"
	"time"
)

// Kind classifies an error for the transport layer.
type Kind int

const (
	KindInternal Kind = iota
	KindValidation
	KindUnauthorized
	KindForbidden
	KindNotFound
	KindConflict
	KindUnprocessable
	KindRateLimited
	KindUnavailable
	KindTooLarge
	KindUnsupportedMedia
)

// Error is a domain error with a stable machine-readable code, a human
// message and optional per-field messages.
type Error struct {
	Kind       Kind
	Code       string
	Message    string
	Fields     map[string]string
	RetryAfter time.Duration
	Err        error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return e.Code + ": " + e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// As extracts an *Error from err, if there is one in its chain.
func As(err error) (*Error, bool) {
	var ae *Error
	if errors.As(err, &ae) {
		return ae, true
	}
	return nil, false
}

// Is reports whether err carries the given code.
func Is(err error, code string) bool {
	ae, ok := As(err)
	return ok && ae.Code == code
}

func New(kind Kind, code, message string) *Error {
	return &Error{Kind: kind, Code: code, Message: message}
}

func NotFound(what string) *Error {
	return &Error{Kind: KindNotFound, Code: "not_found", Message: what + " not found"}
}

func Forbidden(message string) *Error {
	return &Error{Kind: KindForbidden, Code: "forbidden", Message: message}
}

func Unauthorized(code, message string) *Error {
	return &Error{Kind: KindUnauthorized, Code: code, Message: message}
}

func Conflict(code, message string) *Error {
	return &Error{Kind: KindConflict, Code: code, Message: message}
}

func Unprocessable(code, message string) *Error {
	return &Error{Kind: KindUnprocessable, Code: code, Message: message}
}

func Unavailable(code, message string, err error) *Error {
	return &Error{Kind: KindUnavailable, Code: code, Message: message, Err: err}
}

func RateLimited(message string, retryAfter time.Duration) *Error {
	return &Error{Kind: KindRateLimited, Code: "too_many_attempts", Message: message, RetryAfter: retryAfter}
}

// Fields accumulates per-field validation messages.
type Fields map[string]string

// Add records a message for field unless one is already there, so the first
// problem found for a field is the one reported.
func (f Fields) Add(field, message string) {
	if _, ok := f[field]; !ok {
		f[field] = message
	}
}

// Err returns a validation error when any field failed, or nil.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Kind: KindValidation, Code: "validation_failed", Message: "some fields are invalid", Fields: f}
}

// Invalid is a one-field validation error.
func Invalid(field, message string) *Error {
	return &Error{Kind: KindValidation, Code: "validation_failed", Message: "some fields are invalid", Fields: map[string]string{field: message}}
}
