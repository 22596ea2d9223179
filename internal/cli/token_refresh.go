package cli

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/cache"
	"github.com/cogtool/cogtool/internal/exit"
)

// userFlows are the flows whose cached tokens carry a refresh token.
var userFlows = []string{"password", "srp", "login"}

// cachedUserEntry finds the cached tokens of the current user and client.
func (f *Factory) cachedUserEntry() (cache.Key, *cache.Entry, error) {
	c, err := f.Cache()
	if err != nil {
		return cache.Key{}, nil, err
	}
	for _, flow := range userFlows {
		scopes := []string(nil)
		if flow == "login" {
			scopes = f.Settings.Scopes
			if len(scopes) == 0 {
				scopes = []string{"openid", "email", "profile"}
			}
		}
		key := f.cacheKey(flow, scopes)
		if e, err := c.Get(key); err == nil && e != nil && e.RefreshToken != "" {
			return key, e, nil
		}
	}
	return cache.Key{}, nil, nil
}

// readRefreshToken reads --refresh-token-file (- for stdin).
func (f *Factory) readRefreshToken(path string) (string, error) {
	if path == "-" {
		return readLine(f.IO.In, "refresh token")
	}
	b, err := readFileCapped(path, "--refresh-token-file")
	if err != nil {
		return "", err
	}
	tok := strings.TrimSpace(string(b))
	if tok == "" {
		return "", exit.Usagef("read --refresh-token-file: %s is empty", path)
	}
	if err := checkText("--refresh-token-file", tok); err != nil {
		return "", err
	}
	return tok, nil
}

func newTokenRefreshCmd(f *Factory) *cobra.Command {
	var tf tokenFlags
	var file string
	cmd := &cobra.Command{
		Use:   "refresh [flags]",
		Short: "Get new access and ID tokens with REFRESH_TOKEN_AUTH",
		Long: `Get new access and ID tokens with InitiateAuth REFRESH_TOKEN_AUTH, from the refresh
token cached for --username and --client-id by 'token password', 'token srp' or
'token login', or from --refresh-token-file. The cache is updated.`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := tf.check(cmd); err != nil {
				return err
			}
			secret, err := f.appClient()
			if err != nil {
				return err
			}
			return f.runRefresh(cmd.Context(), file, secret, &tf)
		},
	}
	tf.register(cmd.Flags(), false)
	addStringSetting(cmd.Flags(), "username")
	cmd.Flags().StringVar(&file, "refresh-token-file", "", "read the refresh token from `file` (- for stdin) instead of the cache")
	return cmd
}

func (f *Factory) runRefresh(ctx context.Context, file, secret string, tf *tokenFlags) error {
	var (
		key   cache.Key
		old   *cache.Entry
		found bool
	)
	if file != "" {
		tok, err := f.readRefreshToken(file)
		if err != nil {
			return err
		}
		f.AddSecret(tok)
		old = &cache.Entry{RefreshToken: tok, Username: f.Settings.Username, Flow: "password"}
	} else {
		k, e, err := f.cachedUserEntry()
		if err != nil {
			return err
		}
		if e == nil {
			return exit.Usagef("no cached refresh token for this user and client: sign in with 'cogtool token password' (or srp, login), or give --refresh-token-file")
		}
		key, old, found = k, e, true
		f.AddSecret(e.RefreshToken)
	}
	e, err := f.refreshEntry(ctx, old, secret)
	if err != nil {
		return err
	}
	f.AddSecret(e.AccessToken)
	f.AddSecret(e.IDToken)
	if found && !tf.NoCache {
		if c, err := f.Cache(); err != nil {
			f.warn("warning: could not write the token cache: " + err.Error())
		} else if err := c.Put(key, e); err != nil {
			f.warn("warning: could not write the token cache: " + err.Error())
		}
	}
	return f.printTokens(e, tf.Which, false)
}
