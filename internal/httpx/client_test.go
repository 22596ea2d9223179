package httpx

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/cogtool/cogtool/internal/exit"
)

func TestNewClientVerifiesTLS(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "should not be reached")
	}))
	defer srv.Close()
	_, err := NewClient(Options{Timeout: time.Minute, Retry: true}).Get(srv.URL)
	if err == nil {
		t.Fatal("a self-signed certificate was accepted")
	}
	got := Describe("JWKS URL "+srv.URL, err)
	if exit.CodeOf(got) != exit.Network || !strings.Contains(got.Error(), "tls certificate is not trusted") {
		t.Errorf("Describe = %q (code %d)", got, exit.CodeOf(got))
	}
}

func TestNewClientUserAgent(t *testing.T) {
	var uas []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		uas = append(uas, r.UserAgent())
	}))
	defer srv.Close()
	c := NewClient(Options{UserAgent: "cogtool/1.2.3"})
	resp, err := c.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	req, _ := http.NewRequest("GET", srv.URL, nil)
	req.Header.Set("User-Agent", "mine")
	resp, err = c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if len(uas) != 2 || uas[0] != "cogtool/1.2.3" || uas[1] != "mine" {
		t.Errorf("user agents = %q, want [cogtool/1.2.3 mine]", uas)
	}
}

func TestNewClientTimeoutCoversTheBody(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "start")
		w.(http.Flusher).Flush()
		<-release // never finish the body while the test waits
	}))
	defer srv.Close()
	defer close(release) // before srv.Close, which waits for the handler
	resp, err := NewClient(Options{Timeout: 100 * time.Millisecond}).Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	_, err = io.ReadAll(resp.Body)
	if got := Describe("JWKS URL "+srv.URL, err); got == nil || got.Error() != "JWKS URL "+srv.URL+": timed out after 100ms" {
		t.Errorf("reading a stalled body: Describe = %v", got)
	}
}

func TestCheckURL(t *testing.T) {
	cases := []struct {
		raw string
		ok  bool
	}{
		{"https://dotnet-demo.auth.ap-south-1.amazoncognito.com/oauth2/token", true},
		{"http://127.0.0.1:9229/oauth2/token", true},
		{"http://localhost:8080/x", true},
		{"http://[::1]:8080/x", true},
		{"http://api.localhost/x", false}, // resolved by DNS and proxied like any name
		{"http://example.com/oauth2/token", false},
		{"http://10.0.0.1/x", false},
		{"ftp://example.com/x", false},
		{"example.com/x", false},
		{"https://", false},
		{"::not a url", false},
	}
	for _, c := range cases {
		u, err := CheckURL("token URL", c.raw)
		if (err == nil) != c.ok {
			t.Errorf("CheckURL(%q) err = %v, want ok=%v", c.raw, err, c.ok)
			continue
		}
		if err != nil && exit.CodeOf(err) != exit.Usage {
			t.Errorf("CheckURL(%q) code = %d, want %d", c.raw, exit.CodeOf(err), exit.Usage)
		}
		if err == nil && u.String() != c.raw {
			t.Errorf("CheckURL(%q) = %q", c.raw, u)
		}
	}
}
