//go:build unix

package cache

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// otherUID is the user a test pretends planted files as (nobody).
const otherUID = 65534

// asOtherUser chowns path to otherUID; only root can, so the test is
// skipped (with the reason) otherwise.
func asOtherUser(t *testing.T, paths ...string) {
	t.Helper()
	if os.Getuid() != 0 {
		t.Skip("simulating another local user needs root (to chown files to uid 65534)")
	}
	for _, p := range paths {
		if err := os.Lchown(p, otherUID, otherUID); err != nil {
			t.Fatal(err)
		}
	}
}

// fetchOnce runs Fetch and reports the token it returned and whether the
// fetch function ran.
func fetchOnce(t *testing.T, c *Cache) (tok string, fetched bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	e, _, err := c.Fetch(ctx, testKey, time.Minute, func(context.Context, *Entry) (*Entry, error) {
		fetched = true
		return entry("fresh", t0.Add(time.Hour)), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return e.AccessToken, fetched
}

func plant(t *testing.T, c *Cache, tok string) string {
	t.Helper()
	b, _ := json.Marshal(entry(tok, t0.Add(time.Hour)))
	p := c.Path(testKey)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestCacheDirOfAnotherUserNotUsed: another local user created the cache
// directory, mode 0777, and planted a token in it. cogtool neither serves
// that token nor writes its own there, and says why.
func TestCacheDirOfAnotherUserNotUsed(t *testing.T) {
	c, warnings := newTestCache(t)
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	if err := os.Mkdir(c.dir, 0o777); err != nil {
		t.Fatal(err)
	}
	p := plant(t, c, "planted")
	asOtherUser(t, c.dir, p)
	if tok, fetched := fetchOnce(t, c); tok != "fresh" || !fetched {
		t.Fatalf("got %q (fetched %v), want a fresh token", tok, fetched)
	}
	if len(*warnings) == 0 || !strings.Contains((*warnings)[0], "owned by uid 65534") {
		t.Errorf("warnings = %q", *warnings)
	}
	if _, err := c.Get(testKey); !errors.As(err, new(*UntrustedError)) {
		t.Errorf("Get: err = %v, want an UntrustedError", err)
	}
	fi, _ := os.Stat(c.dir)
	if fi.Mode().Perm() != 0o777 {
		t.Errorf("the other user's directory was changed to %04o", fi.Mode().Perm())
	}
	if b, _ := os.ReadFile(p); !strings.Contains(string(b), "planted") {
		t.Error("the planted file was overwritten")
	}
}

// TestCacheFileOfAnotherUserNotUsed: in our own directory, a cache entry
// that another user owns is ignored and replaced.
func TestCacheFileOfAnotherUserNotUsed(t *testing.T) {
	c, warnings := newTestCache(t)
	if err := os.MkdirAll(c.dir, 0o700); err != nil {
		t.Fatal(err)
	}
	asOtherUser(t, plant(t, c, "planted"))
	if tok, fetched := fetchOnce(t, c); tok != "fresh" || !fetched {
		t.Fatalf("got %q (fetched %v), want a fresh token", tok, fetched)
	}
	if len(*warnings) == 0 || !strings.Contains((*warnings)[0], "owned by uid 65534") {
		t.Errorf("warnings = %q", *warnings)
	}
}

// TestCacheFilesMustBePrivate: a group-writable entry, a symbolic link, a
// FIFO, an oversized file and a link to /dev/zero are all refused without
// hanging or reading them whole; each is refetched.
func TestCacheFilesMustBePrivate(t *testing.T) {
	for name, setup := range map[string]func(t *testing.T, p string){
		"group-writable": func(t *testing.T, p string) {
			writeEntry(t, p, "planted")
			os.Chmod(p, 0o620)
		},
		"symlink": func(t *testing.T, p string) {
			target := filepath.Join(t.TempDir(), "elsewhere.json")
			writeEntry(t, target, "planted")
			os.Symlink(target, p)
		},
		"dev-zero": func(t *testing.T, p string) { os.Symlink("/dev/zero", p) },
		"fifo": func(t *testing.T, p string) {
			if err := syscall.Mkfifo(p, 0o600); err != nil {
				t.Fatal(err)
			}
		},
		"oversized": func(t *testing.T, p string) {
			b, _ := json.Marshal(entry("planted", t0.Add(time.Hour)))
			b = append(b[:len(b)-1], []byte(`,"pad":"`+strings.Repeat("x", 2<<20)+`"}`)...)
			os.WriteFile(p, b, 0o600)
		},
	} {
		t.Run(name, func(t *testing.T) {
			c, warnings := newTestCache(t)
			if err := os.MkdirAll(c.dir, 0o700); err != nil {
				t.Fatal(err)
			}
			setup(t, c.Path(testKey))
			done := make(chan struct{})
			var tok string
			var fetched bool
			go func() { defer close(done); tok, fetched = fetchOnce(t, c) }()
			select {
			case <-done:
			case <-time.After(20 * time.Second):
				t.Fatal("Fetch hangs on the cache file")
			}
			if tok != "fresh" || !fetched {
				t.Fatalf("got %q (fetched %v), want a fresh token", tok, fetched)
			}
			if len(*warnings) == 0 {
				t.Error("no warning")
			}
		})
	}
}

func writeEntry(t *testing.T, p, tok string) {
	b, _ := json.Marshal(entry(tok, t0.Add(time.Hour)))
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestLockFileMustBePrivate: a lock file that is a symbolic link (to a
// file the attacker wants created or locked), a FIFO or another user's is
// not used; the token is still fetched, and the link's target is untouched.
func TestLockFileMustBePrivate(t *testing.T) {
	for name, setup := range map[string]func(t *testing.T, c *Cache) string{
		"symlink": func(t *testing.T, c *Cache) string {
			target := filepath.Join(t.TempDir(), "victim")
			os.Symlink(target, c.lockPath(testKey))
			return target
		},
		"fifo": func(t *testing.T, c *Cache) string {
			syscall.Mkfifo(c.lockPath(testKey), 0o600)
			return ""
		},
		"other user": func(t *testing.T, c *Cache) string {
			os.WriteFile(c.lockPath(testKey), nil, 0o600)
			asOtherUser(t, c.lockPath(testKey))
			return ""
		},
	} {
		t.Run(name, func(t *testing.T) {
			c, warnings := newTestCache(t)
			os.MkdirAll(c.dir, 0o700)
			victim := setup(t, c)
			if tok, fetched := fetchOnce(t, c); tok != "fresh" || !fetched {
				t.Fatalf("got %q", tok)
			}
			if len(*warnings) == 0 || !strings.Contains(strings.Join(*warnings, "\n"), "lock") {
				t.Errorf("warnings = %q", *warnings)
			}
			if victim != "" {
				if _, err := os.Stat(victim); err == nil {
					t.Error("the symbolic link's target was created")
				}
			}
		})
	}
}

// TestExpClaimBoundsStoredExpiry: a cache file whose expires_at was moved
// past the token's exp claim is judged by the claim.
func TestExpClaimBoundsStoredExpiry(t *testing.T) {
	c, _ := newTestCache(t)
	enc := func(v any) string { b, _ := json.Marshal(v); return base64.RawURLEncoding.EncodeToString(b) }
	jwt := enc(map[string]string{"alg": "RS256"}) + "." + enc(map[string]any{"exp": t0.Add(-time.Minute).Unix()}) + ".sig"
	e := entry(jwt, t0.Add(24*time.Hour))
	if err := c.Put(testKey, e); err != nil {
		t.Fatal(err)
	}
	got, err := c.Get(testKey)
	if err != nil {
		t.Fatal(err)
	}
	if want := t0.Add(-time.Minute); !got.ExpiresAt.Equal(want) {
		t.Errorf("ExpiresAt = %v, want the exp claim %v", got.ExpiresAt, want)
	}
	if tok, fetched := fetchOnce(t, c); tok != "fresh" || !fetched {
		t.Errorf("an expired token was served from the cache: %q", tok)
	}
	// An exp claim later than the stored expiry does not extend it.
	jwt = enc(map[string]string{"alg": "RS256"}) + "." + enc(map[string]any{"exp": t0.Add(48 * time.Hour).Unix()}) + ".sig"
	c.Put(testKey, entry(jwt, t0.Add(time.Hour)))
	if got, _ := c.Get(testKey); !got.ExpiresAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("ExpiresAt = %v, want the stored %v", got.ExpiresAt, t0.Add(time.Hour))
	}
}

// TestBindingKeyMustBePrivate: a binding key planted as a symbolic link
// (to a key the attacker knows), a group-writable file or a FIFO is not
// used, so no cached token is reused on a key someone else chose.
func TestBindingKeyMustBePrivate(t *testing.T) {
	planted := filepath.Join(t.TempDir(), "known.key")
	if err := os.WriteFile(planted, make([]byte, 32), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, setup := range map[string]func(t *testing.T, p string){
		"symlink": func(t *testing.T, p string) { os.Symlink(planted, p) },
		"group-writable": func(t *testing.T, p string) {
			os.WriteFile(p, make([]byte, 32), 0o600)
			os.Chmod(p, 0o620)
		},
		"fifo": func(t *testing.T, p string) {
			if err := syscall.Mkfifo(p, 0o600); err != nil {
				t.Fatal(err)
			}
		},
	} {
		t.Run(name, func(t *testing.T) {
			c, _ := newTestCache(t)
			if err := os.MkdirAll(c.dir, 0o700); err != nil {
				t.Fatal(err)
			}
			setup(t, filepath.Join(c.dir, bindingKeyFile))
			if k, err := c.BindingKey(); err == nil {
				t.Fatalf("BindingKey() = %x, want an error", k)
			}
		})
	}
	// A key of our own is read back as made.
	c, _ := newTestCache(t)
	k1, err := c.BindingKey()
	if err != nil {
		t.Fatal(err)
	}
	if k2, err := c.BindingKey(); err != nil || string(k1) != string(k2) {
		t.Fatalf("second BindingKey() = %x, %v; want %x", k2, err, k1)
	}
}
