package sigv4api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

var known = aws.Credentials{AccessKeyID: "ASIAKNOWN", SecretAccessKey: "known-secret", SessionToken: "known-session"}

func newAPI(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(New(Config{
		Service: "execute-api", Region: "us-east-1",
		Credentials: func(id string) (aws.Credentials, bool) { return known, id == known.AccessKeyID },
	}))
	t.Cleanup(srv.Close)
	return srv
}

// signed builds a request signed as `cogtool call --sigv4` signs it.
func signed(t *testing.T, method, url, body string, creds aws.Credentials, when time.Time) *http.Request {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	sum := sha256.Sum256([]byte(body))
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "execute-api", "us-east-1", when); err != nil {
		t.Fatal(err)
	}
	return req
}

func do(t *testing.T, req *http.Request) (int, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestSigned(t *testing.T) {
	srv := newAPI(t)
	for _, c := range []struct{ method, path, body string }{
		{"GET", "/items", ""},
		{"GET", "/items?b=2&a=1&sp=a%20b", ""},
		{"POST", "/items", `{"name":"x"}`},
		{"PUT", "/items/a%2Fb", "plain"},
	} {
		code, out := do(t, signed(t, c.method, srv.URL+c.path, c.body, known, time.Now()))
		if code != 200 || !strings.Contains(out, `"access_key_id":"ASIAKNOWN"`) {
			t.Errorf("%s %s: %d %s", c.method, c.path, code, out)
		}
	}
}

func TestRefused(t *testing.T) {
	srv := newAPI(t)
	other := known
	other.SecretAccessKey = "other-secret"
	unknown := known
	unknown.AccessKeyID = "ASIAUNKNOWN"
	noToken := known
	noToken.SessionToken = ""
	cases := map[string]func() *http.Request{
		"unsigned": func() *http.Request { r, _ := http.NewRequest("GET", srv.URL+"/items", nil); return r },
		"bearer": func() *http.Request {
			r, _ := http.NewRequest("GET", srv.URL+"/items", nil)
			r.Header.Set("Authorization", "Bearer eyJhbGciOiJub25lIn0.e30.")
			return r
		},
		"signature tampered": func() *http.Request {
			r := signed(t, "GET", srv.URL+"/items", "", known, time.Now())
			a := r.Header.Get("Authorization")
			last := a[len(a)-1]
			flip := byte('0')
			if last == '0' {
				flip = '1'
			}
			r.Header.Set("Authorization", a[:len(a)-1]+string(flip))
			return r
		},
		"query changed after signing": func() *http.Request {
			r := signed(t, "GET", srv.URL+"/items?admin=false", "", known, time.Now())
			r.URL.RawQuery = "admin=true"
			return r
		},
		"body changed after signing": func() *http.Request {
			r := signed(t, "POST", srv.URL+"/items", `{"amount":1}`, known, time.Now())
			r.Body = io.NopCloser(strings.NewReader(`{"amount":9}`))
			return r
		},
		"signed header changed": func() *http.Request {
			r := signed(t, "POST", srv.URL+"/items", `{}`, known, time.Now())
			r.Header.Set("Content-Type", "text/plain")
			return r
		},
		"method changed": func() *http.Request {
			r := signed(t, "GET", srv.URL+"/items", "", known, time.Now())
			r.Method = "DELETE"
			return r
		},
		"wrong secret":     func() *http.Request { return signed(t, "GET", srv.URL+"/items", "", other, time.Now()) },
		"unknown key":      func() *http.Request { return signed(t, "GET", srv.URL+"/items", "", unknown, time.Now()) },
		"no session token": func() *http.Request { return signed(t, "GET", srv.URL+"/items", "", noToken, time.Now()) },
		"stale date": func() *http.Request {
			return signed(t, "GET", srv.URL+"/items", "", known, time.Now().Add(-16*time.Minute))
		},
	}
	for name, req := range cases {
		code, out := do(t, req())
		if code != http.StatusForbidden || !strings.Contains(out, `"message"`) {
			t.Errorf("%s: %d %s, want 403", name, code, out)
		}
	}
	// Another region or service in the scope.
	srv2 := httptest.NewServer(New(Config{Service: "execute-api", Region: "eu-west-1",
		Credentials: func(string) (aws.Credentials, bool) { return known, true }}))
	defer srv2.Close()
	if code, out := do(t, signed(t, "GET", srv2.URL+"/x", "", known, time.Now())); code != 403 || !strings.Contains(out, "scope") {
		t.Errorf("region mismatch: %d %s", code, out)
	}
}
