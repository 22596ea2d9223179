package cli_test

import (
	"bufio"
	"context"
	"errors"
	"net"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestInterruptExits130 interrupts a command that is waiting (token login
// for its browser callback) and expects exit 130, one "interrupted" line,
// and the loopback callback server gone.
func TestInterruptExits130(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, hardBin(t), "token", "login", "--domain", "http://127.0.0.1:1",
		"--client-id", "some-client", "--region", "us-east-1", "--no-browser", "--no-cache", "--timeout", "1m", "--port", "0")
	cmd.Env = hardEnv(t.TempDir())
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Read stderr until the authorize URL and the redirect URI waited on
	// show: the callback server is up.
	lines := bufio.NewScanner(stderr)
	var authURL string
	for lines.Scan() {
		l := strings.TrimSpace(lines.Text())
		if strings.HasPrefix(l, "http://127.0.0.1:1/oauth2/authorize?") {
			authURL = l
		}
		if strings.HasPrefix(l, "Waiting for the callback on ") {
			break
		}
	}
	if authURL == "" {
		cmd.Process.Kill()
		t.Fatalf("login printed no authorize URL")
	}
	u, _ := url.Parse(authURL)
	redirect, err := url.Parse(u.Query().Get("redirect_uri"))
	if err != nil {
		t.Fatal(err)
	}
	if c, err := net.Dial("tcp", "127.0.0.1:"+redirect.Port()); err != nil {
		t.Fatalf("callback server not listening on %s: %v", redirect.Host, err)
	} else {
		c.Close()
	}

	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	var rest strings.Builder
	for lines.Scan() {
		rest.WriteString(lines.Text() + "\n")
	}
	err = cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Fatalf("exit: %v, want code 130; stderr after the signal: %q", err, rest.String())
	}
	if got := strings.TrimSpace(rest.String()); got != "cogtool: interrupted" {
		t.Errorf("stderr after the signal = %q, want one line \"cogtool: interrupted\"", got)
	}
	if c, err := net.DialTimeout("tcp", "127.0.0.1:"+redirect.Port(), time.Second); err == nil {
		c.Close()
		t.Errorf("callback server still listening on %s after the interrupt", redirect.Host)
	}
}
