package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/cache"
	"github.com/cogtool/cogtool/internal/exit"
)

type execOptions struct {
	In          io.Reader
	Out, ErrOut io.Writer
	// Environ is the environment CMD inherits, before cogtool adds its
	// variables.
	Environ func() []string
	// Tokens gets the profile's tokens; AWSCredentials the identity-pool
	// credentials (with --aws).
	Tokens         func(ctx context.Context) (*cache.Entry, error)
	AWSCredentials func(ctx context.Context) (*awsCreds, error)
	// Region is the AWS_REGION CMD gets with --aws ("" = the identity
	// pool's region).
	Region func() string

	AWS    bool
	Args   []string
	Flags  awsFlags
	Tokenf tokenFlags
	Flow   flowInput
}

// childExit carries CMD's exit status to Run: it becomes cogtool's own,
// and nothing is printed for it.
type childExit struct{ code int }

func (e *childExit) Error() string { return fmt.Sprintf("command exited with status %d", e.code) }

func newExecCmd(f *Factory, runF func(*execOptions) error) *cobra.Command {
	opts := &execOptions{Flow: flowInput{Answer: newAnswerer(f)}}
	cmd := &cobra.Command{
		Use:   "exec [--aws] [flags] -- <command> [<arg>...]",
		Short: "Run a command with the tokens (and AWS credentials) in its environment",
		Long: `Run a command with the profile's tokens in its environment, like aws-vault exec:
COGTOOL_ACCESS_TOKEN and COGTOOL_ID_TOKEN (when the flow returns one). With --aws,
also the identity pool's credentials: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
AWS_SESSION_TOKEN, AWS_REGION and AWS_DEFAULT_REGION (see 'cogtool aws-credentials').
COGTOOL_ACCESS_TOKEN, COGTOOL_ID_TOKEN and COGTOOL_REFRESH_TOKEN inherited from
cogtool's own environment are removed: the command sees only the tokens this exec
gives it (none with --guest; never a refresh token).

The tokens come from the profile's flow through the token cache. The command
gets cogtool's stdin, stdout and stderr; cogtool prints nothing on stdout of its
own. Signals that cogtool receives (INT, TERM, HUP, QUIT, USR1, USR2, ALRM) are
passed on to the command, and cogtool exits with the command's status.`,
		Example: `  cogtool exec --profile demo -- k6 run load.js
  cogtool exec --aws -- aws s3 ls s3://my-bucket/
  cogtool exec -- sh -c 'curl -H "Authorization: Bearer $COGTOOL_ACCESS_TOKEN" https://api.example.com/'`,
		Args: argsUsage(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			if cmd.ArgsLenAtDash() != 0 {
				return usagef(cmd, "put -- before the command: cogtool exec [flags] -- %s", strings.Join(args, " "))
			}
			if opts.Tokenf.MinTTL < 0 {
				return usagef(cmd, "--min-ttl must not be negative")
			}
			if opts.Flow.PasswordStdin {
				// Reading a line of stdin could take some of the command's input too.
				return usagef(cmd, "exec hands stdin to the command: give the password in $COGTOOL_PASSWORD, or sign in first (cogtool token password)")
			}
			opts.Args = args
			opts.In, opts.Out, opts.ErrOut, opts.Environ = f.IO.In, f.IO.Out, f.IO.ErrOut, os.Environ
			opts.Tokens = func(ctx context.Context) (*cache.Entry, error) {
				ts := f.tokenSources()
				opts.Flow.Flow = ts.Settings.Flow
				r, err := ts.get(ctx, opts.Flow, &opts.Tokenf)
				if err != nil {
					return nil, err
				}
				return r.Entry, nil
			}
			opts.AWSCredentials = func(ctx context.Context) (*awsCreds, error) {
				ts := f.tokenSources()
				opts.Flow.Flow = ts.Settings.Flow
				return awsCredentials(ctx, ts, &opts.Flags, opts.Flow, &opts.Tokenf)
			}
			opts.Region = func() string { return f.Settings.Region }
			if runF != nil {
				return runF(opts)
			}
			return execRun(cmd.Context(), opts)
		},
	}
	fs := cmd.Flags()
	fs.BoolVar(&opts.AWS, "aws", false, "also pass the identity pool's AWS credentials (AWS_ACCESS_KEY_ID, ...)")
	opts.Flags.register(cmd, &opts.Tokenf, &opts.Flow)
	return cmd
}

