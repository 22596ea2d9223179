// Command gentokens writes a set of Cognito-shaped RS256 access tokens and
// the JWKS that verifies them, for the verify benchmark (scripts/bench.sh).
// Like a real user pool, the JWKS holds two 2048-bit keys and the tokens are
// signed by both in turn.
//
// Usage:
//
//	gentokens -n 10000 -pool us-east-1_BENCH0001 -client-id ID -tokens tokens.txt -jwks jwks.json
//
// The tokens are valid for -ttl from now; the issuer is Cognito's form,
// https://cognito-idp.{region}.amazonaws.com/{pool}.
package main

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"math/big"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "gentokens:", err)
		os.Exit(1)
	}
}

func run() error {
	n := flag.Int("n", 10000, "number of tokens")
	pool := flag.String("pool", "us-east-1_BENCH0001", "user pool id (its prefix is the region)")
	clientID := flag.String("client-id", "1example23456789benchclient", "app client id (client_id claim)")
	tokensPath := flag.String("tokens", "tokens.txt", "write the tokens here, one a line")
	jwksPath := flag.String("jwks", "jwks.json", "write the JWKS here")
	ttl := flag.Duration("ttl", 2*time.Hour, "token lifetime from now")
	flag.Parse()
	if *n <= 0 || !strings.Contains(*pool, "_") {
		return fmt.Errorf("want -n > 0 and a pool id like us-east-1_AbC123")
	}
	region := (*pool)[:strings.IndexByte(*pool, '_')]
	issuer := "https://cognito-idp." + region + ".amazonaws.com/" + *pool

	type signer struct {
		kid string
		key *rsa.PrivateKey
	}
	signers := make([]signer, 2)
	var jwks struct {
		Keys []map[string]string `json:"keys"`
	}
	for i := range signers {
		key, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			return err
		}
		kid := b64(sha256Of(key.N.Bytes())[:16])
		signers[i] = signer{kid, key}
		jwks.Keys = append(jwks.Keys, map[string]string{
			"alg": "RS256", "e": b64(big.NewInt(int64(key.E)).Bytes()), "kid": kid,
			"kty": "RSA", "n": b64(key.N.Bytes()), "use": "sig",
		})
	}
	doc, err := json.Marshal(jwks)
	if err != nil {
		return err
	}
	if err := os.WriteFile(*jwksPath, append(doc, '\n'), 0o644); err != nil {
		return err
	}

	now := time.Now().Unix()
	lines := make([]string, *n)
	errs := make(chan error, runtime.NumCPU())
	var wg sync.WaitGroup
	workers := runtime.NumCPU()
	for w := range workers {
		wg.Go(func() {
			for i := w; i < *n; i += workers {
				s := signers[i%len(signers)]
				header := fmt.Sprintf(`{"kid":%q,"alg":"RS256"}`, s.kid)
				claims, err := json.Marshal(map[string]any{
					"sub":        uuid(i, 1),
					"iss":        issuer,
					"version":    2,
					"client_id":  *clientID,
					"origin_jti": uuid(i, 2),
					"event_id":   uuid(i, 3),
					"token_use":  "access",
					"scope":      "aws.cognito.signin.user.admin",
					"auth_time":  now - 60,
					"exp":        now + int64(ttl.Seconds()),
					"iat":        now - 60,
					"jti":        uuid(i, 4),
					"username":   fmt.Sprintf("user-%05d", i),
				})
				if err != nil {
					errs <- err
					return
				}
				input := b64([]byte(header)) + "." + b64(claims)
				digest := sha256Of([]byte(input))
				sig, err := rsa.SignPKCS1v15(nil, s.key, crypto.SHA256, digest)
				if err != nil {
					errs <- err
					return
				}
				lines[i] = input + "." + b64(sig)
			}
		})
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return err
	}
	if err := os.WriteFile(*tokensPath, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "gentokens: %d tokens, issuer %s, client %s\n", *n, issuer, *clientID)
	return nil
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func sha256Of(b []byte) []byte {
	h := sha256.Sum256(b)
	return h[:]
}

// uuid is a UUID-shaped value, distinct per token and field.
func uuid(i, field int) string {
	h := sha256Of(fmt.Appendf(nil, "%d/%d", i, field))
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}
