package api_test

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/cogtool/cogtool/examples/weatherapi/api"
	"github.com/cogtool/cogtool/internal/verify"
)

var b64 = base64.RawURLEncoding

// pool is a fake user pool for unit tests: an RSA key served as a JWKS by
// an httptest server on loopback, and an issuer in Cognito's form.
type pool struct {
	key     *rsa.PrivateKey
	kid     string
	jwks    *httptest.Server
	issuer  string
	jwksURL string
}

func newPool(t *testing.T) *pool {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	p := &pool{key: key, kid: "test-kid-1", issuer: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Weather1"}
	doc := map[string]any{"keys": []map[string]string{{
		"kty": "RSA", "kid": p.kid, "alg": "RS256", "use": "sig",
		"n": b64.EncodeToString(key.N.Bytes()),
		"e": b64.EncodeToString(big.NewInt(int64(key.E)).Bytes()),
	}}}
	body, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	p.jwks = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}))
	t.Cleanup(p.jwks.Close)
	p.jwksURL = p.jwks.URL + "/us-east-1_Weather1/.well-known/jwks.json"
	return p
}

// sign makes an RS256 JWT with the given key and kid.
func sign(t *testing.T, key *rsa.PrivateKey, kid string, claims map[string]any) string {
	t.Helper()
	h, err := json.Marshal(map[string]string{"alg": "RS256", "kid": kid, "typ": "JWT"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	input := b64.EncodeToString(h) + "." + b64.EncodeToString(c)
	sum := sha256.Sum256([]byte(input))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	return input + "." + b64.EncodeToString(sig)
}

// accessClaims are the claims of a Cognito client-credentials access token.
func (p *pool) accessClaims(clientID, scope string) map[string]any {
	now := time.Now().Unix()
	return map[string]any{
		"sub": clientID, "token_use": "access", "client_id": clientID, "scope": scope,
		"iss": p.issuer, "iat": now, "auth_time": now, "exp": now + 3600, "version": 2, "jti": "j-1",
	}
}

func (p *pool) token(t *testing.T, claims map[string]any) string {
	return sign(t, p.key, p.kid, claims)
}

func (p *pool) api(t *testing.T, cfg api.Config) http.Handler {
	t.Helper()
	cfg.Issuer = p.issuer
	if cfg.JWKSURL == "" {
		cfg.JWKSURL = p.jwksURL
	}
	h, err := api.New(cfg)
	if err != nil {
		t.Fatalf("api.New: %v", err)
	}
	return h
}

// get calls GET path on h with the given Authorization header values.
func get(h http.Handler, path string, authorization ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for _, a := range authorization {
		req.Header.Add("Authorization", a)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func errorBody(t *testing.T, rec *httptest.ResponseRecorder) api.ErrorBody {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("Content-Type = %q, want application/json", ct)
	}
	var b api.ErrorBody
	if err := json.Unmarshal(rec.Body.Bytes(), &b); err != nil {
		t.Fatalf("error body %q: %v", rec.Body.String(), err)
	}
	return b
}

const (
	clientID = "4k2hclientid"
	scope    = "dotnet-demo/dotnet"
)

func TestNoTokenIsBareChallenge(t *testing.T) {
	p := newPool(t)
	h := p.api(t, api.Config{ClientIDs: []string{clientID}, Scope: scope, TokenUse: "access"})
	rec := get(h, "/weatherforecast")
	if rec.Code != http.StatusUnauthorized {
		t.Fatalf("status = %d, want 401; body %s", rec.Code, rec.Body)
	}
	if got, want := rec.Header().Get("WWW-Authenticate"), `Bearer realm="weatherapi"`; got != want {
		t.Errorf("WWW-Authenticate = %q, want %q", got, want)
	}
	if b := errorBody(t, rec); b.Error != "unauthorized" || !strings.Contains(b.Description, "Bearer") {
		t.Errorf("body = %+v", b)
	}
}

func TestRejectedTokens(t *testing.T) {
	p := newPool(t)
	h := p.api(t, api.Config{ClientIDs: []string{clientID}, Scope: scope, TokenUse: "access"})
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	expired := p.accessClaims(clientID, scope)
	expired["exp"] = time.Now().Add(-10 * time.Minute).Unix()
	expired["iat"] = time.Now().Add(-70 * time.Minute).Unix()
	wrongIss := p.accessClaims(clientID, scope)
	wrongIss["iss"] = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other"
	idToken := p.accessClaims(clientID, scope)
	idToken["token_use"] = "id"

	tests := []struct {
		name       string
		auth       []string
		wantReason string // in error_description
	}{
		{"garbage", []string{"Bearer not-a-token"}, "not a JWT"},
		{"basic scheme", []string{"Basic Y2MtY2xpZW50OmNjLXNlY3JldA=="}, "not 'Bearer <token>'"},
		{"bearer without token", []string{"Bearer "}, "not 'Bearer <token>'"},
		{"two headers", []string{"Bearer a.b.c", "Bearer d.e.f"}, "more than one"},
		{"other key", []string{"Bearer " + sign(t, other, p.kid, p.accessClaims(clientID, scope))}, "bad signature"},
		{"unknown kid", []string{"Bearer " + sign(t, p.key, "nope", p.accessClaims(clientID, scope))}, `unknown kid "nope"`},
		{"expired", []string{"Bearer " + p.token(t, expired)}, "expired 10m"},
		{"issuer", []string{"Bearer " + p.token(t, wrongIss)}, "issuer mismatch"},
		{"token use", []string{"Bearer " + p.token(t, idToken)}, "token_use mismatch: got id, want access"},
		{"client id", []string{"Bearer " + p.token(t, p.accessClaims("someone-else", scope))}, "client_id mismatch: got someone-else, want " + clientID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := get(h, "/weatherforecast", tt.auth...)
			if rec.Code != http.StatusUnauthorized {
				t.Fatalf("status = %d, want 401; body %s", rec.Code, rec.Body)
			}
			b := errorBody(t, rec)
			if b.Error != "invalid_token" || !strings.Contains(b.Description, tt.wantReason) {
				t.Errorf("body = %+v, want invalid_token with %q", b, tt.wantReason)
			}
			www := rec.Header().Get("WWW-Authenticate")
			if !strings.HasPrefix(www, `Bearer realm="weatherapi", error="invalid_token", error_description="`) {
				t.Errorf("WWW-Authenticate = %q", www)
			}
			// Neither the header nor the body may echo the token.
			for _, a := range tt.auth {
				tok := strings.TrimSpace(strings.TrimPrefix(a, "Bearer"))
				if len(tok) > 12 && (strings.Contains(www, tok) || strings.Contains(rec.Body.String(), tok)) {
					t.Errorf("refusal echoes the token: %q / %s", www, rec.Body)
				}
				if sig := tok[strings.LastIndexByte(tok, '.')+1:]; len(sig) > 12 && strings.Contains(rec.Body.String()+www, sig) {
					t.Errorf("refusal echoes the signature")
				}
			}
		})
	}
}

func TestValidTokenGetsFiveForecasts(t *testing.T) {
	p := newPool(t)
	h := p.api(t, api.Config{ClientIDs: []string{clientID}, Scope: scope, TokenUse: "access"})
	// Scheme name is case-insensitive (RFC 7235).
	rec := get(h, "/weatherforecast", "bearer "+p.token(t, p.accessClaims(clientID, "openid "+scope)))
	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d, want 200; body %s", rec.Code, rec.Body)
	}
	var got []map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatalf("body %s: %v", rec.Body, err)
	}
	if len(got) != 5 {
		t.Fatalf("got %d forecasts, want 5: %s", len(got), rec.Body)
	}
	for i, f := range got {
		for _, k := range []string{"date", "temperatureC", "temperatureF", "summary"} {
			if _, ok := f[k]; !ok {
				t.Errorf("forecast %d lacks %q: %v", i, k, f)
			}
		}
		if len(f) != 4 {
			t.Errorf("forecast %d has %d fields, want 4: %v", i, len(f), f)
		}
		if _, err := time.Parse(time.DateOnly, fmt.Sprint(f["date"])); err != nil {
			t.Errorf("forecast %d date: %v", i, err)
		}
	}
}

