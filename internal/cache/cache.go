// Package cache keeps tokens on disk between runs, keyed by endpoint, pool,
// client, flow, username and scopes, so that repeated commands and parallel
// CI jobs reuse one token instead of asking the endpoint again (AWS bills
// client-credentials tokens per request).
//
// Files are 0600 in a 0700 directory, whatever the umask; every write is
// atomic (fsutil.WriteFile: a temp file in the same directory, fsynced and
// renamed over the old one; the binding key, made once, is linked into
// place by fsutil.CreateFile); and a lock file per key makes concurrent
// processes fetch once between them.
// The cache never stores a client secret or a password: Entry has no field
// for either.
package cache

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/gofrs/flock"

	"github.com/cogtool/cogtool/internal/decode"
	"github.com/cogtool/cogtool/internal/fsutil"
)

const (
	dirMode  = 0o700
	fileMode = 0o600
	// maxEntrySize caps a cache file: three tokens and a few names are a
	// few KiB; a file linked to /dev/zero or grown by someone else is not
	// read whole.
	maxEntrySize = 1 << 20
	// lockPoll is how often a waiting process retries the key's lock.
	lockPoll = 25 * time.Millisecond
)

// Key identifies a cached token. Scopes are compared as a set.
type Key struct {
	Endpoint string // token URL or IdP API endpoint
	Pool     string
	Client   string
	Flow     string // client-credentials, password, srp, login, ...
	Username string
	Scopes   []string
	// Role is the IAM role of identity-pool credentials; "" for tokens.
	Role string
}

// Name is the key's file name stem: the hex SHA-256 of a canonical
// encoding in which the scopes are sorted and deduplicated.
func (k Key) Name() string {
	scopes := slices.Clone(k.Scopes)
	slices.Sort(scopes)
	scopes = slices.Compact(scopes)
	if scopes == nil {
		scopes = []string{}
	}
	canon, _ := json.Marshal(struct {
		V        int      `json:"v"`
		Endpoint string   `json:"endpoint"`
		Pool     string   `json:"pool"`
		Client   string   `json:"client"`
		Flow     string   `json:"flow"`
		Username string   `json:"username"`
		Scopes   []string `json:"scopes"`
		Role     string   `json:"role,omitempty"`
	}{1, k.Endpoint, k.Pool, k.Client, k.Flow, k.Username, scopes, k.Role})
	sum := sha256.Sum256(canon)
	return hex.EncodeToString(sum[:])
}

// Entry is one cached token set.
type Entry struct {
	AccessToken  string    `json:"access_token,omitempty"`
	IDToken      string    `json:"id_token,omitempty"`
	RefreshToken string    `json:"refresh_token,omitempty"`
	TokenType    string    `json:"token_type,omitempty"`
	ExpiresAt    time.Time `json:"expires_at"`
	// Username is the name Cognito knows the user by (USER_ID_FOR_SRP):
	// the refresh flow computes SECRET_HASH from it.
	Username   string    `json:"username,omitempty"`
	Scopes     []string  `json:"scopes,omitempty"`
	ClientID   string    `json:"client_id,omitempty"`
	Flow       string    `json:"flow,omitempty"`
	ObtainedAt time.Time `json:"obtained_at"`
	// AWS holds identity-pool credentials instead of tokens; ExpiresAt is
	// their expiration.
	AWS *AWSCredentials `json:"aws,omitempty"`
	// DeviceKey and DeviceGroupKey come from the sign-in's NewDeviceMetadata;
	// the DeviceKey is sent on refresh.
	DeviceKey      string `json:"device_key,omitempty"`
	DeviceGroupKey string `json:"device_group_key,omitempty"`
	// Binding ties the entry to the credentials that obtained it, without
	// holding them (binding.go).
	Binding string `json:"binding,omitempty"`
}

// AWSCredentials are temporary AWS credentials and the identity they
// belong to.
type AWSCredentials struct {
	IdentityID      string `json:"identity_id"`
	AccessKeyID     string `json:"access_key_id"`
	SecretAccessKey string `json:"secret_access_key"`
	SessionToken    string `json:"session_token,omitempty"`
}

