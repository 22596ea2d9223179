package cli

import (
	"github.com/spf13/cobra"
)

// addUserAuthFlags registers the flags of the flows that sign a user in.
func addUserAuthFlags(cmd *cobra.Command, in *flowInput) {
	fs := cmd.Flags()
	addStringSetting(fs, "username")
	fs.BoolVar(&in.PasswordStdin, "password-stdin", false, flagUsage("password-stdin"))
	in.Answer.register(fs)
}

func newUserTokenCmd(f *Factory, runF func(*tokenGetOptions) error, flow, use, short, long, example string) *cobra.Command {
	opts := &tokenGetOptions{Flow: flowInput{Flow: flow, Answer: newAnswerer(f), Asked: true}}
	cmd := &cobra.Command{
		Use: use, Short: short, Long: long, Example: example,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := opts.Tokens.check(cmd); err != nil {
				return err
			}
			if err := opts.Flow.check(cmd); err != nil {
				return err
			}
			return runToken(cmd, f, opts, runF)
		},
	}
	opts.Tokens.register(cmd.Flags(), false)
	addUserAuthFlags(cmd, &opts.Flow)
	authFlows := "`flow`: password (USER_PASSWORD_AUTH), user-auth (USER_AUTH, PASSWORD) or custom (CUSTOM_AUTH)"
	if flow == "srp" {
		authFlows = "`flow`: srp (USER_SRP_AUTH), user-auth (USER_AUTH, PASSWORD_SRP) or custom (CUSTOM_AUTH)"
	}
	cmd.Flags().StringVar(&opts.Flow.AuthFlow, "auth-flow", flow, authFlows)
	return cmd
}

const challengeHelp = `Challenges are answered from flags, environment or a prompt on a terminal:
  NEW_PASSWORD_REQUIRED    --new-password-file FILE ($COGTOOL_NEW_PASSWORD), and
                           --attribute NAME=VALUE for each attribute the pool requires
  SMS_MFA, EMAIL_OTP,      --code CODE (alias --mfa-code); the message says where
  SMS_OTP                  the code was sent
  SOFTWARE_TOKEN_MFA       --code CODE, or $COGTOOL_TOTP_SECRET computes the code
  SELECT_MFA_TYPE,         --mfa-type sms|totp|email
  SELECT_CHALLENGE
  MFA_SETUP                a QR code and the otpauth:// URI on a terminal, or
                           --totp-secret-out FILE (the new secret, 0600) in CI
  CUSTOM_CHALLENGE         --answer TEXT (with --auth-flow custom)
Without a terminal, a challenge whose answer was not given exits 7 and is saved
(never the password) until its Session expires (3 minutes by default): the
message prints the 'cogtool token respond' command that continues it.`

func newTokenPasswordCmd(f *Factory, runF func(*tokenGetOptions) error) *cobra.Command {
	return newUserTokenCmd(f, runF, "password", "password [flags]",
		"Sign a user in with USER_PASSWORD_AUTH",
		`Sign a user in with InitiateAuth USER_PASSWORD_AUTH, or with --auth-flow user-auth
through USER_AUTH (choice-based sign-in, PREFERRED_CHALLENGE PASSWORD), or with
--auth-flow custom through CUSTOM_AUTH (no password). SECRET_HASH is computed when
the app client has a secret.

`+challengeHelp+`

The password comes from --password-stdin, $COGTOOL_PASSWORD or a prompt without
echo; it is never a flag value. No AWS credentials are needed.`,
		`  printf '%s\n' "$PW" | cogtool token password --client-id 4k2h... --region us-east-1 \
      --username alice --password-stdin -o token --which id`)
}

func newTokenSRPCmd(f *Factory, runF func(*tokenGetOptions) error) *cobra.Command {
	return newUserTokenCmd(f, runF, "srp", "srp [flags]",
		"Sign a user in with SRP (the password never leaves the machine)",
		`Sign a user in with InitiateAuth USER_SRP_AUTH and the PASSWORD_VERIFIER challenge,
as the AWS SDKs and Amplify do, or with --auth-flow user-auth through USER_AUTH
(PREFERRED_CHALLENGE PASSWORD_SRP). Needs --user-pool-id (the pool name is part of
the proof).

`+challengeHelp,
		`  cogtool token srp --user-pool-id us-east-1_AbC123 --client-id 4k2h... --username alice`)
}
