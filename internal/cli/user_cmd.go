package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/cognito"
	"github.com/cogtool/cogtool/internal/decode"
	"github.com/cogtool/cogtool/internal/users"
)

func newUserCmd(f *Factory) *cobra.Command {
	return newGroupCmd("user <command>", "Create, list, change, recover and delete users",
		newUserCreateCmd(f), newUserSetPasswordCmd(f), newUserGetCmd(f), newUserDeleteCmd(f, nil),
		newUserSignUpCmd(f), newUserConfirmCmd(f),
		newUserListCmd(f, nil), newUserEnableCmd(f, nil), newUserDisableCmd(f, nil), newUserUpdateCmd(f, nil),
		newUserSignOutCmd(f, nil), newUserResetPasswordCmd(f, nil), newUserForgotPasswordCmd(f, nil),
		newUserConfirmForgotPasswordCmd(f, nil), newUserChangePasswordCmd(f, nil), newUserResendCodeCmd(f, nil),
		newUserGroupsCmd(f, nil))
}

// adminClient returns a signed client for the Admin* calls.
func (f *Factory) adminClient(ctx context.Context) (*users.Admin, error) {
	s := f.Settings
	if err := s.Need("user-pool-id"); err != nil {
		return nil, err
	}
	defer f.IO.StartSpinner("loading AWS credentials")()
	idp, err := cognito.NewAdmin(ctx, cognito.Config{Region: s.Region, EndpointURL: s.EndpointURL, HTTPClient: f.OneShotHTTPClient(),
		FIPS: cognito.UseFIPS(s.Region, f.Getenv)})
	if err != nil {
		return nil, err
	}
	return users.NewAdmin(idp), nil
}

// adminFor returns the user named by args or --username and a signed
// client for the Admin* calls.
func (f *Factory) adminFor(cmd *cobra.Command, args []string) (string, *users.Admin, error) {
	name, err := f.userArg(cmd, args)
	if err != nil {
		return "", nil, err
	}
	a, err := f.adminClient(cmd.Context())
	return name, a, err
}

// userArg returns the user named by the argument or --username.
func (f *Factory) userArg(cmd *cobra.Command, args []string) (string, error) {
	if len(args) == 1 {
		if strings.TrimSpace(args[0]) == "" {
			return "", usagef(cmd, "empty user name")
		}
		return args[0], nil
	}
	if f.Settings.Username == "" {
		return "", usagef(cmd, "missing user name: give it as an argument, --username or $COGTOOL_USERNAME")
	}
	return f.Settings.Username, nil
}

func parseAttributes(list []string) ([]users.Attribute, error) {
	out := make([]users.Attribute, 0, len(list))
	for _, s := range list {
		a, err := users.ParseAttribute(s)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// printUser renders a user: JSON for machines, aligned text for people.
func (f *Factory) printUser(u *users.User) {
	if f.outputMode() == "json" {
		b, _ := json.MarshalIndent(u, "", "  ")
		fmt.Fprintln(f.IO.Out, string(b))
		return
	}
	w := f.IO.Out
	now := f.now()
	fmt.Fprintf(w, "%-12s %s\n", "username:", u.Username)
	fmt.Fprintf(w, "%-12s %s\n", "status:", u.Status)
	fmt.Fprintf(w, "%-12s %t\n", "enabled:", u.Enabled)
	for _, t := range []struct {
		k string
		v *time.Time
	}{{"created:", u.Created}, {"modified:", u.Modified}} {
		if t.v != nil {
			fmt.Fprintf(w, "%-12s %s (%s)\n", t.k, t.v.Local().Format(time.RFC3339), decode.Relative(t.v.Sub(now)))
		}
	}
	if names := u.AttributeNames(); len(names) > 0 {
		fmt.Fprintln(w, "attributes:")
		width := 0
		for _, n := range names {
			width = max(width, len(n))
		}
		for _, n := range names {
			fmt.Fprintf(w, "  %-*s  %s\n", width, n, decode.Sanitize(u.Attributes[n]))
		}
	}
}

// readPasswordFile reads a password from a file or stdin ("-").
func (f *Factory) readPasswordFile(path, what string) (string, error) {
	var r io.Reader = f.IO.In
	if path != "-" {
		b, err := readFileCapped(path, what)
		if err != nil {
			return "", err
		}
		r = strings.NewReader(string(b))
	}
	pw, err := readLine(r, what)
	if err == nil {
		err = checkSecretLen("the "+what, pw)
	}
	if err == nil {
		f.AddSecret(pw)
	}
	return pw, err
}
