package cli_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/cogtool/cogtool/examples/sigv4api"
	"github.com/cogtool/cogtool/internal/cli"
	"github.com/cogtool/cogtool/internal/cognito"
	"github.com/cogtool/cogtool/internal/iostreams"
	"github.com/cogtool/cogtool/internal/testpeers"
)

// secretsRun is one command of TestSecretsNeverPrinted and what it printed.
type secretsRun struct {
	name string
	args []string
	hardResult
	// allowed are the tokens this run was asked to print on stdout
	// (-o token, -o json); no other token may appear anywhere.
	allowed []string
	// allowedSecrets are the AWS credentials this run was asked to print
	// on stdout (aws-credentials -o json or -o env).
	allowedSecrets []string
}

// secretsBook collects the secrets and tokens a test met, and every run.
type secretsBook struct {
	mu      sync.Mutex
	secrets map[string]string // value -> what it is
	tokens  map[string]bool
	runs    []*secretsRun
}

func (b *secretsBook) secret(what, v string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if v != "" {
		b.secrets[v] = what
	}
}

func (b *secretsBook) token(v string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if v = strings.TrimSpace(v); v != "" {
		b.tokens[v] = true
	}
}

// client records an app client's secret in every form it could leak in:
// itself, the HTTP Basic credentials of x/oauth2 (which form-escapes id and
// secret first) and of a plain client, and its SECRET_HASH for each user.
func (b *secretsBook) client(id, secret string, users ...string) {
	b.secret("client secret of "+id, secret)
	b.secret("Basic credentials of "+id, base64.StdEncoding.EncodeToString([]byte(id+":"+secret)))
	b.secret("Basic credentials of "+id, base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(id)+":"+url.QueryEscape(secret))))
	for _, u := range users {
		b.secret("SECRET_HASH of "+u+" at "+id, cognito.SecretHash(id, secret, u))
	}
}

// tokensOf records and returns the tokens a run printed as asked.
func tokensOf(t *testing.T, r *secretsRun) []string {
	t.Helper()
	out := strings.TrimSpace(r.stdout)
	if r.args[slices.Index(r.args, "-o")+1] == "env" {
		var toks []string
		for _, line := range strings.Split(out, "\n") {
			_, v, ok := strings.Cut(line, "=")
			if !ok || !strings.HasPrefix(line, "export COGTOOL_") {
				t.Fatalf("%s: -o env printed %q", r.name, line)
			}
			toks = append(toks, strings.Trim(v, "'"))
		}
		return toks
	}
	if r.args[slices.Index(r.args, "-o")+1] == "json" {
		var v map[string]any
		if err := json.Unmarshal([]byte(out), &v); err != nil {
			t.Fatalf("%s: -o json printed no JSON: %v\n%s", r.name, err, r)
		}
		var toks []string
		for _, k := range []string{"access_token", "id_token", "refresh_token"} {
			if s, _ := v[k].(string); s != "" {
				toks = append(toks, s)
			}
		}
		return toks
	}
	if strings.ContainsAny(out, " \n") || out == "" {
		t.Fatalf("%s: -o token printed more or less than one token:\n%s", r.name, r)
	}
	return []string{out}
}

