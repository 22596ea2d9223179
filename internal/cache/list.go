package cache

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Listed is one cached entry and the name of the file that holds it.
type Listed struct {
	Name  string // file name stem (Key.Name)
	Entry *Entry
}

// List returns the token entries in the cache, sorted by name. Files that
// are not entries (locks, the jwks directory, temp files) are skipped, and
// a corrupt entry is reported through Warn and skipped. A cache directory
// that does not exist yet holds no entries.
func (c *Cache) List() ([]Listed, error) {
	if c == nil {
		return nil, nil
	}
	if err := c.checkDir(); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, err
	}
	des, err := os.ReadDir(c.dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read token cache: %w", err)
	}
	var out []Listed
	for _, de := range des {
		name, ok := strings.CutSuffix(de.Name(), ".json")
		if !ok || !de.Type().IsRegular() || !isKeyName(name) {
			continue
		}
		e, err := c.getPath(filepath.Join(c.dir, de.Name()))
		if err != nil {
			c.warn("%v", err)
			continue
		}
		if e != nil {
			out = append(out, Listed{Name: name, Entry: e})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Remove deletes the entry stored under name (a Listed.Name); a missing
// entry is not an error. Like Delete, it leaves the lock file.
func (c *Cache) Remove(name string) error {
	if c == nil || !isKeyName(name) {
		return nil
	}
	err := os.Remove(filepath.Join(c.dir, name+".json"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("delete cached token: %w", err)
	}
	return nil
}

// isKeyName reports whether s is a Key.Name: 64 lowercase hex digits.
func isKeyName(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !(s[i] >= '0' && s[i] <= '9' || s[i] >= 'a' && s[i] <= 'f') {
			return false
		}
	}
	return true
}
