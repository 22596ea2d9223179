package flows

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cogtool/cogtool/internal/exit"
)

// answers is a scripted Answerer; an empty field answers ErrNoAnswer.
type answers struct {
	newPassword, code, choice, custom string
	attrs                             map[string]string
	totpSecret                        *string // set: MFA_SETUP answers with a code computed from the new secret
	asked                             []string
	options                           []string
	destination                       string
	customParams                      map[string]string
}

func (a *answers) NewPassword(context.Context) (string, error) {
	a.asked = append(a.asked, "NEW_PASSWORD")
	if a.newPassword == "" {
		return "", fmt.Errorf("no terminal: %w", ErrNoAnswer)
	}
	return a.newPassword, nil
}

func (a *answers) Attribute(_ context.Context, name string) (string, error) {
	a.asked = append(a.asked, "attribute:"+name)
	if v, ok := a.attrs[name]; ok {
		return v, nil
	}
	return "", ErrNoAnswer
}

func (a *answers) Code(_ context.Context, challenge, destination string) (string, error) {
	a.asked = append(a.asked, challenge)
	a.destination = destination
	if a.code == "" {
		return "", ErrNoAnswer
	}
	return a.code, nil
}

func (a *answers) Select(_ context.Context, challenge string, options []string) (string, error) {
	a.asked = append(a.asked, challenge)
	a.options = options
	if a.choice == "" {
		return "", ErrNoAnswer
	}
	return a.choice, nil
}

func (a *answers) SetupTOTP(_ context.Context, associate func() (string, string, error)) (string, error) {
	a.asked = append(a.asked, "MFA_SETUP")
	if a.totpSecret == nil {
		return "", ErrNoAnswer
	}
	secret, _, err := associate()
	if err != nil {
		return "", err
	}
	*a.totpSecret = secret
	return TOTPCode(secret, time.Now())
}

func (a *answers) CustomAnswer(_ context.Context, params map[string]string) (string, error) {
	a.asked = append(a.asked, "CUSTOM_CHALLENGE")
	a.customParams = params
	if a.custom == "" {
		return "", ErrNoAnswer
	}
	return a.custom, nil
}

func checkTokens(t *testing.T, tok *Tokens, username string) {
	t.Helper()
	if tok.AccessToken == "" || tok.IDToken == "" || tok.RefreshToken == "" {
		t.Fatalf("missing tokens: access %t id %t refresh %t", tok.AccessToken != "", tok.IDToken != "", tok.RefreshToken != "")
	}
	if tok.TokenType != "Bearer" {
		t.Errorf("TokenType = %q, want Bearer", tok.TokenType)
	}
	if tok.ExpiresIn != 3600 {
		t.Errorf("ExpiresIn = %d, want moto's 3600", tok.ExpiresIn)
	}
	if d := time.Until(tok.ExpiresAt); d < 55*time.Minute || d > 61*time.Minute {
		t.Errorf("ExpiresAt %v is not about an hour away", tok.ExpiresAt)
	}
	if tok.Username != username {
		t.Errorf("Username = %q, want %q", tok.Username, username)
	}
	if claims := peekClaims(tok.AccessToken); claims.Username != username {
		t.Errorf("access token username claim = %q, want %q", claims.Username, username)
	}
}

func TestPasswordPublicClient(t *testing.T) {
	pool := motoPool(t)
	createUser(t, pool, "alice", "Passw0rd!Alice", true)
	c := testClient("us-east-1", pool.URL, nil)
	tok, err := c.Password(testCtx(t), AuthParams{PoolID: pool.ID, ClientID: pool.PublicClientID, Username: "alice", Password: "Passw0rd!Alice"})
	if err != nil {
		t.Fatal(err)
	}
	checkTokens(t, tok, "alice")
}

func TestPasswordSecretClientThenRefresh(t *testing.T) {
	pool := motoPool(t)
	createUser(t, pool, "sam", "Passw0rd!Sam", true)
	c := testClient("us-east-1", pool.URL, nil)
	ctx := testCtx(t)
	tok, err := c.Password(ctx, AuthParams{PoolID: pool.ID, ClientID: pool.SecretClientID, ClientSecret: pool.SecretClientSecret, Username: "sam", Password: "Passw0rd!Sam"})
	if err != nil {
		t.Fatal(err)
	}
	checkTokens(t, tok, "sam")
	// moto checks SECRET_HASH on refresh: this proves the hash is right.
	again, err := c.Refresh(ctx, RefreshParams{PoolID: pool.ID, ClientID: pool.SecretClientID, ClientSecret: pool.SecretClientSecret, Username: tok.Username, RefreshToken: tok.RefreshToken})
	if err != nil {
		t.Fatalf("refresh with the secret: %v", err)
	}
	if again.AccessToken == "" || again.RefreshToken != tok.RefreshToken {
		t.Errorf("refresh: access token %t, refresh token kept %t", again.AccessToken != "", again.RefreshToken == tok.RefreshToken)
	}
}

