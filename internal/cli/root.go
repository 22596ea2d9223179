package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/build"
	"github.com/cogtool/cogtool/internal/exit"
)

const annotationNoSettings = "cogtool/no-settings"

func newRootCmd(f *Factory) *cobra.Command {
	root := &cobra.Command{
		Use:   "cogtool <command> [flags]",
		Short: "Tokens, users and JWT checks for Amazon Cognito user pools",
		Long: `cogtool gets tokens from Amazon Cognito user pools (client credentials, password,
SRP, refresh, hosted-UI login), administers users, decodes and verifies JWTs
against the pool's keys, and calls APIs with the token attached.

Every setting resolves as: flag > environment > profile in the config file >
derived default. See 'cogtool help environment' and 'cogtool help exit-codes'.`,
		Version:       build.Get().Version,
		SilenceErrors: true,
		SilenceUsage:  true,
		Args:          cobra.ArbitraryArgs,
		RunE:          groupRunE,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			if err := checkEmptyFlags(cmd); err != nil {
				return err
			}
			if cmd.Annotations[annotationNoSettings] != "" {
				// Commands that need no settings still honour -o.
				if o := f.machineMode("auto"); !validOutput(o) {
					return exit.Usagef("output %q is not one of auto, text, json, token, env", o)
				}
				return f.checkFormat(cmd)
			}
			s, err := resolveSettings(cmd, f.Getenv, f.IO.In, f.warn)
			if err != nil {
				return err
			}
			f.Settings = s
			return f.checkFormat(cmd)
		},
	}
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return &usageError{err: err, use: cmd.UseLine()}
	})

	pf := root.PersistentFlags()
	for _, name := range []string{"profile", "config", "region", "user-pool-id", "client-id",
		"client-secret-file", "endpoint-url"} {
		addStringSetting(pf, name)
	}
	pf.StringVarP(&f.outputFlag, "output", "o", "", flagUsage("output"))
	addStringSetting(pf, "timeout")
	pf.Bool("debug", false, "print a redacted trace of each HTTP exchange to stderr")

	root.AddGroup(
		&cobra.Group{ID: "main", Title: "Commands:"},
		&cobra.Group{ID: "help", Title: "Help topics:"},
	)
	for _, c := range []*cobra.Command{
		newTokenCmd(f),
		newUserCmd(f),
		newGroupRootCmd(f),
		newDoctorCmd(f, nil),
		newWhoamiCmd(f, nil),
		newDecodeCmd(f, nil),
		newVerifyCmd(f, nil),
		newJWKSCmd(f, nil),
		newCallCmd(f, nil),
		newAWSCredentialsCmd(f, nil),
		newExecCmd(f, nil),
		newConfigCmd(f),
		newVersionCmd(f),
	} {
		c.GroupID = "main"
		root.AddCommand(c)
	}
	for _, c := range helpTopics() {
		c.GroupID = "help"
		root.AddCommand(c)
	}
	addFormats(root)
	addExitStatus(root)
	root.SetHelpCommandGroupID("main")
	root.SetCompletionCommandGroupID("main")
	// Flag errors of subcommands go through the same func.
	return root
}

// groupRunE runs for a command that only groups others: bare, it shows
// help; with an argument, the argument is an unknown command.
func groupRunE(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return cmd.Help()
	}
	msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		msg += "; did you mean " + strings.Join(s, " or ") + "?"
	}
	return &usageError{err: fmt.Errorf("%s", msg), use: cmd.UseLine()}
}

// newGroupCmd returns a command that only holds subcommands.
func newGroupCmd(use, short string, subs ...*cobra.Command) *cobra.Command {
	c := &cobra.Command{Use: use, Short: short, Args: cobra.ArbitraryArgs, RunE: groupRunE}
	c.AddCommand(subs...)
	return c
}

// argsUsage wraps a cobra positional-argument check so that its failure
// is a usage error (exit 2, with the usage line).
func argsUsage(check cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := check(cmd, args); err != nil {
			return &usageError{err: err, use: cmd.UseLine()}
		}
		return nil
	}
}

// usagef returns a usage error for cmd.
func usagef(cmd *cobra.Command, format string, a ...any) error {
	return &usageError{err: exit.Usagef(format, a...), use: cmd.UseLine()}
}

func validOutput(o string) bool {
	switch o {
	case "auto", "text", "json", "token", "env":
		return true
	}
	return false
}

// exitStatus is the EXIT STATUS section of each runnable command's help,
// by command path; others get exitStatusDefault.
var exitStatus = map[string]string{
	"cogtool decode":      "0 decoded, 2 not a JWT or unreadable input.",
	"cogtool verify":      "0 valid, 2 unreadable input or bad settings, 3 rejected (any, with --batch), 5 the JWKS could not be fetched.",
	"cogtool jwks":        "0 printed, 2 bad settings, 5 the JWKS could not be fetched.",
	"cogtool call":        "0 expected status, 2 bad input, 4 the token flow was refused, 5 the API or token endpoint unreachable, 6 unexpected status, 7 a challenge needs input.",
	"cogtool version":     "0 always.",
	"cogtool config list": "0 listed, 2 unreadable config file.",
	"cogtool config get":  "0 printed, 2 unknown key or unreadable config file.",
	"cogtool config set":  "0 written, 2 unknown key, literal secret or unreadable config file.",
}

const exitStatusDefault = "0 success, 2 usage error or bad input, 4 Cognito or the token endpoint refused, 5 network or service failure, 7 a challenge needs input that cannot be prompted for."

// addExitStatus ends the help of every runnable command with its exit codes.
func addExitStatus(c *cobra.Command) {
	for _, sub := range c.Commands() {
		addExitStatus(sub)
	}
	if !c.Runnable() || c.HasSubCommands() || c.GroupID == "help" {
		return
	}
	text, ok := exitStatus[c.CommandPath()]
	if !ok {
		text = exitStatusDefault
	}
	long := c.Long
	if long == "" {
		long = c.Short
	}
	if strings.Contains(long, "EXIT STATUS") {
		return
	}
	c.Long = long + "\n\nEXIT STATUS\n  " + text + "\n  See 'cogtool help exit-codes'."
}
