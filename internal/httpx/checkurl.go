// Package httpx holds cogtool's HTTP plumbing: the plain-http guard, the
// bounded retry transport for the token and JWKS endpoints, and the
// redacting --debug trace. It never disables TLS verification.
package httpx

import (
	"net"
	"net/url"
	"strings"

	"github.com/cogtool/cogtool/internal/exit"
)

// CheckURL parses raw and refuses anything but https, or plain http to a
// loopback host: a secret or token must not cross the network in clear.
// what names the endpoint in the error ("token URL", "JWKS URL", ...).
// The error is an *exit.Error with code exit.Usage.
func CheckURL(what, raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, exit.Usagef("%s %q is not an http(s) URL", what, raw)
	}
	if u.Scheme == "http" && !IsLoopback(u.Hostname()) {
		return nil, exit.Usagef("%s %s uses plain http to a non-loopback host; use https", what, raw)
	}
	return u, nil
}

// IsLoopback reports whether host is localhost or a loopback address.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
