package cli

import "github.com/spf13/cobra"

func newUserCmd(f *Factory) *cobra.Command {
	return newGroupCmd("user <command>", "Create, list, change, recover and delete users",
		newUserCreateCmd(f, nil), newUserSetPasswordCmd(f, nil), newUserGetCmd(f, nil), newUserDeleteCmd(f, nil),
		newUserSignUpCmd(f, nil), newUserConfirmCmd(f, nil),
		newUserListCmd(f, nil), newUserEnableCmd(f, nil), newUserDisableCmd(f, nil), newUserUpdateCmd(f, nil),
		newUserSignOutCmd(f, nil), newUserResetPasswordCmd(f, nil), newUserForgotPasswordCmd(f, nil),
		newUserConfirmForgotPasswordCmd(f, nil), newUserChangePasswordCmd(f, nil), newUserResendCodeCmd(f, nil),
		newUserGroupsCmd(f, nil))
}
