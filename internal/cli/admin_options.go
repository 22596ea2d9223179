package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/cache"
	"github.com/cogtool/cogtool/internal/cognito"
	"github.com/cogtool/cogtool/internal/decode"
	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/iostreams"
	"github.com/cogtool/cogtool/internal/users"
)

// adminOptions are the dependencies every admin command (user and group
// administration) holds beside its flags, so that its run function needs
// no factory.
type adminOptions struct {
	IO     *iostreams.IOStreams
	Admin  func(context.Context) (*users.Admin, error)
	PoolID string
	Output string // "text" or "json", resolved
	Now    func() time.Time
	// DropTokens removes the cached tokens of a user whose groups,
	// attributes or sessions changed, so that the next command signs in
	// again instead of using tokens that no longer tell the truth.
	DropTokens func(username string)
}

// newAdminOptions fills adminOptions from the resolved settings.
func newAdminOptions(f *Factory) adminOptions {
	pool := f.Settings.UserPoolID
	return adminOptions{IO: f.IO, PoolID: pool, Output: f.Output, Now: f.now,
		Admin: func(ctx context.Context) (*users.Admin, error) { return newAdminClient(ctx, f) },
		DropTokens: func(username string) {
			if c, err := f.Cache(); err == nil {
				dropUserTokens(c, pool, username, f.warn)
			}
		}}
}

// newAdminClient returns a signed client for the Admin* calls.
func newAdminClient(ctx context.Context, f *Factory) (*users.Admin, error) {
	s := f.Settings
	if err := s.Need("user-pool-id"); err != nil {
		return nil, err
	}
	defer f.IO.StartSpinner("loading AWS credentials")()
	idp, err := cognito.NewAdmin(ctx, cognito.Config{Region: s.Region, EndpointURL: s.EndpointURL, HTTPClient: f.OneShotHTTPClient(),
		FIPS: cognito.UseFIPS(s.Region, f.Getenv), Secrets: f.secrets})
	if err != nil {
		return nil, err
	}
	return users.NewAdmin(idp), nil
}

// done reports a change: a status line on stderr for people, obj on stdout
// with -o json.
func (o *adminOptions) done(obj any, format string, a ...any) error {
	return printDone(o.IO, o.Output, obj, format, a...)
}

// printDone reports a change: a status line on stderr for people, obj on
// stdout with -o json.
func printDone(ios *iostreams.IOStreams, output string, obj any, format string, a ...any) error {
	if output == "json" {
		return writeJSON(ios.Out, obj)
	}
	fmt.Fprintf(ios.ErrOut, format+"\n", a...)
	return nil
}

func writeJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(w, string(b))
	return err
}

// printList prints list as JSON (an empty list as []), or with table for
// people; empty is what people see when the list is empty.
func printList[T any](o *adminOptions, list []T, empty string, table func(io.Writer, []T)) error {
	if o.Output == "json" {
		if list == nil {
			list = []T{}
		}
		return writeJSON(o.IO.Out, list)
	}
	if len(list) == 0 {
		fmt.Fprintln(o.IO.Out, empty)
		return nil
	}
	table(o.IO.Out, list)
	return nil
}

// confirmDestructive asks before a change that cannot be undone. --yes
// skips the question; off a terminal, without --yes, nothing is asked and
// the command stops with exit 2, so a script never deletes by accident.
// Only "y" or "yes" goes ahead.
func confirmDestructive(ios *iostreams.IOStreams, yes bool, question string) error {
	if yes {
		return nil
	}
	if !ios.CanPrompt() {
		return exit.Usagef("%s: refused without --yes when not on a terminal", question)
	}
	fmt.Fprintf(ios.ErrOut, "%s? [y/N] ", question)
	line, err := bufio.NewReader(io.LimitReader(ios.In, 1024)).ReadString('\n')
	if err != nil && line == "" {
		fmt.Fprintln(ios.ErrOut)
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return nil
	}
	return exit.Usagef("cancelled: nothing was changed")
}

// destroy asks question (see confirmDestructive), then runs call with the
// admin client.
func (o *adminOptions) destroy(ctx context.Context, yes bool, question string, call func(*users.Admin) error) error {
	if err := confirmDestructive(o.IO, yes, question); err != nil {
		return err
	}
	a, err := o.Admin(ctx)
	if err != nil {
		return err
	}
	return call(a)
}

// userChange is a change to one user that cannot be undone.
type userChange struct {
	Username string
	Yes      bool   // --yes: do not ask
	Question string // what is asked first (see confirmDestructive)
	Call     func(*users.Admin) error
	Result   map[string]any // printed with -o json
	Done     string         // the status line for people
}

// changeUser makes change, then drops the user's cached tokens, which
// no longer tell the truth, and reports it.
func (o *adminOptions) changeUser(ctx context.Context, change userChange) error {
	if err := o.destroy(ctx, change.Yes, change.Question, change.Call); err != nil {
		return err
	}
	o.DropTokens(change.Username)
	return o.done(change.Result, "%s", change.Done)
}

// dropUserTokens removes the cached tokens of username in pool. An entry
// is the user's when its username matches, or the username claim of its
// tokens does; when a token names its issuer, the issuer must be pool's.
// Failures only warn: the change on the server has already happened.
func dropUserTokens(c *cache.Cache, pool, username string, warn func(string)) {
	list, err := c.List()
	if err != nil {
		warn("warning: " + err.Error())
		return
	}
	for _, l := range list {
		if !entryOfUser(l.Entry.AccessToken, l.Entry.IDToken, l.Entry.Username, username, pool) {
			continue
		}
		if err := c.Remove(l.Name); err != nil {
			warn("warning: " + err.Error())
		}
	}
}

// entryOfUser reports whether a cached entry (its tokens and username)
// belongs to username in pool.
func entryOfUser(access, id, entryUser, username, pool string) bool {
	var claims struct {
		Iss          string `json:"iss"`
		Username     string `json:"username"`
		CognitoUname string `json:"cognito:username"`
	}
	for _, tok := range []string{access, id} {
		if decode.Peek(tok, &claims) {
			break
		}
	}
	if claims.Iss != "" && pool != "" && !strings.HasSuffix(claims.Iss, "/"+pool) {
		return false
	}
	return entryUser == username || claims.Username == username || claims.CognitoUname == username
}

// userTarget returns the one user a destructive command acts on: only the
// argument, never --username or the profile, so a profile can never
// choose what gets deleted.
func userTarget(args []string) (string, error) {
	if len(args) != 1 || strings.TrimSpace(args[0]) == "" {
		return "", exit.Usagef("name the user as the argument")
	}
	return args[0], nil
}

// userArg returns the user named by the argument, or else by --username
// (or the profile): profileUser.
func userArg(cmd *cobra.Command, args []string, profileUser string) (string, error) {
	if len(args) == 1 {
		if strings.TrimSpace(args[0]) == "" {
			return "", usagef(cmd, "empty user name")
		}
		return args[0], nil
	}
	if profileUser == "" {
		return "", usagef(cmd, "missing user name: give it as an argument, --username or $COGTOOL_USERNAME")
	}
	return profileUser, nil
}

// parseAttributes parses --attribute name=value flags.
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
