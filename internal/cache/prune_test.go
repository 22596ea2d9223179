package cache

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestPutPrunes(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	c := New(dir)
	c.Now = func() time.Time { return now }
	key := func(u string) Key { return Key{Endpoint: "e", Pool: "p", Client: "c", Flow: "password", Username: u} }
	put := func(u string, e *Entry) {
		t.Helper()
		c.Now = func() time.Time { return now.Add(-time.Hour) } // no pruning while seeding
		if err := c.Put(key(u), e); err != nil {
			t.Fatal(err)
		}
		c.Now = func() time.Time { return now }
	}
	put("fresh", &Entry{AccessToken: "a", ExpiresAt: now.Add(time.Hour), ObtainedAt: now})
	put("expired", &Entry{AccessToken: "a", ExpiresAt: now.Add(-time.Minute), ObtainedAt: now.Add(-time.Hour)})
	put("refreshable", &Entry{AccessToken: "a", RefreshToken: "r", ExpiresAt: now.Add(-time.Minute), ObtainedAt: now.Add(-2 * time.Hour)})
	put("identity", &Entry{AWS: &AWSCredentials{IdentityID: "us-east-1:x", AccessKeyID: "k", SecretAccessKey: "s"}, ExpiresAt: now.Add(-time.Minute), ObtainedAt: now.Add(-2 * time.Hour)})
	put("old-refresh", &Entry{AccessToken: "a", RefreshToken: "r", ExpiresAt: now.Add(-30 * 24 * time.Hour), ObtainedAt: now.Add(-31 * 24 * time.Hour)})

	lock := func(u string, age time.Duration) string {
		p := filepath.Join(dir, key(u).Name()+".lock")
		if err := os.WriteFile(p, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, now.Add(-age), now.Add(-age)); err != nil {
			t.Fatal(err)
		}
		return p
	}
	staleOrphan := lock("gone", 2*time.Hour)
	freshOrphan := lock("gone2", time.Minute)
	withEntry := lock("fresh", 2*time.Hour)
	other := filepath.Join(dir, "notes.txt")
	os.WriteFile(other, nil, 0o600)

	if err := c.Put(key("new"), &Entry{AccessToken: "a", ExpiresAt: now.Add(time.Hour), ObtainedAt: now}); err != nil {
		t.Fatal(err)
	}
	exists := func(p string) bool { _, err := os.Stat(p); return err == nil }
	for u, want := range map[string]bool{"fresh": true, "expired": false, "refreshable": true, "identity": true, "old-refresh": false, "new": true} {
		if got := exists(c.Path(key(u))); got != want {
			t.Errorf("entry %s: exists=%v, want %v", u, got, want)
		}
	}
	for p, want := range map[string]bool{staleOrphan: false, freshOrphan: true, withEntry: true, other: true} {
		if got := exists(p); got != want {
			t.Errorf("%s: exists=%v, want %v", filepath.Base(p), got, want)
		}
	}
}
