package cli_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/cogtool/cogtool/internal/cli"
	"github.com/cogtool/cogtool/internal/testpeers"
)

// The shared peers: one moto server, one cognito-local and one oauth2 peer
// for the whole test binary, each started when a test or a script first
// asks for it (`peer moto`, `seed moto`, sharedPeer), so tests that need no
// peer run without Node or Python. Every script seeds pools of its own. A
// script that counts token requests starts a private oauth2 peer with
// `peer oauth2`.
var shared = map[string]*lazyPeer{
	"moto": {start: testpeers.StartMoto},
	"cognito-local": {start: func(ctx context.Context) (*testpeers.Peer, error) {
		return testpeers.StartCognitoLocal(ctx, "") // a temporary folder that Stop removes
	}},
	"oauth2": {start: func(ctx context.Context) (*testpeers.Peer, error) {
		return testpeers.StartOAuth2(ctx, testpeers.OAuth2Options{})
	}},
}

// lazyPeer starts one peer at most once.
type lazyPeer struct {
	start func(context.Context) (*testpeers.Peer, error)
	once  sync.Once
	peer  *testpeers.Peer
	err   error
}

func (l *lazyPeer) get() (*testpeers.Peer, error) {
	l.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		l.peer, l.err = l.start(ctx)
	})
	return l.peer, l.err
}

// sharedPeer returns the shared peer name ("moto", "cognito-local" or
// "oauth2"), starting it on first use; a peer that is not installed skips
// the test unless $COGTOOL_TEST_PEERS=required (testpeers.Need).
func sharedPeer(t testpeers.TB, name string) *testpeers.Peer {
	t.Helper()
	p, err := shared[name].get()
	testpeers.Need(t, name, err)
	return p
}

type peersM struct{ m *testing.M }

func (p peersM) Run() int {
	// The unit tests' golden files show local times in UTC, on any
	// machine; the commands that scripts run keep the machine's zone.
	time.Local = time.UTC
	defer func() {
		for _, l := range shared {
			l.peer.Stop() // nil-safe
		}
	}()
	return p.m.Run()
}

func TestMain(m *testing.M) {
	testscript.Main(peersM{m}, map[string]func(){
		"cogtool":  func() { os.Exit(cli.Main()) },
		"xdg-open": func() { os.Exit(fakeBrowser()) },
	})
}

// scriptTKey holds, in each script's values, the testscript.T that skips it.
type scriptTKey struct{}

// scriptTB lets testpeers.Need skip or fail a script.
type scriptTB struct{ ts *testscript.TestScript }

func (scriptTB) Helper() {}
func (s scriptTB) Skipf(format string, args ...any) {
	s.ts.Value(scriptTKey{}).(testscript.T).Skip(fmt.Sprintf(format, args...))
}
func (s scriptTB) Fatalf(format string, args ...any) { s.ts.Fatalf(format, args...) }

func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		UpdateScripts:       os.Getenv("COGTOOL_UPDATE_GOLDEN") != "",
		Setup: func(env *testscript.Env) error {
			work := env.WorkDir
			env.Values[scriptTKey{}] = env.T()
			for k, v := range map[string]string{
				"HOME":                        work,
				"XDG_CACHE_HOME":              filepath.Join(work, ".cache"),
				"XDG_CONFIG_HOME":             filepath.Join(work, ".config"),
				"AWS_ACCESS_KEY_ID":           testpeers.AccessKeyID,
				"AWS_SECRET_ACCESS_KEY":       testpeers.SecretAccessKey,
				"AWS_EC2_METADATA_DISABLED":   "true",
				"AWS_CONFIG_FILE":             filepath.Join(work, ".aws-config-none"),
				"AWS_SHARED_CREDENTIALS_FILE": filepath.Join(work, ".aws-credentials-none"),
				"CC_CLIENT_ID":                testpeers.DefaultCCClientID,
				"NO_COLOR":                    "1",
			} {
				env.Setenv(k, v)
			}
			if err := os.WriteFile(filepath.Join(work, "ca-bundle.pem"), caBundlePEM(), 0o600); err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(work, "cc-secret.txt"), []byte(testpeers.DefaultCCSecret+"\n"), 0o600); err != nil {
				return err
			}
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exitcode":  cmdExitcode,
			"seed":      cmdSeed,
			"mkuser":    cmdMkuser,
			"peer":      cmdPeer,
			"strict":    cmdStrict,
			"requests":  cmdRequests,
			"tamper":    cmdTamper,
			"sleep":     cmdSleep,
			"api":       cmdAPI,
			"filemode":  cmdFilemode,
			"filemodes": cmdFilemodes,
			"mkclient":  cmdMkclient,
			"mkdomain":  cmdMkdomain,
			"idpool":    cmdIdpool,
			"awsjson":   cmdAWSJSON,
			"sigapi":    cmdSigapi,
			// challenges_script_test.go
			"strictget":     cmdStrictGet,
			"envfile":       cmdEnvfile,
			"expirepending": cmdExpirePending,
		},
	})
}

