package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

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

// adminOpts fills adminOptions from the resolved settings.
func (f *Factory) adminOpts() adminOptions {
	return adminOptions{IO: f.IO, Admin: f.adminClient, PoolID: f.Settings.UserPoolID,
		Output: f.outputMode(), Now: f.now, DropTokens: f.dropUserTokens}
}

// done reports a change: a status line on stderr for people, obj on stdout
// with -o json.
func (o *adminOptions) done(obj any, format string, a ...any) error {
	if o.Output == "json" {
		return writeJSON(o.IO.Out, obj)
	}
	fmt.Fprintf(o.IO.ErrOut, format+"\n", a...)
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

// dropUserTokens removes the cached tokens of username in the current
// pool. An entry is the user's when its username matches, or the
// username claim of its tokens does; when a token names its issuer, the
// issuer must be the current pool's. Failures only warn: the change on
// the server has already happened.
func (f *Factory) dropUserTokens(username string) {
	c, err := f.Cache()
	if err != nil {
		return
	}
	list, err := c.List()
	if err != nil {
		f.warn("warning: " + err.Error())
		return
	}
	for _, l := range list {
		if !entryOfUser(l.Entry.AccessToken, l.Entry.IDToken, l.Entry.Username, username, f.Settings.UserPoolID) {
			continue
		}
		if err := c.Remove(l.Name); err != nil {
			f.warn("warning: " + err.Error())
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
		if t, err := decode.Parse(tok); err == nil && !t.Encrypted && json.Unmarshal(t.Claims, &claims) == nil {
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
