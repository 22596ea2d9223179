package httpx

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"syscall"
	"time"
)

// Retry policy. Variables, not constants, so tests can make them fast.
var (
	maxAttempts   = 3
	backoffBase   = 200 * time.Millisecond
	backoffCap    = 2 * time.Second
	retryAfterCap = 5 * time.Second
)

// retryTransport retries the failures that are safe to retry on the token
// and JWKS endpoints: 429, 500, 502, 503, 504 and a connection refused,
// reset or closed before any reply. It never retries another 4xx, a request
// whose body cannot be replayed, or a request whose context has ended.
type retryTransport struct {
	next          http.RoundTripper
	attempts      int
	base, cap     time.Duration
	retryAfterCap time.Duration
	sleep         func(ctx context.Context, d time.Duration) error
}

func newRetryTransport(next http.RoundTripper) *retryTransport {
	return &retryTransport{
		next:          next,
		attempts:      maxAttempts,
		base:          backoffBase,
		cap:           backoffCap,
		retryAfterCap: retryAfterCap,
		sleep:         sleepCtx,
	}
}

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	replayable := req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
	for attempt := 1; ; attempt++ {
		r := req
		if attempt > 1 && req.Body != nil && req.Body != http.NoBody {
			body, err := req.GetBody()
			if err != nil {
				return nil, err
			}
			r = req.Clone(ctx)
			r.Body = body
		}
		resp, err := t.next.RoundTrip(r)
		if attempt >= t.attempts || !replayable || ctx.Err() != nil {
			return resp, err
		}
		var wait time.Duration
		switch {
		case err != nil:
			if !retryableError(err) {
				return nil, err
			}
			wait = t.backoff(attempt)
		case retryableStatus(resp.StatusCode):
			wait = t.backoff(attempt)
			if ra, ok := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
				wait = min(ra, t.retryAfterCap)
			}
			// Drain a little so the connection can be reused, then let go.
			_, _ = io.CopyN(io.Discard, resp.Body, 64<<10)
			resp.Body.Close()
		default:
			return resp, nil
		}
		if err := t.sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

// backoff is "full jitter": a random wait in [0, min(cap, base*2^(n-1))].
func (t *retryTransport) backoff(attempt int) time.Duration {
	d := t.base << (attempt - 1)
	if d > t.cap || d <= 0 {
		d = t.cap
	}
	if d <= 0 {
		return 0
	}
	return rand.N(d + 1)
}

func retryableStatus(code int) bool {
	switch code {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// retryableError reports whether err means the server never answered: the
// connection was refused, reset, or closed before a reply. Timeouts are not
// retried: the caller's time is spent.
func retryableError(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	if IsTimeout(err) {
		return false
	}
	// net.ErrClosed: the transport closed the connection under a request
	// it was still writing, because the server reset it.
	return errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, net.ErrClosed) ||
		errors.Is(err, io.EOF) ||
		errors.Is(err, io.ErrUnexpectedEOF)
}

// parseRetryAfter reads a Retry-After value: delay-seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if n, err := strconv.Atoi(v); err == nil {
		if n < 0 {
			return 0, false
		}
		n = min(n, 24*3600) // the caller caps it far lower; avoid overflow

		return time.Duration(n) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return context.Cause(ctx)
	case <-timer.C:
		return nil
	}
}
