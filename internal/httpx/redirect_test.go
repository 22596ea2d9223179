package httpx

import (
	"encoding/pem"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/cogtool/cogtool/internal/exit"
)

type countingServer struct {
	*httptest.Server
	hits atomic.Int32
	auth atomic.Value
}

func newCounting(t *testing.T, tls bool, h http.HandlerFunc) *countingServer {
	s := &countingServer{}
	s.auth.Store("")
	hf := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		s.auth.Store(r.Header.Get("Authorization"))
		h(w, r)
	})
	if tls {
		s.Server = httptest.NewTLSServer(hf)
	} else {
		s.Server = httptest.NewServer(hf)
	}
	t.Cleanup(s.Close)
	return s
}

func bundle(t *testing.T, srv *httptest.Server) string {
	p := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func getAuth(c *http.Client, u, auth string) (*http.Response, error) {
	req, _ := http.NewRequest("GET", u, nil)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := c.Do(req)
	if err == nil {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	return resp, err
}

func TestRedirectsRefusedByDefault(t *testing.T) {
	target := newCounting(t, false, func(w http.ResponseWriter, r *http.Request) {})
	for _, code := range []int{301, 302, 303, 307, 308} {
		src := newCounting(t, false, func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, target.URL+"/x", code)
		})
		for _, retry := range []bool{false, true} {
			_, err := getAuth(NewClient(Options{Retry: retry}), src.URL, "Basic c2VjcmV0OnZhbHVl")
			var re *RedirectError
			if !errors.As(err, &re) {
				t.Fatalf("%d: err = %v, want a RedirectError", code, err)
			}
			if got := Describe("token endpoint "+src.URL, err).Error(); !strings.Contains(got, "not followed: this endpoint does not redirect") {
				t.Errorf("Describe = %q", got)
			}
		}
	}
	if n := target.hits.Load(); n != 0 {
		t.Errorf("the redirect target got %d requests", n)
	}
}

func TestFollowRedirectsChecked(t *testing.T) {
	plain := newCounting(t, false, func(w http.ResponseWriter, r *http.Request) {})
	tlsSrc := newCounting(t, true, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, plain.URL+"/down", http.StatusFound)
	})
	c := NewClient(Options{FollowRedirects: true, CABundle: bundle(t, tlsSrc.Server)})
	_, err := getAuth(c, tlsSrc.URL, "Bearer tok")
	var re *RedirectError
	if !errors.As(err, &re) || !strings.Contains(re.Reason, "https to plain http") {
		t.Errorf("https -> http: err = %v", err)
	}
	if plain.hits.Load() != 0 {
		t.Error("a downgrade was followed")
	}

	away := newCounting(t, false, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://192.0.2.1/steal", http.StatusTemporaryRedirect)
	})
	if _, err := getAuth(c, away.URL, "Bearer tok"); !errors.As(err, &re) || !strings.Contains(re.Reason, "non-loopback") {
		t.Errorf("http to a non-loopback host: err = %v", err)
	}

	loop := newCounting(t, false, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.Path, http.StatusFound)
	})
	if _, err := getAuth(c, loop.URL+"/a", ""); !errors.As(err, &re) || !strings.Contains(re.Reason, "stopped after 10") {
		t.Errorf("loop: err = %v", err)
	}
}

func TestFollowRedirectsDropsAuthorizationOnOriginChange(t *testing.T) {
	other := newCounting(t, false, func(w http.ResponseWriter, r *http.Request) {})
	u, _ := url.Parse(other.URL)
	_, port, _ := strings.Cut(u.Host, ":")
	for name, target := range map[string]string{
		"port":   other.URL + "/p",                  // same host, other port
		"host":   "http://localhost:" + port + "/h", // same port, other host
		"scheme": "",                                // set below
	} {
		if target == "" {
			continue
		}
		src := newCounting(t, false, func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, target, http.StatusFound)
		})
		if _, err := getAuth(NewClient(Options{FollowRedirects: true}), src.URL, "Bearer secret-token"); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := other.auth.Load().(string); got != "" {
			t.Errorf("%s change: the new origin received Authorization %q", name, got)
		}
	}
	var same *countingServer
	same = newCounting(t, false, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/" {
			http.Redirect(w, r, same.URL+"/next", http.StatusFound)
		}
	})
	if _, err := getAuth(NewClient(Options{FollowRedirects: true}), same.URL, "Bearer secret-token"); err != nil {
		t.Fatal(err)
	}
	if got := same.auth.Load().(string); got != "Bearer secret-token" {
		t.Errorf("same origin: Authorization %q, want it kept", got)
	}
}

