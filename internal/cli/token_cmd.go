package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/cogtool/cogtool/internal/cache"
	"github.com/cogtool/cogtool/internal/config"
	"github.com/cogtool/cogtool/internal/decode"
	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/iostreams"
	"github.com/cogtool/cogtool/internal/redact"
	"github.com/cogtool/cogtool/internal/tokens"
)

func newTokenCmd(f *Factory) *cobra.Command {
	return newGroupCmd("token <command>", "Get, refresh and revoke tokens",
		newTokenClientCredentialsCmd(f, nil),
		newTokenPasswordCmd(f, nil),
		newTokenSRPCmd(f, nil),
		newTokenOTPCmd(f, nil),
		newTokenRespondCmd(f, nil),
		newTokenRefreshCmd(f, nil),
		newTokenLoginCmd(f, nil),
		newTokenRevokeCmd(f, nil),
		newTokenListCmd(f, nil),
		newTokenClearCmd(f, nil),
	)
}

// tokenFlags are the flags every token-getting command shares.
type tokenFlags struct {
	Which   string
	NoCache bool
	MinTTL  time.Duration
	Scopes  []string
}

func (t *tokenFlags) register(fs *pflag.FlagSet, scopes bool) {
	fs.StringVar(&t.Which, "which", "access", "token printed by -o token: `access`, id or refresh")
	fs.BoolVar(&t.NoCache, "no-cache", false, "neither read nor write the token cache")
	addDuration(fs, &t.MinTTL, "min-ttl", 60*time.Second, "reuse a cached token only while it has this much time left")
	if scopes {
		fs.StringArrayVar(&t.Scopes, "scope", nil, "OAuth scopes to request, separated by white space (repeatable; default: $COGTOOL_SCOPE or the profile's scopes)")
	}
}

func (t *tokenFlags) check(cmd *cobra.Command) error {
	switch t.Which {
	case "access", "id", "refresh":
	default:
		return usagef(cmd, "--which must be access, id or refresh, not %q", t.Which)
	}
	if t.MinTTL < 0 {
		return usagef(cmd, "--min-ttl must not be negative")
	}
	scopes, err := config.SplitScopes("--scope", t.Scopes...)
	if err != nil {
		return err
	}
	t.Scopes = scopes
	return nil
}

// scopesOr returns the --scope values, or the profile's scopes.
func (t *tokenFlags) scopesOr(s *Settings) []string {
	if len(t.Scopes) > 0 {
		return t.Scopes
	}
	return s.Scopes
}

// tokenDeps are the dependencies every token command holds beside its
// flags, so that its run function needs no factory.
type tokenDeps struct {
	IO      *iostreams.IOStreams
	Output  string // text, json, token or env
	Now     func() time.Time
	Sources *tokenSources
	// Selectors are the selector flags given to the command ("--username
	// alice"), repeated in the 'token respond' command that an exit-7
	// message prints.
	Selectors []string
}

// tokenDeps fills tokenDeps for cmd from the resolved settings.
func (f *Factory) tokenDeps(cmd *cobra.Command) tokenDeps {
	return tokenDeps{IO: f.IO, Output: f.Output, Now: f.now, Sources: f.tokenSources(), Selectors: selectorsGiven(cmd)}
}

// tokenGetOptions are the options of the commands that run a flow:
// client-credentials, password, srp, otp and login.
type tokenGetOptions struct {
	tokenDeps
	Tokens tokenFlags
	Flow   flowInput
}

// runToken fills the dependencies of a flow command and runs it: runF
// when a test gave one, tokenGetRun otherwise.
func runToken(cmd *cobra.Command, f *Factory, opts *tokenGetOptions, runF func(*tokenGetOptions) error) error {
	opts.tokenDeps = f.tokenDeps(cmd)
	if runF != nil {
		return runF(opts)
	}
	return tokenGetRun(cmd.Context(), opts)
}

// tokenGetRun runs the flow through the cache and prints the result.
func tokenGetRun(ctx context.Context, opts *tokenGetOptions) error {
	r, err := opts.Sources.get(ctx, opts.Flow, &opts.Tokens)
	if err != nil {
		return respondHint(err, &opts.tokenDeps)
	}
	switch {
	case r.Source == tokens.Refreshed:
		opts.status("refreshed the cached tokens (" + r.Via + ")")
	case r.RefreshRefused != nil:
		// A refused refresh token made the flow run again.
		opts.status(fmt.Sprintf("the cached refresh token was refused (%s); signing in again (%s)",
			strings.Join(strings.Fields(r.RefreshRefused.Error()), " "), r.Entry.Flow))
	}
	return printTokens(opts.IO, opts.Output, r.Entry, opts.Tokens.Which, r.Source, opts.Now())
}