func TestForecastsLikeTheTemplate(t *testing.T) {
	now := time.Date(2026, 11, 25, 23, 30, 0, 0, time.UTC)
	fs := api.Forecasts(now, 5)
	for i, f := range fs {
		if want := now.AddDate(0, 0, i+1).Format(time.DateOnly); f.Date != want {
			t.Errorf("day %d: date %s, want %s", i, f.Date, want)
		}
		if f.TemperatureC < -20 || f.TemperatureC > 54 {
			t.Errorf("day %d: %d °C out of the template's range", i, f.TemperatureC)
		}
		if want := 32 + int(float64(f.TemperatureC)/0.5556); f.TemperatureF != want {
			t.Errorf("day %d: %d °C gave %d °F, want %d", i, f.TemperatureC, f.TemperatureF, want)
		}
		if f.Summary == "" {
			t.Errorf("day %d: no summary", i)
		}
	}
	if fs[0].Date != "2026-11-26" {
		t.Errorf("first date = %s, want 2026-11-26", fs[0].Date)
	}
}

func TestMissingScopeIsForbidden(t *testing.T) {
	p := newPool(t)
	h := p.api(t, api.Config{ClientIDs: []string{clientID}, Scope: scope + " api/read", TokenUse: "any"})
	rec := get(h, "/weatherforecast", "Bearer "+p.token(t, p.accessClaims(clientID, scope)))
	if rec.Code != http.StatusForbidden {
		t.Fatalf("status = %d, want 403; body %s", rec.Code, rec.Body)
	}
	want := `Bearer realm="weatherapi", error="insufficient_scope", error_description="missing scope api/read", scope="dotnet-demo/dotnet api/read"`
	if got := rec.Header().Get("WWW-Authenticate"); got != want {
		t.Errorf("WWW-Authenticate = %q\nwant %q", got, want)
	}
	if b := errorBody(t, rec); b.Error != "insufficient_scope" || b.Scope != scope+" api/read" {
		t.Errorf("body = %+v", b)
	}

	// An ID token has no scope claim: the refusal says to send the access token.
	id := p.accessClaims(clientID, "")
	delete(id, "scope")
	delete(id, "client_id")
	id["token_use"], id["aud"] = "id", clientID
	rec = get(h, "/weatherforecast", "Bearer "+p.token(t, id))
	if rec.Code != http.StatusForbidden {
		t.Fatalf("id token: status = %d, want 403; body %s", rec.Code, rec.Body)
	}
	if b := errorBody(t, rec); !strings.Contains(b.Description, "send the access token") {
		t.Errorf("id token: body = %+v", b)
	}
}

