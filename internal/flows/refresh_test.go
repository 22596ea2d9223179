package flows

import (
	"strings"
	"testing"

	"github.com/cogtool/cogtool/internal/cognito"
	"github.com/cogtool/cogtool/internal/exit"
)

func TestRefreshPublicClient(t *testing.T) {
	pool := motoPool(t)
	createUser(t, pool, "rita", "Passw0rd!Rita", true)
	c := testClient("us-east-1", pool.URL, nil)
	ctx := testCtx(t)
	tok, err := c.Password(ctx, AuthParams{PoolID: pool.ID, ClientID: pool.PublicClientID, Username: "rita", Password: "Passw0rd!Rita"})
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.Refresh(ctx, RefreshParams{PoolID: pool.ID, ClientID: pool.PublicClientID, ClientSecret: "", Username: "", RefreshToken: tok.RefreshToken})
	if err != nil {
		t.Fatalf("refresh: %v", err)
	}
	checkTokens(t, again, "rita")
	if again.AccessToken == tok.AccessToken {
		t.Error("refresh returned the same access token")
	}
	if again.RefreshToken != tok.RefreshToken {
		t.Error("the refresh token given was not carried over")
	}
}

func TestRefreshRefusals(t *testing.T) {
	pool := motoPool(t)
	createUser(t, pool, "ross", "Passw0rd!Ross", true)
	c := testClient("us-east-1", pool.URL, nil)
	ctx := testCtx(t)
	tok, err := c.Password(ctx, AuthParams{PoolID: pool.ID, ClientID: pool.SecretClientID, ClientSecret: pool.SecretClientSecret, Username: "ross", Password: "Passw0rd!Ross"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, secret, user, refresh string
	}{
		{"wrong secret", "not-the-secret", tok.Username, tok.RefreshToken},
		{"wrong username in SECRET_HASH", pool.SecretClientSecret, "someone-else", tok.RefreshToken},
		{"unknown refresh token", pool.SecretClientSecret, tok.Username, "no-such-refresh-token"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.Refresh(ctx, RefreshParams{PoolID: pool.ID, ClientID: pool.SecretClientID, ClientSecret: tc.secret, Username: tc.user, RefreshToken: tc.refresh})
			ee := wantCode(t, err, exit.Auth)
			if ee.AWSError != "NotAuthorizedException" {
				t.Errorf("AWSError = %q, want NotAuthorizedException", ee.AWSError)
			}
			// moto's message is the SECRET_HASH it refused.
			hash := cognito.SecretHash(pool.SecretClientID, tc.secret, tc.user)
			if strings.Contains(ee.Error(), tc.refresh) || strings.Contains(ee.Error(), pool.SecretClientSecret) || strings.Contains(ee.Error(), hash) {
				t.Errorf("message leaks a secret: %q", ee.Error())
			}
		})
	}
}

func TestRefreshInputs(t *testing.T) {
	c := fastClient("http://127.0.0.1:1")
	ctx := testCtx(t)
	_, err := c.Refresh(ctx, RefreshParams{PoolID: "us-east-1_x", ClientID: "", RefreshToken: "r"})
	wantCode(t, err, exit.Usage)
	_, err = c.Refresh(ctx, RefreshParams{PoolID: "us-east-1_x", ClientID: "cid"})
	wantCode(t, err, exit.Usage)
}

// GetTokensFromRefreshToken goes first, with the client secret and the
// device key; it needs no username.
func TestRefreshGetTokensFromRefreshToken(t *testing.T) {
	f := newFakeIDP(t, func(int, fakeCall) fakeReply {
		return fakeReply{body: map[string]any{"AuthenticationResult": map[string]any{
			"AccessToken": fakeJWT(map[string]any{"username": "0b1c-internal"}), "ExpiresIn": 300, "TokenType": "Bearer",
			"RefreshToken": "rotated", "NewDeviceMetadata": map[string]any{"DeviceKey": "us-east-1_dk", "DeviceGroupKey": "g"},
		}}}
	})
	tok, err := fastClient(f.srv.URL).Refresh(testCtx(t), RefreshParams{PoolID: "us-east-1_x", ClientID: "cid", ClientSecret: "shh",
		RefreshToken: "the-refresh-token", DeviceKey: "us-east-1_old"})
	if err != nil {
		t.Fatal(err)
	}
	calls := f.Calls()
	if len(calls) != 1 || calls[0].Op != "GetTokensFromRefreshToken" {
		t.Fatalf("calls %+v", calls)
	}
	b := strMap(calls[0].Body)
	if b["ClientId"] != "cid" || b["ClientSecret"] != "shh" || b["RefreshToken"] != "the-refresh-token" || b["DeviceKey"] != "us-east-1_old" {
		t.Errorf("body %v", b)
	}
	if tok.RefreshToken != "rotated" || tok.DeviceKey != "us-east-1_dk" || tok.DeviceGroupKey != "g" || tok.Via != "GetTokensFromRefreshToken" || tok.Username != "0b1c-internal" {
		t.Errorf("tokens %+v", tok)
	}
}

