package cache

import (
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gofrs/flock"
)

const (
	// refreshHorizon is how long an expired entry with a refresh token is
	// kept: Cognito's default refresh-token validity. A longer-lived
	// refresh token only costs one new sign-in once pruned.
	refreshHorizon = 30 * 24 * time.Hour
	// staleLock is the age after which a lock file without an entry, that
	// nobody holds, is removed.
	staleLock = time.Hour
)

// Prune removes, besides keep's files, the entries whose tokens have
// expired and cannot be refreshed (no refresh token, or obtained more than
// refreshHorizon ago), and lock files older than staleLock that have no
// entry and that nobody holds. Put calls it, so the cache does not grow
// with every pool, user and scope set ever used. Failures are ignored: a
// file left behind is harmless.
//
// A lock file is removed only after taking it, and only when old and
// orphaned; a process that opened it just before still holds a lock on
// the removed file while a newcomer locks a new one, so at worst both
// fetch a token once. Entries are always written atomically either way.
func (c *Cache) Prune(keep Key) {
	if c == nil || c.NoCache {
		return
	}
	des, err := os.ReadDir(c.dir)
	if err != nil {
		return
	}
	now := c.now()
	keepName := keep.Name()
	entries := map[string]bool{}
	for _, de := range des {
		if name, ok := strings.CutSuffix(de.Name(), ".json"); ok && isKeyName(name) {
			entries[name] = true
		}
	}
	for _, de := range des {
		name := de.Name()
		switch {
		case strings.HasSuffix(name, ".json"):
			stem := strings.TrimSuffix(name, ".json")
			if stem == keepName || !isKeyName(stem) || !de.Type().IsRegular() {
				continue
			}
			path := filepath.Join(c.dir, name)
			e, err := c.getPath(path)
			if err != nil || e == nil {
				continue // a corrupt file is reported where it is read
			}
			// An identity id outlives its credentials like a refresh token
			// outlives its tokens: the next credentials reuse it.
			if e.TTL(now) > 0 || ((e.RefreshToken != "" || e.AWS != nil && e.AWS.IdentityID != "") && now.Sub(e.ObtainedAt) < refreshHorizon) {
				continue
			}
			if err := os.Remove(path); err == nil {
				delete(entries, stem)
			}
		case strings.HasSuffix(name, ".lock"):
			stem := strings.TrimSuffix(name, ".lock")
			if stem == keepName || !isKeyName(stem) || entries[stem] {
				continue
			}
			info, err := de.Info()
			if err != nil || !info.Mode().IsRegular() || now.Sub(info.ModTime()) < staleLock {
				continue
			}
			path := filepath.Join(c.dir, name)
			fl := flock.New(path)
			if ok, err := fl.TryLock(); err != nil || !ok {
				continue
			}
			_ = os.Remove(path)
			_ = fl.Unlock()
		}
	}
}
