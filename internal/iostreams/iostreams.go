// Package iostreams carries the three standard streams and what is known
// about them (TTY or not, colour allowed or not), so that commands never
// touch os.Std* themselves and tests can swap in buffers.
package iostreams

import (
	"bytes"
	"context"
	"io"
	"os"
	"sync"

	"golang.org/x/term"
)

// IOStreams is what a command reads from and writes to.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	stdinTTY, stdoutTTY, stderrTTY bool
	noColor                        bool
	// ReadPassword reads a line without echo from the terminal; nil when
	// no terminal is attached.
	ReadPassword func() ([]byte, error)

	ctx context.Context // set by WithContext

	spinMu   sync.Mutex
	spinStop func() // the running spinner's stop, nil when none runs
}

// System returns the process's streams with TTY detection.
func System() *IOStreams {
	in := int(os.Stdin.Fd())
	s := &IOStreams{
		In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr,
		stdinTTY:  term.IsTerminal(in),
		stdoutTTY: term.IsTerminal(int(os.Stdout.Fd())),
		stderrTTY: term.IsTerminal(int(os.Stderr.Fd())),
		noColor:   os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb",
	}
	if s.stdinTTY {
		s.ReadPassword = func() ([]byte, error) { return readPassword(s.context(), in) }
	}
	return s
}

// Test returns streams backed by buffers, no TTY anywhere.
func Test() (s *IOStreams, in, out, errOut *bytes.Buffer) {
	in, out, errOut = &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: in, Out: out, ErrOut: errOut, noColor: true}, in, out, errOut
}

func (s *IOStreams) IsStdinTTY() bool  { return s.stdinTTY }
func (s *IOStreams) IsStdoutTTY() bool { return s.stdoutTTY }

// SetStdinTTY, SetStdoutTTY and SetStderrTTY are for tests.
func (s *IOStreams) SetStdinTTY(v bool)  { s.stdinTTY = v }
func (s *IOStreams) SetStdoutTTY(v bool) { s.stdoutTTY = v }
func (s *IOStreams) SetStderrTTY(v bool) { s.stderrTTY = v }

// ColorEnabled reports whether stdout may carry ANSI colour.
func (s *IOStreams) ColorEnabled() bool { return s.stdoutTTY && !s.noColor }

// CanPrompt reports whether the user can be asked for input: stdin and
// stderr are terminals and a no-echo reader exists.
func (s *IOStreams) CanPrompt() bool {
	return s.stdinTTY && s.stderrTTY && s.ReadPassword != nil
}