// hasSecret reports whether e holds anything worth caching.
func (e *Entry) hasSecret() bool {
	return e.AccessToken != "" || e.IDToken != "" || e.RefreshToken != "" ||
		e.AWS != nil && e.AWS.AccessKeyID != "" && e.AWS.SecretAccessKey != ""
}

// TTL is how long the entry's tokens stay valid after now; zero or less
// when they have expired or the expiry is unknown.
func (e *Entry) TTL(now time.Time) time.Duration {
	if e == nil || e.ExpiresAt.IsZero() {
		return 0
	}
	return e.ExpiresAt.Sub(now)
}

// usable reports whether e holds a token with more than minTTL left.
func (e *Entry) usable(now time.Time, minTTL time.Duration) bool {
	return e != nil && (e.AccessToken != "" || e.IDToken != "" || e.AWS != nil && e.AWS.AccessKeyID != "") && e.TTL(now) > minTTL
}

// Cache is a token cache in one directory. The zero value is not usable;
// a nil *Cache, like NoCache, reads and writes nothing.
type Cache struct {
	dir string
	// NoCache makes Fetch call fetch directly, with no read, write or lock.
	NoCache bool
	// Warn receives problems that do not stop the command: a corrupt file
	// that is ignored, a cache that cannot be written. Nil discards them.
	Warn func(string)
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// New returns a cache that keeps its files in dir (created on first write).
func New(dir string) *Cache { return &Cache{dir: dir} }

// Dir is the default cache directory: $XDG_CACHE_HOME/cogtool, or else
// the platform's user cache directory plus cogtool.
func Dir() (string, error) {
	if x := os.Getenv("XDG_CACHE_HOME"); x != "" && filepath.IsAbs(x) {
		return filepath.Join(x, "cogtool"), nil
	}
	base, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("find the cache directory: %w", err)
	}
	return filepath.Join(base, "cogtool"), nil
}

// Path is the file that holds key's entry.
func (c *Cache) Path(key Key) string { return filepath.Join(c.dir, key.Name()+".json") }

func (c *Cache) lockPath(key Key) string { return filepath.Join(c.dir, key.Name()+".lock") }

func (c *Cache) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c *Cache) warn(format string, args ...any) {
	if c.Warn != nil {
		c.Warn(fmt.Sprintf(format, args...))
	}
}

// CorruptError reports a cache file that exists but cannot be used.
type CorruptError struct {
	Path string
	Err  error
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("corrupt cache file %s: %v", e.Path, e.Err)
}

func (e *CorruptError) Unwrap() error { return e.Err }

// Get returns key's entry whatever its expiry, or nil, nil when there is
// none. A file that cannot be parsed gives a *CorruptError; so does one
// that is not a regular file, is a symbolic link, is over 1 MiB, or that
// another user owns or may write. A cache directory that another user owns
// or may write gives an *UntrustedError and is not read at all.
//
// The entry's expiry is the earlier of the stored one and the access
// token's exp claim (or the ID token's), so a file whose expires_at was
// moved forward cannot stretch a token's life.
func (c *Cache) Get(key Key) (*Entry, error) {
	if c == nil || c.NoCache {
		return nil, nil
	}
	if err := c.checkDir(); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, err
	}
	return c.getPath(c.Path(key))
}

// checkDir returns nil for a private cache directory, an *UntrustedError
// for one that another user owns or may write, and fs.ErrNotExist when
// there is none yet.
func (c *Cache) checkDir() error {
	if err := fsutil.CheckPrivateDir(c.dir); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return &UntrustedError{Dir: c.dir, Err: err}
	}
	return nil
}

// getPath reads the entry in the file at path, as Get describes.
func (c *Cache) getPath(path string) (*Entry, error) {
	b, err := fsutil.ReadTrusted(path, maxEntrySize)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if errors.Is(err, fsutil.ErrUntrusted) || errors.Is(err, fsutil.ErrNotRegular) || errors.Is(err, fsutil.ErrTooLarge) {
		return nil, &CorruptError{Path: path, Err: unwrapPath(err)}
	}
	if err != nil {
		return nil, fmt.Errorf("read token cache: %w", err)
	}
	var e *Entry
	if err := json.Unmarshal(b, &e); err != nil {
		return nil, &CorruptError{Path: path, Err: err}
	}
	if e == nil || !e.hasSecret() {
		return nil, &CorruptError{Path: path, Err: errors.New("no token in it")}
	}
	e.ExpiresAt = earliestExpiry(e)
	return e, nil
}

