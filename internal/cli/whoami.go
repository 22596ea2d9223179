package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/cache"
	"github.com/cogtool/cogtool/internal/decode"
	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/httpx"
	"github.com/cogtool/cogtool/internal/iostreams"
	"github.com/cogtool/cogtool/internal/users"
)

type whoamiOptions struct {
	IO      *iostreams.IOStreams
	Output  string
	Now     func() time.Time
	Profile string
	// Tokens returns the current user's cached tokens (refreshed if needed).
	Tokens func(context.Context) (*cache.Entry, error)
	// GetUser runs GetUser; UserInfo asks the hosted UI's /oauth2/userInfo.
	GetUser  func(ctx context.Context, access string) (*users.Me, error)
	UserInfo func(ctx context.Context, access string) (map[string]string, error)
}

// whoami is what `cogtool whoami` reports.
type whoami struct {
	Username   string            `json:"username"`
	Sub        string            `json:"sub,omitempty"`
	Attributes map[string]string `json:"attributes"`
	Groups     []string          `json:"groups"`
	Profile    string            `json:"profile"`
	Flow       string            `json:"flow"`
	ClientID   string            `json:"client_id,omitempty"`
	ExpiresAt  time.Time         `json:"expires_at"`
	Source     string            `json:"source"` // GetUser or userInfo
}

func newWhoamiCmd(f *Factory, runF func(*whoamiOptions) error) *cobra.Command {
	opts := &whoamiOptions{}
	cmd := &cobra.Command{
		Use:   "whoami",
		Short: "Show the current user from the cached tokens (GetUser, or /oauth2/userInfo for login)",
		Long: `Show who the cached tokens of the current user (--username or the profile's)
and client belong to: username, sub, attributes, groups, token expiry, profile
and flow. It asks Cognito with the access token: GetUser, or the hosted UI's
/oauth2/userInfo for tokens from 'cogtool token login'. An expired access token
is refreshed first. It never signs in: run a token command first.`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.IO, opts.Output, opts.Now, opts.Profile = f.IO, f.Output, f.now, f.Settings.Profile
			opts.Tokens = currentUserTokens(f)
			opts.GetUser = func(ctx context.Context, access string) (*users.Me, error) {
				c, err := f.cognitoClient()
				if err != nil {
					return nil, err
				}
				defer f.IO.StartSpinner("asking Cognito")()
				return users.GetUser(ctx, c, access)
			}
			opts.UserInfo = func(ctx context.Context, access string) (map[string]string, error) {
				if err := f.Settings.Need("domain"); err != nil {
					return nil, err
				}
				defer f.IO.StartSpinner("asking the hosted UI")()
				return userInfo(ctx, f.RetryingHTTPClient(), f.Settings.Domain+"/oauth2/userInfo", access)
			}
			if runF != nil {
				return runF(opts)
			}
			return whoamiRun(cmd.Context(), opts)
		},
	}
	addStringSetting(cmd.Flags(), "username")
	addStringSetting(cmd.Flags(), "domain")
	return cmd
}

func whoamiRun(ctx context.Context, opts *whoamiOptions) error {
	e, err := opts.Tokens(ctx)
	if err != nil {
		return err
	}
	w := whoami{Profile: opts.Profile, Flow: e.Flow, ClientID: e.ClientID, ExpiresAt: e.ExpiresAt, Groups: []string{}}
	var claims struct {
		Groups []string `json:"cognito:groups"`
		Sub    string   `json:"sub"`
	}
	decode.Peek(e.AccessToken, &claims)
	if claims.Groups != nil {
		w.Groups = claims.Groups
	}
	if e.Flow == "login" {
		info, err := opts.UserInfo(ctx, e.AccessToken)
		if err != nil {
			return err
		}
		w.Source = "userInfo"
		w.Username = firstNonEmpty(info["username"], e.Username)
		delete(info, "username")
		w.Attributes = info
	} else {
		me, err := opts.GetUser(ctx, e.AccessToken)
		if err != nil {
			return err
		}
		w.Source = "GetUser"
		w.Username, w.Attributes = me.Username, me.Attributes
	}
	w.Sub = firstNonEmpty(w.Attributes["sub"], claims.Sub)
	if opts.Output == "json" {
		return writeJSON(opts.IO.Out, w)
	}
	out := opts.IO.Out
	row := func(k, v string) { fmt.Fprintf(out, "%-12s %s\n", k+":", decode.Sanitize(v)) }
	row("username", w.Username)
	row("sub", w.Sub)
	row("groups", dash(strings.Join(w.Groups, ", ")))
	row("profile", w.Profile)
	row("flow", w.Flow)
	row("client", w.ClientID)
	row("expires", w.ExpiresAt.Local().Format(time.RFC3339)+" ("+decode.Relative(w.ExpiresAt.Sub(opts.Now()))+")")
	names := make([]string, 0, len(w.Attributes))
	width := 0
	for n := range w.Attributes {
		names = append(names, n)
		width = max(width, len(n))
	}
	sort.Strings(names)
	if len(names) > 0 {
		fmt.Fprintln(out, "attributes:")
		for _, n := range names {
			fmt.Fprintf(out, "  %-*s  %s\n", width, decode.Sanitize(n), decode.Sanitize(w.Attributes[n]))
		}
	}
	return nil
}

// userInfo asks the hosted UI's OpenID userInfo endpoint about the owner of
// an access token.
func userInfo(ctx context.Context, hc *http.Client, u, access string) (map[string]string, error) {
	if _, err := httpx.CheckURL("userInfo URL", u); err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, exit.Usagef("userInfo URL: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+access)
	resp, err := hc.Do(req)
	if err != nil {
		return nil, exit.Networkf("userInfo: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	switch {
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		return nil, exit.Authf("userInfo: the access token was refused (HTTP %d)", resp.StatusCode)
	case resp.StatusCode != http.StatusOK:
		return nil, exit.Networkf("userInfo: %s answered HTTP %d", u, resp.StatusCode)
	}
	var raw map[string]any
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, exit.Networkf("userInfo: malformed reply: %v", err)
	}
	out := make(map[string]string, len(raw))
	for k, v := range raw {
		if s, ok := v.(string); ok {
			out[k] = s
		} else {
			b, _ := json.Marshal(v)
			out[k] = string(b)
		}
	}
	return out, nil
}
