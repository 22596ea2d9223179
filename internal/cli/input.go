package cli

import (
	"io"

	"github.com/cogtool/cogtool/internal/decode"
	"github.com/cogtool/cogtool/internal/exit"
)

// readTokenArg returns the token given as an argument, or read from stdin
// when the argument is "-" or absent. Input beyond decode.MaxTokenSize is
// refused without reading it all.
func (f *Factory) readTokenArg(args []string) (string, error) {
	if len(args) == 1 && args[0] != "-" {
		return decode.Normalize(args[0])
	}
	if len(args) == 0 && f.IO.IsStdinTTY() {
		return "", exit.Usagef("no token: give it as an argument, or pipe it on stdin")
	}
	b, err := io.ReadAll(io.LimitReader(f.IO.In, decode.MaxTokenSize+1))
	if err != nil {
		return "", exit.Usagef("read token from stdin: %w", err)
	}
	if len(b) > decode.MaxTokenSize {
		return "", exit.Usagef("token on stdin is larger than %d bytes", decode.MaxTokenSize)
	}
	return decode.Normalize(string(b))
}