// status prints a progress line on stderr for people (-o text only).
func (d *tokenDeps) status(msg string) {
	if d.Output == "text" {
		d.IO.StopSpinner()
		fmt.Fprintln(d.IO.ErrOut, msg)
	}
}

// printTokens renders a token result in the output format; source is
// where the tokens came from (tokens.FromCache, Fetched or Refreshed), so
// that a CI job can tell a cached token from one just obtained.
func printTokens(ios *iostreams.IOStreams, output string, e *cache.Entry, which string, source string, now time.Time) error {
	switch output {
	case "token":
		tok := pickToken(e, which)
		if tok == "" {
			return exit.Usagef("no %s token in this result (the flow did not return one)", which)
		}
		fmt.Fprintln(ios.Out, tok)
	case "json":
		out := struct {
			AccessToken  string `json:"access_token"`
			IDToken      string `json:"id_token,omitempty"`
			RefreshToken string `json:"refresh_token,omitempty"`
			ExpiresIn    int64  `json:"expires_in"`
			TokenType    string `json:"token_type"`
			ExpiresAt    string `json:"expires_at"`
			Source       string `json:"source,omitempty"`
		}{e.AccessToken, e.IDToken, e.RefreshToken, int64(e.ExpiresAt.Sub(now).Seconds()), e.TokenType,
			e.ExpiresAt.UTC().Format(time.RFC3339), source}
		b, _ := json.MarshalIndent(out, "", "  ")
		fmt.Fprintln(ios.Out, string(b))
	case "env":
		printExports(ios.Out, tokenEnv(e))
	default:
		printTokenSummary(ios, e, source, now)
	}
	return nil
}

// tokenEnv is the environment that hands tokens to other programs
// (-o env, exec): the tokens the flow returned, no empty ones.
func tokenEnv(e *cache.Entry) [][2]string {
	var env [][2]string
	for _, kv := range [][2]string{
		{"COGTOOL_ACCESS_TOKEN", e.AccessToken},
		{"COGTOOL_ID_TOKEN", e.IDToken},
		{"COGTOOL_REFRESH_TOKEN", e.RefreshToken},
	} {
		if kv[1] != "" {
			env = append(env, kv)
		}
	}
	return env
}

func pickToken(e *cache.Entry, which string) string {
	switch which {
	case "id":
		return e.IDToken
	case "refresh":
		return e.RefreshToken
	}
	return e.AccessToken
}

// printTokenSummary is -o text: who, which client, scopes, expiry; tokens
// are shown redacted (ask for one with -o token).
func printTokenSummary(ios *iostreams.IOStreams, e *cache.Entry, source string, now time.Time) {
	var c summaryClaims
	decode.Peek(e.AccessToken, &c)
	w := ios.Out
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(w, "%-14s %s\n", k+":", v)
		}
	}
	row("flow", e.Flow)
	row("subject", c.subject())
	row("client", firstNonEmpty(c.ClientID, e.ClientID))
	row("scopes", c.Scope)
	exp := e.ExpiresAt.Local().Format(time.RFC3339) + " (" + decode.Relative(e.ExpiresAt.Sub(now)) + ")"
	row("expires", exp)
	// The same word as the JSON's "source": cache, fetched or refreshed.
	if source == "" {
		source = tokens.Fetched
	}
	row("source", source)
	// Only the tokens the flow returned: client credentials has no ID or
	// refresh token.
	for _, t := range []struct{ name, tok string }{
		{"access token", e.AccessToken}, {"id token", e.IDToken}, {"refresh token", e.RefreshToken}} {
		if t.tok != "" {
			row(t.name, redact.Token(t.tok))
		}
	}
	fmt.Fprintln(ios.ErrOut, "print a token with -o token [--which access|id|refresh]")
}

func firstNonEmpty(v ...string) string {
	for _, s := range v {
		if s != "" {
			return s
		}
	}
	return ""
}
