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
)

// Factory gives commands what they need, built lazily so that commands
// like version and decode pay for nothing they do not use.
type Factory struct {
	IO       *iostreams.IOStreams
	Getenv   func(string) string
	Now      func() time.Time
	Settings *Settings // resolved before any command runs

	outputFlag string   // -o as given, for errors before settings resolve
	secrets    []string // values to redact from any output
	stopSpin   func()   // the running spinner, if any

	cacheDirOnce sync.Once
	cacheDirPath string
}

// spin starts the stderr spinner for a network operation; prompts pause it.
func (f *Factory) spin(msg string) func() {
	f.pauseSpinner()
	stop := f.IO.StartSpinner(msg)
	f.stopSpin = stop
	return func() { stop(); f.stopSpin = nil }
}

// pauseSpinner stops the spinner before a prompt.
func (f *Factory) pauseSpinner() {
	if f.stopSpin != nil {
		f.stopSpin()
		f.stopSpin = nil
	}
}

// AddSecret registers a value that must never appear in output.
func (f *Factory) AddSecret(v string) {
	if v != "" {
		f.secrets = append(f.secrets, v)
	}
}

// RetryingHTTPClient is the client for idempotent requests (the token,
// JWKS and userInfo endpoints): the configured timeout, the --debug trace
// and the bounded retry policy.
func (f *Factory) RetryingHTTPClient() *http.Client { return f.httpClient(true) }

// OneShotHTTPClient sends each request once: for the user-pool API (the
// AWS SDK retries on its own) and for call, whose requests may not be
// idempotent. Timeout and --debug trace as RetryingHTTPClient.
func (f *Factory) OneShotHTTPClient() *http.Client { return f.httpClient(false) }

func (f *Factory) httpClient(retry bool) *http.Client { return httpx.NewClient(f.httpOptions(retry)) }

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

func (f *Factory) warn(msg string) { f.IO.ErrOut.Write([]byte("cogtool: " + msg + "\n")) }

// outputMode resolves -o auto to text on a TTY and json otherwise; commands
// whose machine form is a bare token use machineMode.
func (f *Factory) outputMode() string { return f.machineMode("json") }

// explicitOutput is -o (or $COGTOOL_OUTPUT) as given, "" when not given.
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

// machineMode resolves the output format for a command whose machine form
// (what -o auto means when stdout is not a terminal) is def.
func (f *Factory) machineMode(def string) string {
	o := f.outputFlag
	if f.Settings != nil {
		o = f.Settings.Output
	} else if o == "" && f.Getenv != nil {
		o = f.Getenv("COGTOOL_OUTPUT")
	}
	if o == "" || o == "auto" {
		if f.IO.IsStdoutTTY() {
			return "text"
		}
		return def
	}
	return o
}

func (f *Factory) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

var userAgent = sync.OnceValue(func() string { return "cogtool/" + build.Get().Version })
