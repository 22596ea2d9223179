// Command peerctl starts cogtool's test peers, seeds them, writes their
// addresses and credentials to a shell env file, and keeps them running
// until it gets SIGINT, SIGTERM or SIGHUP, or its parent process dies.
//
// Usage:
//
//	go run ./internal/testpeers/peerctl -env FILE [-moto] [-cognito-local DIR] [-oauth2]
//
// With none of -moto, -cognito-local and -oauth2, all three start
// (cognito-local in a temporary folder). -cognito-local= (empty) also means a
// temporary folder. Scripts start it in the background and wait for FILE:
//
//	rm -f peers.env
//	go run ./internal/testpeers/peerctl -env peers.env &
//	while [ ! -f peers.env ]; do sleep 0.2; done
//	. ./peers.env
//	...
//	kill "$PEERCTL_PID"
//
// FILE is written at once (temporary file, then rename) after every peer
// answers and is seeded, and removed again on exit. Variables it exports:
//
//	PEERCTL_PID                 pid of peerctl itself (go run's pid is another one)
//	AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION, AWS_DEFAULT_REGION
//	                            the dummy settings test/test/us-east-1 the peers accept
//	TEST_USERNAME, TEST_PASSWORD a CONFIRMED user in the moto and cognito-local pools (-user, -password)
//
//	MOTO_URL                    moto's server, the user-pool API endpoint
//	MOTO_REGION, MOTO_POOL_ID   the seeded pool
//	MOTO_ISSUER                 iss of its tokens (the AWS form, not MOTO_URL)
//	MOTO_JWKS_URL               its keys
//	MOTO_PUBLIC_CLIENT_ID       no secret; USER_PASSWORD_AUTH, USER_SRP_AUTH, REFRESH_TOKEN_AUTH
//	MOTO_SECRET_CLIENT_ID, MOTO_SECRET_CLIENT_SECRET   the same flows with a secret
//	MOTO_CC_CLIENT_ID, MOTO_CC_CLIENT_SECRET, MOTO_CC_SCOPES   a client_credentials client (api/read)
//
//	COGNITO_LOCAL_URL           cognito-local, the user-pool API endpoint (and /oauth2/authorize, /oauth2/token)
//	CL_DIR                      its state folder
//	CL_POOL_ID, CL_ISSUER, CL_JWKS_URL   the seeded pool (iss is COGNITO_LOCAL_URL/CL_POOL_ID)
//	CL_CLIENT_ID                public client: user flows, code flow with CL_CALLBACK_URL
//	CL_SECRET_CLIENT_ID, CL_SECRET_CLIENT_SECRET   the same with a secret
//	CL_CALLBACK_URL             the callback URLs the clients accept, space-separated
//	CL_CODE                     the confirmation code cognito-local accepts
//
//	OAUTH2_URL                  the client_credentials peer
//	OAUTH2_POOL_ID, OAUTH2_ISSUER, OAUTH2_JWKS_URL   its pool id, iss and keys
//	OAUTH2_TOKEN_URL            its token endpoint (OAUTH2_URL/oauth2/token)
//	OAUTH2_STATS_URL            GET it for {"token_requests":N,...}
//	CC_CLIENT_ID, CC_CLIENT_SECRET, CC_SCOPES   the client it accepts and its scopes
//	                            (api/read dotnet-demo/dotnet)
//
// Only the variables of the started peers are written.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/cogtool/cogtool/internal/fsutil"
	"github.com/cogtool/cogtool/internal/testpeers"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

type options struct {
	envFile        string
	moto, oauth2   bool
	cognitoLocal   bool
	clDir          string
	user, password string
	ccExpiresIn    time.Duration
	clAccessTTL    time.Duration
	clCallbacks    []string
}

