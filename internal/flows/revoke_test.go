package flows

import (
	"testing"

	"github.com/cogtool/cogtool/internal/exit"
)

// moto has no RevokeToken; cognito-local has, so the real round trip runs there.
func TestRevokeOnCognitoLocal(t *testing.T) {
	pool := localPool(t)
	createUser(t, pool, "vera", "Passw0rd!Vera", true)
	c := testClient("us-east-1", pool.URL, nil)
	ctx := testCtx(t)

	for _, client := range []struct{ name, id, secret string }{
		{"public", pool.PublicClientID, ""},
		{"secret", pool.SecretClientID, pool.SecretClientSecret},
	} {
		t.Run(client.name, func(t *testing.T) {
			tok, err := c.Password(ctx, AuthParams{PoolID: pool.ID, ClientID: client.id, ClientSecret: client.secret, Username: "vera", Password: "Passw0rd!Vera"})
			if err != nil {
				t.Fatal(err)
			}
			// cognito-local leaves out ExpiresIn: it comes from the token's exp.
			if tok.ExpiresIn <= 0 || tok.ExpiresAt.IsZero() {
				t.Errorf("expiry not derived: ExpiresIn %d ExpiresAt %v", tok.ExpiresIn, tok.ExpiresAt)
			}
			if exp := peekClaims(tok.AccessToken).Exp; tok.ExpiresAt.Unix() != exp {
				t.Errorf("ExpiresAt %d, want the exp claim %d", tok.ExpiresAt.Unix(), exp)
			}
			if err := c.Revoke(ctx, client.id, client.secret, tok.RefreshToken); err != nil {
				t.Fatalf("revoke: %v", err)
			}
			_, err = c.Refresh(ctx, RefreshParams{PoolID: pool.ID, ClientID: client.id, ClientSecret: client.secret, Username: tok.Username, RefreshToken: tok.RefreshToken})
			if ee := wantCode(t, err, exit.Auth); ee.AWSError != "NotAuthorizedException" {
				t.Errorf("refresh after revoke: AWSError %q", ee.AWSError)
			}
			err = c.Revoke(ctx, client.id, client.secret, tok.RefreshToken)
			if ee := wantCode(t, err, exit.Auth); ee.AWSError != "NotAuthorizedException" {
				t.Errorf("second revoke: AWSError %q", ee.AWSError)
			}
		})
	}
}

func TestRevokeRequestShape(t *testing.T) {
	f := newFakeIDP(t, func(n int, c fakeCall) fakeReply {
		if n == 3 {
			return apiError(400, "UnsupportedTokenTypeException", "Unsupported token type")
		}
		return fakeReply{body: map[string]any{}}
	})
	c := fastClient(f.srv.URL)
	ctx := testCtx(t)
	if err := c.Revoke(ctx, "cid", "", "rt-1"); err != nil {
		t.Fatal(err)
	}
	if err := c.Revoke(ctx, "cid", "shh", "rt-2"); err != nil {
		t.Fatal(err)
	}
	err := c.Revoke(ctx, "cid", "", "not-a-refresh-token")
	if ee := wantCode(t, err, exit.Auth); ee.AWSError != "UnsupportedTokenTypeException" {
		t.Errorf("AWSError %q", ee.AWSError)
	}
	calls := f.Calls()
	if calls[0].Op != "RevokeToken" || calls[0].Body["Token"] != "rt-1" || calls[0].Body["ClientId"] != "cid" {
		t.Errorf("first call %+v", calls[0])
	}
	if _, ok := calls[0].Body["ClientSecret"]; ok {
		t.Error("an empty client secret was sent")
	}
	if calls[1].Body["ClientSecret"] != "shh" {
		t.Errorf("client secret not sent: %+v", calls[1].Body)
	}
	for _, c := range calls {
		if c.Header.Get("Authorization") != "" {
			t.Error("RevokeToken was signed")
		}
	}
	wantCode(t, c.Revoke(ctx, "", "", "x"), exit.Usage)
	wantCode(t, c.Revoke(ctx, "cid", "", ""), exit.Usage)
}
