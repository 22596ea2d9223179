package verify

import (
	"context"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/fsutil"
	"github.com/cogtool/cogtool/internal/httpx"
)

const (
	// MaxAge is how long a fetched JWKS is used before it is fetched again.
	MaxAge = 24 * time.Hour
	// MinRefetch is the least time between two fetches of one JWKS URL,
	// whatever kids the tokens name: random kids must not turn verify
	// into a flood of requests to the pool.
	MinRefetch = 10 * time.Second
)

// Remote is a KeySource backed by a JWKS URL, cached in memory and on disk.
//
// On disk the JWKS lives in <cacheDir>/jwks/<sha256 of URL>.json with its
// fetch time (file 0600, directory 0700, written to a temp file and
// renamed). A cached copy younger than MaxAge is used without a request;
// an older one is refetched, and kept if that refetch fails. An unknown kid
// causes one refetch, at most one per MinRefetch; the limit is measured
// from the fetch time on disk, so it holds across processes sharing the
// cache (failed attempts are limited per process only).
type Remote struct {
	// Now is the clock; tests set it. Nil means time.Now.
	Now func() time.Time
	// Warn receives, once, why the disk cache is not used (a directory or
	// file that another user owns or may write, a symbolic link, a file
	// that is not a regular one or is too large). Nil discards it.
	Warn func(string)

	url      string
	client   *http.Client
	cacheDir string // "" = memory only

	state atomic.Pointer[keyState]

	mu          sync.Mutex // serialises loads and fetches
	diskChecked time.Time  // last time the disk copy was read (zero: never)
	lastAttempt time.Time  // last fetch attempt, successful or not
	lastErr     error      // error of that attempt, if it failed
	warned      bool       // Warn was called
}

type keyState struct {
	set     *KeySet
	fetched time.Time
}

// NewRemote checks jwksURL (https, or http to loopback only) before any
// network use; a bad URL is a usage error (exit 2). A nil client means
// http.DefaultClient; an empty cacheDir keeps the JWKS in memory only.
func NewRemote(jwksURL string, client *http.Client, cacheDir string) (*Remote, error) {
	if _, err := httpx.CheckURL("JWKS URL", jwksURL); err != nil {
		return nil, err
	}
	if client == nil {
		client = http.DefaultClient
	}
	return &Remote{url: jwksURL, client: client, cacheDir: cacheDir}, nil
}

func (r *Remote) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// Key returns the key for kid, loading or refreshing the JWKS as needed.
func (r *Remote) Key(ctx context.Context, kid string) (*rsa.PublicKey, error) {
	if st := r.state.Load(); st != nil {
		if k, ok := st.set.keys[kid]; ok && r.now().Sub(st.fetched) < MaxAge {
			return k, nil
		}
	}
	return r.slowKey(ctx, kid)
}

func (r *Remote) slowKey(ctx context.Context, kid string) (*rsa.PublicKey, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	st, refetchErr, err := r.ensure(ctx, kid)
	if err != nil {
		return nil, err
	}
	return st.set.lookup(kid, refetchErr)
}

// ensure returns a key set that holds kid if one can be had within the
// rate limit. Called with r.mu held. err is set only when there is no key
// set at all; refetchErr reports a failed fetch that a cached set covered.
func (r *Remote) ensure(ctx context.Context, kid string) (st *keyState, refetchErr, err error) {
	now := r.now()
	st = r.state.Load()
	satisfied := func(s *keyState) bool {
		return s != nil && now.Sub(s.fetched) < MaxAge && (kid == "" || s.set.has(kid))
	}
	if satisfied(st) {
		return st, nil, nil // another goroutine got here first
	}
	// Another process may have fetched a newer copy; look at most once
	// per MinRefetch.
	if st == nil || now.Sub(r.diskChecked) >= MinRefetch {
		r.diskChecked = now
		if d := r.readDisk(now); d != nil && (st == nil || d.fetched.After(st.fetched)) {
			st = d
			r.state.Store(st)
			if satisfied(st) {
				return st, nil, nil
			}
		}
	}
	// Rate limit, counting the last fetch by anyone (disk time) and our
	// last attempt, failed or not.
	if st != nil && (now.Sub(st.fetched) < MinRefetch || now.Sub(r.lastAttempt) < MinRefetch) {
		return st, r.lastErr, nil
	}
	if st == nil && r.lastErr != nil && now.Sub(r.lastAttempt) < MinRefetch {
		return nil, nil, r.lastErr
	}
	prevAttempt := r.lastAttempt
	r.lastAttempt = now
	body, set, ferr := fetch(ctx, r.client, r.url)
	if ferr != nil {
		if ctx.Err() != nil {
			// This caller gave up; that says nothing about the JWKS
			// service, so other callers may try again at once.
			r.lastAttempt = prevAttempt
		} else {
			r.lastErr = ferr
		}
		if st != nil {
			return st, ferr, nil // a stale cache beats an outage
		}
		return nil, nil, ferr
	}
	r.lastErr = nil
	st = &keyState{set: set, fetched: now}
	r.state.Store(st)
	r.writeDisk(body, now)
	return st, nil, nil
}