// exitcode N prog args... runs prog and asserts its exit code is N.
func cmdExitcode(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exitcode N prog [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exitcode: %v", err)
	}
	err = ts.Exec(args[1], args[2:]...)
	got := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		got = ee.ExitCode()
	case err != nil:
		ts.Fatalf("exitcode: %v", err)
	}
	if got != want {
		ts.Fatalf("exit code %d, want %d", got, want)
	}
}

// seed moto|cl [callback-url] [access-token-validity]: creates a fresh pool
// and exports POOL_ID, PUBLIC_CLIENT_ID, SECRET_CLIENT_ID, ISSUER,
// JWKS_URL, ENDPOINT and writes the secret client's secret to
// $WORK/secret.txt (mode 0600).
func cmdSeed(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 {
		ts.Fatalf("usage: seed moto|cl [callback-url] [validity]")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var (
		pool *testpeers.Pool
		err  error
	)
	switch args[0] {
	case "moto":
		pool, err = testpeers.SeedMoto(ctx, scriptPeer(ts, "moto").URL)
	case "cl":
		opts := testpeers.CognitoLocalOptions{}
		if len(args) > 1 && args[1] != "-" {
			opts.CallbackURLs = []string{args[1]}
		}
		if len(args) > 2 {
			d, perr := time.ParseDuration(args[2])
			ts.Check(perr)
			opts.AccessTokenValidity = d
		}
		pool, err = testpeers.SeedCognitoLocal(ctx, scriptPeer(ts, "cognito-local").URL, opts)
	default:
		ts.Fatalf("seed: unknown peer %q", args[0])
	}
	ts.Check(err)
	ts.Setenv("POOL_ID", pool.ID)
	ts.Setenv("PUBLIC_CLIENT_ID", pool.PublicClientID)
	ts.Setenv("SECRET_CLIENT_ID", pool.SecretClientID)
	ts.Setenv("ISSUER", pool.Issuer)
	ts.Setenv("JWKS_URL", pool.JWKSURL)
	ts.Setenv("ENDPOINT", pool.URL)
	ts.Setenv("MOTO_CC_CLIENT_ID", pool.CCClientID)
	ts.Check(os.WriteFile(ts.MkAbs("secret.txt"), []byte(pool.SecretClientSecret+"\n"), 0o600))
	ts.Check(os.WriteFile(ts.MkAbs("moto-cc-secret.txt"), []byte(pool.CCClientSecret+"\n"), 0o600))
}

// mkuser moto|cl USER PASSWORD [temporary]: creates a user in $POOL_ID.
func cmdMkuser(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 3 {
		ts.Fatalf("usage: mkuser moto|cl USER PASSWORD [temporary]")
	}
	name := "moto"
	if args[0] == "cl" {
		name = "cognito-local"
	}
	url := scriptPeer(ts, name).URL
	permanent := !(len(args) > 3 && args[3] == "temporary")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ts.Check(testpeers.CreateUser(ctx, url, ts.Getenv("POOL_ID"), args[1], args[2], permanent))
}

// scriptPeer returns the shared peer name for a script, starting it on
// first use, and exports its URL (MOTO_URL or CL_URL).
func scriptPeer(ts *testscript.TestScript, name string) *testpeers.Peer {
	p := sharedPeer(scriptTB{ts}, name)
	ts.Setenv(map[string]string{"moto": "MOTO_URL", "cognito-local": "CL_URL"}[name], p.URL)
	return p
}

// peer moto | peer cognito-local: makes sure the shared peer runs and
// exports MOTO_URL or CL_URL (`seed` does this itself).
//
// peer oauth2 [expires-in]: starts a private oauth2 peer for this script and
// exports its OAUTH2_* variables; it stops when the script ends.
//
// peer strict [...]: starts a private strict Cognito fake (see cmdPeerStrict).
//
// A peer that is not installed skips the script, or fails it under
// $COGTOOL_TEST_PEERS=required.
func cmdPeer(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 {
		ts.Fatalf("usage: peer moto|cognito-local|oauth2 [expires-in]|strict")
	}
	switch args[0] {
	case "moto", "cognito-local":
		if len(args) != 1 {
			ts.Fatalf("usage: peer %s", args[0])
		}
		scriptPeer(ts, args[0])
		return
	case "strict":
		cmdPeerStrict(ts, args[1:])
		return
	case "oauth2":
	default:
		ts.Fatalf("peer: unknown peer %q", args[0])
	}
	opts := testpeers.OAuth2Options{}
	if len(args) > 1 {
		d, err := time.ParseDuration(args[1])
		ts.Check(err)
		opts.ExpiresIn = d
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p, err := testpeers.StartOAuth2(ctx, opts)
	testpeers.Need(scriptTB{ts}, "oauth2", err)
	ts.Defer(p.Stop)
	ts.Setenv("OAUTH2_URL", p.URL)
	ts.Setenv("OAUTH2_TOKEN_URL", p.TokenURL)
	ts.Setenv("OAUTH2_ISSUER", p.Issuer)
	ts.Setenv("OAUTH2_JWKS_URL", p.JWKSURL)
	privatePeers.Store(ts.Getenv("WORK"), p)
}

// requests N: asserts the script's private oauth2 peer served N token requests.
func cmdRequests(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: requests N")
	}
	v, ok := privatePeers.Load(ts.Getenv("WORK"))
	if !ok {
		ts.Fatalf("requests: no private oauth2 peer; run `peer oauth2` first")
	}
	n, err := v.(*testpeers.Peer).TokenRequests()
	ts.Check(err)
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	if (n == want) == neg {
		ts.Fatalf("token requests: %d, want %s%d", n, map[bool]string{true: "not ", false: ""}[neg], want)
	}
}

// tamper FILE: changes the payload of the token in FILE (sub becomes
// "attacker") and keeps the header and signature.
func cmdTamper(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: tamper FILE")
	}
	raw := strings.TrimSpace(ts.ReadFile(args[0]))
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		ts.Fatalf("tamper: not a JWS")
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	ts.Check(err)
	var claims map[string]any
	ts.Check(json.Unmarshal(payload, &claims))
	claims["sub"] = "attacker"
	payload, err = json.Marshal(claims)
	ts.Check(err)
	parts[1] = base64.RawURLEncoding.EncodeToString(payload)
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), []byte(strings.Join(parts, ".")+"\n"), 0o600))
}