// TestSecretsNeverPrinted runs every command that touches a secret (all
// token flows, the user commands, verify and call) with --debug (and -v for
// call) against the peers, and then checks that no client secret, password,
// SECRET_HASH, Basic credential or whole token appears on stdout or stderr
// of any of them, except the tokens a run asked for with -o token or
// -o json, on that run's stdout.
func TestSecretsNeverPrinted(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	book := &secretsBook{secrets: map[string]string{}, tokens: map[string]bool{}}
	home := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(home, name)
		if err := os.WriteFile(p, []byte(content+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	const (
		alicePW   = "Alice-Passw0rd!secret"
		wrongPW   = "Wrong-Passw0rd!secret"
		davePW    = "Dave-Temp0rary!secret"
		daveNewPW = "Dave-N3w-Passw0rd!secret"
		erinPW    = "Erin-Passw0rd!secret"
		bobPW     = "Bob-Passw0rd!secret"
		erinNewPW = "Erin-N3w-Passw0rd!secret"
		erinPW3   = "Erin-Th1rd-Passw0rd!secret"
		wrongCC   = "wrong-client-secret-value"
	)
	for what, pw := range map[string]string{"alice's password": alicePW, "a wrong password": wrongPW,
		"dave's temporary password": davePW, "dave's new password": daveNewPW,
		"erin's password": erinPW, "bob's password": bobPW,
		"erin's new password": erinNewPW, "erin's third password": erinPW3} {
		book.secret(what, pw)
	}

	// moto: a pool with a secret client; alice signs in.
	moto, err := testpeers.SeedMoto(ctx, sharedPeer(t, "moto").URL)
	if err != nil {
		t.Fatal(err)
	}
	if err := testpeers.CreateUser(ctx, moto.URL, moto.ID, "alice", alicePW, true); err != nil {
		t.Fatal(err)
	}
	book.client(moto.SecretClientID, moto.SecretClientSecret, "alice", "dave", "erin")
	book.client(moto.CCClientID, moto.CCClientSecret)
	motoSecret := write("moto-secret.txt", moto.SecretClientSecret)

	// cognito-local: a pool whose secret client may use the hosted UI.
	port, err := testpeers.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	cl, err := testpeers.SeedCognitoLocal(ctx, sharedPeer(t, "cognito-local").URL, testpeers.CognitoLocalOptions{
		CallbackURLs: []string{fmt.Sprintf("http://localhost:%d/callback", port)},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := testpeers.CreateUser(ctx, cl.URL, cl.ID, "bob", bobPW, true); err != nil {
		t.Fatal(err)
	}
	book.client(cl.SecretClientID, cl.SecretClientSecret, "bob")
	clSecret := write("cl-secret.txt", cl.SecretClientSecret)

	// oauth2-mock-server: client credentials.
	book.client(testpeers.DefaultCCClientID, testpeers.DefaultCCSecret)
	book.client(testpeers.DefaultCCClientID, wrongCC)
	ccSecret := write("cc.txt", testpeers.DefaultCCSecret)
	wrongSecret := write("wrong.txt", wrongCC)
	tempPW := write("temp-pw.txt", davePW)

	// An API for call, which records the bearer tokens it is sent.
	var apiMu sync.Mutex
	var apiTokens []string
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		apiMu.Lock()
		apiTokens = append(apiTokens, strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
		apiMu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"forecast":"sunny"}`)
	}))
	defer api.Close()

	// A profile whose flow is client credentials, for call.
	cfgDir := filepath.Join(home, ".config", "cogtool")
	if err := os.MkdirAll(cfgDir, 0o700); err != nil {
		t.Fatal(err)
	}
	idPool, err := createIdentityPool(ctx, moto.URL, moto.ID, moto.SecretClientID)
	if err != nil {
		t.Fatal(err)
	}
	cfg := fmt.Sprintf("[profiles.cc]\nclient_id = %q\nclient_secret = \"env:HARD_CC_SECRET\"\ntoken_url = %q\nscopes = [\"api/read\"]\nflow = \"client-credentials\"\n",
		testpeers.DefaultCCClientID, sharedPeer(t, "oauth2").TokenURL)
	cfg += fmt.Sprintf("[profiles.aws]\nflow = \"password\"\nidentity_pool_id = %q\nidentity_endpoint_url = %q\n", idPool, moto.URL)
	if err := os.WriteFile(filepath.Join(cfgDir, "config.toml"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}

	env := hardEnv(home, "HARD_CC_SECRET="+testpeers.DefaultCCSecret,
		"LOGIN_USERNAME=bob", "LOGIN_PASSWORD="+bobPW)
	motoArgs := []string{"--endpoint-url", moto.URL, "--user-pool-id", moto.ID}
	clArgs := []string{"--endpoint-url", cl.URL, "--region", "us-east-1", "--user-pool-id", cl.ID}
	run := func(name string, wantCode int, stdin string, args ...string) *secretsRun {
		t.Helper()
		r := &secretsRun{name: name, args: args}
		r.hardResult = hardRun(t, env, stdin, append(args, "--debug")...)
		if r.code != wantCode {
			t.Fatalf("%s: exit %d, want %d\n%s", name, r.code, wantCode, r.hardResult)
		}
		if i := slices.Index(args, "-o"); wantCode == 0 && args[0] == "token" && i >= 0 && (args[i+1] == "token" || args[i+1] == "json" || args[i+1] == "env") {
			r.allowed = tokensOf(t, r)
			for _, tok := range r.allowed {
				book.token(tok)
			}
		}
		book.mu.Lock()
		book.runs = append(book.runs, r)
		book.mu.Unlock()
		return r
	}
	cat := func(a ...[]string) []string { return slices.Concat(a...) }

	// Token flows on moto with the secret client.
	secretClient := []string{"--client-id", moto.SecretClientID, "--client-secret-file", motoSecret, "--username", "alice"}
	run("password -o json", 0, alicePW+"\n", cat([]string{"token", "password", "--password-stdin", "-o", "json"}, secretClient, motoArgs)...)
	run("password -o text (cache)", 0, "", cat([]string{"token", "password", "-o", "text"}, secretClient, motoArgs)...)
	run("password -o token --no-cache", 0, alicePW+"\n", cat([]string{"token", "password", "--password-stdin", "-o", "token", "--no-cache"}, secretClient, motoArgs)...)
	run("refresh -o token", 0, "", cat([]string{"token", "refresh", "-o", "token"}, secretClient, motoArgs)...)
	run("refresh -o text", 0, "", cat([]string{"token", "refresh", "-o", "text"}, secretClient, motoArgs)...)
	run("srp -o json", 0, alicePW+"\n", cat([]string{"token", "srp", "--password-stdin", "-o", "json", "--no-cache"}, secretClient, motoArgs)...)
	run("password, wrong password", 4, wrongPW+"\n", cat([]string{"token", "password", "--password-stdin", "--no-cache"}, secretClient, motoArgs)...)
	run("refresh, wrong secret", 4, "", cat([]string{"token", "refresh", "--client-id", moto.SecretClientID,
		"--client-secret-file", wrongSecret, "--username", "alice"}, motoArgs)...)
	book.client(moto.SecretClientID, wrongCC, "alice")

	// User commands on moto.
	run("user create", 0, "", cat([]string{"user", "create", "dave", "--temporary-password-file", tempPW,
		"--attribute", "email=dave@example.com", "--suppress-message"}, motoArgs)...)
	run("user set-password", 0, daveNewPW+"\n", cat([]string{"user", "set-password", "dave", "--password-stdin"}, motoArgs)...)
	run("user get", 0, "", cat([]string{"user", "get", "dave"}, motoArgs)...)
	run("token password (dave)", 0, daveNewPW+"\n", cat([]string{"token", "password", "--password-stdin", "--no-cache", "-o", "text",
		"--client-id", moto.SecretClientID, "--client-secret-file", motoSecret, "--username", "dave"}, motoArgs)...)
	run("user delete", 0, "", cat([]string{"user", "delete", "dave", "--yes"}, motoArgs)...)
	run("user sign-up", 0, erinPW+"\n", cat([]string{"user", "sign-up", "erin", "--password-stdin", "--attribute", "email=erin@example.com",
		"--client-id", moto.SecretClientID, "--client-secret-file", motoSecret}, motoArgs)...)
	run("user confirm --code", 0, "", cat([]string{"user", "confirm", "erin", "--code", "123456",
		"--client-id", moto.SecretClientID, "--client-secret-file", motoSecret}, motoArgs)...)
	erinApp := []string{"--client-id", moto.SecretClientID, "--client-secret-file", motoSecret}
	run("user forgot-password", 0, "", cat([]string{"user", "forgot-password", "erin", "-o", "json"}, erinApp, motoArgs)...)
	run("user confirm-forgot-password", 0, erinNewPW+"\n", cat([]string{"user", "confirm-forgot-password", "erin", "--code", "123456",
		"--password-stdin"}, erinApp, motoArgs)...)
	run("token password (erin)", 0, erinNewPW+"\n", cat([]string{"token", "password", "--password-stdin", "-o", "text",
		"--username", "erin"}, erinApp, motoArgs)...)
	run("user change-password", 0, erinNewPW+"\n", cat([]string{"user", "change-password", "--username", "erin", "--password-stdin",
		"--new-password-file", write("erin-pw3.txt", erinPW3)}, erinApp, motoArgs)...)
	run("user change-password, wrong current", 4, wrongPW+"\n", cat([]string{"user", "change-password", "--username", "erin", "--password-stdin",
		"--new-password-file", write("erin-pw4.txt", erinPW3)}, erinApp, motoArgs)...)

	// Client credentials on the oauth2 peer: Basic, post, a wrong secret.
	cc := []string{"token", "client-credentials", "--token-url", sharedPeer(t, "oauth2").TokenURL, "--client-id", testpeers.DefaultCCClientID, "--scope", "api/read"}
	run("client-credentials -o json", 0, "", cat(cc, []string{"--client-secret-file", ccSecret, "-o", "json"})...)
	run("client-credentials -o text (cache)", 0, "", cat(cc, []string{"--client-secret-file", ccSecret, "-o", "text"})...)
	run("client-credentials post -o token", 0, "", cat(cc, []string{"--client-secret-file", ccSecret, "--auth-method", "post", "--no-cache", "-o", "token"})...)
	run("client-credentials, wrong secret", 4, "", cat(cc, []string{"--client-secret-file", wrongSecret, "--no-cache"})...)
	run("client-credentials post, wrong secret", 4, "", cat(cc, []string{"--client-secret-file", wrongSecret, "--auth-method", "post", "--no-cache"})...)

	// cognito-local: password, hosted-UI login (the xdg-open on $PATH is a
	// fake browser that signs bob in), refresh, revoke.
	clApp := []string{"--client-id", cl.SecretClientID, "--client-secret-file", clSecret}
	clClient := append(slices.Clone(clApp), "--username", "bob")
	run("cl password -o token", 0, bobPW+"\n", cat([]string{"token", "password", "--password-stdin", "-o", "token"}, clClient, clArgs)...)
	run("cl password, wrong password", 4, wrongPW+"\n", cat([]string{"token", "password", "--password-stdin", "--no-cache"}, clClient, clArgs)...)
	run("cl login -o json", 0, "", cat([]string{"token", "login", "--domain", cl.URL, "--port", fmt.Sprint(port),
		"--timeout", "30s", "-o", "json"}, clApp, clArgs)...)
	run("cl login -o text (cache)", 0, "", cat([]string{"token", "login", "--domain", cl.URL, "--port", fmt.Sprint(port),
		"-o", "text"}, clApp, clArgs)...)
	run("cl refresh -o json", 0, "", cat([]string{"token", "refresh", "-o", "json"}, clClient, clArgs)...)
	run("cl revoke", 0, "", cat([]string{"token", "revoke"}, clClient, clArgs)...)

	// verify and call, given a token; call through the profile's flow.
	var first struct {
		AccessToken string `json:"access_token"`
		IDToken     string `json:"id_token"`
	}
	_ = json.Unmarshal([]byte(book.runs[0].stdout), &first)
	idToken, accessToken := first.IDToken, first.AccessToken
	if idToken == "" || accessToken == "" {
		t.Fatal("no tokens from the first password run")
	}
	run("verify <token>", 0, "", "verify", idToken, "--issuer", moto.Issuer, "--jwks-url", moto.JWKSURL, "-o", "text")
	run("verify -", 0, accessToken+"\n", "verify", "-", "--issuer", moto.Issuer, "--jwks-url", moto.JWKSURL, "-o", "json")
	run("call --token", 0, "", "call", "-v", "--token", accessToken, api.URL+"/weatherforecast")
	run("call --token -", 0, "Bearer "+accessToken+"\n", "call", "-v", "-i", "--token", "-", api.URL+"/weatherforecast")
	run("call (profile flow)", 0, "", "call", "-v", "--profile", "cc", api.URL+"/weatherforecast")
	run("call (profile flow, cached)", 0, "", "call", "-v", "--profile", "cc", "--json", "-d", `{"q":1}`, api.URL+"/weatherforecast")

	// Identity-pool credentials for alice (moto), printed as asked, then
	// used by call --sigv4 and exec --aws.
	awsUser := cat([]string{"--profile", "aws", "--password-stdin"}, secretClient, motoArgs)
	run("token password -o env", 0, alicePW+"\n", cat([]string{"token", "password", "-o", "env"}, awsUser)...)
	credsRun := run("aws-credentials -o json", 0, alicePW+"\n", cat([]string{"aws-credentials", "-o", "json"}, awsUser)...)
	var creds struct{ AccessKeyId, SecretAccessKey, SessionToken string }
	if err := json.Unmarshal([]byte(credsRun.stdout), &creds); err != nil || creds.SecretAccessKey == "" || creds.SessionToken == "" {
		t.Fatalf("aws-credentials -o json: %v\n%s", err, credsRun.hardResult)
	}
	book.secret("the identity pool's secret access key", creds.SecretAccessKey)
	book.secret("the identity pool's session token", creds.SessionToken)
	credsRun.allowedSecrets = []string{creds.SecretAccessKey, creds.SessionToken}
	run("aws-credentials -o env", 0, alicePW+"\n", cat([]string{"aws-credentials", "-o", "env"}, awsUser)...).allowedSecrets = credsRun.allowedSecrets
	run("aws-credentials -o text", 0, alicePW+"\n", cat([]string{"aws-credentials", "-o", "text"}, awsUser)...)
	run("aws-credentials --no-cache", 0, alicePW+"\n", cat([]string{"aws-credentials", "-o", "text", "--no-cache"}, awsUser)...)
	run("aws-credentials --guest", 0, "", "aws-credentials", "--profile", "aws", "--guest", "-o", "text", "--no-cache")
	sigAPI := httptest.NewServer(sigv4api.New(sigv4api.Config{Service: "execute-api", Region: "us-east-1",
		Credentials: func(id string) (aws.Credentials, bool) {
			return aws.Credentials{AccessKeyID: creds.AccessKeyId, SecretAccessKey: creds.SecretAccessKey, SessionToken: creds.SessionToken},
				id == creds.AccessKeyId
		}}))
	defer sigAPI.Close()
	run("call --sigv4", 0, "", cat([]string{"call", "-v", "-i", "--sigv4", "execute-api", "--profile", "aws", sigAPI.URL + "/items"}, secretClient, motoArgs)...)
	run("exec --aws", 0, "", cat([]string{"exec", "--aws", "--profile", "aws"}, secretClient, motoArgs,
		[]string{"--", "sh", "-c", `test -n "$AWS_SECRET_ACCESS_KEY" && test -n "$AWS_SESSION_TOKEN" && test -n "$COGTOOL_ID_TOKEN"`})...)
	// A server that echoes what it was sent, in every form a reply can
	// carry it: an OAuth error description long enough to be cut (the cut
	// must come after redaction), the secret JSON-escaped with \u escapes,
	// percent-encoded and in base64, a ClientSecret field, the secret as
	// the error code (aws_error in -o json), and for call a reason phrase
	// holding the bearer token and a terminal escape, a Set-Cookie reply,
	// X-Amz-Security-Token and Cookie request headers, and URL userinfo.
	const (
		echoSecret   = "echo-Sëcret/+&value-0123"
		stsToken     = "FwoGZXIvYXdzEBYaDSTStoken-secret-value"
		cookieSecret = "cookie-session-secret-value"
		setCookie    = "set-cookie-secret-value"
		userinfoPW   = "userinfo-secret-pw"
	)
	book.client("echo-client", echoSecret)
	book.secret("a prefix of the echo secret", echoSecret[:8]) // what a cut at 300 characters left
	for what, v := range map[string]string{
		"the echo secret, \\u-escaped":     `echo-S\u00ebcret\/+\u0026value-0123`,
		"the echo secret, percent-encoded": url.QueryEscape(echoSecret),
		"the echo secret, path-escaped":    url.PathEscape(echoSecret),
		"the echo secret, base64":          base64.StdEncoding.EncodeToString([]byte(echoSecret)),
		"a ClientSecret value":             "1a2b3c4d5e6f7g8h9i0jclientsecretfield",
		"an STS token":                     stsToken,
		"a cookie":                         cookieSecret,
		"a Set-Cookie value":               setCookie,
		"URL userinfo":                     userinfoPW,
	} {
		book.secret(what, v)
	}
	echoSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/oauth2/token":
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, `{"error":"invalid_client","error_description":"%s %s; escaped echo-S\u00ebcret\/+\u0026value-0123, %s, %s","ClientSecret":"1a2b3c4d5e6f7g8h9i0jclientsecretfield"}`,
				strings.Repeat("x", 290), echoSecret, url.QueryEscape(echoSecret), base64.StdEncoding.EncodeToString([]byte(echoSecret)))
		case "/oauth2/token-code":
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, `{"error":%q}`, echoSecret)
		case "/reason":
			conn, buf, err := w.(http.Hijacker).Hijack()
			if err != nil {
				return
			}
			defer conn.Close()
			tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
			fmt.Fprintf(buf, "HTTP/1.1 200 OK \x1b]0;pwned %s\r\nSet-Cookie: s=%s\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok", tok, setCookie)
			buf.Flush()
		}
	}))
	defer echoSrv.Close()
	echoFile := write("echo-secret.txt", echoSecret)
	echoCC := []string{"token", "client-credentials", "--no-cache", "--client-id", "echo-client", "--client-secret-file", echoFile}
	run("echo: client-credentials, secret echoed", 4, "", cat(echoCC, []string{"--token-url", echoSrv.URL + "/oauth2/token"})...)
	run("echo: client-credentials post -o json", 4, "", cat(echoCC, []string{"--auth-method", "post", "-o", "json", "--token-url", echoSrv.URL + "/oauth2/token"})...)
	run("echo: secret as the error code -o json", 4, "", cat(echoCC, []string{"-o", "json", "--token-url", echoSrv.URL + "/oauth2/token-code"})...)
	echoURL := strings.Replace(echoSrv.URL, "http://", "http://apiuser:"+userinfoPW+"@", 1)
	run("echo: call -v", 0, "", "call", "-v", "--token", accessToken, "-H", "X-Amz-Security-Token: "+stsToken,
		"-H", "Cookie: session="+cookieSecret, echoURL+"/reason")
	run("echo: call, unreachable URL with userinfo", 5, "", "call", "--token", accessToken,
		"http://apiuser:"+userinfoPW+"@127.0.0.1:1/x")

	// Every token that was handed out: printed on request, sent to the API,
	// or kept in the cache.
	apiMu.Lock()
	for _, tok := range apiTokens {
		book.token(tok)
	}
	apiMu.Unlock()
	cacheFiles, _ := filepath.Glob(filepath.Join(home, ".cache", "cogtool", "*.json"))
	if len(cacheFiles) == 0 {
		t.Fatal("no token cache files")
	}
	for _, p := range cacheFiles {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var e map[string]any
		if err := json.Unmarshal(b, &e); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		for _, k := range []string{"access_token", "id_token", "refresh_token"} {
			if s, _ := e[k].(string); s != "" {
				book.token(s)
			}
		}
	}
	if len(book.tokens) < 10 {
		t.Fatalf("only %d tokens were seen; the flows did not run as planned", len(book.tokens))
	}

	for _, r := range book.runs {
		if strings.ContainsAny(r.stderr, "\x1b\x07") {
			t.Errorf("%s: a terminal escape from a server reached stderr:\n%q", r.name, r.stderr)
		}
		for name, text := range map[string]string{"stdout": r.stdout, "stderr": r.stderr} {
			for v, what := range book.secrets {
				if name == "stdout" && slices.Contains(r.allowedSecrets, v) {
					continue
				}
				if strings.Contains(text, v) {
					t.Errorf("%s: %s shows %s:\n%s", r.name, name, what, hardAround(text, v))
				}
			}
			for tok := range book.tokens {
				if name == "stdout" && slices.Contains(r.allowed, tok) {
					continue
				}
				if leaked := tokenLeak(text, tok); leaked != "" {
					t.Errorf("%s: %s shows %s of a token not asked for:\n%s", r.name, name, leaked, hardAround(text, leaked))
				}
			}
		}
	}
}

// tokenLeak reports whether text holds tok, or any long part of it (a JWT
// segment, as a redactor that cut at the wrong dot would leave it).
func tokenLeak(text, tok string) string {
	if strings.Contains(text, tok) {
		return tok
	}
	// The header segment is shared by the tokens of one issuer and key.
	for i, seg := range strings.Split(tok, ".") {
		if i > 0 && len(seg) >= 24 && strings.Contains(text, seg) {
			return seg
		}
	}
	return ""
}

// hardAround is the part of text around the first v, for failure messages.
func hardAround(text, v string) string {
	i := strings.Index(text, v)
	if i < 0 {
		return ""
	}
	return text[max(0, i-300):i] + ">>>" + v + "<<<" + text[i+len(v):min(len(text), i+len(v)+100)]
}

// TestErrorTextsRedacted: servers that quote back, in their error message,
// everything the request carried (body and Authorization header). What
// cogtool prints, with and without --debug, still shows no secret.
func TestErrorTextsRedacted(t *testing.T) {
	const (
		clientID = "echoclient"
		secret   = "echo-client-secret-value"
		password = "Echo-Passw0rd!value"
		refresh  = "echo-refresh-token-0123456789abcdef"
	)
	// The echo quotes the body, then each value in it bare (as a server
	// saying "SECRET_HASH abc= does not match" would), then the
	// Authorization header and its credential alone.
	echo := func(r *http.Request) string {
		b, _ := io.ReadAll(r.Body)
		var values []string
		var doc any
		if json.Unmarshal(b, &doc) == nil {
			var walk func(v any)
			walk = func(v any) {
				switch x := v.(type) {
				case map[string]any:
					for _, e := range x {
						walk(e)
					}
				case string:
					values = append(values, x)
				}
			}
			walk(doc)
		} else if q, err := url.ParseQuery(string(b)); err == nil {
			for _, vs := range q {
				values = append(values, vs...)
			}
		}
		auth := r.Header.Get("Authorization")
		_, cred, _ := strings.Cut(auth, " ")
		return string(b) + " values: " + strings.Join(values, " ") + " Authorization: " + auth + " credential: " + cred
	}
	idp := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		awsError(w, 400, "NotAuthorizedException", "refused: "+echo(r))
	}))
	defer idp.Close()
	oauth := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		b, _ := json.Marshal(map[string]string{"error": "invalid_client", "error_description": "refused: " + echo(r)})
		w.Write(b)
	}))
	defer oauth.Close()

	home := t.TempDir()
	secretFile := filepath.Join(home, "secret.txt")
	pwFile := filepath.Join(home, "pw.txt")
	rtFile := filepath.Join(home, "rt.txt")
	for p, v := range map[string]string{secretFile: secret, pwFile: password, rtFile: refresh} {
		if err := os.WriteFile(p, []byte(v+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	env := hardEnv(home, "COGTOOL_PASSWORD="+password)
	book := &secretsBook{secrets: map[string]string{}, tokens: map[string]bool{}}
	book.client(clientID, secret, "alice")
	book.secret("the password", password)
	book.secret("the refresh token", refresh)

	app := []string{"--client-id", clientID, "--client-secret-file", secretFile}
	ep := []string{"--endpoint-url", idp.URL, "--region", "us-east-1", "--user-pool-id", "us-east-1_Echo"}
	cmds := map[string][]string{
		"client-credentials basic": {"token", "client-credentials", "--token-url", oauth.URL + "/oauth2/token", "--no-cache"},
		"client-credentials post":  {"token", "client-credentials", "--token-url", oauth.URL + "/oauth2/token", "--no-cache", "--auth-method", "post"},
		"password":                 slices.Concat([]string{"token", "password", "--username", "alice", "--no-cache"}, ep),
		"srp":                      slices.Concat([]string{"token", "srp", "--username", "alice", "--no-cache"}, ep),
		"refresh":                  slices.Concat([]string{"token", "refresh", "--username", "alice", "--refresh-token-file", rtFile}, ep),
		"revoke":                   slices.Concat([]string{"token", "revoke", "--username", "alice", "--refresh-token-file", rtFile}, ep),
		"sign-up":                  slices.Concat([]string{"user", "sign-up", "alice"}, ep),
		"confirm":                  slices.Concat([]string{"user", "confirm", "alice", "--code", "123456"}, ep),
		"user create":              slices.Concat([]string{"user", "create", "alice", "--temporary-password-file", pwFile}, ep),
		"user set-password":        slices.Concat([]string{"user", "set-password", "alice"}, ep),
	}
	for name, args := range cmds {
		for _, debug := range []bool{false, true} {
			args := slices.Concat(args, app)
			if strings.HasPrefix(name, "user ") {
				args = args[:len(args)-len(app)]
			}
			if debug {
				args = append(args, "--debug")
			}
			r := hardRun(t, env, "", args...)
			if r.code != 4 {
				t.Errorf("%s (debug %v): exit %d, want 4\n%s", name, debug, r.code, r)
				continue
			}
			if !strings.Contains(r.stderr, "refused") {
				t.Errorf("%s (debug %v): the server's message is not shown:\n%s", name, debug, r)
			}
			for v, what := range book.secrets {
				if strings.Contains(r.stdout+r.stderr, v) {
					t.Errorf("%s (debug %v): output shows %s:\n%s", name, debug, what, hardAround(r.stdout+r.stderr, v))
				}
			}
		}
	}
}

// hardInProcess runs one command line in this process with env as its
// environment (the process environment still serves the AWS SDK and the
// cache directory: callers set those with t.Setenv).
func hardInProcess(t *testing.T, env map[string]string, stdin string, args ...string) hardResult {
	t.Helper()
	io, in, out, errOut := iostreams.Test()
	in.WriteString(stdin)
	code := cli.Run(context.Background(), io, args, func(k string) string { return env[k] })
	return hardResult{code: code, stdout: out.String(), stderr: errOut.String()}
}

// hardIsolate points the process environment at dir for in-process runs:
// cache and config directories, dummy AWS credentials, no CA overrides.
func hardIsolate(t *testing.T) string {
	dir := t.TempDir()
	for k, v := range map[string]string{
		"XDG_CACHE_HOME":              filepath.Join(dir, "cache"),
		"XDG_CONFIG_HOME":             filepath.Join(dir, "config"),
		"AWS_ACCESS_KEY_ID":           testpeers.AccessKeyID,
		"AWS_SECRET_ACCESS_KEY":       testpeers.SecretAccessKey,
		"AWS_EC2_METADATA_DISABLED":   "true",
		"AWS_CONFIG_FILE":             filepath.Join(dir, "aws-config-none"),
		"AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "aws-credentials-none"),
		"AWS_CA_BUNDLE":               "",
		"AWS_ENDPOINT_URL":            "",
	} {
		t.Setenv(k, v)
	}
	return dir
}

// TestPlainHTTPRefused: every request that carries a secret or a token
// refuses plain http to a host that is not loopback, before connecting:
// exit 2 and one line. The hosts are unroutable (TEST-NET) or
// unresolvable, so a request that went out anyway would end in exit 5.
func TestPlainHTTPRefused(t *testing.T) {
	dir := hardIsolate(t)
	rt := filepath.Join(dir, "rt.txt")
	if err := os.WriteFile(rt, []byte("refresh-token-value-0123456789\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "profile.toml")
	if err := os.WriteFile(cfg, []byte("[profiles.default]\nclient_id = \"c\"\nclient_secret = \"env:CC_SECRET\"\nflow = \"client-credentials\"\ntoken_url = \"http://192.0.2.1/oauth2/token\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		"COGTOOL_CONFIG":        filepath.Join(dir, "none.toml"),
		"COGTOOL_CLIENT_SECRET": "plain-client-secret",
		"COGTOOL_PASSWORD":      "Plain-Passw0rd!",
		"COGTOOL_TIMEOUT":       "3s",
	}
	const host = "http://192.0.2.1"
	app := []string{"--client-id", "c"}
	pool := []string{"--user-pool-id", "us-east-1_Plain"}
	cases := map[string]struct {
		args []string
		env  map[string]string
	}{
		"client-credentials --token-url":   {args: slices.Concat([]string{"token", "client-credentials", "--no-cache", "--token-url", host + "/oauth2/token"}, app)},
		"client-credentials --domain":      {args: slices.Concat([]string{"token", "client-credentials", "--no-cache", "--domain", host}, app)},
		"client-credentials IPv6":          {args: slices.Concat([]string{"token", "client-credentials", "--no-cache", "--token-url", "http://[2001:db8::1]/oauth2/token"}, app)},
		"client-credentials userinfo":      {args: slices.Concat([]string{"token", "client-credentials", "--no-cache", "--token-url", "http://127.0.0.1@192.0.2.1/oauth2/token"}, app)},
		"client-credentials localhost.*":   {args: slices.Concat([]string{"token", "client-credentials", "--no-cache", "--token-url", "http://localhost.example.com/oauth2/token"}, app)},
		"client-credentials 127.0.0.1.*":   {args: slices.Concat([]string{"token", "client-credentials", "--no-cache", "--token-url", "http://127.0.0.1.nip.io/oauth2/token"}, app)},
		"password --endpoint-url":          {args: slices.Concat([]string{"token", "password", "--no-cache", "--username", "u", "--region", "us-east-1", "--endpoint-url", host}, app)},
		"password $COGTOOL_ENDPOINT_URL":   {args: slices.Concat([]string{"token", "password", "--no-cache", "--username", "u", "--region", "us-east-1"}, app), env: map[string]string{"COGTOOL_ENDPOINT_URL": host}},
		"srp --endpoint-url":               {args: slices.Concat([]string{"token", "srp", "--no-cache", "--username", "u", "--endpoint-url", host}, app, pool)},
		"refresh --endpoint-url":           {args: slices.Concat([]string{"token", "refresh", "--username", "u", "--refresh-token-file", rt, "--region", "us-east-1", "--endpoint-url", host}, app)},
		"revoke --endpoint-url":            {args: slices.Concat([]string{"token", "revoke", "--username", "u", "--refresh-token-file", rt, "--region", "us-east-1", "--endpoint-url", host}, app)},
		"login --domain":                   {args: slices.Concat([]string{"token", "login", "--no-cache", "--no-browser", "--domain", host}, app)},
		"user create --endpoint-url":       {args: slices.Concat([]string{"user", "create", "alice", "--endpoint-url", host}, pool)},
		"user get --endpoint-url":          {args: slices.Concat([]string{"user", "get", "alice", "--endpoint-url", host}, pool)},
		"user delete --endpoint-url":       {args: slices.Concat([]string{"user", "delete", "alice", "--yes", "--endpoint-url", host}, pool)},
		"user list --endpoint-url":         {args: slices.Concat([]string{"user", "list", "--endpoint-url", host}, pool)},
		"group add --endpoint-url":         {args: slices.Concat([]string{"group", "add", "g", "alice", "--endpoint-url", host}, pool)},
		"user forgot-password --endpoint":  {args: slices.Concat([]string{"user", "forgot-password", "alice", "--endpoint-url", host}, app, pool)},
		"user set-password --endpoint-url": {args: slices.Concat([]string{"user", "set-password", "alice", "--endpoint-url", host}, pool)},
		"user sign-up --endpoint-url":      {args: slices.Concat([]string{"user", "sign-up", "alice", "--endpoint-url", host}, app, pool)},
		"user confirm --endpoint-url":      {args: slices.Concat([]string{"user", "confirm", "alice", "--code", "123456", "--endpoint-url", host}, app, pool)},
		"user confirm --admin":             {args: slices.Concat([]string{"user", "confirm", "alice", "--admin", "--endpoint-url", host}, pool)},
		"user get $AWS_ENDPOINT_URL_...":   {args: slices.Concat([]string{"user", "get", "alice"}, pool), env: map[string]string{"AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER": host}},
		"verify --jwks-url":                {args: []string{"verify", hardFakeToken, "--issuer", "https://issuer.example", "--jwks-url", host + "/jwks.json"}},
		"verify derived JWKS URL":          {args: []string{"verify", hardFakeToken, "--issuer", host + "/us-east-1_Plain"}},
		"jwks --jwks-url":                  {args: []string{"jwks", "--jwks-url", host + "/jwks.json"}},
		"call URL":                         {args: []string{"call", "--token", hardFakeToken, host + "/weatherforecast"}},
		"call URL, token from the flow":    {args: []string{"call", "--config", cfg, host + "/weatherforecast"}, env: map[string]string{"CC_SECRET": "plain-client-secret"}},
		"call, flow's token URL":           {args: []string{"call", "--config", cfg, "http://127.0.0.1:9/weatherforecast"}, env: map[string]string{"CC_SECRET": "plain-client-secret"}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			e := maps.Clone(env)
			maps.Copy(e, c.env)
			r := hardInProcess(t, e, "", c.args...)
			if r.code != 2 {
				t.Fatalf("exit %d, want 2\n%s", r.code, r)
			}
			hardOneLine(t, r, `plain http to a non-loopback host`)
		})
	}
}

// TestTLSVerified: there is no way to turn certificate checks off (no
// --insecure flag), and a server with a self-signed certificate is refused
// before any request reaches it: exit 5, one line naming the endpoint and
// the certificate problem.
func TestTLSVerified(t *testing.T) {
	dir := hardIsolate(t)
	var hits atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Error(w, "must not be reached", http.StatusTeapot)
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the handshakes fail, as they should
	defer srv.Close()
	env := map[string]string{
		"COGTOOL_CONFIG":        filepath.Join(dir, "none.toml"),
		"COGTOOL_CLIENT_SECRET": "tls-client-secret",
		"COGTOOL_PASSWORD":      "Tls-Passw0rd!",
		"COGTOOL_TIMEOUT":       "10s",
	}
	app := []string{"--client-id", "c"}
	// hardFakeToken with iss https://issuer.example: verify fetches the JWKS
	// only for a token from an accepted issuer.
	fromIssuer := "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJhbGljZSIsInRva2VuX3VzZSI6ImFjY2VzcyIsImlzcyI6Imh0dHBzOi8vaXNzdWVyLmV4YW1wbGUifQ.c2lnbmF0dXJlLW5vdC1jaGVja2Vk"
	cases := map[string][]string{
		"client-credentials": slices.Concat([]string{"token", "client-credentials", "--no-cache", "--token-url", srv.URL + "/oauth2/token"}, app),
		"password":           slices.Concat([]string{"token", "password", "--no-cache", "--username", "u", "--region", "us-east-1", "--endpoint-url", srv.URL}, app),
		"user get":           {"user", "get", "alice", "--user-pool-id", "us-east-1_Tls", "--endpoint-url", srv.URL},
		"verify":             {"verify", fromIssuer, "--issuer", "https://issuer.example", "--jwks-url", srv.URL + "/jwks.json"},
		"jwks":               {"jwks", "--jwks-url", srv.URL + "/jwks.json"},
		"call":               {"call", "--token", hardFakeToken, srv.URL + "/weatherforecast"},
	}
	for name, args := range cases {
		t.Run(name, func(t *testing.T) {
			r := hardInProcess(t, env, "", args...)
			if r.code != 5 {
				t.Fatalf("exit %d, want 5\n%s", r.code, r)
			}
			hardOneLine(t, r, regexp.QuoteMeta(strings.TrimPrefix(srv.URL, "https://")))
			hardOneLine(t, r, `certificate`)
			if r.stdout != "" {
				t.Errorf("stdout is not empty:\n%s", r)
			}
		})
		t.Run(name+" --insecure", func(t *testing.T) {
			r := hardInProcess(t, env, "", append(args, "--insecure")...)
			if r.code != 2 || !strings.Contains(r.stderr, "unknown flag: --insecure") {
				t.Fatalf("want exit 2 for an unknown flag\n%s", r)
			}
		})
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("%d requests reached the server", n)
	}
}
