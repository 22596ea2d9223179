package verify

import (
	"crypto"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"sync"
	"testing"
	"time"
)

const (
	testKid    = "kid-1"
	testIssuer = "https://cognito-idp.ap-south-1.amazonaws.com/ap-south-1_TESTPOOL"
	testClient = "4k2hclientid"
)

// testNow is the fixed clock of the claim tests.
var testNow = time.Unix(1700000000, 0)

var (
	keyOnce [3]sync.Once
	keyGen  [3]*rsa.PrivateKey
)

func genKey(i int) *rsa.PrivateKey {
	keyOnce[i].Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		keyGen[i] = k
	})
	return keyGen[i]
}

// keys returns the pool's signing key, an attacker's key and a second pool
// key (for rotation tests), generated once per test binary.
func keys(t testing.TB) (pool, attacker, rotated *rsa.PrivateKey) {
	t.Helper()
	return genKey(0), genKey(1), genKey(2)
}

// poolKey is keys' first key alone, for fuzzing (key generation is slow).
func poolKey() *rsa.PrivateKey { return genKey(0) }

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// jwkJSON is the JWK of a public key, as Cognito publishes it.
func jwkJSON(kid string, pub *rsa.PublicKey) map[string]any {
	return map[string]any{
		"kty": "RSA", "alg": "RS256", "use": "sig", "kid": kid,
		"n": b64(pub.N.Bytes()), "e": b64(big.NewInt(int64(pub.E)).Bytes()),
	}
}

func jwksOf(keys ...map[string]any) []byte {
	return []byte(mustJSON(map[string]any{"keys": keys}))
}

// sign builds a compact JWS from literal header and claims JSON, signing
// with alg. key is *rsa.PrivateKey for RS*/PS*, []byte for HS*, nil for none.
func sign(t testing.TB, alg string, key any, header, claims string) string {
	t.Helper()
	input := b64([]byte(header)) + "." + b64([]byte(claims))
	var sig []byte
	var err error
	switch alg {
	case "RS256":
		h := sha256.Sum256([]byte(input))
		sig, err = rsa.SignPKCS1v15(rand.Reader, key.(*rsa.PrivateKey), crypto.SHA256, h[:])
	case "RS512":
		h := sha512.Sum512([]byte(input))
		sig, err = rsa.SignPKCS1v15(rand.Reader, key.(*rsa.PrivateKey), crypto.SHA512, h[:])
	case "PS256":
		h := sha256.Sum256([]byte(input))
		sig, err = rsa.SignPSS(rand.Reader, key.(*rsa.PrivateKey), crypto.SHA256, h[:], nil)
	case "HS256":
		m := hmac.New(sha256.New, key.([]byte))
		m.Write([]byte(input))
		sig = m.Sum(nil)
	case "none":
	default:
		t.Fatalf("sign: alg %s", alg)
	}
	if err != nil {
		t.Fatal(err)
	}
	return input + "." + b64(sig)
}

func hdr(kv ...any) string {
	m := map[string]any{}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	return mustJSON(m)
}

// accessClaims are shaped like a Cognito access token issued 1m before
// testNow, valid for an hour.
func accessClaims() map[string]any {
	return map[string]any{
		"sub":            "8f1c2a4e-0000-4000-8000-000000000001",
		"cognito:groups": []string{"admin", "dev"},
		"iss":            testIssuer,
		"version":        2,
		"client_id":      testClient,
		"origin_jti":     "6b3c9e1a-aaaa-4bbb-8ccc-ddddeeeeffff",
		"event_id":       "0c1d2e3f-1111-4222-8333-444455556666",
		"token_use":      "access",
		"scope":          "dotnet-demo/dotnet openid email",
		"auth_time":      testNow.Unix() - 60,
		"exp":            testNow.Unix() + 3540,
		"iat":            testNow.Unix() - 60,
		"jti":            "a9f4c3d2-7777-4888-9999-000011112222",
		"username":       "alice",
	}
}

func idClaims() map[string]any {
	return map[string]any{
		"sub":              "8f1c2a4e-0000-4000-8000-000000000001",
		"cognito:groups":   []string{"admin"},
		"email_verified":   true,
		"iss":              testIssuer,
		"cognito:username": "alice",
		"origin_jti":       "6b3c9e1a-aaaa-4bbb-8ccc-ddddeeeeffff",
		"aud":              testClient,
		"event_id":         "0c1d2e3f-1111-4222-8333-444455556666",
		"token_use":        "id",
		"auth_time":        testNow.Unix() - 60,
		"exp":              testNow.Unix() + 3540,
		"iat":              testNow.Unix() - 60,
		"jti":              "b0a1c2d3-7777-4888-9999-000011112222",
		"email":            "alice@example.com",
	}
}

// with returns a copy of claims with kv set (a nil value deletes the key).
func with(claims map[string]any, kv ...any) map[string]any {
	out := make(map[string]any, len(claims))
	for k, v := range claims {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == nil {
			delete(out, kv[i].(string))
		} else {
			out[kv[i].(string)] = kv[i+1]
		}
	}
	return out
}

func publicPEM(t testing.TB, pub *rsa.PublicKey) []byte {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

// goodToken is a valid access token under testKid.
func goodToken(t testing.TB) string {
	return sign(t, "RS256", poolKey(), hdr("kid", testKid, "alg", "RS256"), mustJSON(accessClaims()))
}

func testKeySet(t testing.TB) *KeySet {
	ks, err := NewKeySet(jwksOf(jwkJSON(testKid, &poolKey().PublicKey)))
	if err != nil {
		t.Fatal(err)
	}
	return ks
}
