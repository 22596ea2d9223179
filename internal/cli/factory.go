package cli

import (
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/cogtool/cogtool/internal/build"
	"github.com/cogtool/cogtool/internal/cache"
	"github.com/cogtool/cogtool/internal/httpx"
	"github.com/cogtool/cogtool/internal/iostreams"
	"github.com/cogtool/cogtool/internal/redact"
)

// Factory holds what commands are built from: the streams, the
// environment, the clock, the settings and -o once they are resolved, and
// lazy constructors (HTTP clients, the token cache), so that commands like
// version and decode pay for nothing they do not use. It holds no command
// logic: a command copies what it needs into its options, and its run
// function never sees the Factory.
type Factory struct {
	IO     *iostreams.IOStreams
	Getenv func(string) string
	Now    func() time.Time // nil means time.Now
	// Settings are resolved before any command that needs them runs.
	Settings *Settings
	// Output is -o resolved for the command that runs: text, json, token
	// or env (auto chosen by the terminal and the command's machine form).
	Output string

	outputFlag string      // -o as given, for errors before settings resolve
	secrets    *redact.Set // the run's values to redact from any output (input.go fills it)

	cacheDirOnce sync.Once
	cacheDirPath string
}

// Input returns the run's reader of secrets (input.go): passwords, client
// secrets, codes and tokens, each registered in the run's redaction set
// before it is returned.
func (f *Factory) Input() *Input {
	return &Input{IO: f.IO, Getenv: f.Getenv, Now: f.now, secrets: f.secrets,
		Settings: func() *Settings { return f.Settings }}
}

// RetryingHTTPClient is the client for idempotent requests (the token,
// JWKS and userInfo endpoints): the configured timeout, the --debug trace
// and the bounded retry policy.
func (f *Factory) RetryingHTTPClient() *http.Client { return httpx.NewClient(f.httpOptions(true)) }

// OneShotHTTPClient sends each request once: for the user-pool API (the
// AWS SDK retries on its own) and for call --sigv4, whose requests may not
// be idempotent. Timeout and --debug trace as RetryingHTTPClient.
func (f *Factory) OneShotHTTPClient() *http.Client { return httpx.NewClient(f.httpOptions(false)) }

// APIHTTPClient is call's client: one-shot, and following redirects.
// Plain http is allowed to allowHTTPHost only ("" for none), the host that
// --allow-http let through.
func (f *Factory) APIHTTPClient(allowHTTPHost string) *http.Client {
	o := f.httpOptions(false)
	o.FollowRedirects = true
	o.AllowHTTPHost = allowHTTPHost
	return httpx.NewClient(o)
}

func (f *Factory) httpOptions(retry bool) httpx.Options {
	o := httpx.Options{Timeout: f.Settings.Timeout, Retry: retry, Secrets: f.secrets, UserAgent: userAgent()}
	if f.Settings.Debug {
		o.Debug = f.IO.ErrOut
	}
	if f.Getenv != nil {
		o.CABundle = f.Getenv("AWS_CA_BUNDLE")
	}
	return o
}

// Cache returns the token cache under $XDG_CACHE_HOME/cogtool, or nil (a
// cache that reads and writes nothing) when there is no cache directory.
func (f *Factory) Cache() (*cache.Cache, error) {
	dir := f.cacheDir()
	if dir == "" {
		return nil, nil
	}
	c := cache.New(dir)
	c.Warn = func(msg string) { f.warn("warning: " + msg) }
	return c, nil
}

// cacheDir is the directory of the token and JWKS caches, or "" when there
// is none (HOME and XDG_CACHE_HOME unset, as in some CI containers): the
// command then runs without a cache, after one warning.
func (f *Factory) cacheDir() string {
	f.cacheDirOnce.Do(func() {
		dir, err := cache.Dir()
		if err != nil {
			f.warn(fmt.Sprintf("warning: %v; running without the token cache", err))
			return
		}
		f.cacheDirPath = dir
	})
	return f.cacheDirPath
}

// warn prints a problem that does not stop the command on stderr.
func (f *Factory) warn(msg string) { warn(f.IO, msg) }

func warn(ios *iostreams.IOStreams, msg string) { ios.ErrOut.Write([]byte("cogtool: " + msg + "\n")) }

// explicitOutput is -o (or $COGTOOL_OUTPUT, or the profile's output) as
// given, "" when not given.
func (f *Factory) explicitOutput() string {
	if f.Settings != nil {
		return f.Settings.Output
	}
	if f.outputFlag != "" {
		return f.outputFlag
	}
	if f.Getenv != nil {
		return f.Getenv("COGTOOL_OUTPUT")
	}
	return ""
}

// now is the Factory's clock, time.Now when none was set.
func (f *Factory) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

var userAgent = sync.OnceValue(func() string { return "cogtool/" + build.Get().Version })
