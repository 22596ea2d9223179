package cli

import (
	"github.com/spf13/cobra"
)

func newTokenOTPCmd(f *Factory, runF func(*tokenGetOptions) error) *cobra.Command {
	opts := &tokenGetOptions{Flow: flowInput{Flow: "otp", Answer: newAnswerer(f), Asked: true}}
	in := &opts.Flow
	cmd := &cobra.Command{
		Use:   "otp --channel {email | sms} [flags]",
		Short: "Sign a user in without a password: a one-time code by email or SMS (USER_AUTH)",
		Long: `Sign a user in with InitiateAuth USER_AUTH and PREFERRED_CHALLENGE EMAIL_OTP or SMS_OTP
(choice-based sign-in; the app client needs ALLOW_USER_AUTH and the pool the
Essentials tier). Cognito sends a code; give it with --code, type it at the prompt,
or, without a terminal, run the 'cogtool token respond --code CODE' command the
exit-7 message prints (within the Session's 3 minutes).`,
		Example: `  cogtool token otp --channel email --username alice@example.com
  cogtool token otp --channel sms --username alice -o json || cogtool token respond --code 123456`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := opts.Tokens.check(cmd); err != nil {
				return err
			}
			switch in.Channel {
			case "email", "sms":
			case "":
				return usagef(cmd, "--channel is required: email or sms")
			default:
				return usagef(cmd, "--channel must be email or sms, not %q", in.Channel)
			}
			if err := in.Answer.check(); err != nil {
				return err
			}
			return runToken(cmd, f, opts, runF)
		},
	}
	opts.Tokens.register(cmd.Flags(), false)
	addStringSetting(cmd.Flags(), "username")
	in.Answer.register(cmd.Flags())
	cmd.Flags().StringVar(&in.Channel, "channel", "", "where Cognito sends the code: `email` or sms")
	return cmd
}
