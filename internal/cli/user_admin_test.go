package cli

import (
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/iostreams"
)

// run executes cmd with args, its errors returned rather than printed.
func runCmd(cmd *cobra.Command, args ...string) error {
	cmd.SetArgs(args)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	return cmd.Execute()
}

// testFactory is a Factory as the root command leaves it for a user or
// group command run off a terminal: settings resolved, -o auto resolved
// to the commands' machine form, json.
func testFactory() *Factory {
	io, _, _, _ := iostreams.Test()
	return &Factory{IO: io, Getenv: func(string) string { return "" }, Output: "json",
		Settings: &Settings{UserPoolID: "us-east-1_X", Username: "profile-user"}}
}

func wantUsage(t *testing.T, err error, msg string) {
	t.Helper()
	if err == nil || !strings.Contains(err.Error(), msg) {
		t.Fatalf("err = %v, want %q", err, msg)
	}
	if c := exitCode(t.Context(), err); c != exit.Usage {
		t.Fatalf("exit code %d, want 2", c)
	}
}

func TestUserListArgs(t *testing.T) {
	var got *userListOptions
	cmd := newUserListCmd(testFactory(), func(o *userListOptions) error { got = o; return nil })
	if err := runCmd(cmd, "--filter", `email = "a@b.c"`, "--limit", "5", "--attributes", "email,custom:dept"); err != nil {
		t.Fatal(err)
	}
	if got.Filter != `email = "a@b.c"` || got.Limit != 5 || !slices.Equal(got.Attributes, []string{"email", "custom:dept"}) ||
		got.PoolID != "us-east-1_X" || got.Output != "json" {
		t.Fatalf("got %+v", got)
	}
	wantUsage(t, runCmd(newUserListCmd(testFactory(), nil), "extra"), "unknown command")
}

func TestUserListRefusesABadFilterBeforeAnyCall(t *testing.T) {
	f := testFactory()
	called := false
	cmd := newUserListCmd(f, func(o *userListOptions) error {
		o.Admin = nil // a call would panic
		called = true
		return userListRun(t.Context(), o)
	})
	wantUsage(t, runCmd(cmd, "--filter", `email = a`), "double quotes")
	if !called {
		t.Fatal("run not called")
	}
}

func TestDestructiveTargetsOnlyTheArgument(t *testing.T) {
	// The profile names a user; destructive commands must not fall back to it.
	for name, cmd := range map[string]*cobra.Command{
		"user delete":   newUserDeleteCmd(testFactory(), func(*userDeleteOptions) error { return nil }),
		"user sign-out": newUserSignOutCmd(testFactory(), func(*userSignOutOptions) error { return nil }),
		"group delete":  newGroupDeleteCmd(testFactory(), func(*groupDeleteOptions) error { return nil }),
	} {
		t.Run(name, func(t *testing.T) {
			wantUsage(t, runCmd(cmd, "--yes"), "accepts 1 arg(s)")
		})
	}
	var got *userDeleteOptions
	cmd := newUserDeleteCmd(testFactory(), func(o *userDeleteOptions) error { got = o; return nil })
	if err := runCmd(cmd, "alice", "-y"); err != nil || got.Username != "alice" || !got.Yes {
		t.Fatalf("got %+v, %v", got, err)
	}
	wantUsage(t, runCmd(newUserDeleteCmd(testFactory(), nil), " "), "name the user")
}

func TestConfirmDestructive(t *testing.T) {
	ios, in, _, errOut := iostreams.Test()
	if err := confirmDestructive(ios, true, "delete user a"); err != nil {
		t.Fatalf("--yes: %v", err)
	}
	err := confirmDestructive(ios, false, "delete user a")
	wantUsage(t, err, "refused without --yes when not on a terminal")

	ios.SetStdinTTY(true)
	ios.SetStderrTTY(true)
	ios.ReadPassword = func() ([]byte, error) { return nil, nil }
	for answer, ok := range map[string]bool{"y\n": true, "YES\n": true, "n\n": false, "\n": false, "": false, "yep\n": false} {
		in.Reset()
		errOut.Reset()
		in.WriteString(answer)
		err := confirmDestructive(ios, false, "delete user a")
		if (err == nil) != ok {
			t.Errorf("answer %q: err = %v, want ok=%v", answer, err, ok)
		}
		if !strings.Contains(errOut.String(), "delete user a? [y/N]") {
			t.Errorf("answer %q: no question on stderr: %q", answer, errOut.String())
		}
		if err != nil && exit.CodeOf(err) != exit.Usage {
			t.Errorf("answer %q: exit code %d, want 2", answer, exit.CodeOf(err))
		}
	}
}

