package httpx

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/url"
	"syscall"

	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/redact"
)

// describedError is a one-line message that still unwraps to the cause.
type describedError struct {
	msg string
	err error
}

func (e *describedError) Error() string { return e.msg }
func (e *describedError) Unwrap() error { return e.err }

// Describe turns an error from an HTTP client call into a one-line
// *exit.Error (code 5, network) that names the endpoint and what went
// wrong: "token endpoint https://host/oauth2/token: connection refused".
// endpoint is shown as given (after redaction), so pass what a user will
// recognise ("token endpoint " + URL, "JWKS URL " + URL). An error that
// already carries an exit code is returned as it is; a cancelled context
// becomes code 130 (interrupted).
func Describe(endpoint string, err error) error {
	if err == nil {
		return nil
	}
	var xe *exit.Error
	if errors.As(err, &xe) {
		var ue *url.Error
		if errors.As(err, &ue) {
			// A guard refusal inside a client call: its own message
			// already names the URL.
			return xe
		}
		return err
	}
	code, msg := exit.Network, describe(err)
	if errors.Is(err, context.Canceled) {
		code, msg = exit.Interrupted, "interrupted"
	}
	return &exit.Error{Code: code, Err: &describedError{
		msg: redact.String(endpoint) + ": " + redact.String(msg),
		err: err,
	}}
}

// Reasoned returns err worded as Describe words it, without the endpoint
// ("connection refused", "timed out after 30s", "tls certificate is not
// trusted: ..."), for callers that word the rest of the line themselves.
// It still unwraps to err, so errors.Is and errors.As see the cause.
func Reasoned(err error) error {
	if err == nil {
		return nil
	}
	return &reasonError{msg: describe(err), err: err}
}

type reasonError struct {
	msg string
	err error
}

func (e *reasonError) Error() string { return e.msg }
func (e *reasonError) Unwrap() error { return e.err }

func describe(err error) string {
	var (
		te      *TimeoutError
		dnsErr  *net.DNSError
		certErr *tls.CertificateVerificationError
		unknown x509.UnknownAuthorityError
		hostErr x509.HostnameError
		invalid x509.CertificateInvalidError
		recErr  tls.RecordHeaderError
		urlErr  *url.Error
	)
	switch {
	case errors.As(err, &te):
		return te.Error()
	case errors.Is(err, context.DeadlineExceeded):
		return "timed out"
	case IsTimeout(err):
		return "timed out"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return "connection reset"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed):
		// net.ErrClosed: the transport closed the connection under a
		// request still being written, after the server reset it.
		return "connection closed by the server before a complete reply"
	case errors.As(err, &dnsErr):
		if dnsErr.IsNotFound {
			return "cannot resolve host " + dnsErr.Name + ": no such host"
		}
		return "cannot resolve host " + dnsErr.Name + ": " + dnsErr.Err
	case errors.As(err, &hostErr):
		return "tls certificate is not valid for this host: " + hostErr.Error()
	case errors.As(err, &unknown):
		return "tls certificate is not trusted: " + unknown.Error()
	case errors.As(err, &invalid):
		return "tls certificate is not valid: " + invalid.Error()
	case errors.As(err, &certErr):
		return "tls certificate is not trusted: " + certErr.Err.Error()
	case errors.As(err, &recErr):
		return "the server did not answer with TLS (plain http on that port?)"
	case errors.As(err, &urlErr):
		// Drop the `Post "URL": ` prefix: the endpoint is already named.
		return redact.Line(urlErr.Err.Error())
	}
	return redact.Line(err.Error())
}

// IsTimeout reports whether any error in err's chain says it is a timeout.
// It is the one timeout test of the module: errors.As(err, &net.Error) alone
// stops at *url.Error, whose Timeout looks only one level deep.
func IsTimeout(err error) bool {
	for err != nil {
		if t, ok := err.(interface{ Timeout() bool }); ok && t.Timeout() {
			return true
		}
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			err = u.Unwrap()
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				if IsTimeout(e) {
					return true
				}
			}
			return false
		default:
			return false
		}
	}
	return false
}
