package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// hostedUI is an in-process hosted UI: /oauth2/authorize signs the user
// in at once (or refuses, when deny is set) and redirects to the
// redirect_uri with a code; /oauth2/token exchanges the code when the PKCE
// verifier matches the challenge (RFC 7636) and the client authenticates.
func hostedUI(t *testing.T, deny bool) *httptest.Server {
	var mu sync.Mutex
	challenges := map[string]string{} // code → code_challenge
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/oauth2/authorize":
			q := r.URL.Query()
			back, err := url.Parse(q.Get("redirect_uri"))
			if err != nil || q.Get("response_type") != "code" || q.Get("client_id") != "runclient" || q.Get("code_challenge_method") != "S256" {
				http.Error(w, "bad authorize request", http.StatusBadRequest)
				return
			}
			v := url.Values{"state": {q.Get("state")}}
			if deny {
				v.Set("error", "access_denied")
				v.Set("error_description", "User is not allowed to use this client")
			} else {
				mu.Lock()
				challenges["code-0001"] = q.Get("code_challenge")
				mu.Unlock()
				v.Set("code", "code-0001")
			}
			back.RawQuery = v.Encode()
			http.Redirect(w, r, back.String(), http.StatusFound)
		case "/oauth2/token":
			user, pass, _ := r.BasicAuth()
			mu.Lock()
			challenge := challenges[r.FormValue("code")]
			mu.Unlock()
			sum := sha256.Sum256([]byte(r.FormValue("code_verifier")))
			w.Header().Set("Content-Type", "application/json")
			switch {
			case user != "runclient" || pass != "login-secret":
				w.WriteHeader(http.StatusUnauthorized)
				w.Write([]byte(`{"error":"invalid_client"}`))
			case challenge == "" || base64.RawURLEncoding.EncodeToString(sum[:]) != challenge:
				w.WriteHeader(http.StatusBadRequest)
				w.Write([]byte(`{"error":"invalid_grant"}`))
			default:
				w.Write([]byte(`{"access_token":"` + runAccessToken(t, runIssuer) + `","id_token":"` + runIDToken(t, runIssuer) +
					`","refresh_token":"` + runRefreshToken() + `","expires_in":3600,"token_type":"Bearer"}`))
			}
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// browserOnStderr is stderr that, when login shows the authorize URL,
// opens it as a browser would: it follows the hosted UI's redirect to
// cogtool's callback. Writes come from login's goroutine, reads after it.
type browserOnStderr struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	opened bool
	t      *testing.T
}

var authorizeLine = regexp.MustCompile(`(?m)^  (http://\S+/oauth2/authorize\?\S+)$`)

func (b *browserOnStderr) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	n, err := b.buf.Write(p)
	if m := authorizeLine.FindStringSubmatch(b.buf.String()); m != nil && !b.opened {
		b.opened = true
		go func() {
			resp, err := http.Get(m[1])
			if err != nil {
				b.t.Errorf("browser: %v", err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}()
	}
	return n, err
}

func (b *browserOnStderr) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var loginRandomParts = regexp.MustCompile(`(state|code_challenge)=[A-Za-z0-9_-]+|localhost(:|%3A)[0-9]+`)

// TestTokenLoginRunTable: the authorization code flow with PKCE against an
// in-process hosted UI, the browser played by the test: the URL shown on
// stderr, the callback on a free loopback port, the code exchanged; a
// refused sign-in is exit 4.
func TestTokenLoginRunTable(t *testing.T) {
	for _, tt := range []struct {
		name string
		deny bool
	}{{"signed-in", false}, {"refused", true}} {
		for _, tty := range []bool{true, false} {
			name := tt.name + "-" + ttyName(tty)
			t.Run(name, func(t *testing.T) {
				ui := hostedUI(t, tt.deny)
				w := newTokenWorld(t)
				r := newRunIO(tty)
				stderr := &browserOnStderr{t: t}
				r.IO.ErrOut = stderr
				r.randomTokens, r.machine, r.wallClock = true, "token", true
				ts := w.sources(r, "", "")
				ts.Settings.ClientID, ts.Settings.Domain, ts.Settings.TokenURL = "runclient", ui.URL, ui.URL+"/oauth2/token"
				ts.AppSecret = func() (string, error) { return "login-secret", nil }
				d := tokenDeps{IO: r.IO, Output: resolveOutput(r.IO, "", "token"), Now: time.Now, Sources: ts}
				ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
				defer cancel()
				err := tokenGetRun(ctx, &tokenGetOptions{tokenDeps: d, Tokens: tokenFlags{Which: "access", MinTTL: time.Minute},
					Flow: flowInput{Flow: "login", Asked: true, NoBrowser: true, PortSet: true, Port: 0, Answer: newAnswerer(answerFactory(d))}})
				r.ErrOut.WriteString(loginRandomParts.ReplaceAllStringFunc(stderr.String(), func(s string) string {
					if host, _, ok := strings.Cut(s, "%3A"); ok {
						return host + "%3APORT"
					}
					if strings.HasPrefix(s, "localhost:") {
						return "localhost:PORT"
					}
					name, _, _ := strings.Cut(s, "=")
					return name + "=<random>"
				}))
				r.check(t, "token-login/"+name, err, ui.URL, "https://runtables.auth.us-east-1.amazoncognito.com")
			})
		}
	}
}
