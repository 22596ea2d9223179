package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/iostreams"
	"github.com/cogtool/cogtool/internal/redact"
)

func TestExitCode(t *testing.T) {
	live := context.Background()
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tt := range []struct {
		name string
		ctx  context.Context
		err  error
		want int
	}{
		{"plain error is unexpected", live, errors.New("boom"), exit.Unexpected},
		{"coded error", live, exit.Authf("refused"), exit.Auth},
		{"wrapped coded error", live, fmt.Errorf("ctx: %w", exit.Networkf("down")), exit.Network},
		{"usage error", live, &usageError{err: errors.New("bad flag")}, exit.Usage},
		{"interrupt", cancelled, fmt.Errorf("call: %w", context.Canceled), exit.Interrupted},
		{"cancel without an interrupt is not 130", live, context.Canceled, exit.Unexpected},
	} {
		if got := exitCode(tt.ctx, tt.err); got != tt.want {
			t.Errorf("%s: exit code %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestPrintErrorJSONAndRedaction(t *testing.T) {
	io, _, _, errOut := iostreams.Test()
	err := &exit.Error{Code: exit.Auth, AWSError: "NotAuthorizedException", Err: errors.New("refused s3cr3t-value\nsecond line")}
	secrets := redact.NewSet()
	secrets.Add("s3cr3t-value")
	printError(io, err, exit.Auth, secrets, true)
	got := errOut.String()
	want := `{"error":{"aws_error":"NotAuthorizedException","code":4,"kind":"auth","message":"refused [redacted] second line"}}` + "\n"
	if got != want {
		t.Errorf("stderr = %q\nwant     %q", got, want)
	}

	io, _, _, errOut = iostreams.Test()
	printError(io, errors.New("boom"), exit.Unexpected, redact.NewSet(), false)
	if got := errOut.String(); got != "cogtool: boom\n" || strings.Count(got, "\n") != 1 {
		t.Errorf("text error = %q, want one line", got)
	}
}
