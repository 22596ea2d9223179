package cli

// The EXIT STATUS of the commands that hand credentials to other programs.
func init() {
	exitStatus["cogtool aws-credentials"] = "0 printed, 2 usage error or bad settings (no identity pool, a flow without an ID token), 4 the sign-in or the identity pool refused the credentials, 5 network or service failure, 7 a challenge needs input."
	exitStatus["cogtool exec"] = "the command's own status; 126 it cannot run, 127 it was not found, 128+N it was killed by signal N. Before it starts: 2 usage error or bad settings, 4 refused, 5 network or service failure, 7 a challenge needs input."
}
