package verify

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cogtool/cogtool/internal/exit"
)

// The rules of this file follow aws-jwt-verify where it is right and are
// stricter where it is cheap: both Cognito issuer forms, the issuer checked
// before the key, claim names matched exactly, weak keys refused by name,
// and the first key of a kid deciding.

const (
	testPool          = "ap-south-1_TESTPOOL"
	testUpdatedIssuer = "https://issuer-cognito-idp.ap-south-1.amazonaws.com/" + testPool
	otherPoolIssuer   = "https://cognito-idp.ap-south-1.amazonaws.com/ap-south-1_OTHERPOOL"
)

func TestCognitoIssuers(t *testing.T) {
	want := []string{testIssuer, testUpdatedIssuer}
	if got := CognitoIssuers("ap-south-1", testPool); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("CognitoIssuers(%q, %q) = %q, want %q", "ap-south-1", testPool, got, want)
	}
	for iss, pool := range map[string]string{
		testIssuer:        testPool,
		testUpdatedIssuer: testPool,
		"https://cognito-idp.ap-south-1.amazonaws.com/" + testPool + "/x": "",
		"http://cognito-idp.ap-south-1.amazonaws.com/" + testPool:         "",
		"https://evil.example/" + testPool:                                "",
		"https://cognito-idp..amazonaws.com/" + testPool:                  "",
	} {
		got, ok := cognitoPool(iss)
		if got != pool || ok != (pool != "") {
			t.Errorf("cognitoPool(%q) = %q, %v; want %q", iss, got, ok, pool)
		}
	}
}