// diskEntry is the on-disk form of a cached JWKS.
type diskEntry struct {
	URL       string          `json:"url"`
	FetchedAt time.Time       `json:"fetched_at"`
	JWKS      json.RawMessage `json:"jwks"`
}

func (r *Remote) cachePath() string {
	sum := sha256.Sum256([]byte(r.url))
	return filepath.Join(r.cacheDir, "jwks", hex.EncodeToString(sum[:])+".json")
}

// readDisk returns the cached key set, or nil if there is none usable.
// The cache directories and the file must be private to this user (see
// fsutil.Trusted): a JWKS planted by someone else would let their tokens
// pass.
func (r *Remote) readDisk(now time.Time) *keyState {
	if r.cacheDir == "" {
		return nil
	}
	path := r.cachePath()
	err := fsutil.CheckPrivateDir(r.cacheDir)
	if err == nil {
		err = fsutil.CheckPrivateDir(filepath.Dir(path))
	}
	var data []byte
	if err == nil {
		data, err = fsutil.ReadTrusted(path, 2*maxJWKSSize)
	}
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			r.warn(fmt.Sprintf("JWKS cache not used: %v", err))
		}
		return nil
	}
	var e diskEntry
	// A fetch time in the future (clock skew, a hand-edited file) would
	// hold off refetches indefinitely: ignore such a copy.
	if json.Unmarshal(data, &e) != nil || e.URL != r.url || e.FetchedAt.IsZero() || e.FetchedAt.After(now.Add(time.Minute)) {
		return nil
	}
	set, err := NewKeySet(e.JWKS)
	if err != nil {
		return nil
	}
	return &keyState{set: set, fetched: e.FetchedAt}
}

func (r *Remote) warn(msg string) {
	if r.Warn != nil && !r.warned {
		r.warned = true
		r.Warn(msg)
	}
}

// writeDisk stores the JWKS atomically. Failure only costs a refetch next
// time, so it is not reported.
func (r *Remote) writeDisk(body []byte, fetched time.Time) {
	if r.cacheDir == "" {
		return
	}
	data, err := json.Marshal(diskEntry{URL: r.url, FetchedAt: fetched.UTC(), JWKS: body})
	if err != nil {
		return
	}
	path := r.cachePath()
	err = fsutil.MkdirPrivate(r.cacheDir)
	if err == nil {
		err = fsutil.MkdirPrivate(filepath.Dir(path))
	}
	if err != nil {
		r.warn(fmt.Sprintf("JWKS cache not written: %v", err))
		return
	}
	_ = fsutil.WriteFile(path, data, 0o600)
}

// FetchJWKS gets the JWKS at jwksURL and returns it as served, after
// checking it parses to at least one RS256 key. A URL that is not https
// (or http to loopback) is a usage error (exit 2) and no request is made;
// any fetch failure is exit 5, naming the URL.
func FetchJWKS(ctx context.Context, client *http.Client, jwksURL string) ([]byte, error) {
	if _, err := httpx.CheckURL("JWKS URL", jwksURL); err != nil {
		return nil, err
	}
	if client == nil {
		client = http.DefaultClient
	}
	body, _, err := fetch(ctx, client, jwksURL)
	return body, err
}

func fetch(ctx context.Context, client *http.Client, jwksURL string) ([]byte, *KeySet, error) {
	fail := func(err error) ([]byte, *KeySet, error) {
		return nil, nil, exit.Networkf("fetch JWKS %s: %w", jwksURL, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, jwksURL, nil)
	if err != nil {
		return fail(err)
	}
	req.Header.Set("Accept", "application/json")
	// A JWKS URL is never redirected by Cognito; following a redirect
	// would let whoever answers the first URL choose the keys.
	c := *client
	c.CheckRedirect = httpx.RefuseRedirect
	resp, err := c.Do(req)
	if err != nil {
		return fail(httpx.Reasoned(err)) // names the failure, not the URL again
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return fail(fmt.Errorf("HTTP %s", resp.Status))
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxJWKSSize+1))
	if err != nil {
		return fail(fmt.Errorf("reply cut off: %w", httpx.Reasoned(err)))
	}
	if len(body) > maxJWKSSize {
		return fail(fmt.Errorf("reply over %d bytes", maxJWKSSize))
	}
	set, err := NewKeySet(body)
	if err != nil {
		return fail(err)
	}
	return body, set, nil
}
