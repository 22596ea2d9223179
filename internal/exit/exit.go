// Package exit defines cogtool's exit codes and the one error type that
// carries them. The package where a failure happens returns an *exit.Error
// (or wraps one) with its documented code, and the cli reads it back with
// CodeOf; an error without one is exit 1, unexpected.
package exit

import (
	"errors"
	"fmt"
)

// Exit codes, as documented by `cogtool help exit-codes`.
const (
	OK          = 0
	Unexpected  = 1
	Usage       = 2 // bad flag, missing setting, unreadable input
	Rejected    = 3 // verify rejected the token
	Auth        = 4 // Cognito or the token endpoint refused the credentials
	Network     = 5 // network or service failure after retries
	Status      = 6 // call: unexpected HTTP status
	Challenge   = 7 // an auth challenge needs input that cannot be prompted for
	Interrupted = 130
)

// Kind names used in `-o json` error objects.
var kinds = map[int]string{
	Unexpected:  "unexpected",
	Usage:       "usage",
	Rejected:    "rejected",
	Auth:        "auth",
	Network:     "network",
	Status:      "status",
	Challenge:   "challenge",
	Interrupted: "interrupted",
}

// KindOf returns the short name of an exit code ("auth", "network", ...).
func KindOf(code int) string {
	if k, ok := kinds[code]; ok {
		return k
	}
	return "unexpected"
}

// Error is an error with an exit code. AWSError holds the AWS or OAuth error
// name (NotAuthorizedException, invalid_client) when there is one.
type Error struct {
	Code     int
	AWSError string
	// HTTPStatus is the status an API answered, for call's exit 6.
	HTTPStatus int
	Err        error
}

func (e *Error) Error() string { return e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// New returns an *Error with the given code and a formatted message. %w works.
func New(code int, format string, args ...any) *Error {
	return &Error{Code: code, Err: fmt.Errorf(format, args...)}
}

// Usagef, Rejectedf, Authf and Networkf are shorthands for New.
func Usagef(format string, args ...any) *Error    { return New(Usage, format, args...) }
func Rejectedf(format string, args ...any) *Error { return New(Rejected, format, args...) }
func Authf(format string, args ...any) *Error     { return New(Auth, format, args...) }
func Networkf(format string, args ...any) *Error  { return New(Network, format, args...) }

// CodeOf returns the exit code carried by err, or Unexpected.
func CodeOf(err error) int {
	if err == nil {
		return OK
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Unexpected
}

// AWSErrorOf returns the AWS/OAuth error name carried by err, if any.
func AWSErrorOf(err error) string {
	var e *Error
	for errors.As(err, &e) {
		if e.AWSError != "" {
			return e.AWSError
		}
		err = e.Err
	}
	return ""
}

// HTTPStatusOf returns the HTTP status carried by err, or 0.
func HTTPStatusOf(err error) int {
	var e *Error
	for errors.As(err, &e) {
		if e.HTTPStatus != 0 {
			return e.HTTPStatus
		}
		err = e.Err
	}
	return 0
}
