package cli

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/iostreams"
)

// TestTokenArgs: argv → options for the commands that run a flow, through
// their runF seam: what each flag fills, and the usage errors (exit 2)
// found before anything is read or sent.
func TestTokenArgs(t *testing.T) {
	type newCmd func(*Factory, func(*tokenGetOptions) error) *cobra.Command
	tests := []struct {
		name    string
		cmd     newCmd
		args    []string
		check   func(*tokenGetOptions) bool
		wantErr string
	}{
		{name: "client-credentials", cmd: newTokenClientCredentialsCmd,
			args: []string{"--auth-method", "post", "--scope", "api/read api/write", "--scope", "api/admin", "--which", "id", "--min-ttl", "5m", "--no-cache"},
			check: func(o *tokenGetOptions) bool {
				return o.Flow.Flow == "client-credentials" && o.Flow.AuthMethod == "post" && !o.Flow.Asked &&
					slices.Equal(o.Tokens.Scopes, []string{"api/read", "api/write", "api/admin"}) &&
					o.Tokens.Which == "id" && o.Tokens.MinTTL == 5*time.Minute && o.Tokens.NoCache
			}},
		{name: "client-credentials default", cmd: newTokenClientCredentialsCmd,
			check: func(o *tokenGetOptions) bool {
				return o.Flow.AuthMethod == "basic" && o.Tokens.Which == "access" && o.Tokens.MinTTL == time.Minute && !o.Tokens.NoCache
			}},
		{name: "client-credentials auth method", cmd: newTokenClientCredentialsCmd, args: []string{"--auth-method", "digest"},
			wantErr: `--auth-method must be basic or post, not "digest"`},
		{name: "password", cmd: newTokenPasswordCmd,
			args: []string{"--username", "alice", "--auth-flow", "user-auth", "--password-stdin", "--code", "123456", "--mfa-type", "totp"},
			check: func(o *tokenGetOptions) bool {
				return o.Flow.Flow == "password" && o.Flow.AuthFlow == "user-auth" && o.Flow.PasswordStdin && o.Flow.Asked &&
					o.Flow.Answer.code == "123456" && o.Flow.Answer.mfaType == "totp" &&
					slices.Equal(o.Selectors, []string{"--username alice"})
			}},
		{name: "password quoted selector", cmd: newTokenPasswordCmd, args: []string{"--username", "o'brien smith"},
			check: func(o *tokenGetOptions) bool {
				return slices.Equal(o.Selectors, []string{`--username 'o'\''brien smith'`})
			}},
		{name: "password auth flow", cmd: newTokenPasswordCmd, args: []string{"--auth-flow", "srp"},
			wantErr: `--auth-flow must be password, user-auth or custom, not "srp"`},
		{name: "srp custom", cmd: newTokenSRPCmd, args: []string{"--auth-flow", "custom", "--answer", "42"},
			check: func(o *tokenGetOptions) bool {
				return o.Flow.Flow == "srp" && o.Flow.AuthFlow == "custom" && o.Flow.Answer.answer == "42"
			}},
		{name: "srp attribute", cmd: newTokenSRPCmd, args: []string{"--attribute", "given name=Ada"},
			wantErr: `--attribute "given name=Ada": want NAME=VALUE`},
		{name: "password which", cmd: newTokenPasswordCmd, args: []string{"--which", "all"},
			wantErr: `--which must be access, id or refresh, not "all"`},
		{name: "otp", cmd: newTokenOTPCmd, args: []string{"--channel", "sms", "--code", "654321"},
			check: func(o *tokenGetOptions) bool {
				return o.Flow.Flow == "otp" && o.Flow.Channel == "sms" && o.Flow.Answer.code == "654321" && o.Flow.Asked
			}},
		{name: "otp no channel", cmd: newTokenOTPCmd, wantErr: "--channel is required: email or sms"},
		{name: "otp channel", cmd: newTokenOTPCmd, args: []string{"--channel", "fax"}, wantErr: `--channel must be email or sms, not "fax"`},
		{name: "otp code", cmd: newTokenOTPCmd, args: []string{"--channel", "email", "--code", "12ab"}, wantErr: "--code: a one-time code is digits"},
		{name: "login", cmd: newTokenLoginCmd, args: []string{"--port", "0", "--no-browser", "--redirect-uri", "http://localhost:8400/callback"},
			check: func(o *tokenGetOptions) bool {
				return o.Flow.Flow == "login" && o.Flow.Port == 0 && o.Flow.PortSet && o.Flow.NoBrowser && !o.Flow.Asked
			}},
		{name: "login default port", cmd: newTokenLoginCmd,
			check: func(o *tokenGetOptions) bool { return o.Flow.Port == 8976 && !o.Flow.PortSet }},
		{name: "login port", cmd: newTokenLoginCmd, args: []string{"--port", "70000"}, wantErr: "--port 70000 is not a port"},
		{name: "extra argument", cmd: newTokenPasswordCmd, args: []string{"alice"}, wantErr: "unknown command"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := runTokenArgs(t, tt.args, func(f *Factory, runF func(*tokenGetOptions) error) *cobra.Command {
				return tt.cmd(f, runF)
			})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || exitCode(t.Context(), err) != exit.Usage {
					t.Fatalf("err = %v, want %q (exit 2)", err, tt.wantErr)
				}
				return
			}
			if err != nil || !tt.check(got) {
				t.Fatalf("err %v, options %+v", err, got)
			}
		})
	}
}

