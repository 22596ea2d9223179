// Package httpx holds cogtool's HTTP plumbing: the plain-http guard, the
// bounded retry transport for the token and JWKS endpoints, and the
// redacting --debug trace. It never disables TLS verification.
package httpx

import (
	"net"
	"net/url"
	"strings"

	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/redact"
)

// CheckURL parses raw and refuses anything but https, or plain http to a
// loopback host: a secret or token must not cross the network in clear.
// what names the endpoint in the error ("token URL", "JWKS URL", ...).
// The error is an *exit.Error with code exit.Usage; it never shows the
// URL's userinfo.
func CheckURL(what, raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, exit.Usagef("%s %q is not an http(s) URL", what, RedactURL(raw))
	}
	if err := checkParsed(what, u); err != nil {
		return nil, err
	}
	return u, nil
}

// checkParsed is CheckURL's rule for a parsed URL; every request cogtool
// sends passes it again at send time (see guardTransport).
func checkParsed(what string, u *url.URL) error {
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if IsLoopback(u.Hostname()) {
			return nil
		}
		return exit.Usagef("%s %s uses plain http to a non-loopback host; use https", what, URLString(u))
	}
	return exit.Usagef("%s %s is not an http(s) URL", what, URLString(u))
}

// IsLoopback reports whether host is `localhost` itself or a literal
// loopback address (127.0.0.0/8, ::1). Names under .localhost are not:
// Go resolves them through DNS and sends them through HTTP_PROXY like any
// other name, so they could leave the machine.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// RedactURL returns raw without its userinfo (user:password@), for
// printing. A string that does not parse as a URL loses whatever stands
// between "://" and the last @ of its authority.
func RedactURL(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		if u.User == nil {
			return raw
		}
		return URLString(u)
	}
	return redact.URLUserinfo(raw)
}

// URLString is u.String() without its userinfo.
func URLString(u *url.URL) string {
	if u == nil {
		return ""
	}
	if u.User == nil {
		return u.String()
	}
	c := *u
	c.User = nil
	return c.String()
}

// Endpoint is how a message names where a request went: u without its
// userinfo, query and fragment, which can carry credentials and codes.
func Endpoint(u *url.URL) string {
	if u == nil {
		return ""
	}
	c := *u
	c.User, c.RawQuery, c.ForceQuery, c.Fragment, c.RawFragment = nil, "", false, "", ""
	return c.String()
}
