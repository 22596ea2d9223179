package verify

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cogtool/cogtool/internal/exit"
)

func TestVerifyTable(t *testing.T) {
	pool, attacker, _ := keys(t)
	ks := testKeySet(t)
	rs := func(header string, claims map[string]any) string {
		return sign(t, "RS256", pool, header, mustJSON(claims))
	}
	std := hdr("kid", testKid, "alg", "RS256")
	good := rs(std, accessClaims())
	goodID := rs(std, idClaims())
	parts := strings.Split(good, ".")
	sigBytes, _ := base64.RawURLEncoding.DecodeString(parts[2])
	attackerJWK := jwkJSON(testKid, &attacker.PublicKey)
	now := testNow.Unix()
	jwe := b64([]byte(`{"cty":"JWT","enc":"A256GCM","alg":"RSA-OAEP"}`)) + "." + b64(make([]byte, 256)) + "." +
		b64(make([]byte, 12)) + "." + b64([]byte("ciphertext")) + "." + b64(make([]byte, 16))

	// tamper flips the payload to claims JSON without re-signing.
	tamper := func(claims map[string]any) string {
		return parts[0] + "." + b64([]byte(mustJSON(claims))) + "." + parts[2]
	}

	type opts = Options
	cases := []struct {
		name   string
		token  string
		opts   func(*opts)
		code   int    // 0: valid
		reason string // substring of the rejection reason
	}{
		// Valid shapes and input forms.
		{name: "valid access token", token: good},
		{name: "valid id token", token: goodID},
		{name: "surrounding whitespace", token: "\n\t " + good + " \r\n"},
		{name: "Bearer form", token: "Bearer " + good},
		{name: "Authorization header form", token: "authorization: BEARER " + good},
		{name: "empty input", token: "  ", code: 2, reason: "no token given"},

		// Algorithm and header attacks.
		{name: "alg none, no signature", token: sign(t, "none", nil, hdr("kid", testKid, "alg", "none"), mustJSON(accessClaims())),
			code: 3, reason: `alg "none" not allowed: only RS256`},
		{name: "alg none with a valid RS256 signature", token: rs(hdr("kid", testKid, "alg", "none"), accessClaims()),
			code: 3, reason: `alg "none" not allowed`},
		{name: "HS256 keyed with the public key PEM", token: sign(t, "HS256", publicPEM(t, &pool.PublicKey), hdr("kid", testKid, "alg", "HS256"), mustJSON(accessClaims())),
			code: 3, reason: `alg "HS256" not allowed`},
		{name: "HS256 keyed with the JWKS bytes", token: sign(t, "HS256", jwksOf(jwkJSON(testKid, &pool.PublicKey)), hdr("kid", testKid, "alg", "HS256"), mustJSON(accessClaims())),
			code: 3, reason: `alg "HS256" not allowed`},
		{name: "RS512 by the pool key", token: sign(t, "RS512", pool, hdr("kid", testKid, "alg", "RS512"), mustJSON(accessClaims())),
			code: 3, reason: `alg "RS512" not allowed`},
		{name: "PS256 by the pool key", token: sign(t, "PS256", pool, hdr("kid", testKid, "alg", "PS256"), mustJSON(accessClaims())),
			code: 3, reason: `alg "PS256" not allowed`},
		{name: "lower-case rs256", token: rs(hdr("kid", testKid, "alg", "rs256"), accessClaims()),
			code: 3, reason: `alg "rs256" not allowed`},
		{name: "missing alg", token: rs(hdr("kid", testKid), accessClaims()), code: 3, reason: "missing alg"},
		{name: "alg not a string", token: rs(`{"kid":"kid-1","alg":256}`, accessClaims()), code: 3, reason: `bad header field "alg": JSON number, want string`},
		{name: "missing kid", token: rs(hdr("alg", "RS256"), accessClaims()), code: 3, reason: "missing kid"},
		{name: "unknown kid", token: rs(hdr("kid", "nope", "alg", "RS256"), accessClaims()), code: 3, reason: `unknown kid "nope"`},
		{name: "hostile kid is quoted and cut", token: rs(hdr("kid", "x\n\x1b[31m"+strings.Repeat("k", 100), "alg", "RS256"), accessClaims()),
			code: 3, reason: `unknown kid "x\n\x1b[31mkkk`},
		{name: "jku to attacker JWKS, attacker kid", token: sign(t, "RS256", attacker, hdr("kid", "evil", "alg", "RS256", "jku", "https://evil.example/jwks.json"), mustJSON(accessClaims())),
			code: 3, reason: `unknown kid "evil"`},
		{name: "jku to attacker JWKS, pool kid", token: sign(t, "RS256", attacker, hdr("kid", testKid, "alg", "RS256", "jku", "https://evil.example/jwks.json"), mustJSON(accessClaims())),
			code: 3, reason: "bad signature"},
		{name: "x5u to attacker cert", token: sign(t, "RS256", attacker, hdr("kid", testKid, "alg", "RS256", "x5u", "https://evil.example/cert.pem"), mustJSON(accessClaims())),
			code: 3, reason: "bad signature"},
		{name: "embedded jwk of attacker key", token: sign(t, "RS256", attacker, hdr("kid", testKid, "alg", "RS256", "jwk", attackerJWK), mustJSON(accessClaims())),
			code: 3, reason: "bad signature"},
		{name: "embedded jwk, no kid", token: sign(t, "RS256", attacker, hdr("alg", "RS256", "jwk", attackerJWK), mustJSON(accessClaims())),
			code: 3, reason: "missing kid"},
		{name: "jku alongside a genuine pool signature is harmless", token: rs(hdr("kid", testKid, "alg", "RS256", "jku", "https://evil.example/jwks.json"), accessClaims())},
		{name: "crit header", token: rs(hdr("kid", testKid, "alg", "RS256", "crit", []string{"exp"}, "exp", 1), accessClaims()),
			code: 3, reason: "crit header present"},
		{name: "crit null", token: rs(`{"kid":"kid-1","alg":"RS256","crit":null}`, accessClaims()),
			code: 3, reason: "crit header present"},

		// Signature attacks.
		{name: "tampered payload", token: tamper(with(accessClaims(), "username", "admin")), code: 3, reason: "bad signature"},
		{name: "tampered payload, longer exp", token: tamper(with(accessClaims(), "exp", now+86400*365)), code: 3, reason: "bad signature"},
		{name: "truncated signature", token: parts[0] + "." + parts[1] + "." + b64(sigBytes[:253]), code: 3, reason: "bad signature: 253 bytes, want 256"},
		{name: "signature with a byte appended", token: parts[0] + "." + parts[1] + "." + b64(append(sigBytes, 0)), code: 3, reason: "bad signature: 257 bytes, want 256"},
		{name: "empty signature", token: parts[0] + "." + parts[1] + ".", code: 3, reason: "missing signature"},
		{name: "signature by another key under the pool kid", token: sign(t, "RS256", attacker, std, mustJSON(accessClaims())),
			code: 3, reason: "bad signature"},
		{name: "signature of another token", token: parts[0] + "." + parts[1] + "." + strings.Split(goodID, ".")[2], code: 3, reason: "bad signature"},

		// Malformed input: exit 2.
		{name: "two segments", token: parts[0] + "." + parts[1], code: 2, reason: "not a JWT: 2 segments, want 3"},
		{name: "four segments", token: good + ".x", code: 2, reason: "not a JWT: 4 segments, want 3"},
		{name: "bad base64 in header", token: "*" + good, code: 2, reason: "bad base64 in header"},
		{name: "bad base64 in payload", token: parts[0] + ".@" + parts[1] + "." + parts[2], code: 2, reason: "bad base64 in payload"},
		{name: "bad base64 in signature", token: parts[0] + "." + parts[1] + "." + parts[2] + "=", code: 2, reason: "bad base64 in signature"},
		{name: "standard base64 alphabet", token: strings.ReplaceAll(strings.ReplaceAll(good, "-", "+"), "_", "/") + "+/", code: 2, reason: "bad base64"},
		{name: "non-JSON header", token: b64([]byte("RS256")) + "." + parts[1] + "." + parts[2], code: 2, reason: "header is not a JSON object"},
		{name: "null header", token: b64([]byte("null")) + "." + parts[1] + "." + parts[2], code: 2, reason: "header is not a JSON object"},
		{name: "non-JSON payload", token: parts[0] + "." + b64([]byte("hello")) + "." + parts[2], code: 2, reason: "payload is not a JSON object"},
		{name: "broken JSON payload", token: parts[0] + "." + b64([]byte(`{"exp":`)) + "." + parts[2], code: 2, reason: "bad JSON in payload"},
		{name: "2 MB token", token: parts[0] + "." + strings.Repeat("A", 2<<20) + "." + parts[2], code: 2, reason: "over the 1048576 byte limit"},
		{name: "JWE refresh token", token: jwe, code: 3, reason: "encrypted token (JWE), e.g. a Cognito refresh token: it cannot be verified"},

		// Time claims.
		{name: "expired", token: rs(std, with(accessClaims(), "exp", now-300)), code: 3, reason: "expired 5m ago"},
		{name: "expired hours ago", token: rs(std, with(accessClaims(), "exp", now-3*3600-10)), code: 3, reason: "expired 3h ago"},
		{name: "expires this second", token: rs(std, with(accessClaims(), "exp", now)), code: 3, reason: "expired just now"},
		{name: "expired within leeway", token: rs(std, with(accessClaims(), "exp", now-30)), opts: func(o *opts) { o.Leeway = time.Minute }},
		{name: "expired beyond leeway", token: rs(std, with(accessClaims(), "exp", now-90)), opts: func(o *opts) { o.Leeway = time.Minute },
			code: 3, reason: "expired 1m ago"},
		{name: "fractional exp in the future", token: rs(std, with(accessClaims(), "exp", float64(now)+0.5))},
		{name: "missing exp", token: rs(std, with(accessClaims(), "exp", nil)), code: 3, reason: "missing exp"},
		{name: "exp null", token: rs(std, with(accessClaims(), "exp", json.RawMessage("null"))), code: 3, reason: "missing exp"},
		{name: "exp as a string", token: rs(std, with(accessClaims(), "exp", "9999999999")), code: 3, reason: `bad payload field "exp": JSON string, want number`},
		{name: "exp absurdly large", token: rs(std, with(accessClaims(), "exp", 1e300))},
		{name: "nbf in the future", token: rs(std, with(accessClaims(), "nbf", now+300)), code: 3, reason: "not valid yet: nbf in 5m"},
		{name: "nbf within leeway", token: rs(std, with(accessClaims(), "nbf", now+30)), opts: func(o *opts) { o.Leeway = time.Minute }},
		{name: "iat in the future", token: rs(std, with(accessClaims(), "iat", now+600)), code: 3, reason: "issued in the future: iat in 10m"},
		{name: "iat within leeway", token: rs(std, with(accessClaims(), "iat", now+5)), opts: func(o *opts) { o.Leeway = 10 * time.Second }},

		// Issuer.
		{name: "wrong iss", token: rs(std, with(accessClaims(), "iss", "https://evil.example")), code: 3,
			reason: "issuer mismatch: token from https://evil.example, want " + testIssuer},
		{name: "iss with trailing slash", token: rs(std, with(accessClaims(), "iss", testIssuer+"/")), code: 3, reason: "issuer mismatch"},
		{name: "missing iss", token: rs(std, with(accessClaims(), "iss", nil)), code: 3, reason: "missing iss"},
		{name: "iss not a string", token: rs(std, with(accessClaims(), "iss", 7)), code: 3, reason: `bad payload field "iss"`},

		// token_use.
		{name: "access token where id wanted", token: good, opts: func(o *opts) { o.TokenUse = "id" }, code: 3, reason: "token_use mismatch: got access, want id"},
		{name: "id token where access wanted", token: goodID, opts: func(o *opts) { o.TokenUse = "access" }, code: 3, reason: "token_use mismatch: got id, want access"},
		{name: "access token where access wanted", token: good, opts: func(o *opts) { o.TokenUse = "access" }},
		{name: "token_use refresh", token: rs(std, with(accessClaims(), "token_use", "refresh")), code: 3, reason: "token_use mismatch: got refresh, want access or id"},
		{name: "missing token_use", token: rs(std, with(accessClaims(), "token_use", nil)), code: 3, reason: "missing token_use, want access or id"},

		// Client.
		{name: "client_id matches", token: good, opts: func(o *opts) { o.ClientIDs = []string{"other", testClient} }},
		{name: "client_id mismatch", token: good, opts: func(o *opts) { o.ClientIDs = []string{"other"} }, code: 3,
			reason: "client_id mismatch: got " + testClient + ", want other"},
		{name: "client_id mismatch, several wanted", token: good, opts: func(o *opts) { o.ClientIDs = []string{"a", "b"} }, code: 3,
			reason: "want one of a, b"},
		{name: "access token without client_id", token: rs(std, with(accessClaims(), "client_id", nil)), opts: func(o *opts) { o.ClientIDs = []string{testClient} },
			code: 3, reason: "missing client_id"},
		{name: "access token with aud only is not enough", token: rs(std, with(accessClaims(), "client_id", nil, "aud", testClient)), opts: func(o *opts) { o.ClientIDs = []string{testClient} },
			code: 3, reason: "missing client_id"},
		{name: "id token aud matches", token: goodID, opts: func(o *opts) { o.ClientIDs = []string{testClient} }},
		{name: "id token aud mismatch", token: goodID, opts: func(o *opts) { o.ClientIDs = []string{"other"} }, code: 3,
			reason: "aud mismatch: got " + testClient + ", want other"},
		{name: "id token aud array matches", token: rs(std, with(idClaims(), "aud", []string{"x", testClient})), opts: func(o *opts) { o.ClientIDs = []string{testClient} }},
		{name: "id token client_id does not stand in for aud", token: rs(std, with(idClaims(), "aud", "x", "client_id", testClient)), opts: func(o *opts) { o.ClientIDs = []string{testClient} },
			code: 3, reason: "aud mismatch: got x"},
		{name: "aud of the wrong type", token: rs(std, with(idClaims(), "aud", 5)), code: 3, reason: "aud is not a string or an array of strings"},

		// Scopes and groups.
		{name: "scope present", token: good, opts: func(o *opts) { o.Scopes = []string{"dotnet-demo/dotnet"} }},
		{name: "all scopes present", token: good, opts: func(o *opts) { o.Scopes = []string{"openid", "dotnet-demo/dotnet"} }},
		{name: "missing scope", token: good, opts: func(o *opts) { o.Scopes = []string{"dotnet-demo/dotnet", "admin/write"} }, code: 3, reason: "missing scope admin/write"},
		{name: "scope prefix is not the scope", token: good, opts: func(o *opts) { o.Scopes = []string{"dotnet-demo"} }, code: 3, reason: "missing scope dotnet-demo"},
		{name: "scope on an id token", token: goodID, opts: func(o *opts) { o.Scopes = []string{"openid"} }, code: 3, reason: "missing scope openid: an id token carries no scopes"},
		{name: "group any-of matches", token: good, opts: func(o *opts) { o.Groups = []string{"ops", "dev"} }},
		{name: "group mismatch", token: good, opts: func(o *opts) { o.Groups = []string{"ops", "finance"} }, code: 3,
			reason: "group mismatch: got admin, dev, want one of ops, finance"},
		{name: "no groups in token", token: rs(std, with(accessClaims(), "cognito:groups", nil)), opts: func(o *opts) { o.Groups = []string{"admin"} }, code: 3,
			reason: "missing cognito:groups, want admin"},
		{name: "groups not strings", token: rs(std, with(accessClaims(), "cognito:groups", []int{1})), code: 3, reason: `bad payload field "cognito:groups`},
	}
	if len(cases) < 30 {
		t.Fatalf("only %d cases", len(cases))
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			o := Options{Issuers: []string{testIssuer}, Now: func() time.Time { return testNow }}
			if tc.opts != nil {
				tc.opts(&o)
			}
			v, err := New(ks, o)
			if err != nil {
				t.Fatal(err)
			}
			res, err := v.Verify(context.Background(), tc.token)
			if res == nil {
				t.Fatal("nil Result")
			}
			if tc.code == 0 {
				if err != nil || !res.Valid || res.Reason != "" {
					t.Fatalf("rejected a good token: err=%v result=%+v", err, res)
				}
				if len(res.Header) == 0 || len(res.Claims) == 0 || res.TokenUse == "" {
					t.Errorf("valid result lacks header/claims/token_use: %+v", res)
				}
				return
			}
			var e *exit.Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v (%T), want *exit.Error", err, err)
			}
			if e.Code != tc.code {
				t.Errorf("code = %d, want %d (%v)", e.Code, tc.code, err)
			}
			if !strings.Contains(err.Error(), tc.reason) {
				t.Errorf("reason %q does not contain %q", err, tc.reason)
			}
			if res.Valid || res.Reason != err.Error() {
				t.Errorf("result %+v does not match error %q", res, err)
			}
			if strings.ContainsAny(err.Error(), "\n\r\x1b") {
				t.Errorf("reason is not one clean line: %q", err)
			}
			if len(err.Error()) > 400 {
				t.Errorf("reason is %d bytes long", len(err.Error()))
			}
		})
	}
}

