package httpx

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/fsutil"
	"github.com/cogtool/cogtool/internal/redact"
)

// Options configures NewClient.
type Options struct {
	// Timeout bounds each request as a whole: connecting, every retry and
	// its backoff, and reading the response body. Zero means no bound.
	Timeout time.Duration
	// Retry enables the bounded retry transport (token and JWKS endpoints).
	Retry bool
	// Debug, when set, receives a redacted trace of every attempt.
	Debug io.Writer
	// Secrets is the run's redaction set: values (client secret, password,
	// tokens) the trace must never show, whatever field they appear in. It
	// is read at each request, so values added after the client was built
	// are hidden too. Nil hides what the trace's own rules hide.
	Secrets *redact.Set
	// UserAgent is sent when the request sets none.
	UserAgent string
	// FollowRedirects lets the client follow redirects (call only). Each
	// hop must pass CheckURL's rule, may not go from https to http, and
	// loses its Authorization header when the origin (scheme, host or
	// port) differs from the first request's. Without it, a redirect is an
	// error: the token, revoke, JWKS and user-pool endpoints never redirect.
	FollowRedirects bool
	// AllowHTTPHost lets plain http through to exactly this host:port (call
	// --allow-http, which the user gave for this run). Redirects still may
	// not go from https to http.
	AllowHTTPHost string
	// CABundle names a PEM file of extra CA certificates trusted beside the
	// system's (AWS_CA_BUNDLE). A bundle that cannot be read fails every
	// request with exit code 2.
	CABundle string
}

// maxRedirects bounds the hops a FollowRedirects client follows.
const maxRedirects = 10

// NewClient returns a client for cogtool's endpoints. Its transport is a
// clone of http.DefaultTransport (proxy settings from the environment, TLS
// verification always on). The layers, outermost first:
//
//	timeout -> user agent -> retry -> debug -> network
//
// The debug trace sits inside the retry loop so that every attempt, and the
// status that caused a retry, is shown. The timeout is applied by the
// outermost layer rather than http.Client.Timeout so that its error can say
// how long it waited (see TimeoutError and Describe); with redirects, each
// hop gets the full timeout.
func NewClient(o Options) *http.Client {
	base := http.DefaultTransport.(*http.Transport).Clone()
	if base.TLSClientConfig == nil {
		base.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	base.TLSClientConfig.InsecureSkipVerify = false
	base.Proxy = proxyFunc(envProxy)
	var bundleErr error
	if o.CABundle != "" {
		base.TLSClientConfig.RootCAs, bundleErr = loadCABundle(o.CABundle)
	}

	var rt http.RoundTripper = base
	if o.Debug != nil {
		rt = newDebugTransport(rt, o.Debug, o.Secrets)
	}
	rt = &guardTransport{next: rt, err: bundleErr, allowHTTPHost: o.AllowHTTPHost}
	if o.Retry {
		rt = newRetryTransport(rt)
	}
	if o.UserAgent != "" {
		rt = &userAgentTransport{next: rt, ua: o.UserAgent}
	}
	if o.Timeout > 0 {
		rt = &timeoutTransport{next: rt, d: o.Timeout}
	}
	c := &http.Client{Transport: rt, CheckRedirect: RefuseRedirect}
	if o.FollowRedirects {
		c.CheckRedirect = checkRedirect
	}
	return c
}

// envProxy is the proxy chosen by HTTPS_PROXY, HTTP_PROXY and NO_PROXY.
var envProxy = http.ProxyFromEnvironment

// proxyFunc never sends a request for a loopback host through a proxy,
// whatever the environment says: such a request may carry a secret over
// plain http because it is not meant to leave the machine.
func proxyFunc(next func(*http.Request) (*url.URL, error)) func(*http.Request) (*url.URL, error) {
	return func(req *http.Request) (*url.URL, error) {
		if IsLoopback(req.URL.Hostname()) {
			return nil, nil
		}
		return next(req)
	}
}

// guardTransport applies CheckURL's rule to every request at the moment it
// is sent, whatever built its URL: a redirect, an endpoint the AWS SDK took
// from the shared config or the environment, a URL read from a file.
type guardTransport struct {
	next          http.RoundTripper
	err           error  // set when the client could not be built (a bad CA bundle)
	allowHTTPHost string // Options.AllowHTTPHost
}

func (t *guardTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.err != nil {
		closeBody(req)
		return nil, t.err
	}
	allowed := t.allowHTTPHost != "" && req.URL.Scheme == "http" && strings.EqualFold(req.URL.Host, t.allowHTTPHost)
	if err := checkParsed("request to", req.URL); err != nil && !allowed {
		closeBody(req)
		return nil, err
	}
	return t.next.RoundTrip(req)
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}

// RedirectError is returned for a redirect cogtool does not follow.
type RedirectError struct {
	From, To *url.URL
	Reason   string
}

func (e *RedirectError) Error() string {
	return "redirected to " + URLString(e.To) + ", not followed: " + e.Reason
}

// RefuseRedirect is an http.Client CheckRedirect that follows no redirect:
// the request fails with a *RedirectError naming where it was sent.
func RefuseRedirect(req *http.Request, via []*http.Request) error {
	return &RedirectError{From: via[len(via)-1].URL, To: req.URL, Reason: "this endpoint does not redirect"}
}

// checkRedirect is the rule for call: the next hop passes the same checks
// as the first URL, never goes from https to http, and loses the
// Authorization header (and cookies) when its origin is not the first
// request's.
func checkRedirect(req *http.Request, via []*http.Request) error {
	prev := via[len(via)-1].URL
	if len(via) >= maxRedirects {
		return &RedirectError{From: prev, To: req.URL, Reason: fmt.Sprintf("stopped after %d redirects", maxRedirects)}
	}
	if prev.Scheme == "https" && req.URL.Scheme != "https" {
		return &RedirectError{From: prev, To: req.URL, Reason: "it goes from https to plain http"}
	}
	if err := checkParsed("redirect", req.URL); err != nil {
		return &RedirectError{From: prev, To: req.URL, Reason: "plain http to a non-loopback host"}
	}
	if origin(req.URL) != origin(via[0].URL) {
		for _, h := range []string{"Authorization", "Proxy-Authorization", "Cookie"} {
			req.Header.Del(h)
		}
	}
	return nil
}

// origin is scheme://host:port with the default port made explicit.
func origin(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Hostname()) + ":" + port
}

