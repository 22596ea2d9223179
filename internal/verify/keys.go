package verify

import (
	"context"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/cogtool/cogtool/internal/exit"
)

// maxJWKSSize caps a JWKS read from a file or the network. Cognito's holds
// two keys, well under 2 KiB.
const maxJWKSSize = 1 << 20

// KeySource hands out the RSA public key for a kid. An unknown kid is a
// rejection (*exit.Error, code 3); failing to get any keys at all is a
// network failure (code 5). Implementations are safe for concurrent use.
type KeySource interface {
	Key(ctx context.Context, kid string) (*rsa.PublicKey, error)
}

// KeySet is a fixed kid → RSA public key map, parsed once from a JWKS. It
// is a KeySource that never touches the network.
type KeySet struct {
	keys map[string]*rsa.PublicKey
}

// NewKeySet parses a JWKS document. Only RSA keys with a kid, no "alg" or
// alg RS256, and no "use" or use "sig" are kept; others are skipped, as
// are keys jwx cannot parse, so one odd key does not sink the set. A
// document with no usable key is an error.
func NewKeySet(jwks []byte) (*KeySet, error) {
	var doc struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if !isObject(jwks) {
		return nil, fmt.Errorf("not a JWKS: not a JSON object")
	}
	if err := json.Unmarshal(jwks, &doc); err != nil {
		return nil, fmt.Errorf("not a JWKS: %w", err)
	}
	if doc.Keys == nil {
		return nil, fmt.Errorf(`not a JWKS: no "keys" array`)
	}
	ks := &KeySet{keys: make(map[string]*rsa.PublicKey, len(doc.Keys))}
	for _, raw := range doc.Keys {
		kid, pub, ok := rsaKey(raw)
		if !ok {
			continue
		}
		if _, dup := ks.keys[kid]; !dup { // first one wins, as in aws-jwt-verify
			ks.keys[kid] = pub
		}
	}
	if len(ks.keys) == 0 {
		return nil, fmt.Errorf("JWKS holds no RS256 signing key with a kid (%d keys in it)", len(doc.Keys))
	}
	return ks, nil
}

func rsaKey(raw json.RawMessage) (string, *rsa.PublicKey, bool) {
	k, err := jwk.ParseKey(raw)
	if err != nil || k.KeyType() != jwa.RSA() {
		return "", nil, false
	}
	kid, ok := k.KeyID()
	if !ok || kid == "" {
		return "", nil, false
	}
	if alg, ok := k.Algorithm(); ok && alg.String() != "RS256" {
		return "", nil, false
	}
	if use, ok := k.KeyUsage(); ok && use != "sig" {
		return "", nil, false
	}
	if k, err = jwk.PublicKeyOf(k); err != nil { // a JWKS with private parts still yields the public key
		return "", nil, false
	}
	var pub rsa.PublicKey
	if err := jwk.Export(k, &pub); err != nil || pub.N == nil {
		return "", nil, false
	}
	return kid, &pub, true
}

// LoadKeySetFile reads a JWKS from path (as `cogtool jwks` saves it). Any
// failure is a usage error (exit code 2): the file is the user's input.
func LoadKeySetFile(path string) (*KeySet, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, exit.Usagef("read JWKS file: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxJWKSSize+1))
	if err != nil {
		return nil, exit.Usagef("read JWKS file: %w", err)
	}
	if len(data) > maxJWKSSize {
		return nil, exit.Usagef("read JWKS file %s: over %d bytes", path, maxJWKSSize)
	}
	ks, err := NewKeySet(data)
	if err != nil {
		return nil, exit.Usagef("JWKS file %s: %w", path, err)
	}
	return ks, nil
}

// Key returns the key for kid, or a rejection naming the unknown kid.
func (ks *KeySet) Key(_ context.Context, kid string) (*rsa.PublicKey, error) {
	if k, ok := ks.keys[kid]; ok {
		return k, nil
	}
	return nil, unknownKid(kid, nil)
}

// Len is the number of usable keys.
func (ks *KeySet) Len() int { return len(ks.keys) }

func (ks *KeySet) has(kid string) bool {
	_, ok := ks.keys[kid]
	return ok
}

func unknownKid(kid string, refetchErr error) error {
	if refetchErr != nil {
		return rejectf("unknown kid %s (JWKS refetch failed: %v)", quote(kid), refetchErr)
	}
	return rejectf("unknown kid %s", quote(kid))
}