func TestUserUpdateArgs(t *testing.T) {
	var got *userUpdateOptions
	cmd := newUserUpdateCmd(testFactory(), func(o *userUpdateOptions) error { got = o; return nil })
	if err := runCmd(cmd, "alice", "--attribute", "custom:b64=aGVsbG8=", "--delete-attribute", "phone_number"); err != nil {
		t.Fatal(err)
	}
	if got.Username != "alice" || len(got.Set) != 1 || got.Set[0].Value != "aGVsbG8=" || !slices.Equal(got.Delete, []string{"phone_number"}) {
		t.Fatalf("got %+v", got)
	}
	wantUsage(t, runCmd(newUserUpdateCmd(testFactory(), nil), "alice"), "give --attribute or --delete-attribute")
	wantUsage(t, runCmd(newUserUpdateCmd(testFactory(), nil), "alice", "--attribute", "noequals"), "want name=value")
	wantUsage(t, runCmd(newUserUpdateCmd(testFactory(), nil), "alice", "--delete-attribute", "a b"), "no spaces")
}

func TestGroupArgs(t *testing.T) {
	var add *groupAddOptions
	if err := runCmd(newGroupRemoveCmd(testFactory(), func(o *groupAddOptions) error { add = o; return nil }), "admins", "a", "b"); err != nil {
		t.Fatal(err)
	}
	if add.Group != "admins" || !slices.Equal(add.Users, []string{"a", "b"}) || !add.Remove {
		t.Fatalf("got %+v", add)
	}
	wantUsage(t, runCmd(newGroupAddCmd(testFactory(), nil), "admins"), "requires at least 2 arg(s)")
	var create *groupCreateOptions
	if err := runCmd(newGroupCreateCmd(testFactory(), func(o *groupCreateOptions) error { create = o; return nil }), "g", "--precedence", "0"); err != nil {
		t.Fatal(err)
	}
	if create.Precedence == nil || *create.Precedence != 0 {
		t.Fatalf("--precedence 0 lost: %+v", create)
	}
	if err := runCmd(newGroupCreateCmd(testFactory(), func(o *groupCreateOptions) error { create = o; return nil }), "g"); err != nil || create.Precedence != nil {
		t.Fatalf("no --precedence: %+v, %v", create, err)
	}
	wantUsage(t, runCmd(newGroupCreateCmd(testFactory(), nil), "g", "--precedence", "-1"), "--precedence -1")
}

func TestConfirmForgotPasswordNeedsCode(t *testing.T) {
	wantUsage(t, runCmd(newUserConfirmForgotPasswordCmd(testFactory(), nil), "alice"), "missing --code")
}

func fakeJWT(claims map[string]any) string {
	b, _ := json.Marshal(claims)
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"RS256","kid":"k"}`)) + "." + enc(b) + "." + enc([]byte("sig"))
}

func TestEntryOfUser(t *testing.T) {
	pool := "us-east-1_P"
	alice := fakeJWT(map[string]any{"iss": "https://cognito-idp.us-east-1.amazonaws.com/" + pool, "username": "alice"})
	aliceID := fakeJWT(map[string]any{"iss": "https://cognito-idp.us-east-1.amazonaws.com/" + pool, "cognito:username": "alice"})
	other := fakeJWT(map[string]any{"iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other", "username": "alice"})
	for _, tc := range []struct {
		name                  string
		access, id, entryUser string
		want                  bool
	}{
		{"access token names her", alice, "", "", true},
		{"id token names her", "", aliceID, "", true},
		{"entry names her", "", "", "alice", true},
		{"sub in the entry, name in the token", alice, "", "0b1c-uuid", true},
		{"another pool", other, "", "alice", false},
		{"another user", fakeJWT(map[string]any{"username": "bob"}), "", "bob", false},
		{"client credentials", fakeJWT(map[string]any{"client_id": "c"}), "", "", false},
	} {
		if got := entryOfUser(tc.access, tc.id, tc.entryUser, "alice", pool); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
