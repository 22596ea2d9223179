package cache

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gofrs/flock"
)

var testKey = Key{
	Endpoint: "https://demo.auth.ap-south-1.amazoncognito.com/oauth2/token",
	Pool:     "ap-south-1_p7GD1CkXO",
	Client:   "4k2hclient",
	Flow:     "client-credentials",
	Scopes:   []string{"demo/write", "demo/read"},
}

var t0 = time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)

func entry(tok string, expires time.Time) *Entry {
	return &Entry{
		AccessToken:  tok,
		IDToken:      "id-" + tok,
		RefreshToken: "refresh-" + tok,
		TokenType:    "Bearer",
		ExpiresAt:    expires,
		Username:     "alice-sub",
		Scopes:       []string{"demo/read", "demo/write"},
		ClientID:     "4k2hclient",
		Flow:         "client-credentials",
		ObtainedAt:   t0,
	}
}

func newTestCache(t *testing.T) (*Cache, *[]string) {
	t.Helper()
	c := New(filepath.Join(t.TempDir(), "cogtool"))
	c.Now = func() time.Time { return t0 }
	var mu sync.Mutex
	var warnings []string
	c.Warn = func(s string) {
		mu.Lock()
		warnings = append(warnings, s)
		mu.Unlock()
	}
	return c, &warnings
}

func TestRoundTrip(t *testing.T) {
	c, _ := newTestCache(t)
	if e, err := c.Get(testKey); e != nil || err != nil {
		t.Fatalf("Get on an empty cache = %v, %v; want nil, nil", e, err)
	}
	want := entry("tok-1", t0.Add(time.Hour))
	if err := c.Put(testKey, want); err != nil {
		t.Fatal(err)
	}
	got, err := c.Get(testKey)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Get = %+v\nwant %+v", got, want)
	}
	// Same key with its scopes in another order and repeated.
	other := testKey
	other.Scopes = []string{"demo/read", "demo/write", "demo/read"}
	if got, _ := c.Get(other); got == nil || got.AccessToken != "tok-1" {
		t.Errorf("scope order changed the key: %+v", got)
	}
	if err := c.Delete(testKey); err != nil {
		t.Fatal(err)
	}
	if e, err := c.Get(testKey); e != nil || err != nil {
		t.Errorf("Get after Delete = %v, %v", e, err)
	}
	if err := c.Delete(testKey); err != nil {
		t.Errorf("Delete of a missing entry: %v", err)
	}
}

func TestFileHoldsNoSecretFields(t *testing.T) {
	c, _ := newTestCache(t)
	if err := c.Put(testKey, entry("tok", t0.Add(time.Hour))); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(c.Path(testKey))
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"secret", "password"} {
		if strings.Contains(strings.ToLower(string(b)), bad) {
			t.Errorf("cache file mentions %q:\n%s", bad, b)
		}
	}
}

func TestKeyName(t *testing.T) {
	base := testKey
	names := map[string]string{"base": base.Name()}
	variants := map[string]func(k *Key){
		"endpoint": func(k *Key) { k.Endpoint += "x" },
		"pool":     func(k *Key) { k.Pool = "ap-south-1_other" },
		"client":   func(k *Key) { k.Client = "other" },
		"flow":     func(k *Key) { k.Flow = "password" },
		"username": func(k *Key) { k.Username = "bob" },
		"scopes":   func(k *Key) { k.Scopes = []string{"demo/read"} },
		"no scope": func(k *Key) { k.Scopes = nil },
		// Field boundaries matter: moving text between fields is another key.
		"shifted": func(k *Key) { k.Endpoint, k.Pool = k.Endpoint+k.Pool[:3], k.Pool[3:] },
	}
	for name, mod := range variants {
		k := base
		k.Scopes = slices.Clone(base.Scopes)
		mod(&k)
		n := k.Name()
		for other, on := range names {
			if on == n {
				t.Errorf("key %q has the same name as %q", name, other)
			}
		}
		names[name] = n
	}
	if len(names["base"]) != 64 || strings.Trim(names["base"], "0123456789abcdef") != "" {
		t.Errorf("name %q is not hex sha256", names["base"])
	}
	empty := Key{Scopes: []string{}}
	if empty.Name() != (Key{}).Name() {
		t.Error("nil and empty scopes give different names")
	}
}

