package cli

import (
	"context"
	"errors"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/tokens"
)

func newTokenRefreshCmd(f *Factory) *cobra.Command {
	var tf tokenFlags
	var file string
	cmd := &cobra.Command{
		Use:   "refresh [flags]",
		Short: "Get new tokens with the refresh token (GetTokensFromRefreshToken)",
		Long: `Get new access and ID tokens from the refresh token cached for --username and
--client-id by 'token password', 'token srp', 'token otp' or 'token login', or from
--refresh-token-file. GetTokensFromRefreshToken goes first (ClientId, ClientSecret,
and the DeviceKey of a remembered device); it needs no username and works on app
clients with refresh-token rotation, whose new refresh token replaces the cached one.
An endpoint that does not know that operation (older emulators) gets InitiateAuth
REFRESH_TOKEN_AUTH, whose SECRET_HASH uses the internal username: the cached tokens'
username claim, or, with a bare --refresh-token-file, --username, which must then be
the internal name (a UUID in pools that sign in by email), not an alias.

A rotated refresh token that was already used is exit 4 (RefreshTokenReuseException).
The cache is updated.`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := tf.check(cmd); err != nil {
				return err
			}
			return f.runRefresh(cmd.Context(), file, &tf)
		},
	}
	tf.register(cmd.Flags(), false)
	addStringSetting(cmd.Flags(), "username")
	cmd.Flags().StringVar(&file, "refresh-token-file", "", "read the refresh token from `file` (- for stdin) instead of the cache")
	return cmd
}

func (f *Factory) runRefresh(ctx context.Context, file string, tf *tokenFlags) error {
	src, err := f.newTokenSource(tf)
	if err != nil {
		return err
	}
	tok := ""
	if file != "" {
		if tok, err = f.readRefreshToken(file); err != nil {
			return err
		}
	}
	r, err := src.Refresh(ctx, tok)
	if errors.Is(err, tokens.ErrNoRefreshToken) {
		return exit.Usagef("no cached refresh token for this user and client: sign in with 'cogtool token password' (or srp, login), or give --refresh-token-file")
	}
	if err != nil {
		return err
	}
	f.registerTokens(r)
	f.status("refreshed (" + r.Via + ")")
	return f.printTokens(r.Entry, tf.Which, r.Source)
}
