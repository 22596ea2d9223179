package cli

import (
	"context"
	"fmt"
	"testing"

	"github.com/cogtool/cogtool/internal/exit"

	"github.com/cogtool/cogtool/internal/users"
)

// errNoPasswordInput is what the password readers return off a terminal
// with nothing piped in.
var errNoPasswordInput = exit.Usagef("no password: pipe it with --password-stdin or set $COGTOOL_PASSWORD")

// TestUserGetRun meets the strict fake's AdminGetUser.
func TestUserGetRunTable(t *testing.T) {
	run := func(name string) func(context.Context, adminOptions) error {
		return func(ctx context.Context, o adminOptions) error {
			return userGetRun(ctx, &userGetOptions{adminOptions: o, Username: name})
		}
	}
	runAPITable(t, "user-get", []apiCase{
		{name: "alice", server: strictWithAlice(false), run: run("alice")},
		{name: "disabled", server: strictWithAlice(true), run: run("alice")},
		{name: "no-such-user", server: strictWithAlice(false), run: run("bob")},
	})
}

// TestUserCreateRun meets the strict fake's AdminCreateUser, which checks
// the temporary password against the pool's policy.
func TestUserCreateRunTable(t *testing.T) {
	run := func(name, temp string) func(context.Context, adminOptions) error {
		return func(ctx context.Context, o adminOptions) error {
			opts := &userCreateOptions{adminOptions: o, Username: name, SuppressMessage: true,
				Attributes: []users.Attribute{{Name: "email", Value: name + "@example.com"}}}
			if temp != "" {
				opts.TemporaryPassword = func() (string, error) { return temp, nil }
			}
			return userCreateRun(ctx, opts)
		}
	}
	runAPITable(t, "user-create", []apiCase{
		{name: "created", server: strictWithAlice(false), run: run("bob", "Temp0rary-pass!")},
		{name: "weak-password", server: strictWithAlice(false), run: run("bob", "weakweak")},
		{name: "exists", server: strictWithAlice(false), run: run("alice", "Temp0rary-pass!")},
	})
}

// TestUserSetPasswordRun meets the strict fake's AdminSetUserPassword.
func TestUserSetPasswordRunTable(t *testing.T) {
	run := func(pw string, temporary bool) func(context.Context, adminOptions) error {
		return func(ctx context.Context, o adminOptions) error {
			return userSetPasswordRun(ctx, &userSetPasswordOptions{adminOptions: o, Username: "alice", Temporary: temporary,
				NewPassword: func(prompt string) (string, error) {
					fmt.Fprintln(o.IO.ErrOut, prompt)
					return pw, nil
				}})
		}
	}
	runAPITable(t, "user-set-password", []apiCase{
		{name: "permanent", server: strictWithAlice(false), run: run("N3w-passw0rd!", false)},
		{name: "temporary", server: strictWithAlice(false), run: run("N3w-passw0rd!", true)},
		{name: "policy", server: strictWithAlice(false), run: run("short", false)},
	})
}

func TestUserSignUpRunTable(t *testing.T) {
	run := func(pw string) func(context.Context, appOptions) error {
		return func(ctx context.Context, o appOptions) error {
			return userSignUpRun(ctx, &userSignUpOptions{appOptions: o, Username: "dave",
				Attributes: []users.Attribute{{Name: "email", Value: "dave@example.com"}},
				Password: func(string) (string, error) {
					if pw == "" {
						return "", errNoPasswordInput
					}
					return pw, nil
				}})
		}
	}
	unconfirmed := `{"UserConfirmed":false,"UserSub":"7a7a7a7a-1111-4222-8333-444455556666","CodeDeliveryDetails":{"AttributeName":"email","DeliveryMedium":"EMAIL","Destination":"d***@e***"}}`
	runAPITable(t, "user-sign-up", []apiCase{
		{name: "needs-confirmation", replies: map[string]string{"SignUp": unconfirmed}, appRun: run("Corr3ct-horse!")},
		{name: "confirmed", replies: map[string]string{"SignUp": `{"UserConfirmed":true,"UserSub":"7a7a7a7a-1111-4222-8333-444455556666"}`}, appRun: run("Corr3ct-horse!")},
		{name: "exists", replies: map[string]string{"SignUp": "!UsernameExistsException User already exists"}, appRun: run("Corr3ct-horse!")},
		{name: "no-password", replies: map[string]string{}, appRun: run("")},
	})
}

// TestUserConfirmRun: ConfirmSignUp with a code against the strict fake
// (SECRET_HASH checked), and AdminConfirmSignUp with --admin.
func TestUserConfirmRunTable(t *testing.T) {
	run := func(name, code string, admin bool) func(context.Context, adminOptions, appOptions) error {
		return func(ctx context.Context, ao adminOptions, o appOptions) error {
			opts := &userConfirmOptions{appOptions: o, PoolID: ao.PoolID, Username: name, Code: code}
			if admin {
				opts.Admin = ao.Admin
			}
			return userConfirmRun(ctx, opts)
		}
	}
	runAPITable(t, "user-confirm", []apiCase{
		{name: "wrong-code", server: strictWithSignUp, bothRun: run("carol", "000000", false)},
		{name: "already-confirmed", server: strictWithSignUp, bothRun: run("alice", "123456", false)},
		{name: "admin", replies: map[string]string{"AdminConfirmSignUp": `{}`}, bothRun: run("carol", "", true)},
		{name: "admin-no-such-user", replies: map[string]string{"AdminConfirmSignUp": runNoSuchUser}, bothRun: run("dave", "", true)},
	})
}