func TestDir(t *testing.T) {
	abs := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", abs)
	if d, err := Dir(); err != nil || d != filepath.Join(abs, "cogtool") {
		t.Errorf("Dir() = %q, %v; want %q", d, err, filepath.Join(abs, "cogtool"))
	}
	t.Setenv("XDG_CACHE_HOME", "relative/path")
	d, err := Dir()
	if err == nil && !filepath.IsAbs(d) {
		t.Errorf("Dir() with a relative XDG_CACHE_HOME = %q", d)
	}
	if err == nil && filepath.Base(d) != "cogtool" {
		t.Errorf("Dir() = %q, want a cogtool directory", d)
	}
}

func TestFetchMinTTL(t *testing.T) {
	c, _ := newTestCache(t)
	cached := entry("cached", t0.Add(5*time.Minute))
	if err := c.Put(testKey, cached); err != nil {
		t.Fatal(err)
	}
	var calls int
	var gotStale *Entry
	fetch := func(ctx context.Context, stale *Entry) (*Entry, error) {
		calls++
		gotStale = stale
		return &Entry{AccessToken: "fresh", ExpiresAt: t0.Add(time.Hour)}, nil
	}

	// 5m left > 60s: the cached token.
	e, fromCache, err := c.Fetch(context.Background(), testKey, time.Minute, fetch)
	if err != nil || !fromCache || e.AccessToken != "cached" || calls != 0 {
		t.Fatalf("minTTL 1m: got %v fromCache=%v err=%v calls=%d", e, fromCache, err, calls)
	}
	// 5m left is not more than 5m: refetch, with the old entry as stale.
	e, fromCache, err = c.Fetch(context.Background(), testKey, 5*time.Minute, fetch)
	if err != nil || fromCache || e.AccessToken != "fresh" || calls != 1 {
		t.Fatalf("minTTL 5m: got %v fromCache=%v err=%v calls=%d", e, fromCache, err, calls)
	}
	if gotStale == nil || gotStale.RefreshToken != "refresh-cached" {
		t.Errorf("fetch got stale %+v, want the cached entry with its refresh token", gotStale)
	}
	if !e.ObtainedAt.Equal(t0) {
		t.Errorf("ObtainedAt = %v, want it filled with now (%v)", e.ObtainedAt, t0)
	}
	// The new token was stored.
	if got, _ := c.Get(testKey); got == nil || got.AccessToken != "fresh" {
		t.Errorf("stored entry = %+v, want the fresh one", got)
	}
}

func TestFetchExpiredPassesStale(t *testing.T) {
	c, _ := newTestCache(t)
	if err := c.Put(testKey, entry("old", t0.Add(-time.Hour))); err != nil {
		t.Fatal(err)
	}
	var stale *Entry
	e, fromCache, err := c.Fetch(context.Background(), testKey, time.Minute, func(ctx context.Context, s *Entry) (*Entry, error) {
		stale = s
		return &Entry{AccessToken: "new", RefreshToken: s.RefreshToken, ExpiresAt: t0.Add(time.Hour)}, nil
	})
	if err != nil || fromCache || e.AccessToken != "new" {
		t.Fatalf("got %v fromCache=%v err=%v", e, fromCache, err)
	}
	if stale == nil || stale.AccessToken != "old" || stale.Username != "alice-sub" {
		t.Errorf("stale = %+v", stale)
	}
}