// loadCABundle returns the system's roots plus the certificates in path.
func loadCABundle(path string) (*x509.CertPool, error) {
	pem, err := fsutil.ReadFile(path, 4<<20)
	if err != nil {
		return nil, exit.Usagef("AWS_CA_BUNDLE: %w", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, exit.Usagef("AWS_CA_BUNDLE %s: no PEM certificate in it", path)
	}
	return pool, nil
}

type userAgentTransport struct {
	next http.RoundTripper
	ua   string
}

func (t *userAgentTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Header.Get("User-Agent") == "" {
		req = req.Clone(req.Context())
		req.Header.Set("User-Agent", t.ua)
	}
	return t.next.RoundTrip(req)
}

// TimeoutError is returned when a request ran out of its Options.Timeout.
type TimeoutError struct {
	After time.Duration
}

func (e *TimeoutError) Error() string { return "timed out after " + e.After.String() }

// Timeout makes TimeoutError a net.Error-style timeout.
func (e *TimeoutError) Timeout() bool { return true }

// Is lets errors.Is(err, context.DeadlineExceeded) hold for a timeout.
func (e *TimeoutError) Is(target error) bool { return target == context.DeadlineExceeded }

type timeoutTransport struct {
	next http.RoundTripper
	d    time.Duration
}

func (t *timeoutTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	timeout := &TimeoutError{After: t.d}
	ctx, cancel := context.WithTimeoutCause(req.Context(), t.d, timeout)
	resp, err := t.next.RoundTrip(req.WithContext(ctx))
	if err != nil {
		err = timeoutCause(ctx, err)
		cancel()
		return nil, err
	}
	resp.Body = &cancelBody{ReadCloser: resp.Body, ctx: ctx, cancel: cancel}
	return resp, nil
}

// timeoutCause replaces err by the TimeoutError when our own deadline is
// what ended the request (not a cancellation by the caller).
func timeoutCause(ctx context.Context, err error) error {
	var te *TimeoutError
	if ctx.Err() != nil && errors.As(context.Cause(ctx), &te) && !errors.As(err, &te) {
		return &timeoutWrap{TimeoutError: te, err: err}
	}
	return err
}

// timeoutWrap says "timed out after 30s" but keeps the underlying error in
// the chain.
type timeoutWrap struct {
	*TimeoutError
	err error
}

func (e *timeoutWrap) Unwrap() []error { return []error{e.TimeoutError, e.err} }

// cancelBody releases the request's deadline once the caller is done with
// the body, and names the timeout if it struck while reading.
type cancelBody struct {
	io.ReadCloser
	ctx    context.Context
	cancel context.CancelFunc
}

func (b *cancelBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil && err != io.EOF {
		err = timeoutCause(b.ctx, err)
	}
	return n, err
}

func (b *cancelBody) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}
