package cli

import (
	"errors"
	"testing"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/cache"
)

// The user commands that take [<username>] fall back to --username or the
// profile's, and refuse a blank argument.
func TestUserArgFallsBackToTheProfile(t *testing.T) {
	var got *userGetOptions
	capture := func(o *userGetOptions) error { got = o; return nil }
	if err := runCmd(newUserGetCmd(testFactory(), capture), "alice"); err != nil || got.Username != "alice" {
		t.Fatalf("argument: %+v, %v", got, err)
	}
	if err := runCmd(newUserGetCmd(testFactory(), capture)); err != nil || got.Username != "profile-user" {
		t.Fatalf("profile: %+v, %v", got, err)
	}
	if got.PoolID != "us-east-1_X" || got.Output != "json" || got.Admin == nil || got.Now == nil || got.DropTokens == nil {
		t.Fatalf("dependencies not filled: %+v", got)
	}
	wantUsage(t, runCmd(newUserGetCmd(testFactory(), capture), " "), "empty user name")
	f := testFactory()
	f.Settings.Username = ""
	wantUsage(t, runCmd(newUserGetCmd(f, capture)), "missing user name")
}

func TestUserCreateArgs(t *testing.T) {
	var got *userCreateOptions
	capture := func(o *userCreateOptions) error { got = o; return nil }
	if err := runCmd(newUserCreateCmd(testFactory(), capture), "alice", "--attribute", "email=a@b.c",
		"--attribute", "custom:b64=aGk=", "--suppress-message"); err != nil {
		t.Fatal(err)
	}
	if got.Username != "alice" || len(got.Attributes) != 2 || got.Attributes[1].Value != "aGk=" || !got.SuppressMessage ||
		got.TemporaryPassword != nil {
		t.Fatalf("got %+v", got)
	}
	if err := runCmd(newUserCreateCmd(testFactory(), capture), "bob", "--temporary-password-file", "-"); err != nil || got.TemporaryPassword == nil {
		t.Fatalf("--temporary-password-file: %+v, %v", got, err)
	}
	wantUsage(t, runCmd(newUserCreateCmd(testFactory(), capture), "alice", "--attribute", "email"), "want name=value")
}

func TestUserSignUpArgs(t *testing.T) {
	var got *userSignUpOptions
	f := testFactory()
	f.Settings.ClientID = "app"
	if err := runCmd(newUserSignUpCmd(f, func(o *userSignUpOptions) error { got = o; return nil }),
		"erin", "--attribute", "email=e@x.io", "--password-stdin"); err != nil {
		t.Fatal(err)
	}
	if got.Username != "erin" || len(got.Attributes) != 1 || got.Password == nil || got.App == nil || got.Client == nil ||
		got.HashFor == nil || got.Output != "json" {
		t.Fatalf("got %+v", got)
	}
	wantUsage(t, runCmd(newUserSignUpCmd(testFactory(), nil), "erin", "--attribute", "=x"), "empty name")
}

// confirm takes exactly one of --code (ConfirmSignUp, unsigned) and
// --admin (AdminConfirmSignUp, signed).
func TestUserConfirmArgs(t *testing.T) {
	var got *userConfirmOptions
	capture := func(o *userConfirmOptions) error { got = o; return nil }
	if err := runCmd(newUserConfirmCmd(testFactory(), capture), "carol", "--code", "123456"); err != nil {
		t.Fatal(err)
	}
	if got.Username != "carol" || got.Code != "123456" || got.Admin != nil {
		t.Fatalf("--code: %+v", got)
	}
	got = nil
	if err := runCmd(newUserConfirmCmd(testFactory(), capture), "carol", "--admin"); err != nil {
		t.Fatal(err)
	}
	if got.Admin == nil || got.PoolID != "us-east-1_X" || got.Code != "" {
		t.Fatalf("--admin: %+v", got)
	}
	wantUsage(t, runCmd(newUserConfirmCmd(testFactory(), capture), "carol"), "exactly one of --code or --admin")
	wantUsage(t, runCmd(newUserConfirmCmd(testFactory(), capture), "carol", "--admin", "--code", "1"), "exactly one of --code or --admin")
}