// Refetch hands even a fresh entry to fetch as stale, and stores the result.
func TestRefetchIgnoresFreshEntry(t *testing.T) {
	c, _ := newTestCache(t)
	if err := c.Put(testKey, entry("fresh", t0.Add(time.Hour))); err != nil {
		t.Fatal(err)
	}
	var stale *Entry
	e, err := c.Refetch(context.Background(), testKey, func(ctx context.Context, s *Entry) (*Entry, error) {
		stale = s
		return &Entry{AccessToken: "new", ExpiresAt: t0.Add(time.Hour)}, nil
	})
	if err != nil || e.AccessToken != "new" {
		t.Fatalf("got %v err=%v", e, err)
	}
	if stale == nil || stale.AccessToken != "fresh" {
		t.Errorf("stale = %+v, want the fresh entry", stale)
	}
	if got, _ := c.Get(testKey); got == nil || got.AccessToken != "new" {
		t.Errorf("cache holds %+v, want the refetched entry", got)
	}
}

func TestFetchUnknownExpiryIsNotReused(t *testing.T) {
	c, _ := newTestCache(t)
	if err := c.Put(testKey, entry("noexp", time.Time{})); err != nil {
		t.Fatal(err)
	}
	calls := 0
	_, fromCache, err := c.Fetch(context.Background(), testKey, 0, func(ctx context.Context, s *Entry) (*Entry, error) {
		calls++
		return &Entry{AccessToken: "x", ExpiresAt: t0.Add(time.Hour)}, nil
	})
	if err != nil || fromCache || calls != 1 {
		t.Errorf("fromCache=%v err=%v calls=%d; want one fetch", fromCache, err, calls)
	}
}

func TestFetchErrorKeepsCache(t *testing.T) {
	c, _ := newTestCache(t)
	if err := c.Put(testKey, entry("old", t0.Add(-time.Minute))); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("endpoint down")
	_, _, err := c.Fetch(context.Background(), testKey, time.Minute, func(ctx context.Context, s *Entry) (*Entry, error) {
		return nil, boom
	})
	if !errors.Is(err, boom) {
		t.Errorf("err = %v, want the fetch error", err)
	}
	if got, _ := c.Get(testKey); got == nil || got.AccessToken != "old" {
		t.Errorf("cache after a failed fetch = %+v, want the old entry", got)
	}
}

