package httpx

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
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

// Reason is the short description Describe gives of err ("connection
// refused", "timed out after 30s", "tls certificate is not trusted: ..."),
// without the endpoint, for callers that word the rest of the line
// themselves.
func Reason(err error) string { return describe(err) }

// Reasoned returns err worded by Reason ("connection reset") that still
// unwraps to err, so errors.Is and errors.As see the cause.
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
	case isTimeout(err):
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
		return oneLine(urlErr.Err.Error())
	}
	return oneLine(err.Error())
}

// isTimeout reports whether any error in err's chain says it is a timeout
// (errors.As alone stops at *url.Error, whose Timeout looks one level deep).
func isTimeout(err error) bool {
	for err != nil {
		if t, ok := err.(interface{ Timeout() bool }); ok && t.Timeout() {
			return true
		}
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			err = u.Unwrap()
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				if isTimeout(e) {
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

// StatusError describes a reply that cannot be used: a non-2xx status or a
// body that is not the JSON the endpoint should send (an HTML page from a
// proxy or a captive portal). 5xx, 429 and anything unexpected give code 5;
// 401, 403 and OAuth/Cognito credential errors give code 4, with the error
// name in AWSError. The message carries a short redacted snippet of body:
// "token endpoint https://host/oauth2/token: 503 Service Unavailable: <title>".
func StatusError(endpoint string, resp *http.Response, body []byte) error {
	status := resp.Status
	if status == "" {
		status = strconv.Itoa(resp.StatusCode) + " " + http.StatusText(resp.StatusCode)
	}
	status = redact.Line(status)
	name, desc := errorFields(body)
	html := isHTML(resp.Header.Get("Content-Type"), body)

	code := exit.Network
	var msg string
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		msg = "throttled (" + status + ")"
	case resp.StatusCode >= 500:
		msg = status
	case html:
		msg = status + " with an HTML page instead of JSON (a proxy or login page?)"
	case resp.StatusCode == http.StatusUnauthorized, resp.StatusCode == http.StatusForbidden,
		resp.StatusCode >= 400 && authErrorNames[name]:
		code, msg = exit.Auth, status
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		msg = status + " with a reply that is not JSON"
	default:
		msg = status
	}

	var snippet string
	switch {
	case html:
		snippet = htmlSnippet(body)
	case name != "":
		snippet = name
		if desc != "" {
			snippet += ": " + desc
		}
	default:
		snippet = string(body)
	}
	if snippet = redact.Shorten(snippet, 160); snippet != "" {
		msg += ": " + snippet
	}
	return &exit.Error{Code: code, AWSError: name, Err: &describedError{
		msg: redact.String(endpoint) + ": " + msg,
	}}
}

// authErrorNames are replies that mean "these credentials were refused".
var authErrorNames = map[string]bool{
	"invalid_client":            true,
	"invalid_grant":             true,
	"unauthorized_client":       true,
	"access_denied":             true,
	"NotAuthorizedException":    true,
	"UserNotFoundException":     true,
	"UserNotConfirmedException": true,
}

// errorFields picks the error name and description from an OAuth error
// ({"error":..,"error_description":..}) or an AWS JSON error
// ({"__type":"...#NotAuthorizedException","message":..}).
func errorFields(body []byte) (name, desc string) {
	var v struct {
		Error       any    `json:"error"`
		Description string `json:"error_description"`
		Type        string `json:"__type"`
		Message     string `json:"message"`
		MessageCap  string `json:"Message"`
	}
	if json.Unmarshal(body, &v) != nil {
		return "", ""
	}
	if s, ok := v.Error.(string); ok && s != "" {
		return s, v.Description
	}
	if v.Type != "" {
		v.Type, _, _ = strings.Cut(v.Type, ":")
		v.Type = v.Type[strings.LastIndexByte(v.Type, '#')+1:]
		if v.Message == "" {
			v.Message = v.MessageCap
		}
		return v.Type, v.Message
	}
	return "", ""
}

func isHTML(contentType string, body []byte) bool {
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(contentType)), "text/html") {
		return true
	}
	b := strings.ToLower(strings.TrimSpace(string(body[:min(len(body), 512)])))
	return strings.HasPrefix(b, "<!doctype html") || strings.HasPrefix(b, "<html")
}

var htmlRes = sync.OnceValue(func() [2]*regexp.Regexp {
	return [2]*regexp.Regexp{
		regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`),
		regexp.MustCompile(`(?s)<[^>]*>`),
	}
})

// htmlSnippet is the page's title, or else its text without tags.
func htmlSnippet(body []byte) string {
	re := htmlRes()
	if m := re[0].FindSubmatch(body); m != nil && len(strings.TrimSpace(string(m[1]))) > 0 {
		return string(m[1])
	}
	return re[1].ReplaceAllString(string(body), " ")
}

func oneLine(s string) string { return redact.Line(s) }