func strictVerifier(t *testing.T, keys KeySource, issuers ...string) *Verifier {
	t.Helper()
	v, err := New(keys, Options{Issuers: issuers, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// wantRejected checks that tok is rejected (exit 3) with a reason that
// starts with prefix.
func wantRejected(t *testing.T, v *Verifier, tok, prefix string) {
	t.Helper()
	res, err := v.Verify(context.Background(), tok)
	if exit.CodeOf(err) != exit.Rejected || !strings.HasPrefix(res.Reason, prefix) {
		t.Errorf("Verify = %v (code %d), want a rejection starting %q", err, exit.CodeOf(err), prefix)
	}
}

func wantValid(t *testing.T, v *Verifier, tok string) {
	t.Helper()
	if res, err := v.Verify(context.Background(), tok); err != nil || !res.Valid {
		t.Errorf("Verify = %v, want valid", err)
	}
}

func TestIssuers(t *testing.T) {
	pool, _, _ := keys(t)
	std := hdr("kid", testKid, "alg", "RS256")
	classic := sign(t, "RS256", pool, std, mustJSON(accessClaims()))
	updated := sign(t, "RS256", pool, std, mustJSON(with(accessClaims(), "iss", testUpdatedIssuer)))
	fromOther := sign(t, "RS256", pool, hdr("kid", "other-pool-kid", "alg", "RS256"), mustJSON(with(accessClaims(), "iss", otherPoolIssuer)))

	both := strictVerifier(t, testKeySet(t), CognitoIssuers("ap-south-1", testPool)...)
	wantValid(t, both, classic)
	wantValid(t, both, updated)
	// Another pool's token names a kid this JWKS does not hold: the issuer
	// is what is wrong, and it is said first.
	wantRejected(t, both, fromOther, "issuer mismatch: token from "+otherPoolIssuer+", want "+testIssuer+" or "+testUpdatedIssuer+" — another pool?")
	wantRejected(t, both, sign(t, "RS256", pool, std, mustJSON(with(accessClaims(), "iss", nil))), "missing iss, want "+testIssuer+" or ")
	// Even before the algorithm: a token from elsewhere is from elsewhere.
	wantRejected(t, both, sign(t, "none", nil, hdr("alg", "none"), mustJSON(with(accessClaims(), "iss", otherPoolIssuer))), "issuer mismatch: token from "+otherPoolIssuer)
	// Not a Cognito issuer: no guess about pools.
	res, _ := both.Verify(context.Background(), sign(t, "RS256", pool, std, mustJSON(with(accessClaims(), "iss", "https://evil.example"))))
	if !strings.HasSuffix(res.Reason, "want "+testIssuer+" or "+testUpdatedIssuer) {
		t.Errorf("foreign issuer: reason %q", res.Reason)
	}

	// One form accepted (--issuer given): the other form of the same pool
	// is refused with the way to accept it.
	classicOnly := strictVerifier(t, testKeySet(t), testIssuer)
	wantValid(t, classicOnly, classic)
	wantRejected(t, classicOnly, updated, "issuer mismatch: token from "+testUpdatedIssuer+", want "+testIssuer+" — the pool's other issuer format; accept it with --issuer "+testUpdatedIssuer)

	// Three issuers are listed as "one of".
	three := strictVerifier(t, testKeySet(t), testIssuer, testUpdatedIssuer, "https://idp.example")
	wantRejected(t, three, fromOther, "issuer mismatch: token from "+otherPoolIssuer+", want one of "+testIssuer+", "+testUpdatedIssuer+", https://idp.example — another pool?")

	for _, o := range []Options{{}, {Issuers: []string{testIssuer, ""}}} {
		if _, err := New(testKeySet(t), o); exit.CodeOf(err) != exit.Usage {
			t.Errorf("New(%+v) = %v, want a usage error", o, err)
		}
	}
	if _, err := NewByIssuer(map[string]KeySource{testIssuer: testKeySet(t)}, Options{Issuers: []string{testIssuer, testUpdatedIssuer}}); err == nil {
		t.Error("NewByIssuer accepted an issuer without keys")
	}
}

// TestKeysFollowIssuer: with a key source per issuer (the JWKS at each
// issuer's URL), a token's key comes from its own issuer's JWKS only.
func TestKeysFollowIssuer(t *testing.T) {
	pool, _, rotated := keys(t)
	classicJWKS := newJWKSServer(t, jwksOf(jwkJSON(testKid, &pool.PublicKey)))
	updatedJWKS := newJWKSServer(t, jwksOf(jwkJSON("kid-2", &rotated.PublicKey)))
	c := &clock{t: testNow}
	v, err := NewByIssuer(map[string]KeySource{
		testIssuer:        newRemote(t, classicJWKS.url(), "", c),
		testUpdatedIssuer: newRemote(t, updatedJWKS.url(), "", c),
	}, Options{Issuers: []string{testIssuer, testUpdatedIssuer}, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	wantValid(t, v, sign(t, "RS256", pool, hdr("kid", testKid, "alg", "RS256"), mustJSON(accessClaims())))
	wantValid(t, v, sign(t, "RS256", rotated, hdr("kid", "kid-2", "alg", "RS256"), mustJSON(with(accessClaims(), "iss", testUpdatedIssuer))))
	// kid-1 lives in the classic issuer's JWKS, not the updated one's.
	wantRejected(t, v, sign(t, "RS256", pool, hdr("kid", testKid, "alg", "RS256"), mustJSON(with(accessClaims(), "iss", testUpdatedIssuer))), `unknown kid "kid-1"`)
	if n := classicJWKS.requests.Load(); n != 1 {
		t.Errorf("classic JWKS fetched %d times, want 1", n)
	}
	if n := updatedJWKS.requests.Load(); n != 1 {
		t.Errorf("updated JWKS fetched %d times, want 1", n)
	}
	// A token from another pool fetches nothing.
	wantRejected(t, v, sign(t, "RS256", pool, hdr("kid", "x", "alg", "RS256"), mustJSON(with(accessClaims(), "iss", otherPoolIssuer))), "issuer mismatch")
	if n := classicJWKS.requests.Load() + updatedJWKS.requests.Load(); n != 2 {
		t.Errorf("%d JWKS requests after a foreign token, want 2", n)
	}
}

// TestClaimNamesExact: Go's encoding/json would let "EXP" or "TOKEN_USE"
// (or a later duplicate) stand in for a claim; names match exactly here.
func TestClaimNamesExact(t *testing.T) {
	pool, _, _ := keys(t)
	now := testNow.Unix()
	std := hdr("kid", testKid, "alg", "RS256")
	// literal appends raw JSON members to the claims (after them in the text).
	literal := func(claims map[string]any, extra string) string {
		js := mustJSON(claims)
		return sign(t, "RS256", pool, std, js[:len(js)-1]+","+extra+"}")
	}
	v := strictVerifier(t, testKeySet(t), testIssuer)
	access, _ := New(testKeySet(t), Options{Issuers: []string{testIssuer}, TokenUse: "access", Now: func() time.Time { return testNow }})

	wantRejected(t, v, literal(with(accessClaims(), "exp", now-300), fmt.Sprintf(`"EXP":%d`, now+3600)), "expired 5m ago")
	wantRejected(t, v, literal(with(accessClaims(), "exp", nil), fmt.Sprintf(`"Exp":%d`, now+3600)), "missing exp")
	// An ID token does not pass as an access token by a TOKEN_USE claim.
	wantRejected(t, access, literal(idClaims(), `"TOKEN_USE":"access"`), "token_use mismatch: got id, want access")
	wantRejected(t, v, literal(with(accessClaims(), "iss", nil), `"ISS":"`+testIssuer+`"`), "missing iss")
	wantRejected(t, v, literal(with(accessClaims(), "nbf", now+600), fmt.Sprintf(`"NBF":%d`, now-600)), "not valid yet")
	// A claim given twice is refused, whichever value comes last.
	wantRejected(t, v, literal(with(accessClaims(), "exp", now-300), fmt.Sprintf(`"exp":%d`, now+3600)), `bad payload: field "exp" given twice`)
	wantRejected(t, access, literal(idClaims(), `"token_use":"access"`), `bad payload: field "token_use" given twice`)
	// Other members in other cases are just other claims.
	wantValid(t, v, literal(accessClaims(), `"EXP":1,"Token_Use":"refresh","Iss":"https://evil.example"`))

	// Header names too: "ALG" is not alg, "KID" is not kid.
	claims := mustJSON(accessClaims())
	wantRejected(t, v, sign(t, "RS256", pool, `{"ALG":"RS256","kid":"kid-1"}`, claims), "missing alg")
	wantRejected(t, v, sign(t, "RS256", pool, `{"alg":"RS256","KID":"kid-1"}`, claims), "missing kid")
	wantRejected(t, v, sign(t, "RS256", pool, `{"alg":"RS256","kid":"kid-1","alg":"none"}`, claims), `bad header: field "alg" given twice`)
	wantValid(t, v, sign(t, "RS256", pool, `{"alg":"RS256","kid":"kid-1","ALG":"none","Crit":["x"]}`, claims))
}

var (
	weakOnce sync.Once
	weakKey  *rsa.PrivateKey
)

// weak is a 1024-bit RSA key, generated once.
func weak(t *testing.T) *rsa.PrivateKey {
	weakOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 1024)
		if err != nil {
			panic(err)
		}
		weakKey = k
	})
	return weakKey
}

func TestWeakKeysRefused(t *testing.T) {
	pool, _, _ := keys(t)
	w := weak(t)
	claims := mustJSON(accessClaims())
	weakToken := sign(t, "RS256", w, hdr("kid", "weak", "alg", "RS256"), claims)
	const reason = `kid "weak": RSA key of 1024 bits, under the 2048-bit minimum`

	ks, err := NewKeySet(jwksOf(jwkJSON(testKid, &pool.PublicKey), jwkJSON("weak", &w.PublicKey)))
	if err != nil {
		t.Fatal(err)
	}
	v := strictVerifier(t, ks, testIssuer)
	wantValid(t, v, goodToken(t))
	wantRejected(t, v, weakToken, reason)

	// A JWKS of weak keys only says why it is unusable.
	_, err = NewKeySet(jwksOf(jwkJSON("weak", &w.PublicKey)))
	if err == nil || !strings.Contains(err.Error(), reason) {
		t.Errorf("NewKeySet(weak only) = %v, want an error containing %q", err, reason)
	}

	// From a JWKS URL: the same reason, and no refetch (the JWKS has
	// decided about that kid).
	srv := newJWKSServer(t, jwksOf(jwkJSON(testKid, &pool.PublicKey), jwkJSON("weak", &w.PublicKey)))
	remote := newRemote(t, srv.url(), "", &clock{t: testNow})
	rv := strictVerifier(t, remote, testIssuer)
	for range 3 {
		wantRejected(t, rv, weakToken, reason)
	}
	if n := srv.requests.Load(); n != 1 {
		t.Errorf("JWKS fetched %d times, want 1", n)
	}
}

// TestFirstKeyOfAKidDecides: when two keys share a kid, the first in the
// set decides, usable or not; a later key never stands in for it.
func TestFirstKeyOfAKidDecides(t *testing.T) {
	pool, attacker, _ := keys(t)
	w := weak(t)
	claims := mustJSON(accessClaims())
	signedBy := func(k *rsa.PrivateKey) string {
		return sign(t, "RS256", k, hdr("kid", testKid, "alg", "RS256"), claims)
	}
	rs512 := jwkJSON(testKid, &pool.PublicKey)
	rs512["alg"] = "RS512"
	enc := jwkJSON(testKid, &pool.PublicKey)
	enc["use"] = "enc"
	for _, tc := range []struct {
		name   string
		first  map[string]any
		reason string
	}{
		{"weak first", jwkJSON(testKid, &w.PublicKey), `kid "kid-1": RSA key of 1024 bits`},
		{"RS512 first", rs512, `kid "kid-1": key for alg "RS512", want RS256`},
		{"encryption key first", enc, `kid "kid-1": key for use "enc", want sig`},
		{"unreadable first", map[string]any{"kty": "RSA", "kid": testKid, "n": "!!", "e": "AQAB"}, `kid "kid-1": unreadable JWK`},
		{"EC first", map[string]any{"kty": "EC", "crv": "P-256", "kid": testKid, "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}, `kid "kid-1": "EC" key, want RSA`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ks, err := NewKeySet(jwksOf(tc.first, jwkJSON(testKid, &pool.PublicKey), jwkJSON("kid-2", &attacker.PublicKey)))
			if err != nil {
				t.Fatal(err)
			}
			wantRejected(t, strictVerifier(t, ks, testIssuer), signedBy(pool), tc.reason)
		})
	}
	// A usable first key: a token signed by the second key of the kid fails.
	ks, err := NewKeySet(jwksOf(jwkJSON(testKid, &pool.PublicKey), jwkJSON(testKid, &attacker.PublicKey)))
	if err != nil {
		t.Fatal(err)
	}
	v := strictVerifier(t, ks, testIssuer)
	wantValid(t, v, signedBy(pool))
	wantRejected(t, v, signedBy(attacker), "bad signature")
}
