package cli_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/cogtool/cogtool/internal/cli"
	"github.com/cogtool/cogtool/internal/decode"
	"github.com/cogtool/cogtool/internal/iostreams"
)

// fuzzRun runs one command line in process, with no environment at all.
func fuzzRun(stdin string, args ...string) hardResult {
	io, in, out, errOut := iostreams.Test()
	in.WriteString(stdin)
	code := cli.Run(context.Background(), io, args, func(string) string { return "" })
	return hardResult{code: code, stdout: out.String(), stderr: errOut.String()}
}

// fuzzOneLine reports whether stderr is one "cogtool: " line.
func fuzzOneLine(stderr string) bool {
	return strings.HasPrefix(stderr, "cogtool: ") && strings.Count(stderr, "\n") == 1 && strings.HasSuffix(stderr, "\n")
}

// FuzzDecodeInputForms checks the forms a token may be pasted in, through
// the whole command: `cogtool decode -` (and `decode <arg>`) succeed
// exactly when decode.Normalize and decode.Parse accept the input, print
// one JSON document or one error line, and for a bare token the forms
// "Bearer <t>", "Authorization: Bearer <t>", surrounding white space and
// jq's quotes all print the same as the bare token.
func FuzzDecodeInputForms(f *testing.F) {
	for _, s := range []string{
		hardFakeToken,
		"Bearer " + hardFakeToken,
		"authorization: bearer\t" + hardFakeToken + "\r\n",
		`"` + hardFakeToken + `"`,
		"eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d",
		"Bearer",
		"a.b",
		"-x",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := fuzzRun(s, "decode", "-")
		norm, nerr := decode.Normalize(s)
		var perr error
		if nerr == nil {
			_, perr = decode.Parse(norm)
		}
		switch r.code {
		case 0:
			if nerr != nil || perr != nil {
				t.Fatalf("decode accepted %q, which the library refuses (%v, %v)", s, nerr, perr)
			}
			var doc struct {
				Header map[string]any `json:"header"`
			}
			if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || doc.Header == nil || r.stderr != "" {
				t.Fatalf("decode of %q printed no JSON document with a header (%v):\n%s", s, err, r)
			}
		case 2:
			if nerr == nil && perr == nil {
				t.Fatalf("decode refused %q, which the library accepts:\n%s", s, r)
			}
			if r.stdout != "" || !fuzzOneLine(r.stderr) {
				t.Fatalf("decode of %q: not one error line:\n%s", s, r)
			}
		default:
			t.Fatalf("decode of %q: exit %d\n%s", s, r.code, r)
		}
		if !strings.HasPrefix(s, "-") {
			if a := fuzzRun("", "decode", s); a != r {
				t.Fatalf("decode %q as an argument differs from stdin:\n%s\n---\n%s", s, a, r)
			}
		}
		if nerr != nil || norm != s {
			return
		}
		for _, w := range []string{
			"Bearer " + s,
			"Authorization: Bearer " + s,
			"AUTHORIZATION:bearer\t" + s,
			" \t\n" + s + "\r\n",
			`"` + s + `"`,
		} {
			if got, err := decode.Normalize(w); err != nil || got != s {
				t.Fatalf("Normalize(%q) = %q, %v; want %q", w, got, err, s)
			}
			if wr := fuzzRun(w, "decode", "-"); wr != r {
				t.Fatalf("decode of %q differs from the bare token's:\n%s\n---\n%s", w, wr, r)
			}
		}
	})
}

// callRecorder is an API that remembers the last request's headers.
type callRecorder struct {
	mu       sync.Mutex
	requests int
	header   http.Header
}

func (c *callRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	c.requests++
	c.header = r.Header.Clone()
	c.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// Headers the HTTP client owns: a -H value for them is not sent as given.
var clientOwned = map[string]bool{
	"Authorization": true, "Host": true, "Content-Length": true, "Transfer-Encoding": true,
	"Trailer": true, "Connection": true, "Te": true, "Upgrade": true, "Keep-Alive": true,
	"Proxy-Connection": true, "Accept-Encoding": true,
}

// FuzzCallHeader drives `cogtool call -H <header> --token <token>` at a
// local API. Whatever the two inputs, call either refuses them as bad input
// (exit 2, one line, no request) or sends exactly one request carrying the
// header as parsed ("Name: value", trimmed) and "Authorization: Bearer"
// with the token as decode.Normalize reads it. It never fails in the
// network (exit 5) for something the user typed.
func FuzzCallHeader(f *testing.F) {
	for _, s := range [][2]string{
		{"X-Request-Id: 42", hardFakeToken},
		{"Accept:application/json", "Bearer " + hardFakeToken},
		{"X-Empty:", "Authorization: Bearer abc"},
		{" X-Spaced :  v  ", `"abc"`},
		{"X-Foo", hardFakeToken},
		{": v", hardFakeToken},
		{"X-A: 1\r\nX-B: 2", hardFakeToken},
		{"X-A: b", ""},
	} {
		f.Add(s[0], s[1])
	}
	rec := &callRecorder{}
	srv := httptest.NewServer(rec)
	f.Cleanup(srv.Close)
	f.Fuzz(func(t *testing.T, header, token string) {
		rec.mu.Lock()
		before := rec.requests
		rec.mu.Unlock()
		r := fuzzRun("", "call", "-H", header, "--token", token, "--timeout", "10s", srv.URL+"/api")
		rec.mu.Lock()
		sent, got := rec.requests-before, rec.header
		rec.mu.Unlock()
		switch r.code {
		case 0:
		case 2:
			if sent != 0 || !fuzzOneLine(r.stderr) || r.stdout != "" {
				t.Fatalf("refused with a request or not one line (%d requests):\n%s", sent, r)
			}
			return
		default:
			t.Fatalf("call -H %q --token %q: exit %d\n%s", header, token, r.code, r)
		}
		if sent != 1 {
			t.Fatalf("%d requests, want 1", sent)
		}
		name, value, ok := strings.Cut(header, ":")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if !ok || name == "" {
			t.Fatalf("call accepted header %q", header)
		}
		if key := http.CanonicalHeaderKey(name); !clientOwned[key] {
			if vs := got.Values(key); len(vs) != 1 || vs[0] != value {
				t.Fatalf("header %q arrived as %q: %q", header, key, vs)
			}
		}
		norm, err := decode.Normalize(token)
		if err != nil {
			t.Fatalf("call accepted token %q, which Normalize refuses: %v", token, err)
		}
		if a := got.Get("Authorization"); a != "Bearer "+norm {
			t.Fatalf("token %q arrived as %q", token, a)
		}
	})
}