func TestPasswordRefusals(t *testing.T) {
	pool := motoPool(t)
	createUser(t, pool, "carol", "Passw0rd!Carol", true)
	c := testClient("us-east-1", pool.URL, nil)
	for _, tc := range []struct {
		name, client, user, password, awsErr, msg string
	}{
		{"wrong password", pool.PublicClientID, "carol", "Wrong-Passw0rd!", "NotAuthorizedException", "NotAuthorizedException: Incorrect username or password."},
		{"unknown user", pool.PublicClientID, "nobody", "Passw0rd!Carol", "UserNotFoundException", "UserNotFoundException:"},
		{"unknown client", "no-such-client", "carol", "Passw0rd!Carol", "ResourceNotFoundException", "ResourceNotFoundException"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.Password(testCtx(t), AuthParams{PoolID: pool.ID, ClientID: tc.client, Username: tc.user, Password: tc.password})
			ee := wantCode(t, err, exit.Auth)
			if ee.AWSError != tc.awsErr {
				t.Errorf("AWSError = %q, want %q", ee.AWSError, tc.awsErr)
			}
			if !strings.Contains(ee.Error(), tc.msg) {
				t.Errorf("message %q lacks %q", ee.Error(), tc.msg)
			}
			if strings.Contains(ee.Error(), tc.password) {
				t.Errorf("message leaks the password: %q", ee.Error())
			}
		})
	}
}

func TestPasswordNewPasswordRequired(t *testing.T) {
	pool := motoPool(t)
	createUser(t, pool, "newbie", "Temp0rary!Pass", false)
	c := testClient("us-east-1", pool.URL, nil)
	ctx := testCtx(t)
	p := AuthParams{PoolID: pool.ID, ClientID: pool.SecretClientID, ClientSecret: pool.SecretClientSecret, Username: "newbie", Password: "Temp0rary!Pass"}

	t.Run("no answerer", func(t *testing.T) {
		_, err := c.Password(ctx, p)
		ee := wantCode(t, err, exit.Challenge)
		for _, s := range []string{"NEW_PASSWORD_REQUIRED", "COGTOOL_NEW_PASSWORD", "--new-password-file"} {
			if !strings.Contains(ee.Error(), s) {
				t.Errorf("message %q lacks %q", ee.Error(), s)
			}
		}
	})
	t.Run("answerer without input", func(t *testing.T) {
		a := &answers{}
		q := p
		q.Answer = a
		_, err := c.Password(ctx, q)
		ee := wantCode(t, err, exit.Challenge)
		if !strings.Contains(ee.Error(), "NEW_PASSWORD_REQUIRED") || !strings.Contains(ee.Error(), "no terminal") {
			t.Errorf("message %q should name the challenge and keep the answerer's reason", ee.Error())
		}
		if strings.Join(a.asked, ",") != "NEW_PASSWORD" {
			t.Errorf("asked %v", a.asked)
		}
	})
	t.Run("new password refused by the policy", func(t *testing.T) {
		q := p
		q.Answer = &answers{newPassword: "short"}
		_, err := c.Password(ctx, q)
		// The new password is the input at fault: a usage error (2), as on set-password.
		if ee := wantCode(t, err, exit.Usage); ee.AWSError != "InvalidPasswordException" {
			t.Errorf("AWSError = %q, want InvalidPasswordException", ee.AWSError)
		}
	})
	t.Run("answered", func(t *testing.T) {
		q := p
		q.Answer = &answers{newPassword: "Brand-New-Passw0rd!"}
		tok, err := c.Password(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		checkTokens(t, tok, "newbie")
		// The new password is now the password.
		q = p
		q.Password = "Brand-New-Passw0rd!"
		if _, err := c.Password(ctx, q); err != nil {
			t.Fatalf("sign in with the new password: %v", err)
		}
	})
}
