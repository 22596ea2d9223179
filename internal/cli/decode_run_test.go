package cli

import (
	"testing"
)

// TestDecodeRun: decode's output for each kind of input, on a terminal
// (header and claims as text, times as RFC 3339 and relative to the fixed
// clock) and on a pipe (one JSON document).
func TestDecodeRunTable(t *testing.T) {
	access := runAccessToken(t, runIssuer)
	tests := []struct {
		name   string
		args   []string
		stdin  string
		output string // -o as given; "" is auto
	}{
		{name: "access", args: []string{access}},
		{name: "id-stdin", stdin: runIDToken(t, runIssuer) + "\n"},
		{name: "bearer-header", stdin: "Authorization: Bearer " + access + "\n"},
		{name: "refresh-jwe", args: []string{runRefreshToken()}},
		{name: "json-on-tty", args: []string{access}, output: "json"},
		{name: "not-a-jwt", args: []string{"not.a.jwt"}},
		{name: "empty-stdin", stdin: ""},
	}
	for _, tt := range tests {
		for _, tty := range []bool{true, false} {
			if tt.output != "" && !tty {
				continue
			}
			name := tt.name + "-" + ttyName(tty)
			t.Run(name, func(t *testing.T) {
				r := newRunIO(tty)
				r.In.WriteString(tt.stdin)
				f := r.factory(nil)
				err := decodeRun(&decodeOptions{IO: r.IO, Output: resolveOutput(r.IO, tt.output, "json"), Now: fixedNow,
					ReadToken: f.Input().readTokenArg, Args: tt.args})
				if tt.output == "" {
					r.check(t, "decode/"+name, err)
				} else {
					r.assertJSON(t)
					r.assertGolden(t, "decode/"+name, err)
				}
			})
		}
	}
}
