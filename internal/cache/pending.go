package cache

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Pending returns the store of challenges waiting for 'token respond': a
// directory of its own inside the cache directory (0700, files 0600,
// atomic writes, the same per-key locks), so that nothing that lists
// tokens mistakes a saved challenge for one.
func (c *Cache) Pending() *Cache {
	if c == nil || c.NoCache {
		return c
	}
	return &Cache{dir: filepath.Join(c.dir, "pending"), Warn: c.Warn, Now: c.Now}
}

// PutJSON stores v under key, atomically.
func (c *Cache) PutJSON(key Key, v any) error {
	if c == nil || c.NoCache {
		return nil
	}
	if err := c.ensureDir(); err != nil {
		return err
	}
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("write cache: %w", err)
	}
	return writeAtomic(c.Path(key), append(b, '\n'))
}

// GetJSON reads key's file into v; false when there is none. A file that
// cannot be parsed gives a *CorruptError.
func (c *Cache) GetJSON(key Key, v any) (bool, error) {
	if c == nil || c.NoCache {
		return false, nil
	}
	path := c.Path(key)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read cache: %w", err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return false, &CorruptError{Path: path, Err: err}
	}
	return true, nil
}

// Locked runs fn holding key's lock, as Fetch does, so that two processes
// never answer (or overwrite) the same saved challenge at once.
func (c *Cache) Locked(ctx context.Context, key Key, fn func() error) error {
	if c == nil || c.NoCache {
		return fn()
	}
	unlock, err := c.lock(ctx, key)
	if err != nil {
		return err
	}
	defer unlock()
	return fn()
}
