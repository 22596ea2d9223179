package cli

import (
	"context"
	"errors"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/tokens"
)

type tokenRefreshOptions struct {
	tokenDeps
	Tokens tokenFlags
	File   string // --refresh-token-file: "" for the cached one, - for stdin
}

func newTokenRefreshCmd(f *Factory, runF func(*tokenRefreshOptions) error) *cobra.Command {
	opts := &tokenRefreshOptions{}
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
			if err := opts.Tokens.check(cmd); err != nil {
				return err
			}
			opts.tokenDeps = f.tokenDeps(cmd)
			if runF != nil {
				return runF(opts)
			}
			return tokenRefreshRun(cmd.Context(), opts)
		},
	}
	opts.Tokens.register(cmd.Flags(), false)
	addStringSetting(cmd.Flags(), "username")
	cmd.Flags().StringVar(&opts.File, "refresh-token-file", "", "read the refresh token from `file` (- for stdin) instead of the cache")
	return cmd
}

func tokenRefreshRun(ctx context.Context, opts *tokenRefreshOptions) error {
	src, tok, err := opts.Sources.refreshTarget(&opts.Tokens, opts.File)
	if err != nil {
		return err
	}
	r, err := src.Refresh(ctx, tok)
	if errors.Is(err, tokens.ErrNoRefreshToken) {
		return exit.Usagef("no cached refresh token for this user and client: sign in with 'cogtool token password' (or srp, login), or give --refresh-token-file")
	}
	if err != nil {
		return err
	}
	opts.status("refreshed (" + r.Via + ")")
	return printTokens(opts.IO, opts.Output, r.Entry, opts.Tokens.Which, r.Source, opts.Now())
}

// refreshTarget is what refresh and revoke act on: the token source of
// the settings' app client and user, and the refresh token in file ("":
// none, the source's cached one).
func (ts *tokenSources) refreshTarget(tf *tokenFlags, file string) (*tokens.Source, string, error) {
	src, err := ts.base(tf)
	if err != nil || file == "" {
		return src, "", err
	}
	tok, err := ts.ReadRefreshToken(file)
	if err != nil {
		return nil, "", err
	}
	return src, tok, nil
}
