package verify

import (
	"context"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json/jsontext"
	jsonv2 "encoding/json/v2"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/cogtool/cogtool/internal/decode"
	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/fsutil"
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
	keys    map[string]*rsa.PublicKey
	refused map[string]string // kid → why its key cannot verify anything
}

// MinRSABits is the smallest RSA modulus a JWKS key may have (Cognito's
// are 2048 bits; NIST SP 800-131A disallows less for signatures).
const MinRSABits = 2048

// NewKeySet parses a JWKS document. A key is usable when it is RSA, has a
// kid, no "alg" or alg RS256, no "use" or use "sig", and a modulus of at
// least MinRSABits. When several keys share a kid the first one in the set
// decides, usable or not (as in aws-jwt-verify): a token naming the kid of
// an unusable key is rejected with the reason, never verified with a later
// key. A document with no usable key is an error that says why.
func NewKeySet(jwks []byte) (*KeySet, error) {
	var doc struct {
		Keys []jsontext.Value `json:"keys"`
	}
	if !isObject(jwks) {
		return nil, fmt.Errorf("not a JWKS: not a JSON object")
	}
	if err := jsonv2.Unmarshal(jwks, &doc); err != nil {
		return nil, fmt.Errorf("not a JWKS: %w", err)
	}
	if doc.Keys == nil {
		return nil, fmt.Errorf(`not a JWKS: no "keys" array`)
	}
	ks := &KeySet{keys: make(map[string]*rsa.PublicKey, len(doc.Keys)), refused: map[string]string{}}
	var why []string
	for _, raw := range doc.Keys {
		kid, pub, reason := rsaKey(raw)
		if kid == "" || ks.has(kid) { // no kid: no token can name it; a later duplicate never decides
			continue
		}
		if reason != "" {
			ks.refused[kid] = reason
			why = append(why, fmt.Sprintf("kid %s: %s", quote(kid), reason))
			continue
		}
		ks.keys[kid] = pub
	}
	if len(ks.keys) == 0 {
		msg := fmt.Sprintf("JWKS holds no RS256 signing key with a kid (%d keys in it)", len(doc.Keys))
		if len(why) > 0 {
			msg += ": " + strings.Join(why[:min(len(why), 3)], "; ")
		}
		return nil, errors.New(msg)
	}
	return ks, nil
}

// rsaKey returns a JWK's kid and its public key, or the reason it cannot
// verify RS256 signatures. kid is "" when the key has none.
func rsaKey(raw jsontext.Value) (kid string, pub *rsa.PublicKey, reason string) {
	var named struct {
		Kid string `json:"kid"`
		Kty string `json:"kty"`
		N   string `json:"n"`
	}
	if jsonv2.Unmarshal(raw, &named) != nil || named.Kid == "" {
		return "", nil, ""
	}
	kid = named.Kid
	// jwx refuses a short modulus as unparsable; say what is wrong with it.
	if n, err := base64.RawURLEncoding.DecodeString(named.N); named.Kty == "RSA" && err == nil && len(n) > 0 {
		if bits := new(big.Int).SetBytes(n).BitLen(); bits < MinRSABits {
			return kid, nil, fmt.Sprintf("RSA key of %d bits, under the %d-bit minimum", bits, MinRSABits)
		}
	}
	k, err := jwk.ParseKey(raw)
	if err != nil {
		return kid, nil, "unreadable JWK: " + decode.Sanitize(err.Error())
	}
	if k.KeyType() != jwa.RSA() {
		return kid, nil, fmt.Sprintf("%s key, want RSA", quote(k.KeyType().String()))
	}
	if alg, ok := k.Algorithm(); ok && alg.String() != "RS256" {
		return kid, nil, fmt.Sprintf("key for alg %s, want RS256", quote(alg.String()))
	}
	if use, ok := k.KeyUsage(); ok && use != "sig" {
		return kid, nil, fmt.Sprintf("key for use %s, want sig", quote(use))
	}
	if k, err = jwk.PublicKeyOf(k); err != nil { // a JWKS with private parts still yields the public key
		return kid, nil, "unreadable JWK: " + decode.Sanitize(err.Error())
	}
	var p rsa.PublicKey
	if err := jwk.Export(k, &p); err != nil || p.N == nil {
		return kid, nil, "unreadable RSA key"
	}
	if bits := p.N.BitLen(); bits < MinRSABits {
		return kid, nil, fmt.Sprintf("RSA key of %d bits, under the %d-bit minimum", bits, MinRSABits)
	}
	return kid, &p, ""
}

// LoadKeySetFile reads a JWKS from path (as `cogtool jwks` saves it). Any
// failure is a usage error (exit code 2): the file is the user's input.
func LoadKeySetFile(path string) (*KeySet, error) {
	data, err := fsutil.ReadFile(path, maxJWKSSize)
	if err != nil {
		return nil, exit.Usagef("read JWKS file: %w", err)
	}
	ks, err := NewKeySet(data)
	if err != nil {
		return nil, exit.Usagef("JWKS file %s: %w", path, err)
	}
	return ks, nil
}

// Key returns the key for kid, or a rejection naming the unknown or
// unusable kid.
func (ks *KeySet) Key(_ context.Context, kid string) (*rsa.PublicKey, error) {
	return ks.lookup(kid, nil)
}

// lookup is Key, with the error of a failed JWKS refetch to report beside
// an unknown kid.
func (ks *KeySet) lookup(kid string, refetchErr error) (*rsa.PublicKey, error) {
	if k, ok := ks.keys[kid]; ok {
		return k, nil
	}
	if why, ok := ks.refused[kid]; ok {
		return nil, rejectf("kid %s: %s", quote(kid), why)
	}
	return nil, unknownKid(kid, refetchErr)
}

// has reports whether the set decides about kid, usable or not: a
// refetch for it would change nothing.
func (ks *KeySet) has(kid string) bool {
	_, ok := ks.keys[kid]
	_, refused := ks.refused[kid]
	return ok || refused
}

func unknownKid(kid string, refetchErr error) error {
	if refetchErr != nil {
		return rejectf("unknown kid %s (JWKS refetch failed: %v)", quote(kid), refetchErr)
	}
	return rejectf("unknown kid %s", quote(kid))
}
