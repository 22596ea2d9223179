package httpx

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cogtool/cogtool/internal/redact"
)

const testJWT = "eyJraWQiOiJhYmMiLCJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3OC1hYmNkIiwidG9rZW5fdXNlIjoiYWNjZXNzIn0.c2lnbmF0dXJlLWJ5dGVzLWhlcmUtYW5kLW1vcmU"

// syncBuffer is a bytes.Buffer safe for the transport and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestDebugTraceRedactsAndKeepsBodies(t *testing.T) {
	const (
		clientSecret = "cs-7f3a9b2c1d0e"
		password     = "Secr3t!pass"
		custom       = "custom-secret-value"
	)
	// A reply bigger than what the trace reads ahead, so that the caller
	// must get the peeked part and the rest back together.
	reply := `{"access_token":"` + testJWT + `","token_type":"Bearer","pad":"` + strings.Repeat("x", 100<<10) + `"}`
	var gotBody string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		gotBody = string(b)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Set-Cookie", "XSRF-TOKEN=abcdef0123; Path=/")
		io.WriteString(w, reply)
	}))
	defer srv.Close()

	var trace syncBuffer
	c := NewClient(Options{Debug: &trace, Secrets: redactSet(clientSecret, custom), UserAgent: "cogtool/test"})
	form := "grant_type=password&username=alice&password=" + password + "&client_secret=" + clientSecret
	req, _ := http.NewRequest("POST", srv.URL+"/oauth2/token?x=1", onlyReader{strings.NewReader(form)})
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth("client-id", clientSecret)
	req.Header.Set("X-Custom", custom)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if string(body) != reply {
		t.Errorf("caller got %d bytes of body, want the whole %d-byte reply", len(body), len(reply))
	}
	if gotBody != form {
		t.Errorf("server got body %q, want %q", gotBody, form)
	}

	out := trace.String()
	for _, want := range []string{
		"> POST " + srv.URL + "/oauth2/token?x=1\n",
		"> Authorization: Basic [redacted]\n",
		"> User-Agent: cogtool/test\n",
		"> X-Custom: [redacted]\n",
		"< HTTP/1.1 200 OK (",
		"< Content-Type: application/json\n",
		"< Set-Cookie: [redacted]\n",
		`"access_token":"eyJraW...[redacted]"`,
		"password=[redacted]",
		"[... body truncated]",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("trace lacks %q", want)
		}
	}
	for _, secret := range []string{clientSecret, password, custom, testJWT[20:], "abcdef0123"} {
		if strings.Contains(out, secret) {
			t.Errorf("trace shows secret %q", secret)
		}
	}
	if len(out) > 16<<10 {
		t.Errorf("trace is %d bytes; bodies should be capped", len(out))
	}
	if t.Failed() {
		t.Logf("trace:\n%.3000s", out)
	}
}

func TestDebugTracesEveryAttempt(t *testing.T) {
	defer setRetryVars(0, 0, 0)()
	srv, n := statusSequence(t, map[string]string{"Retry-After": "0"}, 503, 200)
	var trace syncBuffer
	c := NewClient(Options{Debug: &trace, Retry: true, Timeout: time.Minute})
	resp, err := c.Post(srv.URL, "application/json", strings.NewReader(`{"PASSWORD":"hunter22"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	out := trace.String()
	if n.Load() != 2 || strings.Count(out, "> POST "+srv.URL) != 2 {
		t.Errorf("%d requests, trace:\n%s", n.Load(), out)
	}
	if !strings.Contains(out, "< HTTP/1.1 503 Service Unavailable (") || !strings.Contains(out, "< HTTP/1.1 200 OK (") {
		t.Errorf("trace lacks the statuses:\n%s", out)
	}
	if strings.Contains(out, "hunter22") || strings.Count(out, `{"PASSWORD":"[redacted]"}`) != 2 {
		t.Errorf("password not redacted in each attempt:\n%s", out)
	}
}

func TestDebugTraceShowsErrors(t *testing.T) {
	var trace syncBuffer
	url := closedURL(t) + "?code=abc123"
	c := NewClient(Options{Debug: &trace})
	if _, err := c.Get(url); err == nil {
		t.Fatal("GET of a closed port succeeded")
	}
	out := trace.String()
	if !strings.Contains(out, "< error: ") || !strings.Contains(out, "connection refused") {
		t.Errorf("trace lacks the error:\n%s", out)
	}
	if strings.Contains(out, "abc123") {
		t.Errorf("trace shows the code:\n%s", out)
	}
}

func TestRedactCredential(t *testing.T) {
	cases := map[string]string{
		"Bearer " + testJWT:                 "Bearer eyJraW...[redacted]",
		"Basic Y2xpZW50OnNlY3JldA==":        "Basic [redacted]",
		"AWS4-HMAC-SHA256 Credential=AKIA/": "AWS4-HMAC-SHA256 [redacted]",
		"rawtoken":                          "[redacted]",
		"a=b; c=d":                          "[redacted]",
	}
	for in, want := range cases {
		if got := redactCredential(in); got != want {
			t.Errorf("redactCredential(%q) = %q, want %q", in, got, want)
		}
	}
}

func redactSet(values ...string) *redact.Set {
	s := redact.NewSet()
	s.Add(values...)
	return s
}

// The trace reads the run's set at each request: a password read after the
// client was built (as a sign-in reads it, once the cache missed) is hidden
// wherever it appears, here in a field no name rule covers and in a reply
// that echoes it.
func TestDebugHidesSecretAddedAfterClientBuilt(t *testing.T) {
	const late = "late-password-value"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"message":"no user with password `+late+`"}`)
	}))
	defer srv.Close()
	var trace syncBuffer
	set := redact.NewSet()
	c := NewClient(Options{Debug: &trace, Secrets: set})
	set.Add(late)
	resp, err := c.Post(srv.URL, "application/json", strings.NewReader(`{"Note":"`+late+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	out := trace.String()
	if strings.Contains(out, late) || strings.Count(out, redact.Marker) < 2 {
		t.Errorf("trace shows the secret added after the client was built:\n%s", out)
	}
	var head strings.Builder
	req, _ := http.NewRequest("GET", srv.URL+"/x?note="+late, nil)
	WriteRequestHead(&head, req, set)
	if strings.Contains(head.String(), late) {
		t.Errorf("WriteRequestHead shows the secret:\n%s", head.String())
	}
}
