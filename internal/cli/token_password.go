package cli

import (
	"github.com/spf13/cobra"
)

// addUserAuthFlags registers the flags of the flows that sign a user in.
func addUserAuthFlags(cmd *cobra.Command, in *flowInput) {
	fs := cmd.Flags()
	addStringSetting(fs, "username")
	fs.BoolVar(&in.PasswordStdin, "password-stdin", false, flagUsage("password-stdin"))
	fs.StringVar(&in.Answer.newPasswordFile, "new-password-file", "", flagUsage("new-password-file"))
	fs.StringVar(&in.Answer.mfaCode, "mfa-code", "", flagUsage("mfa-code"))
}

func newUserTokenCmd(f *Factory, flow, use, short, long, example string) *cobra.Command {
	var tf tokenFlags
	in := flowInput{Flow: flow, Answer: &answerer{f: f}}
	cmd := &cobra.Command{
		Use: use, Short: short, Long: long, Example: example,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := tf.check(cmd); err != nil {
				return err
			}
			return f.getToken(cmd.Context(), in, &tf)
		},
	}
	tf.register(cmd.Flags(), false)
	addUserAuthFlags(cmd, &in)
	return cmd
}

func newTokenPasswordCmd(f *Factory) *cobra.Command {
	return newUserTokenCmd(f, "password", "password [flags]",
		"Sign a user in with USER_PASSWORD_AUTH",
		`Sign a user in with InitiateAuth USER_PASSWORD_AUTH. SECRET_HASH is computed when
the app client has a secret. Challenges are answered from flags, environment or a
prompt: NEW_PASSWORD_REQUIRED (--new-password-file, $COGTOOL_NEW_PASSWORD),
SOFTWARE_TOKEN_MFA (--mfa-code, $COGTOOL_TOTP_SECRET), SMS_MFA and EMAIL_OTP
(--mfa-code). Without a terminal, a challenge that cannot be answered exits 7.

The password comes from --password-stdin, $COGTOOL_PASSWORD or a prompt without
echo; it is never a flag value. No AWS credentials are needed.`,
		`  printf '%s\n' "$PW" | cogtool token password --client-id 4k2h... --region us-east-1 \
      --username alice --password-stdin -o token --which id`)
}

func newTokenSRPCmd(f *Factory) *cobra.Command {
	return newUserTokenCmd(f, "srp", "srp [flags]",
		"Sign a user in with SRP (the password never leaves the machine)",
		`Sign a user in with InitiateAuth USER_SRP_AUTH and the PASSWORD_VERIFIER challenge,
as the AWS SDKs and Amplify do. Needs --user-pool-id (the pool name is part of the
proof). Other challenges and the password are handled as by 'cogtool token password'.`,
		`  cogtool token srp --user-pool-id us-east-1_AbC123 --client-id 4k2h... --username alice`)
}
