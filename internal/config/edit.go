package config

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/cogtool/cogtool/internal/exit"
)

// Unset removes key from profile name; a key that is not set is not an
// error, an unknown key is.
func (f *File) Unset(name, key string) error {
	p := f.Profile(name)
	if key == "scopes" {
		p.Scopes = nil
		return nil
	}
	ptr := p.field(key)
	if ptr == nil {
		return exit.Usagef("unknown key %q (keys: %s)", key, strings.Join(Keys, ", "))
	}
	*ptr = ""
	return nil
}

// Map returns profile name as key → value with the file's key names, only
// the keys that are set; scopes is a list.
func (f *File) Map(name string) map[string]any {
	p := f.Profile(name)
	m := map[string]any{}
	for _, k := range Keys {
		if k == "scopes" {
			if len(p.Scopes) > 0 {
				m[k] = p.Scopes
			}
			continue
		}
		if v := *p.field(k); v != "" {
			m[k] = v
		}
	}
	return m
}

// AbsSecretRef makes the path of a "file:PATH" reference absolute, with a
// leading ~ or ~/ expanded to the home directory, so that the profile
// works from any directory. Other values are returned as they are.
func AbsSecretRef(v string) (string, error) {
	path, ok := strings.CutPrefix(v, "file:")
	if !ok || path == "" {
		return v, nil
	}
	if path == "~" || strings.HasPrefix(path, "~/") {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", exit.Usagef("client_secret %q: cannot expand ~: %w", v, err)
		}
		path = filepath.Join(home, strings.TrimPrefix(path, "~"))
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", exit.Usagef("client_secret %q: %w", v, err)
	}
	return "file:" + abs, nil
}
