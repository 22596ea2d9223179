// Package cli holds cogtool's cobra commands. It is the only package that
// knows cobra, and Main is the only function that touches os.Std* and
// os.Exit's code: every failure reaches the user as one line and the exit
// code documented in `cogtool help exit-codes`.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/iostreams"
	"github.com/cogtool/cogtool/internal/redact"
)

// Main runs cogtool with the process's arguments and streams and returns
// the exit code.
func Main() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return Run(ctx, iostreams.System(), os.Args[1:], os.Getenv)
}

// usageError marks errors that deserve the command's usage line.
type usageError struct {
	err error
	use string
}

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// Run executes one command line. It never panics: a panic becomes exit 1
// with one line and no trace.
func Run(ctx context.Context, io *iostreams.IOStreams, args []string, getenv func(string) string) (code int) {
	io.WithContext(ctx)
	f := &Factory{IO: io, Getenv: getenv, secrets: redact.NewSet()}
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(io.ErrOut, "cogtool: internal error: %v\n", r)
			code = exit.Unexpected
		}
	}()
	root := newRootCmd(f)
	root.SetArgs(args)
	root.SetIn(io.In)
	root.SetOut(io.Out)
	root.SetErr(io.ErrOut)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exit.OK
	}
	code = exitCode(ctx, err)
	printError(io, err, code, f.secrets, f.explicitOutput() == "json")
	return code
}

// exitCode is the exit code of a command's error: the command's own
// status for exec, 130 when the run was interrupted, 2 for a usage error
// cobra or a command's flag checks found, else the code the error carries
// (an exit.Error, built where the failure happened), 1 when it carries
// none. Besides this, only Run's recover decides a code: 1 for a panic.
func exitCode(ctx context.Context, err error) int {
	var ue *usageError
	var ce *childExit
	switch {
	case errors.As(err, &ce):
		return ce.code // exec: the command's status, even after a signal
	case ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(ctx.Err(), context.Canceled)):
		return exit.Interrupted
	case errors.As(err, &ue):
		return exit.Usage
	default:
		return exit.CodeOf(err)
	}
}

// printError reports a command's error on stderr as one line, with
// secrets redacted: "cogtool: <message>" (and the usage line for a usage
// error), or with asJSON one {"error":{...}} object.
func printError(ios *iostreams.IOStreams, err error, code int, secrets *redact.Set, asJSON bool) {
	var ce *childExit
	if errors.As(err, &ce) {
		return // the command spoke for itself
	}
	msg := err.Error()
	if code == exit.Interrupted {
		msg = "interrupted"
	}
	// Error texts quote servers: redacted, then made one printable line.
	msg = redact.Line(secrets.Redact(msg))
	if asJSON {
		obj := map[string]any{"code": code, "kind": exit.KindOf(code), "message": msg}
		if name := redact.Line(secrets.Redact(exit.AWSErrorOf(err))); name != "" {
			obj["aws_error"] = name
		}
		if st := exit.HTTPStatusOf(err); st != 0 {
			obj["http_status"] = st
		}
		b, _ := json.Marshal(map[string]any{"error": obj})
		fmt.Fprintln(ios.ErrOut, string(b))
		return
	}
	fmt.Fprintf(ios.ErrOut, "cogtool: %s\n", msg)
	var ue *usageError
	if errors.As(err, &ue) && ue.use != "" {
		fmt.Fprintf(ios.ErrOut, "usage: %s (see --help)\n", ue.use)
	}
}