// set-password keeps its status line on stderr, with nothing on stdout,
// unless JSON is asked for by name.
func TestUserSetPasswordArgs(t *testing.T) {
	var got *userSetPasswordOptions
	capture := func(o *userSetPasswordOptions) error { got = o; return nil }
	if err := runCmd(newUserSetPasswordCmd(testFactory(), capture), "alice", "--temporary", "--password-stdin"); err != nil {
		t.Fatal(err)
	}
	if got.Username != "alice" || !got.Temporary || got.NewPassword == nil || got.Output != "text" {
		t.Fatalf("got %+v", got)
	}
	f := testFactory()
	f.Settings.Output = "json"
	if err := runCmd(newUserSetPasswordCmd(f, capture)); err != nil || got.Username != "profile-user" || got.Output != "json" {
		t.Fatalf("-o json: %+v, %v", got, err)
	}
}

// The destructive commands and the unsigned ones fill the same options
// through their seam.
func TestUserCommandsFillTheirOptions(t *testing.T) {
	for name, cmd := range map[string]*cobra.Command{
		"forgot-password": newUserForgotPasswordCmd(testFactory(), func(o *userForgotPasswordOptions) error {
			return wantFilled(o.Username, o.App != nil && o.Client != nil && o.HashFor != nil)
		}),
		"resend-code": newUserResendCodeCmd(testFactory(), func(o *userResendCodeOptions) error {
			return wantFilled(o.Username, o.App != nil && o.Client != nil && o.HashFor != nil)
		}),
		"confirm-forgot-password": newUserConfirmForgotPasswordCmd(testFactory(), func(o *userConfirmForgotPasswordOptions) error {
			return wantFilled(o.Username, o.NewPassword != nil && o.Code == "9")
		}),
		"sign-out": newUserSignOutCmd(testFactory(), func(o *userSignOutOptions) error {
			return wantFilled(o.Username, o.Admin != nil && o.DropTokens != nil && o.Yes)
		}),
		"groups": newUserGroupsCmd(testFactory(), func(o *userGroupsOptions) error {
			return wantFilled(o.Username, o.Admin != nil && o.PoolID == "us-east-1_X")
		}),
	} {
		args := []string{"dora"}
		switch name {
		case "confirm-forgot-password":
			args = append(args, "--code", "9")
		case "sign-out":
			args = append(args, "--yes")
		}
		if err := runCmd(cmd, args...); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// wantFilled is the error of a seam that did not get the user dora, or
// whose options miss a dependency (ok false).
func wantFilled(username string, ok bool) error {
	if username != "dora" || !ok {
		return errors.New("options not filled")
	}
	return nil
}

// dropUserTokens removes only the named user's entries of the pool: not
// another user's, not a client-credentials token, not another pool's.
func TestDropUserTokens(t *testing.T) {
	for _, tt := range []struct {
		pool, user string
		left       int
	}{
		{"us-east-1_RunTables", "alice", 1},
		{"us-east-1_RunTables", "bob", 2},
		{"us-east-1_Other", "alice", 2},
	} {
		c, _ := runCache(t)()
		var warned []string
		dropUserTokens(c, tt.pool, tt.user, func(m string) { warned = append(warned, m) })
		list, err := c.List()
		if err != nil || len(list) != tt.left || len(warned) != 0 {
			t.Errorf("%s in %s: %d entries left (%v, warnings %q), want %d", tt.user, tt.pool, len(list), err, warned, tt.left)
		}
		for _, l := range list {
			if tt.left == 1 && l.Entry.Username == "alice" {
				t.Errorf("alice's entry was kept")
			}
		}
	}
	// No cache directory: nothing to drop, nothing said.
	dropUserTokens((*cache.Cache)(nil), "us-east-1_RunTables", "alice", func(m string) { t.Errorf("warned %q", m) })
}
