// Package bench is cogtool's benchmark tooling, a module of its own so that
// the product's `go test ./...` never builds it:
//
//   - this package: Generate, Cognito-shaped RS256 tokens and their JWKS;
//   - verify_test.go: the Go benchmarks of internal/verify (BenchmarkVerify,
//     BenchmarkRSAFloor, BenchmarkVerifyBatch), run with -cpu 1,2;
//   - ./pair: the tool that runs cogtool beside the tools people use today
//     (the awscli, curl, aws-jwt-verify), runs those benchmarks, and writes
//     docs/benchmarks.md (started by scripts/bench.sh, `make bench`);
//   - node/: aws-jwt-verify, pinned, and the script that drives it.
package bench

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"runtime"
	"strings"
	"sync"
	"time"
)

// Tokens are access tokens of one user pool and the JWKS that verifies
// them.
type Tokens struct {
	Issuer   string
	ClientID string
	Lines    []string // one compact JWS each, all distinct
	JWKS     []byte
	Keys     []*rsa.PrivateKey
}

// Generate signs n access tokens shaped like Cognito's for pool (its
// prefix is the region) and clientID, valid from a minute before now for
// ttl. Like a real user pool, the JWKS holds two 2048-bit keys and the
// tokens are signed by both in turn. The issuer is Cognito's original form,
// https://cognito-idp.{region}.amazonaws.com/{pool}.
func Generate(n int, pool, clientID string, now time.Time, ttl time.Duration) (*Tokens, error) {
	region, _, ok := strings.Cut(pool, "_")
	if n <= 0 || !ok || region == "" {
		return nil, fmt.Errorf("want n > 0 and a pool id like us-east-1_AbC123")
	}
	t := &Tokens{Issuer: "https://cognito-idp." + region + ".amazonaws.com/" + pool, ClientID: clientID}
	var jwks struct {
		Keys []map[string]string `json:"keys"`
	}
	kids := make([]string, 2)
	for i := range kids {
		key, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(key.N.Bytes())
		kids[i] = b64(sum[:16])
		t.Keys = append(t.Keys, key)
		jwks.Keys = append(jwks.Keys, map[string]string{
			"alg": "RS256", "e": b64(big.NewInt(int64(key.E)).Bytes()), "kid": kids[i],
			"kty": "RSA", "n": b64(key.N.Bytes()), "use": "sig",
		})
	}
	var err error
	if t.JWKS, err = json.Marshal(jwks); err != nil {
		return nil, err
	}

	issued := now.Unix() - 60
	t.Lines = make([]string, n)
	workers := runtime.GOMAXPROCS(0)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < n; i += workers {
				k := i % len(t.Keys)
				claims, err := json.Marshal(map[string]any{
					"sub":        uuid(i, 1),
					"iss":        t.Issuer,
					"version":    2,
					"client_id":  clientID,
					"origin_jti": uuid(i, 2),
					"event_id":   uuid(i, 3),
					"token_use":  "access",
					"scope":      "aws.cognito.signin.user.admin",
					"auth_time":  issued,
					"exp":        now.Add(ttl).Unix(),
					"iat":        issued,
					"jti":        uuid(i, 4),
					"username":   fmt.Sprintf("user-%05d", i),
				})
				if err != nil {
					errs[w] = err
					return
				}
				input := b64(fmt.Appendf(nil, `{"kid":%q,"alg":"RS256"}`, kids[k])) + "." + b64(claims)
				digest := sha256.Sum256([]byte(input))
				sig, err := rsa.SignPKCS1v15(nil, t.Keys[k], crypto.SHA256, digest[:])
				if err != nil {
					errs[w] = err
					return
				}
				t.Lines[i] = input + "." + b64(sig)
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return t, nil
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// uuid is a UUID-shaped value, distinct per token and field.
func uuid(i, field int) string {
	h := sha256.Sum256(fmt.Appendf(nil, "%d/%d", i, field))
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}
