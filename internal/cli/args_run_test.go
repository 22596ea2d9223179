package cli

import (
	"slices"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/config"
)

// TestArgsToOptionsTable is the first table (argv → options through runF)
// for the commands that had only the run table: each argv fills the
// options the run function gets, and a bad argv is exit 2 before any run.
func TestArgsToOptionsTable(t *testing.T) {
	type build func(f *Factory, got *any) *cobra.Command
	capture := func(p *any) func(v any) error { return func(v any) error { *p = v; return nil } }
	tests := []struct {
		name    string
		build   build
		args    []string
		check   func(any) bool
		wantErr string
	}{
		{name: "decode", args: []string{"eyJ.a.b"},
			build: func(f *Factory, p *any) *cobra.Command {
				return newDecodeCmd(f, func(o *decodeOptions) error { return capture(p)(o) })
			},
			check: func(v any) bool {
				o := v.(*decodeOptions)
				return slices.Equal(o.Args, []string{"eyJ.a.b"}) && o.Output == "json"
			}},
		{name: "decode two tokens", args: []string{"a", "b"}, wantErr: "accepts at most 1 arg(s)",
			build: func(f *Factory, p *any) *cobra.Command {
				return newDecodeCmd(f, func(o *decodeOptions) error { return capture(p)(o) })
			}},
		{name: "doctor", args: []string{"--flow", "password", "--scope", "api/read", "--port", "9000"},
			build: func(f *Factory, p *any) *cobra.Command {
				return newDoctorCmd(f, func(o *doctorOptions) error { return capture(p)(o) })
			},
			check: func(v any) bool {
				o := v.(*doctorOptions)
				return o.Profile.Flow == "password" && slices.Equal(o.Profile.Scopes, []string{"api/read"}) && o.Profile.Port == 9000 &&
					o.Profile.PoolID == "us-east-1_X" && o.Output == "json"
			}},
		{name: "jwks", args: nil,
			build: func(f *Factory, p *any) *cobra.Command {
				return newJWKSCmd(f, func(o *jwksOptions) error { return capture(p)(o) })
			},
			check: func(v any) bool { return v.(*jwksOptions).Settings != nil }},
		{name: "jwks extra", args: []string{"x"}, wantErr: "unknown command",
			build: func(f *Factory, p *any) *cobra.Command {
				return newJWKSCmd(f, func(o *jwksOptions) error { return capture(p)(o) })
			}},
		{name: "whoami", args: nil,
			build: func(f *Factory, p *any) *cobra.Command {
				return newWhoamiCmd(f, func(o *whoamiOptions) error { return capture(p)(o) })
			},
			check: func(v any) bool {
				o := v.(*whoamiOptions)
				return o.Output == "json" && o.Tokens != nil && o.GetUser != nil && o.UserInfo != nil
			}},
		{name: "config unset", args: []string{"client_id"},
			build: func(f *Factory, p *any) *cobra.Command {
				return newConfigUnsetCmd(f, func(o *configUnsetOptions) error { return capture(p)(o) })
			},
			check: func(v any) bool { return v.(*configUnsetOptions).Key == "client_id" }},
		{name: "config unset no key", args: nil, wantErr: "accepts 1 arg(s)",
			build: func(f *Factory, p *any) *cobra.Command {
				return newConfigUnsetCmd(f, func(o *configUnsetOptions) error { return capture(p)(o) })
			}},
		{name: "config init", args: []string{"--secret-ref", "env:RUN_SECRET", "--flow", "password", "--force"},
			build: func(f *Factory, p *any) *cobra.Command {
				return newConfigInitCmd(f, func(o *configInitOptions) error { return capture(p)(o) })
			},
			check: func(v any) bool {
				o := v.(*configInitOptions)
				return o.SecretRef == "env:RUN_SECRET" && o.Flow == "password" && o.Force && o.PoolID == "us-east-1_X" && o.Ask == nil
			}},
		{name: "config init literal secret", args: []string{"--secret-ref", "hunter2"}, wantErr: "--secret-ref",
			build: func(f *Factory, p *any) *cobra.Command {
				return newConfigInitCmd(f, func(o *configInitOptions) error { return capture(p)(o) })
			}},
		{name: "config init bad flow", args: []string{"--flow", "magic"}, wantErr: `--flow "magic" is not one of`,
			build: func(f *Factory, p *any) *cobra.Command {
				return newConfigInitCmd(f, func(o *configInitOptions) error { return capture(p)(o) })
			}},
		{name: "group list", args: nil,
			build: func(f *Factory, p *any) *cobra.Command {
				return newGroupListCmd(f, func(o *groupListOptions) error { return capture(p)(o) })
			},
			check: func(v any) bool { o := v.(*groupListOptions); return o.PoolID == "us-east-1_X" && o.Output == "json" }},
		{name: "group members", args: []string{"admins"},
			build: func(f *Factory, p *any) *cobra.Command {
				return newGroupMembersCmd(f, func(o *groupMembersOptions) error { return capture(p)(o) })
			},
			check: func(v any) bool { return v.(*groupMembersOptions).Group == "admins" }},
		{name: "group members no group", args: nil, wantErr: "accepts 1 arg(s)",
			build: func(f *Factory, p *any) *cobra.Command {
				return newGroupMembersCmd(f, func(o *groupMembersOptions) error { return capture(p)(o) })
			}},
		{name: "user enable", args: []string{"alice"},
			build: func(f *Factory, p *any) *cobra.Command {
				return newUserEnableCmd(f, func(o *userEnableOptions) error { return capture(p)(o) })
			},
			check: func(v any) bool { o := v.(*userEnableOptions); return o.Username == "alice" && o.Enable }},
		{name: "user disable", args: []string{"alice"},
			build: func(f *Factory, p *any) *cobra.Command {
				return newUserDisableCmd(f, func(o *userEnableOptions) error { return capture(p)(o) })
			},
			check: func(v any) bool { o := v.(*userEnableOptions); return o.Username == "alice" && !o.Enable }},
		{name: "user reset-password", args: []string{"alice"},
			build: func(f *Factory, p *any) *cobra.Command {
				return newUserResetPasswordCmd(f, func(o *userResetPasswordOptions) error { return capture(p)(o) })
			},
			check: func(v any) bool { return v.(*userResetPasswordOptions).Username == "alice" }},
		{name: "user change-password", args: nil,
			build: func(f *Factory, p *any) *cobra.Command {
				return newUserChangePasswordCmd(f, func(o *userChangePasswordOptions) error { return capture(p)(o) })
			},
			check: func(v any) bool {
				o := v.(*userChangePasswordOptions)
				return o.Username == "profile-user" && o.AccessToken != nil && o.OldPassword != nil && o.NewPassword != nil
			}},
		{name: "token password", args: []string{"--which", "id", "--no-cache", "--min-ttl", "5m", "--password-stdin", "--auth-flow", "user-auth"},
			build: func(f *Factory, p *any) *cobra.Command {
				return newTokenPasswordCmd(f, func(o *tokenGetOptions) error { return capture(p)(o) })
			},
			check: func(v any) bool {
				o := v.(*tokenGetOptions)
				return o.Tokens.Which == "id" && o.Tokens.NoCache && o.Tokens.MinTTL == 5*time.Minute && o.Flow.Flow == "password" &&
					o.Flow.PasswordStdin && o.Flow.AuthFlow == "user-auth" && o.Flow.Asked && o.Sources != nil
			}},
		{name: "token password bad which", args: []string{"--which", "all"}, wantErr: "--which must be access, id or refresh",
			build: func(f *Factory, p *any) *cobra.Command {
				return newTokenPasswordCmd(f, func(o *tokenGetOptions) error { return capture(p)(o) })
			}},
		{name: "token srp bad auth flow", args: []string{"--auth-flow", "password"}, wantErr: "--auth-flow must be srp, user-auth or custom",
			build: func(f *Factory, p *any) *cobra.Command {
				return newTokenSRPCmd(f, func(o *tokenGetOptions) error { return capture(p)(o) })
			}},
		{name: "token srp", args: nil,
			build: func(f *Factory, p *any) *cobra.Command {
				return newTokenSRPCmd(f, func(o *tokenGetOptions) error { return capture(p)(o) })
			},
			check: func(v any) bool {
				o := v.(*tokenGetOptions)
				return o.Flow.Flow == "srp" && o.Flow.AuthFlow == "srp" && o.Tokens.Which == "access" && o.Tokens.MinTTL == time.Minute
			}},
		{name: "token otp", args: []string{"--channel", "sms", "--code", "123456"},
			build: func(f *Factory, p *any) *cobra.Command {
				return newTokenOTPCmd(f, func(o *tokenGetOptions) error { return capture(p)(o) })
			},
			check: func(v any) bool {
				o := v.(*tokenGetOptions)
				return o.Flow.Flow == "otp" && o.Flow.Channel == "sms" && o.Flow.Answer.code == "123456"
			}},
		{name: "token otp no channel", args: nil, wantErr: "--channel is required",
			build: func(f *Factory, p *any) *cobra.Command {
				return newTokenOTPCmd(f, func(o *tokenGetOptions) error { return capture(p)(o) })
			}},
		{name: "token client-credentials", args: []string{"--scope", "api/read api/write"},
			build: func(f *Factory, p *any) *cobra.Command {
				return newTokenClientCredentialsCmd(f, func(o *tokenGetOptions) error { return capture(p)(o) })
			},
			check: func(v any) bool {
				o := v.(*tokenGetOptions)
				return o.Flow.Flow == "client-credentials" && slices.Equal(o.Tokens.Scopes, []string{"api/read", "api/write"})
			}},
		{name: "token login", args: []string{"--no-browser", "--port", "0"},
			build: func(f *Factory, p *any) *cobra.Command {
				return newTokenLoginCmd(f, func(o *tokenGetOptions) error { return capture(p)(o) })
			},
			check: func(v any) bool {
				o := v.(*tokenGetOptions)
				return o.Flow.Flow == "login" && o.Flow.NoBrowser && o.Flow.PortSet && o.Flow.Port == 0
			}},
		{name: "token refresh", args: []string{"--refresh-token-file", "-"},
			build: func(f *Factory, p *any) *cobra.Command {
				return newTokenRefreshCmd(f, func(o *tokenRefreshOptions) error { return capture(p)(o) })
			},
			check: func(v any) bool { return v.(*tokenRefreshOptions).File == "-" }},
		{name: "token revoke", args: []string{"--refresh-token-file", "rt.txt"},
			build: func(f *Factory, p *any) *cobra.Command {
				return newTokenRevokeCmd(f, func(o *tokenRevokeOptions) error { return capture(p)(o) })
			},
			check: func(v any) bool { o := v.(*tokenRevokeOptions); return o.File == "rt.txt" && o.Sources != nil }},
		{name: "token respond", args: []string{"--code", "654321"},
			build: func(f *Factory, p *any) *cobra.Command {
				return newTokenRespondCmd(f, func(o *tokenRespondOptions) error { return capture(p)(o) })
			},
			check: func(v any) bool { return v.(*tokenRespondOptions).Answer.code == "654321" }},
		{name: "token respond bad mfa type", args: []string{"--mfa-type", "pigeon"}, wantErr: "--mfa-type must be sms, totp or email",
			build: func(f *Factory, p *any) *cobra.Command {
				return newTokenRespondCmd(f, func(o *tokenRespondOptions) error { return capture(p)(o) })
			}},
		{name: "token list", args: nil,
			build: func(f *Factory, p *any) *cobra.Command {
				return newTokenListCmd(f, func(o *tokenListOptions) error { return capture(p)(o) })
			},
			check: func(v any) bool {
				o := v.(*tokenListOptions)
				return o.PoolID == "us-east-1_X" && o.Output == "json" && o.Cache != nil
			}},
		{name: "token clear", args: []string{"--user", "alice", "--expired"},
			build: func(f *Factory, p *any) *cobra.Command {
				return newTokenClearCmd(f, func(o *tokenClearOptions) error { return capture(p)(o) })
			},
			check: func(v any) bool { o := v.(*tokenClearOptions); return o.User == "alice" && o.Expired && !o.All }},
		{name: "token clear ids", args: []string{"3f9a0c", "cd9a"},
			build: func(f *Factory, p *any) *cobra.Command {
				return newTokenClearCmd(f, func(o *tokenClearOptions) error { return capture(p)(o) })
			},
			check: func(v any) bool { return slices.Equal(v.(*tokenClearOptions).IDs, []string{"3f9a0c", "cd9a"}) }},
		{name: "token clear nothing", args: nil, wantErr: "say what to remove",
			build: func(f *Factory, p *any) *cobra.Command {
				return newTokenClearCmd(f, func(o *tokenClearOptions) error { return capture(p)(o) })
			}},
		{name: "token clear all and id", args: []string{"--all", "3f9a0c"}, wantErr: "--all takes no ids or selection",
			build: func(f *Factory, p *any) *cobra.Command {
				return newTokenClearCmd(f, func(o *tokenClearOptions) error { return capture(p)(o) })
			}},
		{name: "token clear short id", args: []string{"3f9"}, wantErr: "want at least 4 hex digits",
			build: func(f *Factory, p *any) *cobra.Command {
				return newTokenClearCmd(f, func(o *tokenClearOptions) error { return capture(p)(o) })
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got any
			f := testFactory()
			// The settings as resolved from a profile with no secret.
			f.Settings.secret = func() (string, error) { return "", nil }
			f.Settings.file = &config.File{Profiles: map[string]*config.Profile{}}
			err := runCmd(tt.build(f, &got), tt.args...)
			if tt.wantErr != "" {
				wantUsage(t, err, tt.wantErr)
				if got != nil {
					t.Fatal("the run function was called for a bad argv")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got == nil || !tt.check(got) {
				t.Fatalf("options: %+v", got)
			}
		})
	}
}