// filemode PATH MODE: asserts the permission bits of PATH (octal).
func cmdFilemode(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: filemode PATH MODE")
	}
	fi, err := os.Stat(ts.MkAbs(args[0]))
	ts.Check(err)
	want, err := strconv.ParseUint(args[1], 8, 32)
	ts.Check(err)
	if got := fi.Mode().Perm(); got != os.FileMode(want) {
		ts.Fatalf("%s: mode %04o, want %04o", args[0], got, want)
	}
}

// filemodes DIR MODE: asserts the mode of every regular file in DIR and
// that there is at least one.
func cmdFilemodes(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: filemodes DIR MODE")
	}
	want, err := strconv.ParseUint(args[1], 8, 32)
	ts.Check(err)
	n := 0
	ts.Check(filepath.WalkDir(ts.MkAbs(args[0]), func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		if got := fi.Mode().Perm(); got != os.FileMode(want) {
			ts.Fatalf("%s: mode %04o, want %04o", path, got, want)
		}
		n++
		return nil
	}))
	if n == 0 {
		ts.Fatalf("filemodes: no files in %s", args[0])
	}
}

var privatePeers sync.Map

// sleep DURATION: waits (token expiry tests).
func cmdSleep(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: sleep DURATION")
	}
	d, err := time.ParseDuration(args[0])
	ts.Check(err)
	time.Sleep(d)
}

// caBundlePEM is a self-signed CA certificate, for AWS_CA_BUNDLE.
var caBundlePEM = sync.OnceValue(func() []byte {
	srv := httptest.NewTLSServer(http.NotFoundHandler())
	defer srv.Close()
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
})