func TestVerifyResultJSON(t *testing.T) {
	v, err := New(testKeySet(t), Options{Issuers: []string{testIssuer}, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	good := goodToken(t)
	res, err := v.Verify(context.Background(), good)
	if err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(good, ".")
	claims, _ := base64.RawURLEncoding.DecodeString(parts[1])
	header, _ := base64.RawURLEncoding.DecodeString(parts[0])
	want := `{"valid":true,"token_use":"access","header":` + string(header) + `,"claims":` + string(claims) + `}`
	if string(out) != want {
		t.Errorf("got  %s\nwant %s", out, want)
	}

	// A rejected token still shows what it claimed.
	v2, _ := New(testKeySet(t), Options{Issuers: []string{testIssuer}, TokenUse: "id", Now: func() time.Time { return testNow }})
	res, _ = v2.Verify(context.Background(), good)
	out, _ = json.Marshal(res)
	var m map[string]any
	if err := json.Unmarshal(out, &m); err != nil {
		t.Fatal(err)
	}
	if m["valid"] != false || m["reason"] != "token_use mismatch: got access, want id" || m["token_use"] != "access" || m["claims"] == nil || m["header"] == nil {
		t.Errorf("rejected result: %s", out)
	}
}

func TestNewOptions(t *testing.T) {
	ks := testKeySet(t)
	for _, tc := range []struct {
		o    Options
		want string
	}{
		{Options{}, "no issuer given"},
		{Options{Issuers: []string{testIssuer}, TokenUse: "refresh"}, `token use "refresh": want access, id or any`},
		{Options{Issuers: []string{testIssuer}, Leeway: -time.Second}, "leeway -1s is negative"},
		{Options{Issuers: []string{testIssuer}, ClientIDs: []string{""}}, "empty client id"},
		{Options{Issuers: []string{testIssuer}, Scopes: []string{"a", ""}}, "empty scope"},
		{Options{Issuers: []string{testIssuer}, Groups: []string{""}}, "empty group"},
	} {
		_, err := New(ks, tc.o)
		if exit.CodeOf(err) != exit.Usage || err.Error() != tc.want {
			t.Errorf("New(%+v) = %v, want code 2 %q", tc.o, err, tc.want)
		}
	}
	if _, err := New(nil, Options{Issuers: []string{testIssuer}}); err == nil {
		t.Error("New accepted a nil key source")
	}
}

func TestVerifyConcurrent(t *testing.T) {
	v, err := New(testKeySet(t), Options{Issuers: []string{testIssuer}, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	good := goodToken(t)
	bad := good[:len(good)-8] + "AAAAAAAA"
	errs := make(chan error, 16)
	for i := range 16 {
		go func() {
			tok, want := good, true
			if i%2 == 1 {
				tok, want = bad, false
			}
			for range 20 {
				res, _ := v.Verify(context.Background(), tok)
				if res.Valid != want {
					errs <- errors.New("wrong verdict under concurrency: " + res.Reason)
					return
				}
			}
			errs <- nil
		}()
	}
	for range 16 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

func TestDefaults(t *testing.T) {
	if got, want := DefaultJWKSURL("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc"), "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc/.well-known/jwks.json"; got != want {
		t.Errorf("DefaultJWKSURL = %q, want %q", got, want)
	}
	if got, want := DefaultJWKSURL("http://127.0.0.1:9229/pool/"), "http://127.0.0.1:9229/pool/.well-known/jwks.json"; got != want {
		t.Errorf("DefaultJWKSURL with slash = %q, want %q", got, want)
	}
}
