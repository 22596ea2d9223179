package verify

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cogtool/cogtool/internal/exit"
)

// TestRemoteNeverFollowsRedirects: a JWKS URL that redirects to another
// JWKS (an attacker's keys) is a fetch failure, whatever client the caller
// gave, http.DefaultClient included; nothing is cached.
func TestRemoteNeverFollowsRedirects(t *testing.T) {
	_, attacker, _ := keys(t)
	evil := newJWKSServer(t, jwksOf(jwkJSON(testKid, &attacker.PublicKey)))
	src := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, evil.url(), http.StatusFound)
	}))
	defer src.Close()
	for _, client := range []*http.Client{nil, {Timeout: time.Minute}} {
		dir := t.TempDir()
		r, err := NewRemote(src.URL+"/pool/.well-known/jwks.json", client, dir)
		if err != nil {
			t.Fatal(err)
		}
		_, err = r.Key(context.Background(), testKid)
		if exit.CodeOf(err) != exit.Network || !strings.Contains(err.Error(), "not followed") {
			t.Errorf("Key: err = %v, want a refused redirect (exit 5)", err)
		}
		if _, err := FetchJWKS(context.Background(), client, src.URL+"/jwks"); err == nil {
			t.Error("FetchJWKS followed the redirect")
		}
	}
	if n := evil.requests.Load(); n != 0 {
		t.Errorf("the redirect target got %d requests", n)
	}
}

// TestRemotePlantedJWKSNotUsed: another local user made the cache
// directory (mode 0777) and planted a JWKS with their own key; or the
// JWKS file in our directory is theirs, a symbolic link or a FIFO. verify
// does not trust it: it fetches the real JWKS, and warns once.
func TestRemotePlantedJWKSNotUsed(t *testing.T) {
	pool, attacker, _ := keys(t)
	srv := newJWKSServer(t, jwksOf(jwkJSON("real-kid", &pool.PublicKey)))
	plantedBody := jwksOf(jwkJSON(testKid, &attacker.PublicKey))
	plantAt := func(t *testing.T, dir string) string {
		r := newRemote(t, srv.url(), dir, &clock{t: time.Now()})
		path := r.cachePath()
		if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
			t.Fatal(err)
		}
		data, _ := json.Marshal(diskEntry{URL: srv.url(), FetchedAt: time.Now().UTC(), JWKS: plantedBody})
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	cases := map[string]func(t *testing.T, dir, path string){
		"directory of another user": func(t *testing.T, dir, path string) {
			os.Chmod(dir, 0o777)
			os.Chmod(filepath.Dir(path), 0o777)
			chownOther(t, dir, filepath.Dir(path), path)
		},
		"file of another user": func(t *testing.T, dir, path string) {
			os.Chmod(dir, 0o700)
			os.Chmod(filepath.Dir(path), 0o700)
			chownOther(t, path)
		},
		"group-writable file": func(t *testing.T, dir, path string) {
			os.Chmod(dir, 0o700)
			os.Chmod(filepath.Dir(path), 0o700)
			os.Chmod(path, 0o664)
		},
		"symbolic link": func(t *testing.T, dir, path string) {
			os.Chmod(dir, 0o700)
			os.Chmod(filepath.Dir(path), 0o700)
			os.Rename(path, path+".real")
			os.Symlink(path+".real", path)
		},
		"fifo": func(t *testing.T, dir, path string) {
			os.Chmod(dir, 0o700)
			os.Chmod(filepath.Dir(path), 0o700)
			os.Remove(path)
			if err := mkfifo(path); err != nil {
				t.Skip(err)
			}
		},
	}
	for name, setup := range cases {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "cogtool")
			path := plantAt(t, dir)
			setup(t, dir, path)
			srv.requests.Store(0)
			r := newRemote(t, srv.url(), dir, &clock{t: time.Now()})
			var warnings []string
			r.Warn = func(s string) { warnings = append(warnings, s) }
			done := make(chan error, 1)
			go func() { _, err := r.Key(context.Background(), testKid); done <- err }()
			select {
			case err := <-done:
				if err == nil {
					t.Fatal("the planted key was accepted")
				}
			case <-time.After(20 * time.Second):
				t.Fatal("reading the cache hangs")
			}
			if srv.requests.Load() != 1 {
				t.Errorf("%d JWKS requests, want 1 (the planted copy must not count)", srv.requests.Load())
			}
			if len(warnings) != 1 {
				t.Errorf("warnings = %q, want one", warnings)
			}
		})
	}
}
