package cli_test

import (
	"context"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cogtool/cogtool/internal/testpeers"
)

// TestColourOnlyOnATerminal runs decode under a pseudo-terminal (script(1)
// from util-linux) and through a pipe: colour appears only on the
// terminal, and never with NO_COLOR set.
func TestColourOnlyOnATerminal(t *testing.T) {
	const tok = "eyJraWQiOiJhYmMiLCJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhYWFhLWJiYmIiLCJ0b2tlbl91c2UiOiJhY2Nlc3MiLCJleHAiOjE3MDAwMDM2MDB9.c2ln"
	script, err := exec.LookPath("script")
	if err != nil {
		t.Fatalf("script(1) from util-linux is needed for a pseudo-terminal: %v", err)
	}
	bin := hardBin(t)
	run := func(env []string, viaTTY bool) string {
		t.Helper()
		var cmd *exec.Cmd
		if viaTTY {
			cmd = exec.Command(script, "-qec", bin+" decode "+tok, "/dev/null")
		} else {
			cmd = exec.Command(bin, "decode", "-o", "text", tok)
		}
		cmd.Env = env
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%v: %v", cmd.Args, err)
		}
		if !strings.Contains(string(out), "signature NOT verified") {
			t.Fatalf("%v: no decode output: %q", cmd.Args, out)
		}
		return string(out)
	}
	home := t.TempDir()
	env := hardEnv(home) // sets NO_COLOR=1
	var noColor []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "NO_COLOR=") {
			noColor = append(noColor, kv)
		}
	}
	withColor := slices.Concat(noColor, []string{"TERM=xterm"})

	if out := run(withColor, true); !strings.Contains(out, "\x1b[") {
		t.Errorf("on a terminal: no colour in %q", out)
	}
	if out := run(slices.Concat(withColor, []string{"NO_COLOR=1"}), true); strings.Contains(out, "\x1b[") {
		t.Errorf("on a terminal with NO_COLOR: colour in %q", out)
	}
	if out := run(withColor, false); strings.Contains(out, "\x1b[") {
		t.Errorf("through a pipe: colour in %q", out)
	}
}

// TestPasswordPromptDoesNotEcho signs in on cognito-local with the
// password typed at a prompt on a pseudo-terminal: the prompt goes to the
// terminal, the password is not echoed, and the tokens come out.
func TestPasswordPromptDoesNotEcho(t *testing.T) {
	const password = "Typed-Passw0rd!"
	cl := sharedPeer(t, "cognito-local")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	pool, err := testpeers.SeedCognitoLocal(ctx, cl.URL, testpeers.CognitoLocalOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := testpeers.CreateUser(ctx, cl.URL, pool.ID, "typist", password, true); err != nil {
		t.Fatal(err)
	}
	line := strings.Join([]string{hardBin(t), "token", "password", "--endpoint-url", cl.URL, "--region", "us-east-1",
		"--client-id", pool.PublicClientID, "--username", "typist", "-o", "json", "--no-cache"}, " ")
	waitFor, typeIn, finish := ttySession(t, line)
	waitFor("Password for typist: ")
	typeIn(password + "\n")
	out, err := finish()
	if err != nil {
		t.Fatalf("%v: %q", err, out)
	}
	if strings.Contains(out, password) {
		t.Errorf("the password was echoed: %q", out)
	}
	if !strings.Contains(out, `"access_token": "eyJ`) {
		t.Errorf("no tokens after the prompt: %q", out)
	}
}
