package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/flows"
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
			s := f.Settings
			secret, err := f.appClient()
			if err != nil {
				return err
			}
			key, e, err := f.cachedUserEntry()
			if err != nil {
				return err
			}
			tok := ""
			if e != nil {
				tok = e.RefreshToken
			}
			if file != "" {
				if tok, err = f.readRefreshToken(file); err != nil {
					return err
				}
			}
			if tok == "" {
				return exit.Usagef("no cached refresh token for this user and client; give --refresh-token-file")
			}
			f.AddSecret(tok)
			idp, err := f.cognitoClient()
			if err != nil {
				return err
			}
			if err := flows.NewClient(idp).Revoke(cmd.Context(), s.ClientID, secret, tok); err != nil {
				return err
			}
			if e != nil && e.RefreshToken == tok {
				if c, err := f.Cache(); err != nil {
					f.warn("warning: could not delete the cached tokens: " + err.Error())
				} else if err := c.Delete(key); err != nil {
					f.warn("warning: could not delete the cached tokens: " + err.Error())
				}
			}
			fmt.Fprintln(f.IO.ErrOut, "refresh token revoked")
			return nil
		},
	}
	addStringSetting(cmd.Flags(), "username")
	cmd.Flags().StringVar(&file, "refresh-token-file", "", "revoke the refresh token in `file` (- for stdin) instead of the cached one")
	return cmd
}
