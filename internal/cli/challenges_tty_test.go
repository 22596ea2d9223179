package cli_test

import (
	"net/url"
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
	w := strict.StartSeeded(t, strict.Options{})
	ch := w.Challenges
	line := strings.Join([]string{hardBin(t), "token", "password", "--endpoint-url", w.Server.URL, "--user-pool-id", ch.Required.ID,
		"--client-id", ch.RequiredClient.ID, "--username", ch.Newbie.Email, "-o", "json", "--no-cache"}, " ")
	waitFor, typeIn, finish := ttySession(t, line, "COGTOOL_PASSWORD="+w.Password)
	answer := func(prompt, text string) {
		t.Helper()
		waitFor(prompt)
		typeIn(text + "\n")
	}
	answer("Required attribute given_name: ", "Ada")
	answer("New password required. New password: ", newPassword)
	answer("New password again: ", newPassword)
	shown := waitFor("Code from the authenticator app: ")
	m := regexp.MustCompile(`otpauth://totp/\S+`).FindString(shown)
	u, err := url.Parse(m)
	if err != nil || u.Query().Get("secret") == "" {
		t.Fatalf("no otpauth:// URI with a secret in %q", shown)
	}
	if !strings.Contains(shown, "█") {
		t.Errorf("no QR code drawn: %q", shown)
	}
	code, err := flows.TOTPCode(u.Query().Get("secret"), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	answer("Code from the authenticator app: ", code)
	out, err := finish()
	if err != nil {
		t.Fatalf("%v: %q", err, out)
	}
	if strings.Contains(out, newPassword) {
		t.Errorf("the new password was echoed: %q", out)
	}
	if !strings.Contains(out, `"access_token": "eyJ`) {
		t.Errorf("no tokens after the prompts: %q", out)
	}
	if strings.Contains(out, "token respond") {
		t.Errorf("a terminal session should not be sent to token respond: %q", out)
	}
}
