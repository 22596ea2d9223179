package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/flows"
	"github.com/cogtool/cogtool/internal/tokens"
)

// selectorFlags are the flags that pick the pool, client and user; the
// ones given to the command that stopped are repeated in the command that
// continues it.
var selectorFlags = []string{"profile", "config", "region", "endpoint-url", "user-pool-id", "client-id", "client-secret-file", "username"}

// respondHint adds to an exit-7 *flows.PendingError (saved by the token
// source) the command that continues it; other errors pass through.
func (f *Factory) respondHint(err error, cmd *cobra.Command) error {
	var pe *flows.PendingError
	if !errors.As(err, &pe) {
		return err
	}
	f.received(pe.Pending.Session)
	if strings.Contains(err.Error(), "could not be saved") {
		return err
	}
	parts := append([]string{"cogtool token respond"}, pe.Flags...)
	if cmd != nil {
		for _, name := range selectorFlags {
			if fl := cmd.Flag(name); fl != nil && fl.Changed {
				parts = append(parts, "--"+name+" "+argQuote(fl.Value.String()))
			}
		}
	}
	left := pe.Pending.ExpiresAt.Sub(f.now()).Round(time.Second)
	return &exit.Error{Code: exit.Challenge, Err: fmt.Errorf("%w; or, within %s, continue with: %s", pe, left, strings.Join(parts, " "))}
}

// argQuote quotes s for a shell only when it needs it, so the printed
// command stays readable.
func argQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:/@+=,") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func newTokenRespondCmd(f *Factory) *cobra.Command {
	var tf tokenFlags
	ans := &answerer{f: f}
	cmd := &cobra.Command{
		Use:   "respond [flags]",
		Short: "Answer the challenge a previous sign-in stopped at",
		Long: `Answer the challenge that 'token password', 'token srp' or 'token otp' stopped at
without a terminal (exit 7), with the Session Cognito gave it, so that a code Cognito
already sent is still the one that counts. Give the same --profile, --user-pool-id,
--client-id and --username as the command that stopped (the exit-7 message prints
the whole command) and the answer: --code, --new-password-file, --attribute,
--mfa-type, --totp-secret-out or --answer. Further challenges are answered the same
way (exit 7 again if one needs input that was not given); the tokens are cached as
the original command would have cached them.

A saved challenge lasts as long as its Session: 3 minutes by default. No saved
challenge, or an expired one, is exit 2.`,
		Example: `  cogtool token otp --channel email --username alice || cogtool token respond --username alice --code 123456
  cogtool token respond --username newbie --new-password-file pw.txt --attribute given_name=Ada`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := tf.check(cmd); err != nil {
				return err
			}
			if err := ans.check(); err != nil {
				return err
			}
			return f.runRespond(cmd.Context(), cmd, ans, &tf)
		},
	}
	tf.register(cmd.Flags(), false)
	addStringSetting(cmd.Flags(), "username")
	ans.register(cmd.Flags())
	return cmd
}

func (f *Factory) runRespond(ctx context.Context, cmd *cobra.Command, ans *answerer, tf *tokenFlags) error {
	s := f.Settings
	if err := s.Need("username"); err != nil {
		return err
	}
	src, err := f.newTokenSource(tf)
	if err != nil {
		return err
	}
	src.Inputs.Answer = ans
	r, err := src.Respond(ctx)
	if errors.Is(err, tokens.ErrNoPending) {
		return exit.Usagef("no pending challenge for %s on client %s: a sign-in that stops at a challenge without a terminal saves one (same --profile, --user-pool-id, --client-id and --username)", s.Username, s.ClientID)
	}
	if err != nil {
		return f.respondHint(err, cmd)
	}
	f.registerTokens(r)
	return f.printTokens(r.Entry, tf.Which, tokens.Fetched)
}
