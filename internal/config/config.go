// Package config reads and writes cogtool's TOML profile file. It stores
// references to client secrets (env:NAME, file:PATH), never a secret itself,
// and writes the file with mode 0600.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pelletier/go-toml/v2"

	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/fsutil"
)

// Profile is one [profiles.NAME] table. Keys are named like the flags,
// with underscores.
type Profile struct {
	Region      string   `toml:"region,omitempty"`
	UserPoolID  string   `toml:"user_pool_id,omitempty"`
	ClientID    string   `toml:"client_id,omitempty"`
	Secret      string   `toml:"client_secret,omitempty"`
	Domain      string   `toml:"domain,omitempty"`
	TokenURL    string   `toml:"token_url,omitempty"`
	EndpointURL string   `toml:"endpoint_url,omitempty"`
	Issuer      string   `toml:"issuer,omitempty"`
	JWKSURL     string   `toml:"jwks_url,omitempty"`
	Scopes      []string `toml:"scopes,omitempty"`
	Flow        string   `toml:"flow,omitempty"`
	Username    string   `toml:"username,omitempty"`
	// RedirectURI is the hosted-UI login's callback URL, which must be
	// among the app client's callback URLs exactly, port included.
	RedirectURI string `toml:"redirect_uri,omitempty"`
	// IdentityPoolID and IdentityEndpointURL: aws-credentials, call --sigv4, exec --aws.
	IdentityPoolID      string `toml:"identity_pool_id,omitempty"`
	IdentityEndpointURL string `toml:"identity_endpoint_url,omitempty"`
}

// File is the whole config file.
type File struct {
	Profiles map[string]*Profile `toml:"profiles"`
}

// maxFileSize bounds what Load reads.
const maxFileSize = 1 << 20

// Keys lists the settable keys in the order `config list` shows them.
var Keys = []string{"region", "user_pool_id", "client_id", "client_secret", "domain", "token_url",
	"endpoint_url", "issuer", "jwks_url", "scopes", "flow", "username", "redirect_uri", "identity_pool_id", "identity_endpoint_url"}

// Flows are the values `flow` accepts.
var Flows = []string{"client-credentials", "password", "srp", "login"}

// DefaultPath is $XDG_CONFIG_HOME/cogtool/config.toml (os.UserConfigDir).
func DefaultPath() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		return filepath.Join(".config", "cogtool", "config.toml")
	}
	return filepath.Join(dir, "cogtool", "config.toml")
}

// Load reads path. A missing file is an empty config, not an error.
func Load(path string) (*File, error) {
	f := &File{Profiles: map[string]*Profile{}}
	// A config file is a few hundred bytes; a bound keeps a large file
	// finite, and a FIFO or a device (--config /dev/zero) is refused.
	b, err := fsutil.ReadFile(path, maxFileSize)
	if errors.Is(err, fs.ErrNotExist) {
		return f, nil
	}
	if err != nil {
		return nil, exit.Usagef("read config: %w", err)
	}
	return f, Parse(b, f)
}

// Parse decodes TOML bytes into f, rejecting unknown keys and literal secrets.
func Parse(b []byte, f *File) error {
	dec := toml.NewDecoder(bytes.NewReader(b)).DisallowUnknownFields()
	if err := dec.Decode(f); err != nil {
		var sme *toml.StrictMissingError
		if errors.As(err, &sme) && len(sme.Errors) > 0 {
			return exit.Usagef("config: unknown key %s", strings.Join(sme.Errors[0].Key(), "."))
		}
		var de *toml.DecodeError
		if errors.As(err, &de) {
			row, col := de.Position()
			return exit.Usagef("config: line %d column %d: %s", row, col, de.Error())
		}
		return exit.Usagef("config: %w", err)
	}
	if f.Profiles == nil {
		f.Profiles = map[string]*Profile{}
	}
	for name, p := range f.Profiles {
		if p == nil {
			f.Profiles[name] = &Profile{}
			continue
		}
		if err := CheckSecretRef(p.Secret); err != nil {
			return exit.Usagef("config: profile %s: %w", name, err)
		}
		if p.Flow != "" && !contains(Flows, p.Flow) {
			return exit.Usagef("config: profile %s: flow %q is not one of %s", name, p.Flow, strings.Join(Flows, ", "))
		}
	}
	return nil
}

