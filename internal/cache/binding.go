package cache

import (
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/cogtool/cogtool/internal/fsutil"
)

// A cached token answers only for the credentials that obtained it
// (SECURITY.md, "What the token cache stores about credentials"). An
// entry's Binding records, without the credentials themselves:
//
//   - for a client secret, s=HMAC-SHA256(K, client id ‖ secret): client
//     secrets are high-entropy, so a keyed fingerprint is enough;
//   - for a password, p=salt$PBKDF2-HMAC-SHA256(HMAC(K, password), salt,
//     PasswordIterations): a per-entry salt and a slow KDF, so that the
//     cache does not make a password cheaper to recover than guessing it
//     against Cognito's rate limits and lockout would.
//
// K is a random key kept in the cache directory (binding.key, mode 0600),
// so that a copied entry is worth nothing elsewhere.

// PasswordIterations is the PBKDF2-HMAC-SHA256 cost of a password's
// binding: OWASP's 2023 figure for PBKDF2-SHA256.
const PasswordIterations = 600_000

const bindingKeyFile = "binding.key"

// BindingKey returns the cache's random binding key, creating it on first use.
func (c *Cache) BindingKey() ([]byte, error) {
	if c == nil || c.NoCache {
		return nil, errors.New("token cache: no binding key without a cache")
	}
	if err := c.ensureDir(); err != nil {
		return nil, err
	}
	path := filepath.Join(c.dir, bindingKeyFile)
	if k, err := readKey(path); err == nil {
		return k, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		return nil, err
	}
	// The key is made whole in one step (fsutil.CreateFile), which fails
	// if another process made it first: no process ever reads a created
	// but not yet written key (which made parallel runs each refuse the
	// cache and fetch their own token).
	if err := fsutil.CreateFile(path, k, fileMode); errors.Is(err, fs.ErrExist) {
		return readKey(path) // another process made it first
	} else if err != nil {
		return nil, fmt.Errorf("token cache: create binding key: %w", err)
	}
	return k, nil
}

// readKey reads the binding key with the trust rules of every cache file:
// a regular file of this user that no one else may write, never through a
// symbolic link.
func readKey(path string) ([]byte, error) {
	b, err := fsutil.ReadTrusted(path, 64)
	if err != nil {
		return nil, err
	}
	if len(b) != 32 {
		return nil, fmt.Errorf("token cache: %s is not a 32-byte key", path)
	}
	return b, nil
}

// SecretBinding is the binding of a client secret.
func SecretBinding(key []byte, clientID, secret string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("cogtool client secret\x00" + clientID + "\x00" + secret))
	return "s=" + base64.RawStdEncoding.EncodeToString(m.Sum(nil))
}

// PasswordBinding is the binding of a password, with a new random salt.
func PasswordBinding(key []byte, password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	return passwordBinding(key, password, salt)
}

func passwordBinding(key []byte, password string, salt []byte) (string, error) {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("cogtool password\x00" + password))
	dk, err := pbkdf2.Key(sha256.New, string(m.Sum(nil)), salt, PasswordIterations, 32)
	if err != nil {
		return "", err
	}
	return "p=" + base64.RawStdEncoding.EncodeToString(salt) + "$" + base64.RawStdEncoding.EncodeToString(dk), nil
}

// JoinBinding joins the parts of a binding ("" parts are dropped).
func JoinBinding(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, ";")
}

// Bound reports whether e was obtained with the secret binding want (""
// when no secret is used) and, when password is not "", with that
// password. An entry without a binding matches only when no credential is
// given.
func (e *Entry) Bound(key []byte, secretBinding, password string) bool {
	var haveSecret, havePassword string
	for _, p := range strings.Split(e.Binding, ";") {
		switch {
		case strings.HasPrefix(p, "s="):
			haveSecret = p
		case strings.HasPrefix(p, "p="):
			havePassword = p
		}
	}
	if subtle.ConstantTimeCompare([]byte(haveSecret), []byte(secretBinding)) != 1 {
		return false
	}
	if password == "" {
		return true
	}
	saltB64, _, ok := strings.Cut(strings.TrimPrefix(havePassword, "p="), "$")
	if !ok {
		return false
	}
	salt, err := base64.RawStdEncoding.DecodeString(saltB64)
	if err != nil {
		return false
	}
	got, err := passwordBinding(key, password, salt)
	return err == nil && subtle.ConstantTimeCompare([]byte(got), []byte(havePassword)) == 1
}
