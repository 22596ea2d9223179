package cli_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// waitBlockedOnPipe waits until a thread of pid sleeps in a pipe read: the
// process is past its start and waits on its stdin.
func waitBlockedOnPipe(t *testing.T, pid int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		tasks, _ := filepath.Glob(filepath.Join("/proc", itoa(pid), "task", "*", "wchan"))
		for _, w := range tasks {
			if b, err := os.ReadFile(w); err == nil && strings.Contains(string(b), "pipe_read") {
				return
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("process %d never blocked reading its stdin", pid)
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestSignalEndsStdinRead: every command that waits on stdin (decode -,
// call --token -, token password --password-stdin, a client secret from
// --client-secret-file -) exits 130 with one "interrupted" line at SIGINT or
// SIGTERM, while the writer of its stdin keeps the pipe open.
func TestSignalEndsStdinRead(t *testing.T) {
	common := []string{"--region", "us-east-1", "--client-id", "c", "--no-cache", "--endpoint-url", "http://127.0.0.1:1"}
	cases := []struct {
		name string
		sig  syscall.Signal
		args []string
	}{
		{"decode", syscall.SIGTERM, []string{"decode", "-"}},
		{"verify", syscall.SIGINT, []string{"verify", "--issuer", "https://i", "--jwks-url", "http://127.0.0.1:1/jwks", "-"}},
		{"call --token -", syscall.SIGINT, []string{"call", "--token", "-", "http://127.0.0.1:1/"}},
		{"token password", syscall.SIGTERM, append([]string{"token", "password", "--username", "u", "--password-stdin"}, common...)},
		{"client secret from stdin", syscall.SIGINT, append([]string{"token", "password", "--username", "u", "--client-secret-file", "-"}, common...)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			pr, pw, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			defer pw.Close() // the writer stays open until the end
			cmd := exec.CommandContext(ctx, hardBin(t), tc.args...)
			cmd.Env = hardEnv(t.TempDir())
			cmd.Stdin = pr
			var stderr strings.Builder
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			pr.Close()
			waitBlockedOnPipe(t, cmd.Process.Pid)
			start := time.Now()
			if err := cmd.Process.Signal(tc.sig); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err = <-done:
			case <-time.After(20 * time.Second):
				cmd.Process.Kill()
				<-done
				t.Fatalf("still waiting on stdin 20s after %v; stderr %q", tc.sig, stderr.String())
			}
			t.Logf("exited %v after the signal", time.Since(start).Round(time.Millisecond))
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 130 {
				t.Fatalf("exit: %v, want 130; stderr %q", err, stderr.String())
			}
			if got := strings.TrimSpace(stderr.String()); !strings.HasSuffix(got, "cogtool: interrupted") || strings.Count(got, "\n") > 1 {
				t.Errorf("stderr = %q, want it to end with one line \"cogtool: interrupted\"", got)
			}
		})
	}
}

// TestInterruptedPromptRestoresTerminal types Ctrl-C at a password prompt on
// a pseudo-terminal: cogtool exits 130 and the terminal echoes again
// afterwards. With --password-stdin on a terminal it says it reads stdin.
func TestInterruptedPromptRestoresTerminal(t *testing.T) {
	for _, tc := range []struct {
		name, extra, waitFor string
	}{
		{"prompt", "", "Password for u: "},
		{"password-stdin", "--password-stdin", "reading the password from stdin"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			line := hardBin(t) + " token password --region us-east-1 --client-id c --username u --no-cache " +
				"--endpoint-url http://127.0.0.1:1 " + tc.extra
			// bash runs a trap, not an ignore, so cogtool gets SIGINT with the
			// default disposition, and bash survives it to run stty.
			sh := `trap : INT; ` + line + `; echo "rc=$?"; stty -a`
			waitFor, typeIn, finish := ttySession(t, "bash -c '"+sh+"'")
			waitFor(tc.waitFor)
			typeIn("\x03")
			got, _ := finish() // the transcript says rc=
			if !strings.Contains(got, "rc=130") {
				t.Fatalf("want exit 130 after Ctrl-C; terminal showed %q", got)
			}
			if i := strings.Index(got, "rc=130"); strings.Contains(got[i:], "-echo ") || !strings.Contains(got[i:], " echo ") {
				t.Errorf("echo is off after the interrupted prompt: %q", got[i:])
			}
			if tc.extra != "" && strings.Contains(got, "getting a token") {
				t.Errorf("a spinner ran while waiting for typed input: %q", got)
			}
		})
	}
}

// tail keeps the end of a long terminal transcript for a failure message.
func tail(s string) string {
	if len(s) > 400 {
		return "..." + s[len(s)-400:]
	}
	return s
}
