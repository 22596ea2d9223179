package cli

import (
	"context"
	"fmt"
	"testing"

	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/testpeers/strict"
)

// strictWithSignUp is an apiCase server: the strict fake with an app
// client that has a secret (so SECRET_HASH is checked) and carol, who
// signed up and has not confirmed, and alice, who has.
func strictWithSignUp(t *testing.T) apiTarget {
	srv, pool, _ := newStrictRun(t)
	c, err := pool.AddClient(strict.ClientConfig{GenerateSecret: true, ExplicitAuthFlows: []string{strict.AllowUserPasswordAuth, strict.AllowRefreshTokenAuth}})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []strict.UserConfig{
		{Username: "carol", Email: "carol@example.com", Password: "Corr3ct-horse!", Status: strict.StatusUnconfirmed},
		{Username: "alice", Email: "alice@example.com", Password: "Corr3ct-horse!"},
	} {
		if _, err := pool.AddUser(u); err != nil {
			t.Fatal(err)
		}
	}
	return apiTarget{URL: srv.URL, PoolID: pool.ID, ClientID: c.ID, Secret: c.Secret}
}

// TestUserResendCodeRun meets the strict fake, which checks SECRET_HASH
// and the user's status.
func TestUserResendCodeRunTable(t *testing.T) {
	run := func(name string) func(context.Context, appOptions) error {
		return func(ctx context.Context, o appOptions) error {
			return userResendCodeRun(ctx, &userResendCodeOptions{appOptions: o, Username: name})
		}
	}
	runAPITable(t, "user-resend-code", []apiCase{
		{name: "sent", server: strictWithSignUp, appRun: run("carol")},
		{name: "already-confirmed", server: strictWithSignUp, appRun: run("alice")},
		{name: "no-such-user", server: strictWithSignUp, appRun: run("dave")},
	})
}

func TestUserForgotPasswordRunTable(t *testing.T) {
	run := func(ctx context.Context, o appOptions) error {
		return userForgotPasswordRun(ctx, &userForgotPasswordOptions{appOptions: o, Username: "alice"})
	}
	runAPITable(t, "user-forgot-password", []apiCase{
		{name: "sent", replies: map[string]string{"ForgotPassword": `{"CodeDeliveryDetails":{"AttributeName":"email","DeliveryMedium":"EMAIL","Destination":"a***@e***"}}`}, appRun: run},
		{name: "no-destination", replies: map[string]string{"ForgotPassword": `{}`}, appRun: run},
		{name: "limit", replies: map[string]string{"ForgotPassword": "!LimitExceededException Attempt limit exceeded, please try after some time."}, appRun: run},
	})
}

func TestUserConfirmForgotPasswordRunTable(t *testing.T) {
	run := func(pw string, pwErr error) func(context.Context, appOptions) error {
		return func(ctx context.Context, o appOptions) error {
			return userConfirmForgotPasswordRun(ctx, &userConfirmForgotPasswordOptions{appOptions: o, Username: "alice", Code: "123456",
				NewPassword: func(prompt string) (string, error) {
					fmt.Fprint(o.IO.ErrOut, prompt+"\n")
					return pw, pwErr
				}})
		}
	}
	runAPITable(t, "user-confirm-forgot-password", []apiCase{
		{name: "set", replies: map[string]string{"ConfirmForgotPassword": `{}`}, appRun: run("N3w-passw0rd!", nil)},
		{name: "wrong-code", replies: map[string]string{"ConfirmForgotPassword": "!CodeMismatchException Invalid verification code provided, please try again."}, appRun: run("N3w-passw0rd!", nil)},
		{name: "no-password", replies: map[string]string{}, appRun: run("", exit.Usagef("no new password: pipe it with --password-stdin or set $COGTOOL_PASSWORD"))},
	})
}

func TestUserChangePasswordRunTable(t *testing.T) {
	run := func(tokErr error) func(context.Context, appOptions) error {
		return func(ctx context.Context, o appOptions) error {
			return userChangePasswordRun(ctx, &userChangePasswordOptions{appOptions: o, Username: "alice",
				AccessToken: func(context.Context) (string, error) { return runAccessToken(t, runIssuer), tokErr },
				OldPassword: func(string) (string, error) { return "Corr3ct-horse!", nil },
				NewPassword: func(string) (string, error) { return "N3w-passw0rd!", nil }})
		}
	}
	tok := []string{runAccessToken(t, runIssuer), "ACCESS_TOKEN"}
	runAPITable(t, "user-change-password", []apiCase{
		{name: "changed", replies: map[string]string{"ChangePassword": `{}`}, appRun: run(nil), norm: tok},
		{name: "wrong-old", replies: map[string]string{"ChangePassword": "!NotAuthorizedException Incorrect username or password."}, appRun: run(nil), norm: tok},
		{name: "not-signed-in", replies: map[string]string{}, appRun: run(exit.Usagef("no cached tokens for alice: sign in first with 'cogtool token password'"))},
	})
}
