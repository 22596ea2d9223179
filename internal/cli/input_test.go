package cli

import (
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cogtool/cogtool/internal/cognito"
	"github.com/cogtool/cogtool/internal/iostreams"
	"github.com/cogtool/cogtool/internal/redact"
)

// inputFactory is a Factory as Run makes it, with stdin and environment.
func inputFactory(stdin string, env map[string]string) (*Factory, *iostreams.IOStreams) {
	ios, in, _, _ := iostreams.Test()
	in.WriteString(stdin)
	return &Factory{IO: ios, Getenv: func(k string) string { return env[k] }, secrets: redact.NewSet(),
		Settings: &Settings{Debug: true, ClientID: "app-client-id", Username: "alice"}}, ios
}

// A password read after the HTTP client was built (as a sign-in reads it
// once the cache missed) is hidden from the --debug trace wherever it
// shows, not only in fields whose names say "password": the client and
// the input module share the run's one set.
func TestPasswordReadAfterClientBuiltHiddenInTrace(t *testing.T) {
	const pw = "late-Pa55word-value"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Write(append([]byte(`{"echo":`), append(b, '}')...))
	}))
	defer srv.Close()
	f, ios := inputFactory(pw+"\n", nil)
	client := f.OneShotHTTPClient()
	got, err := f.Input().readPassword(true, "")
	if err != nil || got != pw {
		t.Fatalf("readPassword = %q, %v", got, err)
	}
	resp, err := client.Post(srv.URL+"/note?n="+pw, "application/json", strings.NewReader(`{"Note":"`+pw+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	trace := ios.ErrOut.(interface{ String() string }).String()
	if !strings.Contains(trace, "> POST ") {
		t.Fatalf("no --debug trace:\n%s", trace)
	}
	if strings.Contains(trace, pw) || strings.Count(trace, redact.Marker) < 3 {
		t.Errorf("the trace shows the password read after the client was built:\n%s", trace)
	}
}

// Every input method registers what it returns, and the forms a server
// may quote back, in the run's set.
func TestInputRegistersWhatItReturns(t *testing.T) {
	dir := t.TempDir()
	file := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEyMyJ9.c2lnbmF0dXJlLXZhbHVl"
	const clientSecret = "client-secret-value"
	cases := []struct {
		name  string
		stdin string
		env   map[string]string
		read  func(f *Factory) (string, error)
		// hidden are further values that must be registered with it.
		hidden []string
	}{
		{name: "token argument", read: func(f *Factory) (string, error) { return f.Input().readTokenArg([]string{"Bearer " + jwt}) }},
		{name: "token on stdin", stdin: jwt + "\n", read: func(f *Factory) (string, error) { return f.Input().readTokenArg(nil) }},
		{name: "call --token", read: func(f *Factory) (string, error) { return f.Input().bearerToken("opaque-access-token") }},
		{name: "call --token -", stdin: "Bearer opaque-access-token\n", read: func(f *Factory) (string, error) { return f.Input().bearerToken("-") }},
		{name: "refresh token file", read: func(f *Factory) (string, error) {
			return f.Input().readRefreshToken(file("rt", "opaque-refresh-token\n"))
		}},
		{name: "refresh token stdin", stdin: "opaque-refresh-token\n", read: func(f *Factory) (string, error) { return f.Input().readRefreshToken("-") }},
		{name: "password stdin", stdin: "Pa55word-stdin\n", read: func(f *Factory) (string, error) { return f.Input().readPassword(true, "") }},
		{name: "password env", env: map[string]string{"COGTOOL_PASSWORD": "Pa55word-env"}, read: func(f *Factory) (string, error) { return f.Input().readPassword(false, "") }},
		{name: "new password stdin", stdin: "Pa55word-new\n", read: func(f *Factory) (string, error) { return f.Input().newPasswordReader(true)("") }},
		{name: "password file", read: func(f *Factory) (string, error) {
			return f.Input().readPasswordFile(file("pw", "Pa55word-file\n"), "temporary password")
		}},
		{name: "new password answer", env: map[string]string{"COGTOOL_NEW_PASSWORD": "Pa55word-answer"}, read: func(f *Factory) (string, error) {
			return (&answerer{in: f.Input()}).NewPassword(context.Background())
		}},
		{name: "code answer", read: func(f *Factory) (string, error) {
			return (&answerer{in: f.Input(), code: "123456"}).Code(context.Background(), "SMS_MFA", "")
		}},
		{name: "TOTP code", env: map[string]string{"COGTOOL_TOTP_SECRET": "JBSWY3DPEHPK3PXP"}, read: func(f *Factory) (string, error) {
			return (&answerer{in: f.Input()}).Code(context.Background(), "SOFTWARE_TOKEN_MFA", "")
		}, hidden: []string{"JBSWY3DPEHPK3PXP"}},
		{name: "code flag", read: func(f *Factory) (string, error) { return f.Input().flagSecret("654321"), nil }},
		{name: "custom answer", read: func(f *Factory) (string, error) {
			return (&answerer{in: f.Input(), answer: "custom-answer"}).CustomAnswer(context.Background(), nil)
		}},
		{name: "client secret", read: func(f *Factory) (string, error) { return f.Input().appClient() }, hidden: []string{
			base64.StdEncoding.EncodeToString([]byte("app-client-id:" + clientSecret)),
			cognito.SecretHash("app-client-id", clientSecret, "alice"),
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, _ := inputFactory(c.stdin, c.env)
			f.Settings.secret = func() (string, error) { return clientSecret, nil }
			v, err := c.read(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range append([]string{v}, c.hidden...) {
				if got := f.secrets.Redact("x " + s + " y"); strings.Contains(got, s) {
					t.Errorf("%q is not registered: %q", s, got)
				}
			}
		})
	}
}
