package cli

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/cache"
	"github.com/cogtool/cogtool/internal/decode"
	"github.com/cogtool/cogtool/internal/iostreams"
)

// cachedToken describes one cache entry without any token text.
type cachedToken struct {
	ID          string    `json:"id"` // the entry's file name; a prefix selects it in token clear
	Pool        string    `json:"pool,omitempty"`
	ClientID    string    `json:"client_id,omitempty"`
	Flow        string    `json:"flow,omitempty"`
	Username    string    `json:"username,omitempty"`
	Scopes      []string  `json:"scopes"`
	ExpiresAt   time.Time `json:"expires_at"`
	Expired     bool      `json:"expired"`
	Refreshable bool      `json:"refreshable"`
	Current     bool      `json:"current_profile"`
}

// describeEntry reads what an entry says about itself and its tokens'
// unverified claims (pool from iss, user, scopes), never the tokens.
func describeEntry(l cache.Listed, now time.Time, clientID, pool string) cachedToken {
	e := l.Entry
	var claims struct {
		Iss      string `json:"iss"`
		Username string `json:"username"`
		CogUser  string `json:"cognito:username"`
		Scope    string `json:"scope"`
		ClientID string `json:"client_id"`
		Aud      string `json:"aud"`
	}
	for _, tok := range []string{e.AccessToken, e.IDToken} {
		if decode.Peek(tok, &claims) {
			break
		}
	}
	c := cachedToken{ID: l.Name, ClientID: firstNonEmpty(e.ClientID, claims.ClientID, claims.Aud), Flow: e.Flow,
		Username: firstNonEmpty(claims.Username, claims.CogUser, e.Username), Scopes: e.Scopes,
		ExpiresAt: e.ExpiresAt, Expired: e.TTL(now) <= 0, Refreshable: e.RefreshToken != ""}
	if i := strings.LastIndexByte(claims.Iss, '/'); i >= 0 {
		c.Pool = claims.Iss[i+1:]
	}
	if len(c.Scopes) == 0 && claims.Scope != "" {
		c.Scopes = strings.Fields(claims.Scope)
	}
	if c.Scopes == nil {
		c.Scopes = []string{}
	}
	c.Current = clientID != "" && c.ClientID == clientID && (pool == "" || c.Pool == "" || c.Pool == pool)
	return c
}

// cachedTokens opens the cache and describes its entries.
func cachedTokens(open func() (*cache.Cache, error), now time.Time, clientID, pool string) (*cache.Cache, []cachedToken, error) {
	c, err := open()
	if err != nil {
		return nil, nil, err
	}
	list, err := c.List()
	if err != nil {
		return nil, nil, err
	}
	out := make([]cachedToken, 0, len(list))
	for _, l := range list {
		out = append(out, describeEntry(l, now, clientID, pool))
	}
	return c, out, nil
}

type tokenListOptions struct {
	IO       *iostreams.IOStreams
	Output   string
	Now      func() time.Time
	Cache    func() (*cache.Cache, error)
	ClientID string // the current profile's, to mark its entries
	PoolID   string
}

func newTokenListCmd(f *Factory, runF func(*tokenListOptions) error) *cobra.Command {
	opts := &tokenListOptions{}
	return &cobra.Command{
		Use:   "list",
		Short: "List the cached tokens (never the tokens themselves)",
		Long: `List the token cache: for each entry its id, pool, app client, flow, user,
scopes, expiry and whether it can be refreshed; entries of the current
profile's client are marked with *. No token text is ever printed. Remove
entries with 'cogtool token clear'.`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.IO, opts.Output, opts.Now, opts.Cache = f.IO, f.Output, f.now, f.Cache
			opts.ClientID, opts.PoolID = f.Settings.ClientID, f.Settings.UserPoolID
			if runF != nil {
				return runF(opts)
			}
			return tokenListRun(cmd.Context(), opts)
		},
	}
}

func tokenListRun(_ context.Context, opts *tokenListOptions) error {
	now := opts.Now()
	_, out, err := cachedTokens(opts.Cache, now, opts.ClientID, opts.PoolID)
	if err != nil {
		return err
	}
	if opts.Output == "json" {
		return writeJSON(opts.IO.Out, out)
	}
	if len(out) == 0 {
		fmt.Fprintln(opts.IO.Out, "no cached tokens")
		return nil
	}
	w := tabwriter.NewWriter(opts.IO.Out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tPOOL\tCLIENT\tFLOW\tUSER\tSCOPES\tEXPIRES\tREFRESHABLE")
	for _, t := range out {
		id := t.ID[:12]
		if t.Current {
			id += "*"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", id, dash(t.Pool), dash(t.ClientID), dash(t.Flow),
			dash(decode.Sanitize(t.Username)), dash(strings.Join(t.Scopes, " ")),
			t.ExpiresAt.Local().Format(time.RFC3339)+" ("+decode.Relative(t.ExpiresAt.Sub(now))+")", yesNo(t.Refreshable))
	}
	return w.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
