package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/tokens"
)

func newTokenRevokeCmd(f *Factory) *cobra.Command {
	var file string
	cmd := &cobra.Command{
		Use:   "revoke [flags]",
		Short: "Revoke a refresh token (RevokeToken) and drop it from the cache",
		Long: `Revoke the refresh token cached for --username and --client-id (or the one in
--refresh-token-file) with RevokeToken. Cognito then refuses it and the access and
ID tokens issued from it. The cached tokens are deleted.`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			src, err := f.newTokenSource(&tokenFlags{})
			if err != nil {
				return err
			}
			tok := ""
			if file != "" {
				if tok, err = f.readRefreshToken(file); err != nil {
					return err
				}
			}
			err = src.Revoke(cmd.Context(), tok)
			if errors.Is(err, tokens.ErrNoRefreshToken) {
				return exit.Usagef("no cached refresh token for this user and client; give --refresh-token-file")
			}
			if err != nil {
				return err
			}
			fmt.Fprintln(f.IO.ErrOut, "refresh token revoked")
			return nil
		},
	}
	addStringSetting(cmd.Flags(), "username")
	cmd.Flags().StringVar(&file, "refresh-token-file", "", "revoke the refresh token in `file` (- for stdin) instead of the cached one")
	return cmd
}