func execRun(ctx context.Context, o *execOptions) error {
	var vars [][2]string
	if o.Flags.Guest && !o.AWS {
		return exit.Usagef("--guest is for --aws: a guest has AWS credentials but no tokens")
	}
	if !o.Flags.Guest {
		e, err := o.Tokens(ctx)
		if err != nil {
			return err
		}
		for _, kv := range tokenEnv(e) {
			if kv[0] != "COGTOOL_REFRESH_TOKEN" {
				vars = append(vars, kv)
			}
		}
	}
	if o.AWS {
		cr, err := o.AWSCredentials(ctx)
		if err != nil {
			return err
		}
		vars = append(vars, awsEnv(cr, firstNonEmpty(o.Region(), cr.Region))...)
	}

	path, err := exec.LookPath(o.Args[0])
	if err != nil {
		code := 127
		if !errors.Is(err, exec.ErrNotFound) {
			code = 126
		}
		return exit.New(code, "exec %s: %w", o.Args[0], unwrapExec(err))
	}
	cmd := exec.Command(path, o.Args[1:]...)
	cmd.Args[0] = o.Args[0]
	cmd.Env = childEnv(o.Environ(), vars, execTokenVars)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = o.In, o.Out, o.ErrOut

	// Catch the signals before the child starts, so none is lost between.
	sigs := make(chan os.Signal, 8)
	signal.Notify(sigs, forwardedSignals...)
	defer signal.Stop(sigs)
	if err := cmd.Start(); err != nil {
		return exit.New(126, "exec %s: %w", o.Args[0], unwrapExec(err))
	}
	done := make(chan struct{})
	go func() {
		for {
			select {
			case s := <-sigs:
				_ = cmd.Process.Signal(s)
			case <-done:
				return
			}
		}
	}()
	err = cmd.Wait()
	close(done)
	var ee *exec.ExitError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ee):
		code := ee.ExitCode()
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			code = 128 + int(ws.Signal())
		}
		return &childExit{code: code}
	default:
		return exit.New(exit.Unexpected, "exec %s: %w", o.Args[0], err)
	}
}

// execTokenVars are the token variables exec owns (the names of tokenEnv).
// The command sees only the ones this exec set: an inherited one (from an
// earlier 'eval $(cogtool token ... -o env)', or a parent exec) may belong
// to another user or client, and under --guest, or when the flow returns
// no ID token, or for the refresh token that exec never passes, nothing
// would replace it.
var execTokenVars = []string{"COGTOOL_ACCESS_TOKEN", "COGTOOL_ID_TOKEN", "COGTOOL_REFRESH_TOKEN"}

// childEnv is environ with vars set, each name once (a variable cogtool
// sets replaces the one inherited), and without the inherited variables
// named in owned that vars does not set.
func childEnv(environ []string, vars [][2]string, owned []string) []string {
	env := slices.DeleteFunc(slices.Clone(environ), func(kv string) bool {
		name, _, _ := strings.Cut(kv, "=")
		return slices.Contains(owned, name) || slices.ContainsFunc(vars, func(v [2]string) bool { return v[0] == name })
	})
	for _, kv := range vars {
		env = append(env, kv[0]+"="+kv[1])
	}
	return env
}

// unwrapExec drops exec's "exec: \"x\":" prefix, which the caller repeats.
func unwrapExec(err error) error {
	var ee *exec.Error
	if errors.As(err, &ee) {
		return ee.Err
	}
	return err
}