// runTokenArgs runs the command that newCmd builds with args and returns
// the options its runF received.
func runTokenArgs[O any](t *testing.T, args []string, newCmd func(*Factory, func(*O) error) *cobra.Command) (*O, error) {
	t.Helper()
	io, _, _, _ := iostreams.Test()
	f := &Factory{IO: io, Getenv: func(string) string { return "" }, Settings: &Settings{}}
	var got *O
	cmd := newCmd(f, func(o *O) error { got = o; return nil })
	cmd.SetArgs(args)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	err := cmd.Execute()
	if err == nil && got == nil {
		t.Fatal("runF was not called")
	}
	return got, err
}

// TestTokenLoginTimeout: login waits 5 minutes for a person unless
// --timeout or $COGTOOL_TIMEOUT says otherwise.
func TestTokenLoginTimeout(t *testing.T) {
	io, _, _, _ := iostreams.Test()
	f := &Factory{IO: io, Getenv: func(string) string { return "" }, Settings: &Settings{Timeout: 30 * time.Second}}
	cmd := newTokenLoginCmd(f, func(*tokenGetOptions) error { return nil })
	cmd.SetArgs(nil)
	if err := cmd.Execute(); err != nil || f.Settings.Timeout != loginDefaultTimeout {
		t.Fatalf("err %v, timeout %s, want %s", err, f.Settings.Timeout, loginDefaultTimeout)
	}
	f = &Factory{IO: io, Getenv: func(k string) string { return map[string]string{"COGTOOL_TIMEOUT": "30s"}[k] },
		Settings: &Settings{Timeout: 30 * time.Second}}
	cmd = newTokenLoginCmd(f, func(*tokenGetOptions) error { return nil })
	cmd.SetArgs(nil)
	if err := cmd.Execute(); err != nil || f.Settings.Timeout != 30*time.Second {
		t.Fatalf("$COGTOOL_TIMEOUT: err %v, timeout %s", err, f.Settings.Timeout)
	}
}

// TestTokenRefreshRevokeRespondArgs: argv → options for refresh, revoke
// and respond.
func TestTokenRefreshRevokeRespondArgs(t *testing.T) {
	r, err := runTokenArgs(t, []string{"--refresh-token-file", "-", "--which", "refresh", "--username", "bob"}, newTokenRefreshCmd)
	if err != nil || r.File != "-" || r.Tokens.Which != "refresh" || !slices.Equal(r.Selectors, []string{"--username bob"}) {
		t.Fatalf("refresh: err %v, options %+v", err, r)
	}
	if _, err := runTokenArgs(t, []string{"--which", "both"}, newTokenRefreshCmd); exit.CodeOf(err) != exit.Usage {
		t.Fatalf("refresh --which both: %v", err)
	}
	v, err := runTokenArgs(t, []string{"--refresh-token-file", "rt.txt"}, newTokenRevokeCmd)
	if err != nil || v.File != "rt.txt" {
		t.Fatalf("revoke: err %v, options %+v", err, v)
	}
	a, err := runTokenArgs(t, []string{"--mfa-type", "email", "--attribute", "given_name=Ada", "--new-password-file", "pw.txt"}, newTokenRespondCmd)
	if err != nil || a.Answer.mfaType != "email" || !slices.Equal(a.Answer.attributes, []string{"given_name=Ada"}) ||
		a.Answer.newPasswordFile != "pw.txt" {
		t.Fatalf("respond: err %v, options %+v", err, a)
	}
	if _, err := runTokenArgs(t, []string{"--mfa-type", "fax"}, newTokenRespondCmd); exit.CodeOf(err) != exit.Usage ||
		!strings.Contains(err.Error(), `--mfa-type must be sms, totp or email, not "fax"`) {
		t.Fatalf("respond --mfa-type fax: %v", err)
	}
}