func parseFlags(args []string) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("peerctl", flag.ContinueOnError)
	fs.StringVar(&o.envFile, "env", "", "write the peers' settings to this shell `file` (required)")
	fs.BoolVar(&o.moto, "moto", false, "start moto's server")
	fs.Func("cognito-local", "start cognito-local with its state in `dir` (empty: a temporary folder)", func(v string) error {
		o.cognitoLocal = true
		o.clDir = v
		return nil
	})
	fs.BoolVar(&o.oauth2, "oauth2", false, "start the client_credentials peer")
	fs.StringVar(&o.user, "user", "peer-user", "`name` of the user created in the moto and cognito-local pools (empty: none)")
	fs.StringVar(&o.password, "password", "Peer-Passw0rd!", "that user's permanent `password`")
	fs.DurationVar(&o.ccExpiresIn, "oauth2-expires-in", time.Hour, "lifetime of the oauth2 peer's access tokens")
	fs.DurationVar(&o.clAccessTTL, "cl-access-token-validity", 0, "access token lifetime of the cognito-local clients (0: its default, 24h)")
	fs.Func("cl-callback-url", "a callback `URL` for the cognito-local clients, repeatable (default http://localhost:8400/callback)", func(v string) error {
		o.clCallbacks = append(o.clCallbacks, v)
		return nil
	})
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if o.envFile == "" {
		return nil, errors.New("-env FILE is required")
	}
	if !o.moto && !o.cognitoLocal && !o.oauth2 {
		o.moto, o.cognitoLocal, o.oauth2 = true, true, true
	}
	if len(o.clCallbacks) == 0 {
		o.clCallbacks = []string{"http://localhost:8400/callback"}
	}
	return o, nil
}

func run(args []string) int {
	o, err := parseFlags(args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintln(os.Stderr, "peerctl:", err)
		return 2
	}
	// A stale file from an earlier run must not pass for this run's.
	_ = os.Remove(o.envFile)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go watchParent(ctx, cancel)

	var peers []*testpeers.Peer
	defer func() {
		for _, p := range peers {
			p.Stop()
		}
	}()
	env, started, err := startAll(ctx, o)
	peers = started
	if err != nil {
		fmt.Fprintln(os.Stderr, "peerctl:", err)
		return 1
	}
	if err := writeEnvFile(o.envFile, env); err != nil {
		fmt.Fprintln(os.Stderr, "peerctl:", err)
		return 1
	}
	defer os.Remove(o.envFile)
	fmt.Fprintf(os.Stderr, "peerctl: settings in %s; stop with kill %d\n", o.envFile, os.Getpid())

	<-ctx.Done()
	fmt.Fprintln(os.Stderr, "peerctl: stopping the peers")
	return 0
}

// watchParent cancels when peerctl is orphaned: `go run` dies on SIGTERM
// without passing it on, and the peers must not outlive the script.
func watchParent(ctx context.Context, cancel context.CancelFunc) {
	parent := os.Getppid()
	t := time.NewTicker(500 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if os.Getppid() != parent {
				fmt.Fprintln(os.Stderr, "peerctl: parent process ended")
				cancel()
				return
			}
		}
	}
}

// envVar is one exported shell variable.
type envVar struct{ name, value string }

// startAll starts and seeds the chosen peers side by side. It returns every
// peer it started, also on error, so the caller can stop them.
func startAll(ctx context.Context, o *options) ([]envVar, []*testpeers.Peer, error) {
	startCtx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()

	type result struct {
		env  []envVar
		peer *testpeers.Peer
		err  error
	}
	var jobs []func() result
	if o.moto {
		jobs = append(jobs, func() result {
			p, err := testpeers.StartMoto(startCtx)
			if err != nil {
				return result{err: err}
			}
			env, err := seedMoto(startCtx, p, o)
			return result{env, p, err}
		})
	}
	if o.cognitoLocal {
		jobs = append(jobs, func() result {
			p, err := testpeers.StartCognitoLocal(startCtx, o.clDir)
			if err != nil {
				return result{err: err}
			}
			env, err := seedCognitoLocal(startCtx, p, o)
			return result{env, p, err}
		})
	}
	if o.oauth2 {
		jobs = append(jobs, func() result {
			p, err := testpeers.StartOAuth2(startCtx, testpeers.OAuth2Options{ExpiresIn: o.ccExpiresIn})
			if err != nil {
				return result{err: err}
			}
			fmt.Fprintf(os.Stderr, "peerctl: oauth2 at %s (ready in %v)\n", p.URL, p.Ready.Round(time.Millisecond))
			c := p.Clients[0]
			return result{env: []envVar{
				{"OAUTH2_URL", p.URL},
				{"OAUTH2_POOL_ID", p.PoolID},
				{"OAUTH2_ISSUER", p.Issuer},
				{"OAUTH2_JWKS_URL", p.JWKSURL},
				{"OAUTH2_TOKEN_URL", p.TokenURL},
				{"OAUTH2_STATS_URL", p.URL + "/test/stats"},
				{"CC_CLIENT_ID", c.ID},
				{"CC_CLIENT_SECRET", c.Secret},
				{"CC_SCOPES", strings.Join(c.Scopes, " ")},
			}, peer: p}
		})
	}

	results := make([]result, len(jobs))
	var wg sync.WaitGroup
	for i, job := range jobs {
		wg.Go(func() { results[i] = job() })
	}
	wg.Wait()

	env := []envVar{
		{"PEERCTL_PID", fmt.Sprint(os.Getpid())},
		{"AWS_ACCESS_KEY_ID", testpeers.AccessKeyID},
		{"AWS_SECRET_ACCESS_KEY", testpeers.SecretAccessKey},
		{"AWS_REGION", testpeers.Region},
		{"AWS_DEFAULT_REGION", testpeers.Region},
	}
	if o.user != "" && (o.moto || o.cognitoLocal) {
		env = append(env, envVar{"TEST_USERNAME", o.user}, envVar{"TEST_PASSWORD", o.password})
	}
	var peers []*testpeers.Peer
	var errs []error
	for _, r := range results {
		if r.peer != nil {
			peers = append(peers, r.peer)
		}
		if r.err != nil {
			errs = append(errs, r.err)
		}
		env = append(env, r.env...)
	}
	return env, peers, errors.Join(errs...)
}

