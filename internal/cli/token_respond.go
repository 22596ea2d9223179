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

// selectorsGiven are the selector flags given to cmd, as "--name value".
func selectorsGiven(cmd *cobra.Command) []string {
	var given []string
	for _, name := range selectorFlags {
		if fl := cmd.Flag(name); fl != nil && fl.Changed {
			given = append(given, "--"+name+" "+argQuote(fl.Value.String()))
		}
	}
	return given
}

// respondHint adds to an exit-7 *flows.PendingError (saved by the token
// source) the command that continues it; other errors pass through.
func respondHint(err error, d *tokenDeps) error {
	var pe *flows.PendingError
	if !errors.As(err, &pe) {
		return err
	}
	if strings.Contains(err.Error(), "could not be saved") {
		return err
	}
	parts := append(append([]string{"cogtool token respond"}, pe.Flags...), d.Selectors...)
	left := pe.Pending.ExpiresAt.Sub(d.Now()).Round(time.Second)
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

type tokenRespondOptions struct {
	tokenDeps
	Tokens tokenFlags
	Answer *answerer
}

func newTokenRespondCmd(f *Factory, runF func(*tokenRespondOptions) error) *cobra.Command {
	opts := &tokenRespondOptions{Answer: newAnswerer(f)}
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
			if err := opts.Tokens.check(cmd); err != nil {
				return err
			}
			if err := opts.Answer.check(); err != nil {
				return err
			}
			opts.tokenDeps = f.tokenDeps(cmd)
			if runF != nil {
				return runF(opts)
			}
			return tokenRespondRun(cmd.Context(), opts)
		},
	}
	opts.Tokens.register(cmd.Flags(), false)
	addStringSetting(cmd.Flags(), "username")
	opts.Answer.register(cmd.Flags())
	return cmd
}

func tokenRespondRun(ctx context.Context, opts *tokenRespondOptions) error {
	s := opts.Sources.Settings
	if err := s.Need("username"); err != nil {
		return err
	}
	src, err := opts.Sources.base(&opts.Tokens)
	if err != nil {
		return err
	}
	src.Inputs.Answer = opts.Answer
	r, err := src.Respond(ctx)
	if errors.Is(err, tokens.ErrNoPending) {
		return exit.Usagef("no pending challenge for %s on client %s: a sign-in that stops at a challenge without a terminal saves one (same --profile, --user-pool-id, --client-id and --username)", s.Username, s.ClientID)
	}
	if err != nil {
		return respondHint(err, &opts.tokenDeps)
	}
	return printTokens(opts.IO, opts.Output, r.Entry, opts.Tokens.Which, tokens.Fetched, opts.Now())
}