func TestGuardChecksEveryRequest(t *testing.T) {
	for _, raw := range []string{"http://192.0.2.1/x", "http://api.localhost:1/x", "http://localhost.example.com/x", "ftp://127.0.0.1/x"} {
		_, err := getAuth(NewClient(Options{}), raw, "")
		if exit.CodeOf(Describe("endpoint", err)) != exit.Usage {
			t.Errorf("%s: err = %v, want a usage error before any connection", raw, err)
		}
	}
}

func TestLoopbackNeverProxied(t *testing.T) {
	proxy, _ := url.Parse("http://192.0.2.9:3128")
	pf := proxyFunc(func(*http.Request) (*url.URL, error) { return proxy, nil })
	for raw, want := range map[string]*url.URL{
		"http://127.0.0.1:8080/":   nil,
		"http://localhost:8080/":   nil,
		"http://[::1]:8080/":       nil,
		"http://127.9.9.9/":        nil,
		"https://api.example.com/": proxy,
		"http://foo.localhost:80/": proxy, // not loopback, so refused before this in practice
		"https://LOCALHOST:8443/x": nil,
	} {
		req, _ := http.NewRequest("GET", raw, nil)
		got, err := pf(req)
		if err != nil || got != want {
			t.Errorf("%s: proxy %v, want %v", raw, got, want)
		}
	}
}

func TestIsLoopback(t *testing.T) {
	for host, want := range map[string]bool{
		"localhost": true, "LocalHost": true, "127.0.0.1": true, "127.1.2.3": true, "::1": true,
		"foo.localhost": false, "localhost.": false, "localhost.example.com": false,
		"127.0.0.1.nip.io": false, "0.0.0.0": false, "::": false, "example.com": false,
	} {
		if got := IsLoopback(host); got != want {
			t.Errorf("IsLoopback(%q) = %v, want %v", host, got, want)
		}
	}
}

func TestCABundle(t *testing.T) {
	srv := newCounting(t, true, func(w http.ResponseWriter, r *http.Request) {})
	if _, err := getAuth(NewClient(Options{CABundle: bundle(t, srv.Server)}), srv.URL, ""); err != nil {
		t.Errorf("with the CA bundle: %v", err)
	}
	if _, err := getAuth(NewClient(Options{}), srv.URL, ""); err == nil {
		t.Error("without the CA bundle the certificate was trusted")
	}
	_, err := getAuth(NewClient(Options{CABundle: filepath.Join(t.TempDir(), "missing.pem")}), srv.URL, "")
	if exit.CodeOf(Describe("x", err)) != exit.Usage || !strings.Contains(err.Error(), "AWS_CA_BUNDLE") {
		t.Errorf("missing bundle: %v", err)
	}
}

func TestURLStringDropsUserinfo(t *testing.T) {
	u, _ := url.Parse("https://user:pass@example.com/p?q=1")
	if got := URLString(u); got != "https://example.com/p?q=1" {
		t.Errorf("URLString = %q", got)
	}
	if got := RedactURL("https://user:pass@example.com/p"); strings.Contains(got, "pass") || strings.Contains(got, "user") {
		t.Errorf("RedactURL = %q", got)
	}
	_, err := CheckURL("URL", "http://user:pass@192.0.2.1/")
	if err == nil || strings.Contains(err.Error(), "pass") {
		t.Errorf("CheckURL error = %v", err)
	}
	_, err = CheckURL("URL", "gopher://user:pass@example.com/")
	if err == nil || strings.Contains(err.Error(), "pass") {
		t.Errorf("CheckURL error = %v", err)
	}
}

func TestEndpointDropsCredentialsAndCodes(t *testing.T) {
	for raw, want := range map[string]string{
		"https://user:pass@auth.example.com/oauth2/token?code=abc#state=x": "https://auth.example.com/oauth2/token",
		"http://127.0.0.1:9229/?":                      "http://127.0.0.1:9229/",
		"https://cognito-idp.us-east-1.amazonaws.com/": "https://cognito-idp.us-east-1.amazonaws.com/",
	} {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		if got := Endpoint(u); got != want {
			t.Errorf("Endpoint(%s) = %q, want %q", raw, got, want)
		}
		if u.String() != raw {
			t.Errorf("Endpoint changed its argument: %s", u)
		}
	}
	if Endpoint(nil) != "" {
		t.Error("Endpoint(nil) is not empty")
	}
}