func seedMoto(ctx context.Context, p *testpeers.Peer, o *options) ([]envVar, error) {
	fmt.Fprintf(os.Stderr, "peerctl: moto at %s (ready in %v)\n", p.URL, p.Ready.Round(time.Millisecond))
	pool, err := testpeers.SeedMoto(ctx, p.URL)
	if err != nil {
		return nil, err
	}
	if o.user != "" {
		if err := testpeers.CreateUser(ctx, p.URL, pool.ID, o.user, o.password, true); err != nil {
			return nil, fmt.Errorf("moto: %w", err)
		}
	}
	return []envVar{
		{"MOTO_URL", p.URL},
		{"MOTO_REGION", pool.Region},
		{"MOTO_POOL_ID", pool.ID},
		{"MOTO_ISSUER", pool.Issuer},
		{"MOTO_JWKS_URL", pool.JWKSURL},
		{"MOTO_PUBLIC_CLIENT_ID", pool.PublicClientID},
		{"MOTO_SECRET_CLIENT_ID", pool.SecretClientID},
		{"MOTO_SECRET_CLIENT_SECRET", pool.SecretClientSecret},
		{"MOTO_CC_CLIENT_ID", pool.CCClientID},
		{"MOTO_CC_CLIENT_SECRET", pool.CCClientSecret},
		{"MOTO_CC_SCOPES", strings.Join(pool.CCScopes, " ")},
	}, nil
}

func seedCognitoLocal(ctx context.Context, p *testpeers.Peer, o *options) ([]envVar, error) {
	fmt.Fprintf(os.Stderr, "peerctl: cognito-local at %s (ready in %v)\n", p.URL, p.Ready.Round(time.Millisecond))
	pool, err := testpeers.SeedCognitoLocal(ctx, p.URL, testpeers.CognitoLocalOptions{
		CallbackURLs:        o.clCallbacks,
		AccessTokenValidity: o.clAccessTTL,
	})
	if err != nil {
		return nil, err
	}
	if o.user != "" {
		// The pool is new at every run, even in a reused state folder.
		if err := testpeers.CreateUser(ctx, p.URL, pool.ID, o.user, o.password, true); err != nil {
			return nil, fmt.Errorf("cognito-local: %w", err)
		}
	}
	return []envVar{
		{"COGNITO_LOCAL_URL", p.URL},
		{"CL_DIR", p.Dir},
		{"CL_POOL_ID", pool.ID},
		{"CL_ISSUER", pool.Issuer},
		{"CL_JWKS_URL", pool.JWKSURL},
		{"CL_CLIENT_ID", pool.PublicClientID},
		{"CL_SECRET_CLIENT_ID", pool.SecretClientID},
		{"CL_SECRET_CLIENT_SECRET", pool.SecretClientSecret},
		{"CL_CALLBACK_URL", strings.Join(o.clCallbacks, " ")},
		{"CL_CODE", testpeers.CognitoLocalCode},
	}, nil
}

// writeEnvFile writes env as `export NAME='value'` lines, through a
// temporary file and a rename so a reader never sees half of it.
func writeEnvFile(path string, env []envVar) error {
	var b strings.Builder
	b.WriteString("# cogtool test peers, written by peerctl; they stop when PEERCTL_PID ends.\n")
	for _, v := range env {
		fmt.Fprintf(&b, "export %s=%s\n", v.name, shellQuote(v.value))
	}
	if err := fsutil.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		return fmt.Errorf("write env file: %w", err)
	}
	return nil
}

// shellQuote quotes s for POSIX sh.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
