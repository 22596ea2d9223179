package cli_test

import (
	"context"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"unicode"

	"github.com/cogtool/cogtool/internal/cli"
	"github.com/cogtool/cogtool/internal/iostreams"
)

// badCase is one bad input given to one command.
type badCase struct {
	name  string
	args  []string
	stdin string
	env   map[string]string
	// usage: the error is about the command line's shape (a flag that does
	// not parse, a wrong number of arguments), so a second line shows the
	// command's usage. Errors about what an input holds (stdin, a file, a
	// URL, a value) are one line only.
	usage bool
}

// TestBadInputEveryCommand feeds each command the inputs a user gets wrong:
// empty, whitespace-only, binary and 10 MB stdin, an invalid URL, an
// invalid duration, --attribute without '=', a header without ':' and an
// unreadable file. Each must end with exit 2, nothing on stdout, one line
// "cogtool: ..." on stderr (plus "usage: ..." for command-line shape
// errors), no Go panic or trace, no control characters, and no request.
func TestBadInputEveryCommand(t *testing.T) {
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		http.Error(w, "no request should get here", http.StatusTeapot)
	}))
	defer srv.Close()
	dir := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", filepath.Join(dir, "cache"))
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "aws-config-none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "aws-credentials-none"))

	file := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	missing := filepath.Join(dir, "no-such-file")
	garbageTOML := file("garbage.toml", []byte("[profiles.default\nregion = \n\x00\xff"))
	garbageJWKS := file("garbage.json", []byte("\x00\x01{{{not json"))
	rng := rand.New(rand.NewPCG(8, 8))
	binary := make([]byte, 4096)
	for i := range binary {
		binary[i] = byte(rng.UintN(256))
	}
	huge := strings.Repeat("A", 10<<20)

	ep := []string{"--endpoint-url", srv.URL, "--region", "us-east-1"}
	pool := []string{"--endpoint-url", srv.URL, "--user-pool-id", "us-east-1_Bad"}
	app := []string{"--client-id", "badclient"}
	cc := slices.Concat([]string{"token", "client-credentials", "--token-url", srv.URL + "/oauth2/token", "--no-cache"}, app)
	ccEnv := map[string]string{"COGTOOL_CLIENT_SECRET": "bad-client-secret"}
	tok := "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"

	// Commands that read stdin, and how.
	stdinReaders := []badCase{
		{name: "decode", args: []string{"decode"}},
		{name: "decode -", args: []string{"decode", "-"}},
		{name: "verify -", args: []string{"verify", "-", "--issuer", "https://issuer.example", "--jwks-url", srv.URL + "/jwks.json"}},
		{name: "call --token -", args: []string{"call", "--token", "-", srv.URL + "/api"}},
		{name: "token password --password-stdin", args: slices.Concat([]string{"token", "password", "--password-stdin", "--username", "u", "--no-cache"}, app, ep)},
		{name: "token srp --password-stdin", args: slices.Concat([]string{"token", "srp", "--password-stdin", "--username", "u", "--no-cache", "--user-pool-id", "us-east-1_Bad"}, app, ep)},
		{name: "token refresh --refresh-token-file -", args: slices.Concat([]string{"token", "refresh", "--refresh-token-file", "-"}, app, ep)},
		{name: "token revoke --refresh-token-file -", args: slices.Concat([]string{"token", "revoke", "--refresh-token-file", "-"}, app, ep)},
		{name: "token client-credentials --client-secret-file -", args: slices.Concat(cc, []string{"--client-secret-file", "-"})},
		{name: "user create --temporary-password-file -", args: slices.Concat([]string{"user", "create", "alice", "--temporary-password-file", "-"}, pool)},
		{name: "user set-password --password-stdin", args: slices.Concat([]string{"user", "set-password", "alice", "--password-stdin"}, pool)},
		{name: "user sign-up --password-stdin", args: slices.Concat([]string{"user", "sign-up", "alice", "--password-stdin"}, app, ep)},
	}
	var cases []badCase
	for _, in := range []struct{ name, data string }{
		{"empty stdin", ""},
		{"whitespace stdin", " \t\n  \r\n\n"},
		{"binary stdin", string(binary)},
		{"10 MB stdin", huge},
	} {
		for _, c := range stdinReaders {
			c.name = c.name + ": " + in.name
			c.stdin = in.data
			cases = append(cases, c)
		}
	}
	cases = append(cases, []badCase{
		// Invalid URLs.
		{name: "client-credentials --token-url not a URL", args: slices.Concat(cc, []string{"--token-url", "::not a url"}), env: ccEnv},
		{name: "client-credentials --token-url ftp", args: slices.Concat(cc, []string{"--token-url", "ftp://example.com/token"}), env: ccEnv},
		{name: "client-credentials $COGTOOL_TOKEN_URL no host", args: []string{"token", "client-credentials", "--client-id", "badclient", "--no-cache"}, env: map[string]string{"COGTOOL_CLIENT_SECRET": "s3cret", "COGTOOL_TOKEN_URL": "https:///oauth2/token"}},
		{name: "token password --endpoint-url not a URL", args: slices.Concat([]string{"token", "password", "--username", "u", "--no-cache", "--endpoint-url", "http//missing-colon", "--region", "us-east-1"}, app), env: map[string]string{"COGTOOL_PASSWORD": "pw-Passw0rd!"}},
		{name: "user get --endpoint-url not a URL", args: []string{"user", "get", "alice", "--user-pool-id", "us-east-1_Bad", "--endpoint-url", "not a url"}},
		{name: "verify --jwks-url relative", args: []string{"verify", tok, "--issuer", "https://issuer.example", "--jwks-url", "jwks.json"}},
		{name: "jwks --jwks-url bad escape", args: []string{"jwks", "--jwks-url", "https://example.com/%zz"}},
		{name: "call not a URL", args: []string{"call", "--token", tok, "not a url"}},
		{name: "call no host", args: []string{"call", "--token", tok, "http://"}},
		{name: "token login --domain bad", args: slices.Concat([]string{"token", "login", "--domain", "http://[::1", "--no-browser", "--no-cache"}, app)},
		// Invalid durations.
		{name: "client-credentials --timeout 5", args: slices.Concat(cc, []string{"--timeout", "5"}), env: ccEnv},
		{name: "user get --timeout -1s", args: slices.Concat([]string{"user", "get", "alice", "--timeout", "-1s"}, pool)},
		{name: "call --timeout soon", args: []string{"call", "--token", tok, srv.URL, "--timeout", "soon"}},
		{name: "verify $COGTOOL_TIMEOUT", args: []string{"verify", tok, "--issuer", "https://issuer.example", "--jwks-url", srv.URL}, env: map[string]string{"COGTOOL_TIMEOUT": "1 minute"}},
		{name: "client-credentials --min-ttl 5", args: slices.Concat(cc, []string{"--min-ttl", "5"}), env: ccEnv, usage: true},
		{name: "verify --leeway x", args: []string{"verify", tok, "--issuer", "https://issuer.example", "--leeway", "x"}, usage: true},
		{name: "call --min-ttl forever", args: []string{"call", "--token", tok, srv.URL, "--min-ttl", "forever"}, usage: true},
		// --attribute without '='.
		{name: "user create --attribute email", args: slices.Concat([]string{"user", "create", "alice", "--attribute", "email"}, pool)},
		{name: "user create --attribute =x", args: slices.Concat([]string{"user", "create", "alice", "--attribute", "=x"}, pool)},
		{name: "user sign-up --attribute email", args: slices.Concat([]string{"user", "sign-up", "alice", "--attribute", "email"}, app, ep), env: map[string]string{"COGTOOL_PASSWORD": "pw-Passw0rd!"}},
		// Headers without ':'.
		{name: "call -H X-Foo", args: []string{"call", "--token", tok, "-H", "X-Foo", srv.URL}},
		{name: "call -H ': v'", args: []string{"call", "--token", tok, "-H", ": v", srv.URL}},
		{name: "call -H 'X-Foo bar'", args: []string{"call", "--token", tok, "-H", "X-Foo bar", srv.URL}},
		{name: "call -H with a line break", args: []string{"call", "--token", tok, "-H", "X-A: 1\r\nX-Injected: 2", srv.URL}},
		// Unreadable files.
		{name: "client-credentials --client-secret-file missing", args: slices.Concat(cc, []string{"--client-secret-file", missing})},
		{name: "client-credentials --client-secret-file dir", args: slices.Concat(cc, []string{"--client-secret-file", dir})},
		{name: "user create --temporary-password-file missing", args: slices.Concat([]string{"user", "create", "alice", "--temporary-password-file", missing}, pool)},
		{name: "token refresh --refresh-token-file missing", args: slices.Concat([]string{"token", "refresh", "--refresh-token-file", missing}, app, ep)},
		{name: "verify --jwks-file missing", args: []string{"verify", tok, "--issuer", "https://issuer.example", "--jwks-file", missing}},
		{name: "verify --jwks-file garbage", args: []string{"verify", tok, "--issuer", "https://issuer.example", "--jwks-file", garbageJWKS}},
		{name: "call -d @missing", args: []string{"call", "--token", tok, "-d", "@" + missing, srv.URL}},
		// Endless files: read up to a bound, then refused.
		{name: "client-credentials --client-secret-file /dev/zero", args: slices.Concat(cc, []string{"--client-secret-file", "/dev/zero"})},
		{name: "user create --temporary-password-file /dev/zero", args: slices.Concat([]string{"user", "create", "alice", "--temporary-password-file", "/dev/zero"}, pool)},
		{name: "token refresh --refresh-token-file /dev/zero", args: slices.Concat([]string{"token", "refresh", "--refresh-token-file", "/dev/zero"}, app, ep)},
		{name: "verify --jwks-file /dev/zero", args: []string{"verify", tok, "--issuer", "https://issuer.example", "--jwks-file", "/dev/zero"}},
		{name: "config list --config dir", args: []string{"config", "list", "--config", dir}},
		{name: "config list --config garbage", args: []string{"config", "list", "--config", garbageTOML}},
		{name: "user get $COGTOOL_CONFIG garbage", args: slices.Concat([]string{"user", "get", "alice"}, pool), env: map[string]string{"COGTOOL_CONFIG": garbageTOML}},
		// Arguments that are not tokens, and empty flag values.
		{name: "decode garbage argument", args: []string{"decode", "\x00\x1b[31mnot-a-token"}},
		{name: "verify whitespace argument", args: []string{"verify", "  \t ", "--issuer", "https://issuer.example", "--jwks-url", srv.URL}},
		{name: "call --token empty", args: []string{"call", "--token", "", srv.URL}},
		{name: "call --token whitespace", args: []string{"call", "--token", " \t ", srv.URL}},
	}...)

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			io, in, out, errOut := iostreams.Test()
			in.WriteString(c.stdin)
			env := map[string]string{"COGTOOL_CONFIG": filepath.Join(dir, "none.toml")}
			for k, v := range c.env {
				env[k] = v
			}
			before := requests.Load()
			code := cli.Run(context.Background(), io, c.args, func(k string) string { return env[k] })
			stderr := errOut.String()
			if code != 2 {
				t.Fatalf("exit %d, want 2\nstdout: %q\nstderr: %q", code, badShort(out.String()), badShort(stderr))
			}
			if out.Len() != 0 {
				t.Errorf("stdout is not empty: %q", badShort(out.String()))
			}
			if requests.Load() != before {
				t.Errorf("a request was made")
			}
			lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
			if !strings.HasSuffix(stderr, "\n") || !strings.HasPrefix(lines[0], "cogtool: ") {
				t.Fatalf("stderr does not start with one line \"cogtool: ...\": %q", badShort(stderr))
			}
			wantLines := 1
			if c.usage {
				wantLines = 2
			}
			if len(lines) != wantLines {
				t.Fatalf("stderr has %d lines, want %d: %q", len(lines), wantLines, badShort(stderr))
			}
			if c.usage && (!strings.HasPrefix(lines[1], "usage: cogtool ") || !strings.HasSuffix(lines[1], " (see --help)")) {
				t.Errorf("second line is not the usage line: %q", lines[1])
			}
			if strings.Contains(stderr, "panic") || strings.Contains(stderr, "goroutine") || strings.Contains(stderr, "internal error") {
				t.Errorf("stderr holds a Go trace: %q", badShort(stderr))
			}
			if i := strings.IndexFunc(strings.TrimSuffix(stderr, "\n"), func(r rune) bool {
				return r != '\n' && (unicode.IsControl(r) || r == unicode.ReplacementChar)
			}); i >= 0 {
				t.Errorf("stderr holds a control character: %q", badShort(stderr))
			}
			if len(stderr) > 1024 {
				t.Errorf("stderr is %d bytes long: %q", len(stderr), badShort(stderr))
			}
		})
	}
}

// short bounds text quoted in a failure message.
func badShort(s string) string {
	if len(s) > 400 {
		return s[:400] + "..."
	}
	return s
}