// A rotated refresh token used twice is RefreshTokenReuseException: exit 4
// saying so.
func TestRefreshTokenReuse(t *testing.T) {
	f := newFakeIDP(t, func(int, fakeCall) fakeReply {
		return apiError(400, "RefreshTokenReuseException", "Refresh token has been used")
	})
	_, err := fastClient(f.srv.URL).Refresh(testCtx(t), RefreshParams{PoolID: "us-east-1_x", ClientID: "cid", RefreshToken: "old"})
	ee := wantCode(t, err, exit.Auth)
	if ee.AWSError != "RefreshTokenReuseException" || !strings.Contains(ee.Error(), "the refresh token was rotated") {
		t.Errorf("AWSError %q message %q", ee.AWSError, ee.Error())
	}
	if n := len(f.Calls()); n != 1 {
		t.Errorf("%d calls: a spent token must not fall back to REFRESH_TOKEN_AUTH", n)
	}
}

// An endpoint that does not know GetTokensFromRefreshToken gets
// REFRESH_TOKEN_AUTH with SECRET_HASH over the internal username.
func TestRefreshFallsBackToRefreshTokenAuth(t *testing.T) {
	for _, unknown := range []fakeReply{
		apiError(400, "UnknownOperationException", ""),
		{status: 500, raw: "<html>Internal Server Error</html>"},                                                  // moto
		apiError(500, "CognitoLocal#Unsupported", "Cognito Local unsupported feature: GetTokensFromRefreshToken"), // cognito-local
	} {
		f := newFakeIDP(t, func(n int, c fakeCall) fakeReply {
			if c.Op == "GetTokensFromRefreshToken" {
				return unknown
			}
			// Cognito sends no refresh token back unless rotation is on.
			return fakeReply{body: map[string]any{"AuthenticationResult": map[string]any{
				"AccessToken": fakeJWT(map[string]any{"username": "0b1c-internal"}), "ExpiresIn": 300, "TokenType": "Bearer",
			}}}
		})
		tok, err := fastClient(f.srv.URL).Refresh(testCtx(t), RefreshParams{PoolID: "us-east-1_x", ClientID: "cid", ClientSecret: "shh",
			Username: "0b1c-internal", RefreshToken: "the-refresh-token", DeviceKey: "dk"})
		if err != nil {
			t.Fatal(err)
		}
		calls := f.Calls()
		if len(calls) != 2 || calls[1].Op != "InitiateAuth" {
			t.Fatalf("calls %+v", calls)
		}
		if flow := calls[1].Body["AuthFlow"]; flow != "REFRESH_TOKEN_AUTH" {
			t.Errorf("AuthFlow = %v", flow)
		}
		params := strMap(calls[1].Body["AuthParameters"])
		if params["REFRESH_TOKEN"] != "the-refresh-token" || params["SECRET_HASH"] != cognito.SecretHash("cid", "shh", "0b1c-internal") || params["DEVICE_KEY"] != "dk" {
			t.Errorf("AuthParameters %v", params)
		}
		if tok.RefreshToken != "the-refresh-token" || tok.ExpiresIn != 300 || tok.Username != "0b1c-internal" || tok.Via != "REFRESH_TOKEN_AUTH" {
			t.Errorf("tokens %+v", tok)
		}
	}
}

func TestRefreshFallbackNeedsUsernameWithSecret(t *testing.T) {
	f := newFakeIDP(t, func(int, fakeCall) fakeReply { return apiError(400, "UnknownOperationException", "") })
	_, err := fastClient(f.srv.URL).Refresh(testCtx(t), RefreshParams{PoolID: "us-east-1_x", ClientID: "cid", ClientSecret: "s", RefreshToken: "r"})
	if ee := wantCode(t, err, exit.Usage); !strings.Contains(ee.Error(), "internal username") {
		t.Errorf("message %q should ask for the internal username", ee.Error())
	}
}

func TestRefreshAnsweredWithChallenge(t *testing.T) {
	f := newFakeIDP(t, func(_ int, c fakeCall) fakeReply {
		if c.Op == "GetTokensFromRefreshToken" {
			return apiError(400, "UnknownOperationException", "")
		}
		return fakeReply{body: map[string]any{"ChallengeName": "SMS_MFA", "Session": "s"}}
	})
	_, err := fastClient(f.srv.URL).Refresh(testCtx(t), RefreshParams{PoolID: "us-east-1_x", ClientID: "cid", RefreshToken: "r"})
	wantCode(t, err, exit.Challenge)
}
