package httpx

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cogtool/cogtool/internal/exit"
)

// recordingRetry returns a client whose retry transport records the waits
// instead of sleeping them, and the list they are recorded in.
func recordingRetry(t *testing.T) (*http.Client, *retryTransport, *[]time.Duration) {
	t.Helper()
	rt := newRetryTransport(http.DefaultTransport.(*http.Transport).Clone())
	var mu sync.Mutex
	var waits []time.Duration
	rt.sleep = func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		waits = append(waits, d)
		mu.Unlock()
		return ctx.Err()
	}
	return &http.Client{Transport: rt}, rt, &waits
}

// statusSequence serves the given statuses in order (the last one repeats)
// and counts requests.
func statusSequence(t *testing.T, headers map[string]string, codes ...int) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		code := codes[min(i, len(codes)-1)]
		if code != http.StatusOK {
			for k, v := range headers {
				w.Header().Set(k, v)
			}
		}
		w.WriteHeader(code)
		io.WriteString(w, http.StatusText(code))
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func get(t *testing.T, c *http.Client, url string) (*http.Response, string) {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatalf("GET: %v", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return resp, string(b)
}

func TestRetry503WithRetryAfterThenSuccess(t *testing.T) {
	srv, n := statusSequence(t, map[string]string{"Retry-After": "2"}, 503, 200)
	c, _, waits := recordingRetry(t)
	resp, body := get(t, c, srv.URL)
	if resp.StatusCode != 200 || body != "OK" {
		t.Fatalf("got %d %q, want 200 OK", resp.StatusCode, body)
	}
	if got := n.Load(); got != 2 {
		t.Errorf("server saw %d requests, want 2", got)
	}
	if len(*waits) != 1 || (*waits)[0] != 2*time.Second {
		t.Errorf("waits = %v, want [2s] from Retry-After", *waits)
	}
}

func TestRetryAfterIsCapped(t *testing.T) {
	date := time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)
	for _, v := range []string{"3600", date} {
		srv, _ := statusSequence(t, map[string]string{"Retry-After": v}, 503, 200)
		c, rt, waits := recordingRetry(t)
		get(t, c, srv.URL)
		if len(*waits) != 1 || (*waits)[0] != rt.retryAfterCap {
			t.Errorf("Retry-After %q: waits = %v, want [%v]", v, *waits, rt.retryAfterCap)
		}
	}
}

func TestRetryPersistent500StopsAtThreeAttempts(t *testing.T) {
	srv, n := statusSequence(t, nil, 500)
	c, rt, waits := recordingRetry(t)
	resp, body := get(t, c, srv.URL)
	if resp.StatusCode != 500 || body != "Internal Server Error" {
		t.Fatalf("got %d %q, want the last 500 reply", resp.StatusCode, body)
	}
	if got := n.Load(); got != 3 {
		t.Errorf("server saw %d requests, want 3", got)
	}
	if len(*waits) != 2 {
		t.Fatalf("waited %d times, want 2", len(*waits))
	}
	for i, w := range *waits {
		if limit := rt.base << i; w < 0 || w > limit {
			t.Errorf("wait %d = %v, want within [0, %v] (full jitter)", i, w, limit)
		}
	}
}

func TestRetryStatuses(t *testing.T) {
	cases := []struct {
		code     int
		requests int32
	}{
		{429, 2}, {500, 2}, {502, 2}, {503, 2}, {504, 2},
		{400, 1}, {401, 1}, {403, 1}, {404, 1}, {409, 1}, {501, 1},
	}
	for _, c := range cases {
		srv, n := statusSequence(t, nil, c.code, 200)
		client, _, _ := recordingRetry(t)
		resp, _ := get(t, client, srv.URL)
		if got := n.Load(); got != c.requests {
			t.Errorf("status %d: server saw %d requests, want %d", c.code, got, c.requests)
		}
		if want := map[bool]int{true: 200, false: c.code}[c.requests == 2]; resp.StatusCode != want {
			t.Errorf("status %d: caller got %d, want %d", c.code, resp.StatusCode, want)
		}
	}
}

// dropFirst serves 200 but kills the connection of the first request
// before any reply: closed (EOF at the client) or reset (RST, linger 0).
func dropFirst(t *testing.T, reset bool) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err != nil {
				t.Errorf("hijack: %v", err)
				return
			}
			if tc, ok := conn.(*net.TCPConn); ok && reset {
				tc.SetLinger(0)
			}
			conn.Close()
			return
		}
		io.WriteString(w, "OK")
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func TestRetryConnectionDropped(t *testing.T) {
	for _, reset := range []bool{false, true} {
		srv, n := dropFirst(t, reset)
		c, _, _ := recordingRetry(t)
		resp, body := get(t, c, srv.URL)
		if resp.StatusCode != 200 || body != "OK" {
			t.Errorf("reset=%v: got %d %q", reset, resp.StatusCode, body)
		}
		if got := n.Load(); got != 2 {
			t.Errorf("reset=%v: server saw %d requests, want 2", reset, got)
		}
	}
}

