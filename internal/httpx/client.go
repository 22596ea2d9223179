package httpx

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net/http"
	"time"
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
	// Secrets are extra values (client secret, password) that the trace
	// must never show, whatever field they appear in.
	Secrets []string
	// UserAgent is sent when the request sets none.
	UserAgent string
}

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

	var rt http.RoundTripper = base
	if o.Debug != nil {
		rt = newDebugTransport(rt, o.Debug, o.Secrets)
	}
	if o.Retry {
		rt = newRetryTransport(rt)
	}
	if o.UserAgent != "" {
		rt = &userAgentTransport{next: rt, ua: o.UserAgent}
	}
	if o.Timeout > 0 {
		rt = &timeoutTransport{next: rt, d: o.Timeout}
	}
	return &http.Client{Transport: rt}
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
