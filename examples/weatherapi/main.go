// Command weatherapi is the protected API of the seed article's ASP.NET
// walkthrough, in Go: GET /weatherforecast needs a Cognito token that
// cogtool's verify package accepts (and the configured scope), GET /healthz
// answers anyone.
//
// Usage:
//
//	weatherapi -issuer URL [-jwks-url URL] [-client-id ID ...] [-scope S] [-token-use access|id|any] [-addr HOST:PORT]
//
// Every flag has an environment variable (WEATHERAPI_ISSUER,
// WEATHERAPI_JWKS_URL, WEATHERAPI_CLIENT_IDS as a comma list,
// WEATHERAPI_SCOPE, WEATHERAPI_TOKEN_USE, WEATHERAPI_ADDR,
// WEATHERAPI_CACHE_DIR); a flag wins over its variable. Once it listens it
// prints "listening on http://HOST:PORT" to stderr (the real port when
// -addr ends in :0), then one log line a request. SIGINT or SIGTERM shut it
// down gracefully.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/cogtool/cogtool/examples/weatherapi/api"
	"github.com/cogtool/cogtool/internal/httpx"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stderr, stop)
	stop()
	os.Exit(code)
}

type options struct {
	addr      string
	cfg       api.Config
	clientIDs []string
}

func parseFlags(args []string, getenv func(string) string, stderr io.Writer) (*options, error) {
	o := &options{}
	env := func(name, def string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return def
	}
	fs := flag.NewFlagSet("weatherapi", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.addr, "addr", env("WEATHERAPI_ADDR", "127.0.0.1:5000"), "listen on `host:port` (port 0: a free one) ($WEATHERAPI_ADDR)")
	fs.StringVar(&o.cfg.Issuer, "issuer", getenv("WEATHERAPI_ISSUER"), "accepted token issuer, e.g. https://cognito-idp.REGION.amazonaws.com/POOL ($WEATHERAPI_ISSUER)")
	fs.StringVar(&o.cfg.JWKSURL, "jwks-url", getenv("WEATHERAPI_JWKS_URL"), "signing keys (default {issuer}/.well-known/jwks.json) ($WEATHERAPI_JWKS_URL)")
	fs.Func("client-id", "accepted app client `id`, repeatable (default: any) ($WEATHERAPI_CLIENT_IDS, comma-separated)", func(v string) error {
		if v == "" {
			return errors.New("empty client id")
		}
		o.clientIDs = append(o.clientIDs, v)
		return nil
	})
	fs.StringVar(&o.cfg.Scope, "scope", getenv("WEATHERAPI_SCOPE"), "`scopes` /weatherforecast requires, space-separated ($WEATHERAPI_SCOPE)")
	fs.StringVar(&o.cfg.TokenUse, "token-use", env("WEATHERAPI_TOKEN_USE", "any"), "accept `access`, id or any tokens ($WEATHERAPI_TOKEN_USE)")
	fs.StringVar(&o.cfg.CacheDir, "cache-dir", getenv("WEATHERAPI_CACHE_DIR"), "keep the JWKS on disk in `dir` (default: memory only) ($WEATHERAPI_CACHE_DIR)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if o.cfg.Issuer == "" {
		return nil, errors.New("no issuer: set -issuer or $WEATHERAPI_ISSUER")
	}
	o.cfg.ClientIDs = o.clientIDs
	if len(o.clientIDs) == 0 {
		for _, id := range strings.Split(getenv("WEATHERAPI_CLIENT_IDS"), ",") {
			if id = strings.TrimSpace(id); id != "" {
				o.cfg.ClientIDs = append(o.cfg.ClientIDs, id)
			}
		}
	}
	return o, nil
}

// run serves until ctx ends, then shuts down gracefully. onDone is called
// when shutdown begins (main uses it to restore the default signal
// handling, so a second Ctrl-C ends the process at once).
func run(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer, onDone func()) int {
	o, err := parseFlags(args, getenv, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintln(stderr, "weatherapi:", err)
		return 2
	}
	// Redirects are refused and plain http is allowed to loopback only.
	o.cfg.HTTPClient = httpx.NewClient(httpx.Options{Timeout: 10 * time.Second, Retry: true, CABundle: getenv("AWS_CA_BUNDLE")})
	o.cfg.Logger = slog.New(slog.NewTextHandler(stderr, nil))
	handler, err := api.New(o.cfg)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}

	l, err := net.Listen("tcp", o.addr)
	if err != nil {
		fmt.Fprintln(stderr, "weatherapi:", err)
		return 1
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       60 * time.Second,
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(l) }()
	scope := o.cfg.Scope
	if scope == "" {
		scope = "(none)"
	}
	fmt.Fprintf(stderr, "weatherapi: issuer %s, scope %s\n", o.cfg.Issuer, scope)
	fmt.Fprintf(stderr, "listening on http://%s\n", l.Addr())

	select {
	case err := <-served:
		fmt.Fprintln(stderr, "weatherapi:", err)
		return 1
	case <-ctx.Done():
	}
	if onDone != nil {
		onDone()
	}
	fmt.Fprintln(stderr, "weatherapi: shutting down")
	// Longer than net/http's 5 s grace for connections that never sent a
	// request, so that such a connection cannot fail a clean shutdown.
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		fmt.Fprintln(stderr, "weatherapi: shutdown:", err)
		return 1
	}
	return 0
}
