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
	again, err := c.Refresh(ctx, pool.ID, pool.PublicClientID, "", "", tok.RefreshToken)
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
			_, err := c.Refresh(ctx, pool.ID, pool.SecretClientID, tc.secret, tc.user, tc.refresh)
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
	_, err := c.Refresh(ctx, "us-east-1_x", "cid", "secret", "", "r")
	if ee := wantCode(t, err, exit.Usage); !strings.Contains(ee.Error(), "username") {
		t.Errorf("message %q should ask for the username", ee.Error())
	}
	_, err = c.Refresh(ctx, "us-east-1_x", "", "", "", "r")
	wantCode(t, err, exit.Usage)
	_, err = c.Refresh(ctx, "us-east-1_x", "cid", "", "", "")
	wantCode(t, err, exit.Usage)
}

func TestRefreshRequestShape(t *testing.T) {
	f := newFakeIDP(t, func(int, fakeCall) fakeReply {
		// Cognito sends no refresh token back unless rotation is on.
		return fakeReply{body: map[string]any{"AuthenticationResult": map[string]any{
			"AccessToken": fakeJWT(map[string]any{"username": "0b1c-internal"}), "ExpiresIn": 300, "TokenType": "Bearer",
		}}}
	})
	tok, err := fastClient(f.srv.URL).Refresh(testCtx(t), "us-east-1_x", "cid", "shh", "0b1c-internal", "the-refresh-token")
	if err != nil {
		t.Fatal(err)
	}
	calls := f.Calls()
	if len(calls) != 1 || calls[0].Op != "InitiateAuth" {
		t.Fatalf("calls %+v", calls)
	}
	if flow := calls[0].Body["AuthFlow"]; flow != "REFRESH_TOKEN_AUTH" {
		t.Errorf("AuthFlow = %v", flow)
	}
	params := strMap(calls[0].Body["AuthParameters"])
	if params["REFRESH_TOKEN"] != "the-refresh-token" || params["SECRET_HASH"] != cognito.SecretHash("cid", "shh", "0b1c-internal") {
		t.Errorf("AuthParameters %v", params)
	}
	if tok.RefreshToken != "the-refresh-token" || tok.ExpiresIn != 300 || tok.Username != "0b1c-internal" {
		t.Errorf("tokens %+v", tok)
	}
}

func TestRefreshAnsweredWithChallenge(t *testing.T) {
	f := newFakeIDP(t, func(int, fakeCall) fakeReply {
		return fakeReply{body: map[string]any{"ChallengeName": "SMS_MFA", "Session": "s"}}
	})
	_, err := fastClient(f.srv.URL).Refresh(testCtx(t), "us-east-1_x", "cid", "", "", "r")
	wantCode(t, err, exit.Challenge)
}
