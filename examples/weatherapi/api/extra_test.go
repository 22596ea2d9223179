package api_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/cogtool/cogtool/examples/weatherapi/api"
)

func TestChallengeStaysWellFormed(t *testing.T) {
	p := newPool(t)
	h := p.api(t, api.Config{})
	c := p.accessClaims(clientID, scope)
	c["iss"] = `https://evil"x\y` + "\u00e9"
	rec := get(h, "/weatherforecast", "Bearer "+p.token(t, c))
	if rec.Code != http.StatusUnauthorized {
		t.Fatalf("status = %d, want 401", rec.Code)
	}
	www := rec.Header().Get("WWW-Authenticate")
	_, desc, ok := strings.Cut(www, `error_description="`)
	if !ok || !strings.HasSuffix(desc, `"`) {
		t.Fatalf("WWW-Authenticate = %q", www)
	}
	desc = strings.TrimSuffix(desc, `"`)
	for _, r := range desc {
		if r == '"' || r == '\\' || r < 0x20 || r > 0x7e {
			t.Errorf("error_description holds %q, outside RFC 6750's character set: %q", r, desc)
		}
	}
	if !strings.Contains(desc, "issuer mismatch: token from https://evil'x/y") {
		t.Errorf("error_description = %q", desc)
	}
	// The JSON body keeps the reason as the verifier gave it.
	if b := errorBody(t, rec); !strings.Contains(b.Description, `evil"x\y`) {
		t.Errorf("body = %+v", b)
	}
}

func TestLogNamesReasonNotToken(t *testing.T) {
	p := newPool(t)
	var logBuf bytes.Buffer
	h := p.api(t, api.Config{ClientIDs: []string{clientID}, Logger: slog.New(slog.NewTextHandler(&logBuf, nil))})
	tok := p.token(t, p.accessClaims("someone-else", scope))
	if rec := get(h, "/weatherforecast", "Bearer "+tok); rec.Code != http.StatusUnauthorized {
		t.Fatalf("status = %d, want 401", rec.Code)
	}
	if rec := get(h, "/healthz"); rec.Code != http.StatusOK {
		t.Fatalf("healthz status = %d", rec.Code)
	}
	log := logBuf.String()
	if !strings.Contains(log, "status=401") || !strings.Contains(log, "client_id mismatch") || !strings.Contains(log, "path=/healthz status=200") {
		t.Errorf("log lacks the requests or the reason:\n%s", log)
	}
	if strings.Contains(log, tok[strings.LastIndexByte(tok, '.')+1:]) {
		t.Errorf("log holds the token:\n%s", log)
	}
}

func TestResultReachesHandler(t *testing.T) {
	p := newPool(t)
	v := p.verifier(t)
	var seen string
	h := api.RequireToken(v, "", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		res, ok := api.ResultFrom(r.Context())
		if ok {
			seen = res.TokenUse
		}
	}))
	if rec := get(h, "/x", "Bearer "+p.token(t, p.accessClaims(clientID, scope))); rec.Code != http.StatusOK {
		t.Fatalf("status = %d, want 200: %s", rec.Code, rec.Body)
	}
	if seen != "access" {
		t.Errorf("handler saw token_use %q, want access", seen)
	}
	if _, ok := api.ResultFrom(context.Background()); ok {
		t.Error("ResultFrom found a result in a bare context")
	}
}
