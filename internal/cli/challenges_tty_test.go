package cli_test

import (
	"context"
	"io"
	"net/url"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cogtool/cogtool/internal/flows"
	"github.com/cogtool/cogtool/internal/testpeers/strict"
)

// TestChallengePromptsOnATerminal answers a chain of challenges in one
// process on a pseudo-terminal, against the strict fake: the required
// attribute and the new password are prompted (the password twice, not
// echoed), MFA_SETUP shows a QR code and the otpauth:// URI, and the code
// typed from it (computed here, as an authenticator app would) finishes
// the sign-in. Nothing is saved for 'token respond'.
func TestChallengePromptsOnATerminal(t *testing.T) {
	const newPassword = "Typed-N3w-Passw0rd!"
	s, err := strict.New(strict.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	w, err := s.Seed()
	if err != nil {
		t.Fatal(err)
	}
	ch := w.Challenges
	script, err := exec.LookPath("script")
	if err != nil {
		t.Fatalf("script(1) from util-linux is needed for a pseudo-terminal: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	line := strings.Join([]string{hardBin(t), "token", "password", "--endpoint-url", s.URL, "--user-pool-id", ch.Required.ID,
		"--client-id", ch.RequiredClient.ID, "--username", ch.Newbie.Email, "-o", "json", "--no-cache"}, " ")
	cmd := exec.CommandContext(ctx, script, "-qec", line, "/dev/null")
	home := t.TempDir()
	cmd.Env = hardEnv(home, "COGTOOL_PASSWORD="+w.Password)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	buf := make([]byte, 4096)
	waitFor := func(s string) {
		t.Helper()
		for !strings.Contains(out.String(), s) {
			n, err := stdout.Read(buf)
			out.Write(buf[:n])
			if err != nil {
				t.Fatalf("no %q: %v: %q", s, err, out.String())
			}
		}
	}
	answer := func(prompt, text string) {
		t.Helper()
		waitFor(prompt)
		time.Sleep(200 * time.Millisecond) // the reader switches echo off after the prompt
		io.WriteString(stdin, text+"\n")
	}
	answer("Required attribute given_name: ", "Ada")
	answer("New password required. New password: ", newPassword)
	answer("New password again: ", newPassword)
	waitFor("Code from the authenticator app: ")
	m := regexp.MustCompile(`otpauth://totp/\S+`).FindString(out.String())
	u, err := url.Parse(m)
	if err != nil || u.Query().Get("secret") == "" {
		t.Fatalf("no otpauth:// URI with a secret in %q", out.String())
	}
	if !strings.Contains(out.String(), "█") {
		t.Errorf("no QR code drawn: %q", out.String())
	}
	code, err := flows.TOTPCode(u.Query().Get("secret"), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	answer("Code from the authenticator app: ", code)
	rest, _ := io.ReadAll(stdout)
	out.Write(rest)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("%v: %q", err, out.String())
	}
	if strings.Contains(out.String(), newPassword) {
		t.Errorf("the new password was echoed: %q", out.String())
	}
	if !strings.Contains(out.String(), `"access_token": "eyJ`) {
		t.Errorf("no tokens after the prompts: %q", out.String())
	}
	if strings.Contains(out.String(), "token respond") {
		t.Errorf("a terminal session should not be sent to token respond: %q", out.String())
	}
}
