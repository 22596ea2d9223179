package cli_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// nonLoopbackIPv4 returns an address of this machine that is not loopback,
// as a docker-compose service name would resolve to.
func nonLoopbackIPv4(t *testing.T) string {
	t.Helper()
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.To4() != nil && !n.IP.IsLoopback() {
			return n.IP.String()
		}
	}
	t.Fatal("this machine has no non-loopback IPv4 address to test plain http with")
	return ""
}

// TestAllowHTTP: plain http to a non-loopback host is refused unless
// --allow-http or COGTOOL_ALLOW_HTTP=1 says so, with a warning each time;
// allow_http is not a profile key.
func TestAllowHTTP(t *testing.T) {
	ln, err := net.Listen("tcp4", "0.0.0.0:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("reached\n"))
	}))
	srv.Listener = ln
	srv.Start()
	defer srv.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	url := "http://" + net.JoinHostPort(nonLoopbackIPv4(t), port) + "/x"
	const tok = "eyJhbGciOiJub25lIn0.e30.x"
	home := t.TempDir()

	run := func(env []string, args ...string) (int, string, string) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		cmd, stdout, stderr := hardCommand(t, ctx, hardEnv(home, env...), "", args...)
		err := cmd.Run()
		var ee *exec.ExitError
		code := 0
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return code, stdout.String(), stderr.String()
	}
	if code, _, stderr := run(nil, "call", url, "--token", tok); code != 2 || !strings.Contains(stderr, "plain http") {
		t.Errorf("without --allow-http: exit %d, stderr %q; want 2 and a refusal", code, stderr)
	}
	for _, tc := range []struct {
		name string
		env  []string
		args []string
	}{
		{"flag", nil, []string{"call", url, "--token", tok, "--allow-http"}},
		{"env", []string{"COGTOOL_ALLOW_HTTP=1"}, []string{"call", url, "--token", tok}},
	} {
		code, stdout, stderr := run(tc.env, tc.args...)
		if code != 0 || stdout != "reached\n" {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want 0 and the body", tc.name, code, stdout, stderr)
		}
		if strings.Count(stderr, "over plain http") != 1 {
			t.Errorf("%s: want one plain-http warning on stderr, got %q", tc.name, stderr)
		}
	}
	if code, _, _ := run(nil, "config", "set", "allow_http", "true"); code != 2 {
		t.Errorf("config set allow_http: exit %d, want 2 (not a profile key)", code)
	}
}