func TestRetryConnectionRefused(t *testing.T) {
	url := closedURL(t)
	c, _, waits := recordingRetry(t)
	_, err := c.Get(url)
	if err == nil {
		t.Fatal("GET of a closed port succeeded")
	}
	if len(*waits) != 2 {
		t.Errorf("waited %d times, want 2 (three attempts)", len(*waits))
	}
	if got := Describe("token endpoint "+url, err).Error(); got != "token endpoint "+url+": connection refused" {
		t.Errorf("Describe = %q", got)
	}
}

// closedURL is an http URL on a loopback port that nothing listens on.
func closedURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr + "/oauth2/token"
}

func TestRetryReplaysPostBody(t *testing.T) {
	var mu sync.Mutex
	var bodies []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, r.Header.Get("Content-Type")+"|"+string(b))
		first := len(bodies) == 1
		mu.Unlock()
		if first {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		io.WriteString(w, `{"access_token":"x"}`)
	}))
	defer srv.Close()
	c, _, _ := recordingRetry(t)
	form := "grant_type=client_credentials&scope=a%2Fb"
	resp, err := c.Post(srv.URL, "application/x-www-form-urlencoded", strings.NewReader(form))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	want := "application/x-www-form-urlencoded|" + form
	if len(bodies) != 2 || bodies[0] != want || bodies[1] != want {
		t.Errorf("bodies = %q, want two of %q", bodies, want)
	}
}

// onlyReader hides strings.Reader so net/http cannot make a GetBody.
type onlyReader struct{ io.Reader }

func TestRetryNeverReplaysAnUnreplayableBody(t *testing.T) {
	srv, n := statusSequence(t, nil, 503, 200)
	c, _, _ := recordingRetry(t)
	req, _ := http.NewRequest("POST", srv.URL, onlyReader{strings.NewReader("once")})
	if req.GetBody != nil {
		t.Fatal("test setup: request has GetBody")
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 503 || n.Load() != 1 {
		t.Errorf("got %d after %d requests, want 503 after 1", resp.StatusCode, n.Load())
	}
}

func TestRetryContextCancelStopsBackoff(t *testing.T) {
	srv, n := statusSequence(t, nil, 503)
	rt := newRetryTransport(http.DefaultTransport)
	rt.base, rt.cap = time.Hour, time.Hour
	sleeping := make(chan struct{})
	rt.sleep = func(ctx context.Context, d time.Duration) error {
		close(sleeping)
		return sleepCtx(ctx, d)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-sleeping
		cancel()
	}()
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL, nil)
	_, err := (&http.Client{Transport: rt}).Do(req)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if got := n.Load(); got != 1 {
		t.Errorf("server saw %d requests, want 1", got)
	}
	if de := Describe("JWKS URL "+srv.URL, err); exit.CodeOf(de) != 130 {
		t.Errorf("Describe(cancelled) code = %d, want 130", exit.CodeOf(de))
	}
}

func TestTimeoutDuringBackoffIsNotRetried(t *testing.T) {
	defer setRetryVars(time.Hour, time.Hour, time.Hour)()
	srv, n := statusSequence(t, map[string]string{"Retry-After": "3600"}, 503)
	c := NewClient(Options{Timeout: 50 * time.Millisecond, Retry: true})
	_, err := c.Get(srv.URL)
	var te *TimeoutError
	if !errors.As(err, &te) || te.After != 50*time.Millisecond {
		t.Fatalf("err = %v, want a TimeoutError after 50ms", err)
	}
	if got := n.Load(); got != 1 {
		t.Errorf("server saw %d requests, want 1", got)
	}
	want := "token endpoint " + srv.URL + ": timed out after 50ms"
	if got := Describe("token endpoint "+srv.URL, err); got.Error() != want || exit.CodeOf(got) != 5 {
		t.Errorf("Describe = %q (code %d), want %q (code 5)", got, exit.CodeOf(got), want)
	}
}

// setRetryVars overrides the package retry policy and returns a restore.
func setRetryVars(base, cap, after time.Duration) func() {
	b, c, a := backoffBase, backoffCap, retryAfterCap
	backoffBase, backoffCap, retryAfterCap = base, cap, after
	return func() { backoffBase, backoffCap, retryAfterCap = b, c, a }
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	cases := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"0", 0, true},
		{"7", 7 * time.Second, true},
		{"-1", 0, false},
		{"soon", 0, false},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{now.Add(-time.Minute).Format(http.TimeFormat), 0, true},
		{"99999999999999999", 24 * time.Hour, true},
	}
	for _, c := range cases {
		got, ok := parseRetryAfter(c.in, now)
		if got != c.want || ok != c.ok {
			t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}
