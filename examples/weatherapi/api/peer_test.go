package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/cogtool/cogtool/examples/weatherapi/api"
	"github.com/cogtool/cogtool/internal/testpeers"
)

// TestAgainstOAuth2Peer runs the API against the real client_credentials
// peer (oauth2-mock-server shaped like Cognito): a token with the
// walkthrough's scope gets the forecast; an API that requires another scope
// answers 403.
func TestAgainstOAuth2Peer(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	peer, err := testpeers.StartOAuth2(ctx, testpeers.OAuth2Options{})
	testpeers.Need(t, "oauth2", err)
	t.Cleanup(peer.Stop)

	token := clientCredentials(t, ctx, peer.TokenURL, testpeers.DefaultCCClientID, testpeers.DefaultCCSecret, "dotnet-demo/dotnet")

	serve := func(scope string) *httptest.Server {
		h, err := api.New(api.Config{
			Issuer:     peer.Issuer,
			JWKSURL:    peer.JWKSURL,
			ClientIDs:  []string{testpeers.DefaultCCClientID},
			Scope:      scope,
			TokenUse:   "access",
			HTTPClient: &http.Client{Timeout: 10 * time.Second},
			CacheDir:   t.TempDir(),
		})
		if err != nil {
			t.Fatalf("api.New: %v", err)
		}
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		return srv
	}
	call := func(srv *httptest.Server, token string) (*http.Response, []byte) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/weatherforecast", nil)
		if err != nil {
			t.Fatal(err)
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body json.RawMessage
		if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
			t.Fatalf("body: %v", err)
		}
		return resp, body
	}

	walkthrough := serve("dotnet-demo/dotnet")
	resp, body := call(walkthrough, token)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("with the token: %s %s", resp.Status, body)
	}
	var forecasts []api.Forecast
	if err := json.Unmarshal(body, &forecasts); err != nil || len(forecasts) != 5 {
		t.Fatalf("forecasts: %v, %d of them: %s", err, len(forecasts), body)
	}
	if resp, body := call(walkthrough, ""); resp.StatusCode != http.StatusUnauthorized || resp.Header.Get("WWW-Authenticate") != `Bearer realm="weatherapi"` {
		t.Errorf("without a token: %s %q %s", resp.Status, resp.Header.Get("WWW-Authenticate"), body)
	}

	readers := serve("api/read")
	resp, body = call(readers, token)
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("api/read required, dotnet-demo/dotnet granted: %s %s, want 403", resp.Status, body)
	}
	if www := resp.Header.Get("WWW-Authenticate"); !strings.Contains(www, `error="insufficient_scope"`) || !strings.Contains(www, `scope="api/read"`) {
		t.Errorf("WWW-Authenticate = %q", www)
	}
}

// clientCredentials gets an access token the way any OAuth2 client would:
// a form POST with HTTP Basic client authentication.
func clientCredentials(t *testing.T, ctx context.Context, tokenURL, id, secret, scope string) string {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}, "scope": {scope}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, tokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(id, secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("token request: %v", err)
	}
	defer resp.Body.Close()
	var tr struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
		Error       string `json:"error"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tr); err != nil {
		t.Fatalf("token response: %v", err)
	}
	if resp.StatusCode != http.StatusOK || tr.AccessToken == "" {
		t.Fatalf("token request: %s, error %q", resp.Status, tr.Error)
	}
	return tr.AccessToken
}
