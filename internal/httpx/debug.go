package httpx

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/cogtool/cogtool/internal/redact"
)

// How much of a body the trace shows, and how much it reads ahead to redact
// a token that straddles the shown part.
const (
	debugBodyShown = 4 << 10
	debugBodyRead  = 64 << 10
)

// Headers whose values are never shown, whatever they hold.
var secretHeaders = map[string]bool{
	"Authorization":        true,
	"Proxy-Authorization":  true,
	"Cookie":               true,
	"Set-Cookie":           true,
	"X-Amz-Security-Token": true,
}

// debugTransport writes a curl -v style trace of each exchange:
//
//	> POST https://host/oauth2/token
//	> Authorization: Basic [redacted]
//	>
//	> grant_type=client_credentials&client_secret=[redacted]
//	< 200 OK (123ms)
//	< Content-Type: application/json
//	<
//	< {"access_token":"eyJraW...[redacted]",...}
//
// Every line goes through the run's redaction set, read at that moment (a
// password read after the client was built is hidden too), and the values
// the exchange's own request hides. The request block and the response block are each written in one piece, so
// concurrent requests do not interleave inside a block.
type debugTransport struct {
	next    http.RoundTripper
	w       io.Writer
	secrets *redact.Set // the run's, shared: read at every line
	extra   []string    // what the request being traced hides
	mu      *sync.Mutex
}

func newDebugTransport(next http.RoundTripper, w io.Writer, secrets *redact.Set) *debugTransport {
	return &debugTransport{next: next, w: w, secrets: secrets, mu: new(sync.Mutex)}
}

func (t *debugTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	body, req, err := peekRequestBody(req)
	if err != nil {
		return nil, err
	}
	// What this request hides (PASSWORD, SECRET_HASH, client_secret, the
	// Authorization credential) is hidden from its reply too: a server may
	// echo it in an error message.
	t = t.with(requestSecrets(req.Header, body))
	var b strings.Builder
	t.requestHead(&b, req)
	t.body(&b, "> ", body)
	t.write(b.String())

	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	elapsed := time.Since(start).Round(time.Millisecond)
	b.Reset()
	if err != nil {
		t.line(&b, "< ", fmt.Sprintf("error: %v (%s)", err, elapsed))
		t.write(b.String())
		return nil, err
	}
	t.line(&b, "< ", fmt.Sprintf("%s %s (%s)", resp.Proto, resp.Status, elapsed))
	t.headers(&b, "< ", resp.Header)
	shown, rerr := peekResponseBody(resp)
	t.body(&b, "< ", shown)
	if rerr != nil {
		t.line(&b, "< ", fmt.Sprintf("(error reading body: %v)", rerr))
	}
	t.write(b.String())
	return resp, nil
}

// requestHead writes the request line, Host and the headers.
func (t *debugTransport) requestHead(b *strings.Builder, req *http.Request) {
	t.line(b, "> ", req.Method+" "+URLString(req.URL))
	host := req.Host
	if host == "" {
		host = req.URL.Host
	}
	t.line(b, "> ", "Host: "+host)
	t.headers(b, "> ", req.Header)
}

// WriteRequestHead writes req's request line and headers to w as the
// --debug trace shows them, with the same rules: secret headers
// (Authorization, Cookie, X-Amz-Security-Token, ...) keep only their
// scheme, secrets are replaced wherever they appear, URL userinfo is
// dropped and control characters cannot reach the terminal. call -v uses
// it, so that -v and --debug print a request the same way.
func WriteRequestHead(w io.Writer, req *http.Request, secrets *redact.Set) {
	t := newDebugTransport(nil, w, secrets).with(requestSecrets(req.Header, nil))
	var b strings.Builder
	t.requestHead(&b, req)
	t.line(&b, "> ", "")
	t.write(b.String())
}

// with returns a copy of t that also redacts extra.
func (t *debugTransport) with(extra []string) *debugTransport {
	if len(extra) == 0 {
		return t
	}
	c := *t
	c.extra = append(slices.Clip(t.extra), extra...)
	return &c
}

// requestSecrets returns the values that the trace redacts in a request:
// the credential of each secret header, and each JSON string value or form
// value that redact.String hides where it stands (sensitive field names,
// tokens). The redaction policy stays redact's alone.
func requestSecrets(h http.Header, body []byte) []string {
	var out []string
	for name, vs := range h {
		if !secretHeaders[http.CanonicalHeaderKey(name)] {
			continue
		}
		for _, v := range vs {
			if _, cred, ok := strings.Cut(strings.TrimSpace(v), " "); ok {
				out = append(out, strings.TrimSpace(cred))
			}
			out = append(out, v)
		}
	}
	hidden := func(rendered, v string) {
		if len(v) >= 4 && redact.String(rendered) != rendered {
			out = append(out, v)
		}
	}
	var doc any
	if json.Unmarshal(body, &doc) == nil {
		walkJSON(doc, "", func(key, v string) {
			k, _ := json.Marshal(key)
			jv, _ := json.Marshal(v)
			hidden(string(k)+":"+string(jv), v)
		})
	} else if q, err := url.ParseQuery(string(body)); err == nil && len(body) > 0 {
		for k, vs := range q {
			for _, v := range vs {
				hidden(k+"="+url.QueryEscape(v), v)
			}
		}
	}
	return out
}

