package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

const exitCodesHelp = `cogtool exits with one of these codes:

  0    success
  1    unexpected error
  2    usage error or unreadable input (bad flag, missing setting, not a JWT)
  3    token rejected by verify (signature, expiry, issuer, token_use, client, scope, group)
  4    Cognito or the token endpoint refused the credentials (NotAuthorized, invalid_client, UserNotFound, ...);
       doctor: a check failed, so Cognito would refuse the profile
  5    network or service failure after retries (refused, timeout, 5xx, throttled, malformed reply)
  6    call: the API answered with a status that was not expected (default: anything but 2xx)
  7    an auth challenge needs input that was not given and cannot be prompted for
  130  interrupted

With -o json, an error is also written to stderr as one JSON object:
  {"error":{"code":4,"kind":"auth","message":"...","aws_error":"NotAuthorizedException"}}`

func environmentHelp() string {
	var b strings.Builder
	b.WriteString("Every setting resolves as: flag > environment > profile in the config file > derived default.\n\n")
	for _, d := range settingDefs {
		env := make([]string, len(d.env))
		for i, e := range d.env {
			env[i] = "$" + e
		}
		fmt.Fprintf(&b, "  %-22s %s\n", "--"+d.name, strings.Join(env, ", "))
		if d.key != "" {
			fmt.Fprintf(&b, "  %-22s profile key: %s\n", "", d.key)
		}
		if d.def != "" {
			fmt.Fprintf(&b, "  %-22s default: %s\n", "", d.def)
		}
	}
	b.WriteString(`
Other variables:
  XDG_CONFIG_HOME    where the config file lives (cogtool/config.toml)
  XDG_CACHE_HOME     where tokens and JWKS are cached (cogtool/), mode 0700
  NO_COLOR           set to disable colour
  AWS_PROFILE, AWS_ACCESS_KEY_ID, ...  credentials for the Admin* calls of 'cogtool user'

Client secrets and passwords are never taken as plain flag values.`)
	return b.String()
}

func helpTopics() []*cobra.Command {
	topic := func(name, short, long string) *cobra.Command {
		c := &cobra.Command{
			Use: name, Short: short, Long: long,
			Args:        argsUsage(cobra.NoArgs),
			Annotations: map[string]string{annotationNoSettings: "1"},
			Run: func(cmd *cobra.Command, _ []string) {
				fmt.Fprintln(cmd.OutOrStdout(), cmd.Long)
			},
		}
		// `cogtool help <topic>` shows the topic alone, not flags.
		c.SetHelpFunc(func(cmd *cobra.Command, _ []string) { fmt.Fprintln(cmd.OutOrStdout(), cmd.Long) })
		return c
	}
	return []*cobra.Command{
		topic("exit-codes", "Exit codes and their meaning", exitCodesHelp),
		topic("environment", "Environment variables and settings", environmentHelp()),
	}
}