func TestFetchCorruptFile(t *testing.T) {
	for name, content := range map[string]string{
		"truncated": `{"access_token":"eyJhbGciOi`,
		"garbage":   "\x00\x01not json",
		"null":      "null",
		"empty obj": "{}",
		"empty":     "",
	} {
		t.Run(name, func(t *testing.T) {
			c, warnings := newTestCache(t)
			if err := c.ensureDir(); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(c.Path(testKey), []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := c.Get(testKey); !errors.As(err, new(*CorruptError)) {
				t.Errorf("Get = %v, want a CorruptError", err)
			}
			calls := 0
			e, fromCache, err := c.Fetch(context.Background(), testKey, time.Minute, func(ctx context.Context, s *Entry) (*Entry, error) {
				calls++
				if s != nil {
					t.Errorf("stale = %+v, want nil for a corrupt file", s)
				}
				return entry("refetched", t0.Add(time.Hour)), nil
			})
			if err != nil || fromCache || calls != 1 || e.AccessToken != "refetched" {
				t.Fatalf("got %v fromCache=%v err=%v calls=%d", e, fromCache, err, calls)
			}
			if len(*warnings) != 1 || !strings.HasPrefix((*warnings)[0], "ignoring corrupt cache file "+c.Path(testKey)+": ") {
				t.Errorf("warnings = %q", *warnings)
			}
			got, err := c.Get(testKey)
			if err != nil || got == nil || got.AccessToken != "refetched" {
				t.Errorf("after refetch Get = %+v, %v; want a valid rewritten file", got, err)
			}
		})
	}
}

func TestNoCache(t *testing.T) {
	c, _ := newTestCache(t)
	if err := c.Put(testKey, entry("cached", t0.Add(time.Hour))); err != nil {
		t.Fatal(err)
	}
	c.NoCache = true
	var stale *Entry = &Entry{}
	e, fromCache, err := c.Fetch(context.Background(), testKey, time.Minute, func(ctx context.Context, s *Entry) (*Entry, error) {
		stale = s
		return &Entry{AccessToken: "direct", ExpiresAt: t0.Add(time.Hour)}, nil
	})
	if err != nil || fromCache || e.AccessToken != "direct" || stale != nil {
		t.Fatalf("got %v fromCache=%v err=%v stale=%v", e, fromCache, err, stale)
	}
	c.NoCache = false
	if got, _ := c.Get(testKey); got == nil || got.AccessToken != "cached" {
		t.Errorf("NoCache wrote the cache: %+v", got)
	}
	if _, err := os.Stat(c.lockPath(testKey)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("NoCache took the lock (lock file: %v)", err)
	}

	var nilCache *Cache
	e, fromCache, err = nilCache.Fetch(context.Background(), testKey, 0, func(ctx context.Context, s *Entry) (*Entry, error) {
		return &Entry{AccessToken: "nil-cache"}, nil
	})
	if err != nil || fromCache || e.AccessToken != "nil-cache" {
		t.Errorf("nil cache: %v %v %v", e, fromCache, err)
	}
}

func TestFetchLockHonoursContext(t *testing.T) {
	c, _ := newTestCache(t)
	if err := c.ensureDir(); err != nil {
		t.Fatal(err)
	}
	held := flock.New(c.lockPath(testKey))
	if ok, err := held.TryLock(); !ok || err != nil {
		t.Fatalf("take the lock: %v %v", ok, err)
	}
	defer held.Unlock()
	// The deadline ends the wait for the lock, however long it took to start.
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, _, err := c.Fetch(ctx, testKey, time.Minute, func(ctx context.Context, s *Entry) (*Entry, error) {
		return nil, errors.New("fetch ran while another process held the lock")
	})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want context.DeadlineExceeded", err)
	}
}

func TestConcurrentGoroutinesFetchOnce(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cogtool")
	var calls atomic.Int32
	const n = 12
	tokens := make([]string, n)
	fromCache := make([]bool, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			c := New(dir) // a Cache per goroutine, as in separate processes
			<-start
			e, fc, err := c.Fetch(context.Background(), testKey, time.Minute, func(ctx context.Context, s *Entry) (*Entry, error) {
				calls.Add(1)
				time.Sleep(50 * time.Millisecond) // widen the window for a stampede
				return &Entry{AccessToken: fmt.Sprintf("tok-%d", i), ExpiresAt: time.Now().Add(time.Hour)}, nil
			})
			errs[i] = err
			if e != nil {
				tokens[i] = e.AccessToken
			}
			fromCache[i] = fc
		})
	}
	close(start)
	wg.Wait()
	if got := calls.Load(); got != 1 {
		t.Errorf("fetch ran %d times, want 1", got)
	}
	fetched := 0
	for i := range n {
		if errs[i] != nil {
			t.Errorf("goroutine %d: %v", i, errs[i])
		}
		if tokens[i] != tokens[0] || tokens[i] == "" {
			t.Errorf("goroutine %d got %q, goroutine 0 %q", i, tokens[i], tokens[0])
		}
		if !fromCache[i] {
			fetched++
		}
	}
	if fetched != 1 {
		t.Errorf("%d goroutines report a fetch, want 1", fetched)
	}
	checkOneValidFile(t, dir, tokens[0])
}

// checkOneValidFile asserts that dir holds one cache file with token in
// it, and no leftover temp file.
func checkOneValidFile(t *testing.T, dir, token string) {
	t.Helper()
	files, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		names = append(names, f.Name())
	}
	want := []string{testKey.Name() + ".json", testKey.Name() + ".lock"}
	slices.Sort(want)
	if !slices.Equal(names, want) {
		t.Errorf("cache directory holds %q, want %q", names, want)
	}
	e, err := New(dir).Get(testKey)
	if err != nil || e == nil || e.AccessToken != token {
		t.Errorf("cache file: %+v, %v; want token %q", e, err, token)
	}
}