// CheckSecretRef accepts "", "env:NAME" or "file:PATH" and refuses a literal.
func CheckSecretRef(v string) error {
	switch {
	case v == "":
		return nil
	case strings.HasPrefix(v, "env:"):
		if !isVarName(v[len("env:"):]) {
			// The value is not shown: it may be the secret itself,
			// expanded by the shell (env:$SECRET).
			return errors.New(`client_secret "env:NAME" needs a variable name (letters, digits and _, not starting with a digit); is the value the secret itself?`)
		}
		return nil
	case strings.HasPrefix(v, "file:") && len(v) > len("file:"):
		return nil
	}
	return errors.New(`client_secret must be "env:NAME" or "file:PATH", never the secret itself`)
}

// isVarName reports whether s is an environment variable name:
// [A-Za-z_][A-Za-z0-9_]*.
func isVarName(s string) bool {
	for i, r := range s {
		if !(r == '_' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return s != ""
}

// Profile returns the named profile, or an empty one.
func (f *File) Profile(name string) *Profile {
	if p, ok := f.Profiles[name]; ok {
		return p
	}
	return &Profile{}
}

// Get returns the value of key in profile name as text (scopes joined by spaces).
func (f *File) Get(name, key string) (string, error) {
	p := f.Profile(name)
	switch key {
	case "scopes":
		return strings.Join(p.Scopes, " "), nil
	}
	ptr := p.field(key)
	if ptr == nil {
		return "", exit.Usagef("unknown key %q (keys: %s)", key, strings.Join(Keys, ", "))
	}
	return *ptr, nil
}

// Set stores value under key in profile name. scopes takes a list
// separated by white space.
func (f *File) Set(name, key, value string) error {
	if f.Profiles == nil {
		f.Profiles = map[string]*Profile{}
	}
	p, ok := f.Profiles[name]
	if !ok {
		p = &Profile{}
		f.Profiles[name] = p
	}
	switch key {
	case "scopes":
		scopes, err := SplitScopes("scopes", value)
		if err != nil {
			return err
		}
		p.Scopes = scopes
		return nil
	case "client_secret":
		if err := CheckSecretRef(value); err != nil {
			return exit.Usagef("%w", err)
		}
		var err error
		if value, err = AbsSecretRef(value); err != nil {
			return err
		}
	case "flow":
		if value != "" && !contains(Flows, value) {
			return exit.Usagef("flow %q is not one of %s", value, strings.Join(Flows, ", "))
		}
	}
	ptr := p.field(key)
	if ptr == nil {
		return exit.Usagef("unknown key %q (keys: %s)", key, strings.Join(Keys, ", "))
	}
	*ptr = value
	return nil
}

// ProfileNames returns the profile names, sorted.
func (f *File) ProfileNames() []string { return slices.Sorted(maps.Keys(f.Profiles)) }

// Save writes f to path atomically with mode 0600 (directory 0700). A
// file that cannot be written is a usage error, like one that cannot be
// read: the path is the user's (--config, $COGTOOL_CONFIG).
func (f *File) Save(path string) error {
	b, err := toml.Marshal(f)
	if err != nil {
		return fmt.Errorf("write config: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return exit.Usagef("write config: %w", err)
	}
	if err := fsutil.WriteFile(path, b, 0o600); err != nil {
		return exit.Usagef("write config: %w", err)
	}
	return nil
}

func (p *Profile) field(key string) *string {
	switch key {
	case "region":
		return &p.Region
	case "user_pool_id":
		return &p.UserPoolID
	case "client_id":
		return &p.ClientID
	case "client_secret":
		return &p.Secret
	case "domain":
		return &p.Domain
	case "token_url":
		return &p.TokenURL
	case "endpoint_url":
		return &p.EndpointURL
	case "issuer":
		return &p.Issuer
	case "jwks_url":
		return &p.JWKSURL
	case "flow":
		return &p.Flow
	case "username":
		return &p.Username
	case "redirect_uri":
		return &p.RedirectURI
	case "identity_pool_id":
		return &p.IdentityPoolID
	case "identity_endpoint_url":
		return &p.IdentityEndpointURL
	}
	return nil
}

func contains(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}