// UntrustedError reports a cache directory that is not private to the
// current user: it is neither read nor written.
type UntrustedError struct {
	Dir string
	Err error
}

func (e *UntrustedError) Error() string {
	return fmt.Sprintf("token cache %s is not used: %v", e.Dir, unwrapPath(e.Err))
}

func (e *UntrustedError) Unwrap() error { return e.Err }

// unwrapPath drops the "open PATH:" of a *fs.PathError, whose path the
// caller names already.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// earliestExpiry is e.ExpiresAt, or the exp claim of e's access token (ID
// token when there is none) when that is earlier or the stored one is unset.
func earliestExpiry(e *Entry) time.Time {
	tok := e.AccessToken
	if tok == "" {
		tok = e.IDToken
	}
	exp, ok := expClaim(tok)
	if !ok || (!e.ExpiresAt.IsZero() && !exp.Before(e.ExpiresAt)) {
		return e.ExpiresAt
	}
	return exp
}

// expClaim reads the exp claim of a JWT's payload, unverified.
func expClaim(tok string) (time.Time, bool) {
	var c struct {
		Exp *json.Number `json:"exp"`
	}
	if !decode.Peek(tok, &c) || c.Exp == nil {
		return time.Time{}, false
	}
	f, err := c.Exp.Float64()
	if err != nil || f <= 0 || f > 1<<40 {
		return time.Time{}, false
	}
	return time.Unix(int64(f), 0).UTC(), true
}

// Put stores e under key, atomically: readers see the old file or the new
// one, never a part of either.
func (c *Cache) Put(key Key, e *Entry) error {
	if c == nil || c.NoCache {
		return nil
	}
	if e == nil {
		return errors.New("write token cache: nil entry")
	}
	if err := c.ensureDir(); err != nil {
		return err
	}
	b, err := json.MarshalIndent(e, "", "  ")
	if err != nil {
		return fmt.Errorf("write token cache: %w", err)
	}
	if err := writeAtomic(c.Path(key), append(b, '\n')); err != nil {
		return err
	}
	c.Prune(key)
	return nil
}

// Delete removes key's entry; a missing entry is not an error. The lock
// file stays: removing it could let two processes lock different files.
func (c *Cache) Delete(key Key) error {
	if c == nil || c.NoCache {
		return nil
	}
	err := os.Remove(c.Path(key))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("delete cached token: %w", err)
	}
	return nil
}

// Fetch returns a cached entry with more than minTTL left (fromCache true).
// Otherwise, holding the key's lock, it reads the file again (another
// process may have just written it), and failing that calls fetch with the
// current entry, expired or close to it, or nil, so the caller can refresh
// with stale.RefreshToken; the result is stored and returned. A corrupt file
// is reported through Warn, then refetched and rewritten. With NoCache (or a
// nil *Cache), fetch is called with nil and nothing is read or written.
// Waiting for the lock ends with ctx.
func (c *Cache) Fetch(ctx context.Context, key Key, minTTL time.Duration,
	fetch func(ctx context.Context, stale *Entry) (*Entry, error)) (e *Entry, fromCache bool, err error) {
	return c.FetchIf(ctx, key, minTTL, nil, fetch)
}

// FetchIf is Fetch where only entries accept approves count: any other is
// neither reused nor handed to fetch for a refresh (it was obtained with
// other credentials). A nil accept approves every entry.
func (c *Cache) FetchIf(ctx context.Context, key Key, minTTL time.Duration, accept func(*Entry) bool,
	fetch func(ctx context.Context, stale *Entry) (*Entry, error)) (e *Entry, fromCache bool, err error) {
	if c == nil || c.NoCache {
		e, err = fetch(ctx, nil)
		return e, false, err
	}
	ok := func(e *Entry) bool { return accept == nil || accept(e) }
	// Fast path, no lock: most runs find a good token.
	if e, err := c.Get(key); err == nil && e != nil && e.usable(c.now(), minTTL) && ok(e) {
		return e, true, nil
	}
	return c.fetchLocked(ctx, key, func(e *Entry) bool { return e.usable(c.now(), minTTL) }, func(ctx context.Context, stale *Entry) (*Entry, error) {
		if stale != nil && !ok(stale) {
			stale = nil
		}
		return fetch(ctx, stale)
	}, ok)
}