// The multi-process test re-runs this test binary as children; TestMain
// sends them to childFetch instead of the tests.
const childEnv = "COGTOOL_CACHE_TEST_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		os.Exit(childFetch())
	}
	os.Exit(m.Run())
}

func childFetch() int {
	dir, counter, gate := os.Getenv("CACHE_DIR"), os.Getenv("COUNTER_FILE"), os.Getenv("GATE_FILE")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// Start together: wait for the parent to open the gate.
	for {
		if _, err := os.Stat(gate); err == nil {
			break
		}
		if ctx.Err() != nil {
			fmt.Fprintln(os.Stderr, "gate never opened")
			return 2
		}
		time.Sleep(2 * time.Millisecond)
	}
	e, fromCache, err := New(dir).Fetch(ctx, testKey, time.Minute, func(ctx context.Context, s *Entry) (*Entry, error) {
		f, err := os.OpenFile(counter, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(f, "%d\n", os.Getpid())
		f.Close()
		time.Sleep(100 * time.Millisecond) // widen the window for a stampede
		return &Entry{AccessToken: fmt.Sprintf("tok-pid-%d", os.Getpid()), ExpiresAt: time.Now().Add(time.Hour)}, nil
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Printf("%s %v\n", e.AccessToken, fromCache)
	return 0
}

func TestConcurrentProcessesFetchOnce(t *testing.T) {
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "cache", "cogtool")
	counter := filepath.Join(tmp, "counter")
	gate := filepath.Join(tmp, "gate")
	const n = 12
	cmds := make([]*exec.Cmd, n)
	outs := make([]*strings.Builder, n)
	for i := range n {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), childEnv+"=1", "CACHE_DIR="+dir, "COUNTER_FILE="+counter, "GATE_FILE="+gate)
		outs[i] = new(strings.Builder)
		cmd.Stdout = outs[i]
		cmd.Stderr = outs[i]
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds[i] = cmd
	}
	if err := os.WriteFile(gate, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	var tokens []string
	fetched := 0
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Errorf("child %d: %v: %s", i, err, outs[i])
			continue
		}
		tok, fc, ok := strings.Cut(strings.TrimSpace(outs[i].String()), " ")
		if !ok {
			t.Errorf("child %d printed %q", i, outs[i])
			continue
		}
		tokens = append(tokens, tok)
		if fc == "false" {
			fetched++
		}
	}
	b, err := os.ReadFile(counter)
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Count(string(b), "\n"); lines != 1 {
		t.Errorf("%d fetches between %d processes, want 1 (pids %q)", lines, n, b)
	}
	if fetched != 1 {
		t.Errorf("%d children report a fetch, want 1", fetched)
	}
	for i, tok := range tokens {
		if tok != tokens[0] {
			t.Errorf("child %d got %q, child 0 %q", i, tok, tokens[0])
		}
	}
	if len(tokens) == n {
		checkOneValidFile(t, dir, tokens[0])
	}
}

func TestUnusableCacheDirStillFetches(t *testing.T) {
	file := filepath.Join(t.TempDir(), "not-a-dir")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	c := New(filepath.Join(file, "cogtool"))
	var warnings []string
	c.Warn = func(s string) { warnings = append(warnings, s) }
	e, fromCache, err := c.Fetch(context.Background(), testKey, time.Minute, func(ctx context.Context, s *Entry) (*Entry, error) {
		return &Entry{AccessToken: "direct", ExpiresAt: time.Now().Add(time.Hour)}, nil
	})
	if err != nil || fromCache || e.AccessToken != "direct" {
		t.Fatalf("got %v fromCache=%v err=%v", e, fromCache, err)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "fetching without the cache") {
		t.Errorf("warnings = %q", warnings)
	}
	if err := c.Put(testKey, e); err == nil {
		t.Error("Put into a path under a regular file succeeded")
	}
}