// walkJSON calls f for every string value in v with the key it sits under
// ("" in an array at the top).
func walkJSON(v any, key string, f func(key, value string)) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			walkJSON(e, k, f)
		}
	case []any:
		for _, e := range x {
			walkJSON(e, key, f)
		}
	case string:
		f(key, x)
	}
}

func (t *debugTransport) write(s string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	_, _ = io.WriteString(t.w, s)
}

func (t *debugTransport) line(b *strings.Builder, prefix, s string) {
	if s == "" {
		prefix = strings.TrimRight(prefix, " ")
	}
	b.WriteString(prefix)
	b.WriteString(redact.Line(t.secrets.Redact(s, t.extra...)))
	b.WriteByte('\n')
}

func (t *debugTransport) headers(b *strings.Builder, prefix string, h http.Header) {
	for _, name := range slices.Sorted(maps.Keys(h)) {
		for _, v := range h[name] {
			if secretHeaders[http.CanonicalHeaderKey(name)] {
				v = redactCredential(v)
			}
			t.line(b, prefix, name+": "+v)
		}
	}
}

// redactCredential keeps the scheme of an Authorization value and hides the
// rest: "Bearer eyJhbG...[redacted]", "Basic [redacted]".
func redactCredential(v string) string {
	scheme, cred, ok := strings.Cut(strings.TrimSpace(v), " ")
	if !ok || strings.ContainsAny(scheme, "=;,") {
		return redact.Marker
	}
	if strings.EqualFold(scheme, "Bearer") {
		return scheme + " " + redact.Token(strings.TrimSpace(cred))
	}
	return scheme + " " + redact.Marker
}

func (t *debugTransport) body(b *strings.Builder, prefix string, body []byte) {
	if len(body) == 0 {
		return
	}
	t.line(b, prefix, "")
	if !utf8.Valid(body) && len(body) < debugBodyRead {
		t.line(b, prefix, fmt.Sprintf("[%d bytes of binary data]", len(body)))
		return
	}
	text := redact.Printable(t.secrets.Redact(string(body), t.extra...))
	truncated := len(text) > debugBodyShown
	if truncated {
		cut := debugBodyShown
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut]
	}
	for l := range strings.Lines(text) {
		b.WriteString(prefix)
		b.WriteString(strings.TrimRight(l, "\r\n"))
		b.WriteByte('\n')
	}
	if truncated {
		b.WriteString(prefix)
		b.WriteString("[... body truncated]\n")
	}
}

// peekRequestBody returns (a prefix of) the request body for the trace and
// a request that still carries the whole body. A replayable body is read
// through GetBody and left untouched.
func peekRequestBody(req *http.Request) ([]byte, *http.Request, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, req, nil
	}
	if req.GetBody != nil {
		rc, err := req.GetBody()
		if err != nil {
			return nil, req, err
		}
		defer rc.Close()
		b, err := io.ReadAll(io.LimitReader(rc, debugBodyRead))
		return b, req, err
	}
	all, err := io.ReadAll(req.Body)
	req.Body.Close()
	if err != nil {
		return nil, req, fmt.Errorf("read request body: %w", err)
	}
	r := req.Clone(req.Context())
	r.Body = io.NopCloser(bytes.NewReader(all))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(all)), nil }
	r.ContentLength = int64(len(all))
	if len(all) > debugBodyRead {
		all = all[:debugBodyRead]
	}
	return all, r, nil
}

// peekResponseBody reads the start of the response body for the trace and
// puts it back in front of the rest, so the caller reads the whole body.
func peekResponseBody(resp *http.Response) ([]byte, error) {
	if resp.Body == nil || resp.Body == http.NoBody {
		return nil, nil
	}
	head, err := io.ReadAll(io.LimitReader(resp.Body, debugBodyRead))
	resp.Body = &replayBody{Reader: io.MultiReader(bytes.NewReader(head), errReader{err, resp.Body}), c: resp.Body}
	return head, err
}

type replayBody struct {
	io.Reader
	c io.Closer
}

func (b *replayBody) Close() error { return b.c.Close() }

// errReader yields err (a read error met while peeking) or else reads r.
type errReader struct {
	err error
	r   io.Reader
}

func (e errReader) Read(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	return e.r.Read(p)
}
