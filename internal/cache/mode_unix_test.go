//go:build unix

package cache

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

func TestModesWithPermissiveUmask(t *testing.T) {
	old := syscall.Umask(0)
	defer syscall.Umask(old)

	c, _ := newTestCache(t)
	if _, _, err := c.Fetch(context.Background(), testKey, time.Minute, func(ctx context.Context, s *Entry) (*Entry, error) {
		return entry("tok", t0.Add(time.Hour)), nil
	}); err != nil {
		t.Fatal(err)
	}
	checkMode(t, c.dir, 0o700)
	checkMode(t, c.Path(testKey), 0o600)
	checkMode(t, c.lockPath(testKey), 0o600)
}

func TestWideExistingDirIsRestricted(t *testing.T) {
	old := syscall.Umask(0)
	defer syscall.Umask(old)

	dir := filepath.Join(t.TempDir(), "cogtool")
	if err := os.Mkdir(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	checkMode(t, dir, 0o777) // the umask really is 0
	c := New(dir)
	if err := c.Put(testKey, entry("tok", t0.Add(time.Hour))); err != nil {
		t.Fatal(err)
	}
	checkMode(t, dir, 0o700)
	checkMode(t, c.Path(testKey), 0o600)
}

func checkMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != want {
		t.Errorf("%s has mode %#o, want %#o", filepath.Base(path), got, want)
	}
}
