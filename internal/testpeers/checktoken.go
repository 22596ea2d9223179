package testpeers

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"strings"
	"time"
)

// CheckToken verifies raw's RS256 signature against the JWKS at jwksURL,
// its iss and its exp, and returns its claims. It uses only the standard
// library, so tests can check a peer's tokens independently of cogtool's
// own verifier.
func CheckToken(ctx context.Context, raw, jwksURL, issuer string) (map[string]any, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, jwksURL, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch JWKS: %w", err)
	}
	defer resp.Body.Close()
	var set struct {
		Keys []struct{ Kty, Kid, N, E string }
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch JWKS %s: %s", jwksURL, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(&set); err != nil {
		return nil, fmt.Errorf("decode JWKS %s: %w", jwksURL, err)
	}
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		return nil, fmt.Errorf("token has %d parts, want 3", len(parts))
	}
	var header struct{ Alg, Kid string }
	var claims map[string]any
	for i, dst := range []any{&header, &claims} {
		b, err := base64.RawURLEncoding.DecodeString(parts[i])
		if err != nil {
			return nil, fmt.Errorf("token segment %d: %w", i, err)
		}
		if err := json.Unmarshal(b, dst); err != nil {
			return nil, fmt.Errorf("token segment %d: %w", i, err)
		}
	}
	if header.Alg != "RS256" {
		return nil, fmt.Errorf("token alg = %q, want RS256", header.Alg)
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return nil, fmt.Errorf("token signature: %w", err)
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	found := false
	for _, k := range set.Keys {
		if k.Kid != header.Kid || k.Kty != "RSA" {
			continue
		}
		found = true
		n, err1 := base64.RawURLEncoding.DecodeString(k.N)
		e, err2 := base64.RawURLEncoding.DecodeString(k.E)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("JWKS key %s is not base64url", k.Kid)
		}
		pub := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
		if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig); err != nil {
			return nil, fmt.Errorf("token signature does not verify with JWKS key %s: %w", k.Kid, err)
		}
	}
	if !found {
		return nil, fmt.Errorf("JWKS at %s has no RSA key with kid %q", jwksURL, header.Kid)
	}
	if claims["iss"] != issuer {
		return claims, fmt.Errorf("iss = %v, want %s", claims["iss"], issuer)
	}
	if exp, _ := claims["exp"].(float64); int64(exp) <= time.Now().Unix() {
		return claims, fmt.Errorf("token is already expired (exp %v)", claims["exp"])
	}
	return claims, nil
}