func TestIDTokenChecksAudience(t *testing.T) {
	p := newPool(t)
	h := p.api(t, api.Config{ClientIDs: []string{"public-client"}, TokenUse: "id"})
	id := func(aud string) string {
		c := p.accessClaims("", "")
		delete(c, "scope")
		delete(c, "client_id")
		c["token_use"], c["aud"], c["sub"], c["cognito:username"] = "id", aud, "u-1", "alice"
		return p.token(t, c)
	}
	if rec := get(h, "/weatherforecast", "Bearer "+id("public-client")); rec.Code != http.StatusOK {
		t.Errorf("matching aud: status = %d, want 200; body %s", rec.Code, rec.Body)
	}
	rec := get(h, "/weatherforecast", "Bearer "+id("secret-client"))
	if rec.Code != http.StatusUnauthorized {
		t.Fatalf("other aud: status = %d, want 401; body %s", rec.Code, rec.Body)
	}
	if b := errorBody(t, rec); !strings.Contains(b.Description, "aud mismatch: got secret-client") {
		t.Errorf("other aud: body = %+v", b)
	}
}

func TestHealthzNeedsNoToken(t *testing.T) {
	p := newPool(t)
	h := p.api(t, api.Config{Scope: scope})
	rec := get(h, "/healthz")
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"ok"`) {
		t.Errorf("healthz: %d %s", rec.Code, rec.Body)
	}
	if rec := get(h, "/nope"); rec.Code != http.StatusNotFound {
		t.Errorf("unknown path: status %d, want 404", rec.Code)
	}
	req := httptest.NewRequest(http.MethodPost, "/weatherforecast", nil)
	rr := httptest.NewRecorder()
	h.ServeHTTP(rr, req)
	if rr.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST: status %d, want 405", rr.Code)
	}
}

func TestUnreachableJWKSIsServiceUnavailable(t *testing.T) {
	p := newPool(t)
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := dead.URL + "/jwks.json"
	dead.Close()
	h := p.api(t, api.Config{JWKSURL: deadURL})
	rec := get(h, "/weatherforecast", "Bearer "+p.token(t, p.accessClaims(clientID, scope)))
	if rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("status = %d, want 503; body %s", rec.Code, rec.Body)
	}
	if b := errorBody(t, rec); b.Error != "temporarily_unavailable" {
		t.Errorf("body = %+v", b)
	}
}

func TestNewRefusesBadConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  api.Config
		want string
	}{
		{"no issuer", api.Config{}, "no issuer"},
		{"plain http JWKS", api.Config{Issuer: "https://x", JWKSURL: "http://example.com/jwks.json"}, "plain http"},
		{"token use", api.Config{Issuer: "https://x", TokenUse: "refresh"}, "token use"},
		{"empty client id", api.Config{Issuer: "https://x", ClientIDs: []string{""}}, "empty client id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := api.New(tt.cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("api.New error = %v, want one containing %q", err, tt.want)
			}
		})
	}
	// The default JWKS URL is derived from the issuer, and must pass the
	// plain-http guard like any other.
	if _, err := api.New(api.Config{Issuer: "http://example.com/us-east-1_X"}); err == nil || !strings.Contains(err.Error(), "plain http") {
		t.Errorf("derived plain-http JWKS URL: err = %v", err)
	}
}

func (p *pool) verifier(t *testing.T) *verify.Verifier {
	t.Helper()
	keys, err := verify.NewRemote(p.jwksURL, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	v, err := verify.New(keys, verify.Options{Issuers: []string{p.issuer}})
	if err != nil {
		t.Fatal(err)
	}
	return v
}
