package cli

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/cache"
	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/iostreams"
)

type tokenClearOptions struct {
	IO     *iostreams.IOStreams
	Output string
	Now    func() time.Time
	Cache  func() (*cache.Cache, error)

	All     bool
	IDs     []string // id prefixes from token list
	Flow    string
	User    string
	Client  string
	Pool    string
	Expired bool
}

func newTokenClearCmd(f *Factory, runF func(*tokenClearOptions) error) *cobra.Command {
	opts := &tokenClearOptions{}
	cmd := &cobra.Command{
		Use:   "clear {--all | <id>... | [--flow <flow>] [--user <name>] [--client <id>] [--pool <id>] [--expired]}",
		Short: "Remove cached tokens: all, by id, or a selection",
		Long: `Remove entries from the token cache: every one with --all, the ones named by
an id (or a prefix of one) from 'cogtool token list', or those matching every
selection flag given (--flow, --user, --client, --pool, --expired). Nothing is
revoked on the server: use 'cogtool token revoke' or 'cogtool user sign-out'
for that.`,
		Example: `  cogtool token clear --all
  cogtool token clear --user alice --flow password
  cogtool token clear 3f9a0c`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.IDs = args
			selection := opts.Flow != "" || opts.User != "" || opts.Client != "" || opts.Pool != "" || opts.Expired
			switch {
			case opts.All && (len(args) > 0 || selection):
				return usagef(cmd, "--all takes no ids or selection")
			case !opts.All && len(args) == 0 && !selection:
				return usagef(cmd, "say what to remove: --all, an id from 'cogtool token list', or a selection (--flow, --user, --client, --pool, --expired)")
			}
			for _, id := range args {
				if len(id) < 4 || strings.Trim(id, "0123456789abcdef") != "" {
					return usagef(cmd, "id %q: want at least 4 hex digits of an id from 'cogtool token list'", id)
				}
			}
			opts.IO, opts.Output, opts.Now, opts.Cache = f.IO, f.Output, f.now, f.Cache
			if runF != nil {
				return runF(opts)
			}
			return tokenClearRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.All, "all", false, "remove every cached token")
	cmd.Flags().StringVar(&opts.Flow, "flow", "", "only entries of this `flow`")
	cmd.Flags().StringVar(&opts.User, "user", "", "only entries of this user `name`")
	cmd.Flags().StringVar(&opts.Client, "client", "", "only entries of this app client `id`")
	cmd.Flags().StringVar(&opts.Pool, "pool", "", "only entries of this user pool `id`")
	cmd.Flags().BoolVar(&opts.Expired, "expired", false, "only entries whose access token has expired")
	return cmd
}

func tokenClearRun(_ context.Context, opts *tokenClearOptions) error {
	c, list, err := cachedTokens(opts.Cache, opts.Now(), "", "")
	if err != nil {
		return err
	}
	removed := []string{}
	matchedID := make([]bool, len(opts.IDs))
	for _, t := range list {
		if !opts.selects(t, matchedID) {
			continue
		}
		if err := c.Remove(t.ID); err != nil {
			return err
		}
		removed = append(removed, t.ID)
	}
	for i, ok := range matchedID {
		if !ok {
			return exit.Usagef("no cached token with id %s (see 'cogtool token list')", opts.IDs[i])
		}
	}
	if opts.Output == "json" {
		return writeJSON(opts.IO.Out, map[string]any{"removed": removed})
	}
	fmt.Fprintf(opts.IO.ErrOut, "removed %d cached %s\n", len(removed), map[bool]string{true: "token set", false: "token sets"}[len(removed) == 1])
	return nil
}

func (o *tokenClearOptions) selects(t cachedToken, matchedID []bool) bool {
	if o.All {
		return true
	}
	if len(o.IDs) > 0 {
		hit := false
		for i, id := range o.IDs {
			if strings.HasPrefix(t.ID, id) {
				matchedID[i], hit = true, true
			}
		}
		return hit
	}
	return (o.Flow == "" || t.Flow == o.Flow) && (o.User == "" || t.Username == o.User) &&
		(o.Client == "" || t.ClientID == o.Client) && (o.Pool == "" || t.Pool == o.Pool) && (!o.Expired || t.Expired)
}
