package cli

// The EXIT STATUS of the user and group administration commands: each
// lists only the codes it can return.
func init() {
	const (
		admin       = "0 done, 2 bad arguments, missing settings or no AWS credentials, 4 Cognito refused (user, group or pool not found, access denied), 5 network or service failure."
		destructive = "0 done, 2 bad arguments, missing settings, no AWS credentials, not confirmed, or not on a terminal without --yes, 4 Cognito refused (not found, access denied), 5 network or service failure."
		unsigned    = "0 done, 2 bad arguments or missing settings (client id, secret, password), 4 Cognito refused (wrong code, user not found, password policy, flow not allowed), 5 network or service failure."
	)
	for path, text := range map[string]string{
		"cogtool user list":                    "0 listed, 2 bad --filter (refused here or by Cognito), --limit or attribute name, missing settings or no AWS credentials, 4 Cognito refused (pool not found, access denied), 5 network or service failure.",
		"cogtool user enable":                  admin,
		"cogtool user disable":                 admin,
		"cogtool user update":                  admin,
		"cogtool user reset-password":          admin,
		"cogtool user groups":                  admin,
		"cogtool user delete":                  destructive,
		"cogtool user sign-out":                destructive,
		"cogtool group delete":                 destructive,
		"cogtool group list":                   admin,
		"cogtool group create":                 admin,
		"cogtool group add":                    admin,
		"cogtool group remove":                 admin,
		"cogtool group members":                admin,
		"cogtool user forgot-password":         unsigned,
		"cogtool user confirm-forgot-password": unsigned,
		"cogtool user resend-code":             unsigned,
		"cogtool config unset":                 "0 removed (or was not set), 2 unknown key or unreadable config file.",
		"cogtool config init":                  "0 written, 2 missing settings, no AWS credentials, a profile that exists without --force, a flow the client does not allow, or a bad --secret-ref, 4 Cognito refused (pool or client not found, access denied), 5 network or service failure.",
		"cogtool token list":                   "0 listed, 2 the cache directory cannot be found or read.",
		"cogtool token clear":                  "0 removed, 2 nothing selected, an unknown id, or the cache cannot be read or written.",
		"cogtool whoami":                       "0 shown, 2 missing settings (client id, username, domain for login tokens), 4 no cached tokens for the user, or Cognito refused the token, 5 network or service failure.",
		"cogtool doctor":                       "0 every check passed, 2 missing settings or no AWS credentials, 4 at least one check failed (the fix is on its line), 5 the user-pool API could not be reached.",
		"cogtool user change-password":         "0 changed, 2 bad arguments or missing settings or passwords, 4 no cached tokens for the user, or Cognito refused (wrong current password, password policy), 5 network or service failure.",
	} {
		exitStatus[path] = text
	}
}
