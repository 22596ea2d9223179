package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/iostreams"
	"github.com/cogtool/cogtool/internal/tokens"
)

type tokenRevokeOptions struct {
	IO      *iostreams.IOStreams
	Sources *tokenSources
	File    string // --refresh-token-file: "" for the cached one, - for stdin
}

func newTokenRevokeCmd(f *Factory, runF func(*tokenRevokeOptions) error) *cobra.Command {
	opts := &tokenRevokeOptions{}
	cmd := &cobra.Command{
		Use:   "revoke [flags]",
		Short: "Revoke a refresh token (RevokeToken) and drop it from the cache",
		Long: `Revoke the refresh token cached for --username and --client-id (or the one in
--refresh-token-file) with RevokeToken. Cognito then refuses it and the access and
ID tokens issued from it. The cached tokens are deleted.`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.IO, opts.Sources = f.IO, f.tokenSources()
			if runF != nil {
				return runF(opts)
			}
			return tokenRevokeRun(cmd.Context(), opts)
		},
	}
	addStringSetting(cmd.Flags(), "username")
	cmd.Flags().StringVar(&opts.File, "refresh-token-file", "", "revoke the refresh token in `file` (- for stdin) instead of the cached one")
	return cmd
}

func tokenRevokeRun(ctx context.Context, opts *tokenRevokeOptions) error {
	src, tok, err := opts.Sources.refreshTarget(&tokenFlags{}, opts.File)
	if err != nil {
		return err
	}
	err = src.Revoke(ctx, tok)
	if errors.Is(err, tokens.ErrNoRefreshToken) {
		return exit.Usagef("no cached refresh token for this user and client; give --refresh-token-file")
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(opts.IO.ErrOut, "refresh token revoked")
	return nil
}
