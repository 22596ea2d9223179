package cli

import (
	"slices"
	"strings"
	"testing"

	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/iostreams"
)

func TestCallArgs(t *testing.T) {
	tests := []struct {
		args    []string
		method  string
		url     string
		data    bool
		expect  []string
		wantErr string
	}{
		{args: []string{"https://api/x"}, method: "GET", url: "https://api/x"},
		{args: []string{"https://api/x", "-d", "a=1"}, method: "POST", url: "https://api/x", data: true},
		{args: []string{"put", "https://api/x", "-d", "@f"}, method: "PUT", url: "https://api/x", data: true},
		{args: []string{"DELETE", "https://api/x"}, method: "DELETE", url: "https://api/x"},
		{args: []string{"https://api/x", "--expect-status", "200", "--expect-status", "404"}, method: "GET", url: "https://api/x", expect: []string{"200", "404"}},
		{args: []string{"-X", "patch", "api/x"}, method: "PATCH", url: "api/x"},
		{args: []string{"--request", "PUT", "https://api/x", "-d", "a"}, method: "PUT", url: "https://api/x", data: true},
		{args: []string{"POST", "https://api/x", "-X", "GET"}, wantErr: "method POST and -X GET disagree"},
		{args: []string{"https://api/x", "--expect-status", "2xx", "--expect-status", "400-404,418"}, method: "GET", url: "https://api/x", expect: []string{"2xx", "400-404,418"}},
		{args: []string{"https://api/x", "--expect-status", "6xx"}, wantErr: "not an HTTP status"},
		{args: []string{"https://api/x", "--expect-status", "300-200"}, wantErr: "not an HTTP status"},
		{args: []string{"https://api/x", "--password-stdin", "--token", "-"}, wantErr: "cannot share stdin"},
		{args: []string{}, wantErr: "accepts between 1 and 2 arg(s)"},
		{args: []string{"a", "b", "c"}, wantErr: "accepts between 1 and 2 arg(s)"},
		{args: []string{"https://api/x", "--which", "refresh"}, wantErr: "--which must be access or id"},
		{args: []string{"https://api/x", "--expect-status", "42"}, wantErr: "not an HTTP status"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			io, _, _, _ := iostreams.Test()
			var got *callOptions
			cmd := newCallCmd(&Factory{IO: io}, func(o *callOptions) error { got = o; return nil })
			cmd.SetArgs(tt.args)
			cmd.SilenceErrors, cmd.SilenceUsage = true, true
			err := cmd.Execute()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				if exitCode(t.Context(), err) != exit.Usage {
					t.Fatalf("exit code %d, want 2", exitCode(t.Context(), err))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Method != tt.method || got.URL != tt.url || got.dataSet != tt.data || !slices.Equal(got.Expect, tt.expect) {
				t.Fatalf("got %+v", got)
			}
		})
	}
}

func TestStatusExpected(t *testing.T) {
	for _, tt := range []struct {
		expect []string
		code   int
		want   bool
	}{
		{nil, 204, true}, {nil, 301, false},
		{[]string{"2xx"}, 299, true}, {[]string{"2XX"}, 300, false},
		{[]string{"200-299"}, 250, true}, {[]string{"200-299"}, 199, false},
		{[]string{"401"}, 401, true}, {[]string{"401,403"}, 403, true}, {[]string{"4xx", "500"}, 500, true},
		{[]string{"4xx", "500"}, 502, false},
	} {
		var rs []statusRange
		for _, e := range tt.expect {
			r, err := parseExpect(e)
			if err != nil {
				t.Fatal(err)
			}
			rs = append(rs, r...)
		}
		if got := statusExpected(tt.code, rs); got != tt.want {
			t.Errorf("statusExpected(%d, %q) = %v, want %v", tt.code, tt.expect, got, tt.want)
		}
	}
}

func TestParseHeader(t *testing.T) {
	for in, want := range map[string][2]string{
		"X-A: b":         {"X-A", "b"},
		"X-A:b":          {"X-A", "b"},
		"  X-A :  b c  ": {"X-A", "b c"},
		"X-Empty:":       {"X-Empty", ""},
		"Accept: a: b":   {"Accept", "a: b"},
	} {
		n, v, err := parseHeader(in)
		if err != nil || n != want[0] || v != want[1] {
			t.Errorf("parseHeader(%q) = %q, %q, %v; want %q", in, n, v, err, want)
		}
	}
	for _, bad := range []string{"NoColon", ": value", "Two Words: x", "X: a\r\nInjected: y"} {
		if _, _, err := parseHeader(bad); exit.CodeOf(err) != exit.Usage {
			t.Errorf("parseHeader(%q): err = %v, want a usage error", bad, err)
		}
	}
}

func TestVerifyArgs(t *testing.T) {
	io, _, _, _ := iostreams.Test()
	var got *verifyOptions
	cmd := newVerifyCmd(&Factory{IO: io}, func(o *verifyOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"tok", "--client-id", "a", "--client-id", "b", "--scope", "s1", "--group", "g", "--token-use", "id", "--leeway", "30s"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Args, []string{"tok"}) || !slices.Equal(got.ClientIDs, []string{"a", "b"}) ||
		!slices.Equal(got.Scopes, []string{"s1"}) || !slices.Equal(got.Groups, []string{"g"}) ||
		got.TokenUse != "id" || got.Leeway.String() != "30s" {
		t.Fatalf("got %+v", got)
	}
	cmd = newVerifyCmd(&Factory{IO: io}, func(o *verifyOptions) error { return nil })
	cmd.SetArgs([]string{"--batch", "tok"})
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	if err := cmd.Execute(); err == nil || !strings.Contains(err.Error(), "--batch reads tokens from stdin") {
		t.Fatalf("--batch with a token: err = %v", err)
	}
}