// Refetch is Fetch for a cached entry that must not be reused however
// fresh it looks (an API refused its token): holding the key's lock, it
// calls fetch with the current entry as stale, so a user flow can refresh
// it, and stores the result. fromCache is always false.
func (c *Cache) Refetch(ctx context.Context, key Key,
	fetch func(ctx context.Context, stale *Entry) (*Entry, error)) (*Entry, error) {
	if c == nil || c.NoCache {
		return fetch(ctx, nil)
	}
	e, _, err := c.fetchLocked(ctx, key, func(*Entry) bool { return false }, fetch, nil)
	return e, err
}

// fetchLocked is the locked part of Fetch: reuse decides whether the entry
// read under the lock is returned as is.
func (c *Cache) fetchLocked(ctx context.Context, key Key, reuse func(*Entry) bool,
	fetch func(ctx context.Context, stale *Entry) (*Entry, error), accept func(*Entry) bool) (e *Entry, fromCache bool, err error) {

	unlock, err := c.lock(ctx, key)
	if err != nil {
		if ctx.Err() != nil {
			return nil, false, err
		}
		// A cache that cannot be used must not stop the command.
		c.warn("%v; fetching without the cache", err)
		e, err = fetch(ctx, nil)
		return e, false, err
	}
	defer unlock()

	stale, err := c.Get(key)
	if err != nil {
		var ce *CorruptError
		if errors.As(err, &ce) {
			c.warn("ignoring %v", ce)
		} else {
			c.warn("%v; fetching a new token", err)
		}
		stale = nil
	}
	if stale != nil && reuse(stale) && (accept == nil || accept(stale)) {
		return stale, true, nil
	}
	e, err = fetch(ctx, stale)
	if err != nil {
		return nil, false, err
	}
	if e == nil {
		return nil, false, errors.New("token fetch returned no token")
	}
	if e.ObtainedAt.IsZero() {
		e.ObtainedAt = c.now().UTC()
	}
	if err := c.Put(key, e); err != nil {
		c.warn("cannot write token cache: %v", err)
	}
	return e, false, nil
}

// lock takes key's lock file, polling until it is free or ctx ends.
func (c *Cache) lock(ctx context.Context, key Key) (unlock func(), err error) {
	if err := c.ensureDir(); err != nil {
		return nil, err
	}
	fl := flock.New(c.lockPath(key), flock.SetPermissions(fileMode), flock.SetFlag(os.O_CREATE|os.O_RDWR|fsutil.NoFollow))
	ok, err := fl.TryLockContext(ctx, lockPoll)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("wait for token cache lock: %w", err)
		}
		return nil, fmt.Errorf("lock token cache: %w", err)
	}
	if !ok {
		return nil, errors.New("lock token cache: not acquired")
	}
	// The lock file, like the entries, must be a regular file of ours that
	// no one else may write.
	fi, err := fl.Stat()
	if err == nil {
		err = fsutil.CheckPrivateFile(c.lockPath(key), fi)
	}
	if err != nil {
		_ = fl.Unlock()
		return nil, fmt.Errorf("lock token cache: %w", unwrapPath(err))
	}
	return func() { _ = fl.Unlock() }, nil
}

// ensureDir creates the cache directory and makes its mode 0700 even when
// it existed with a wider one or the umask is permissive. A directory that
// is a symbolic link or belongs to another user is refused.
func (c *Cache) ensureDir() error {
	if c.dir == "" {
		return errors.New("token cache: no directory")
	}
	if err := fsutil.MkdirPrivate(c.dir); err != nil {
		if errors.Is(err, fsutil.ErrUntrusted) {
			return &UntrustedError{Dir: c.dir, Err: err}
		}
		return fmt.Errorf("create cache directory: %w", err)
	}
	return nil
}

// writeAtomic writes an entry's file with fsutil.WriteFile: readers see the
// old entry or the new one, never a part of either.
func writeAtomic(path string, data []byte) error {
	if err := fsutil.WriteFile(path, data, fileMode); err != nil {
		return fmt.Errorf("write token cache: %w", err)
	}
	return nil
}
