package cli_test

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// ttySession runs a shell line under script(1), a pseudo-terminal, with
// hardEnv's environment and env added, and returns a function that waits
// for text in its output, one that types, and one that reads the rest and
// returns the whole transcript and how the session exited.
func ttySession(t *testing.T, line string, env ...string) (waitFor func(string) string, typeIn func(string), finish func() (string, error)) {
	t.Helper()
	script, err := exec.LookPath("script")
	if err != nil {
		t.Fatalf("script(1) from util-linux is needed for a pseudo-terminal: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	cmd := exec.CommandContext(ctx, script, "-qec", line, "/dev/null")
	cmd.Env = hardEnv(t.TempDir(), env...)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	buf := make([]byte, 4096)
	waitFor = func(s string) string {
		t.Helper()
		for !strings.Contains(out.String(), s) {
			n, err := stdout.Read(buf)
			out.Write(buf[:n])
			if err != nil {
				t.Fatalf("never saw %q: %v: %q", s, err, tail(out.String()))
			}
		}
		return out.String()
	}
	typeIn = func(s string) {
		// Let the prompt switch echo off, as a person's pause would.
		time.Sleep(300 * time.Millisecond)
		io.WriteString(stdin, s)
	}
	finish = func() (string, error) {
		rest, _ := io.ReadAll(stdout)
		out.Write(rest)
		err := cmd.Wait()
		return out.String(), err
	}
	return waitFor, typeIn, finish
}

// TestVerifyRejectionShownOnceOnATerminal: on a terminal, a rejected token
// shows its reason once (the error line), not also as a result line.
func TestVerifyRejectionShownOnceOnATerminal(t *testing.T) {
	dir := t.TempDir()
	jwks := filepath.Join(dir, "jwks.json")
	if err := os.WriteFile(jwks, []byte(`{"keys":[{"kty":"RSA","kid":"k1","use":"sig","alg":"RS256","n":"sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw","e":"AQAB"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	const tok = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln" // no iss, no kid
	_, _, finish := ttySession(t, hardBin(t)+" verify --issuer https://issuer.example --jwks-file "+jwks+" "+tok+`; echo "rc=$?"`)
	out, _ := finish() // the line echoes its own rc
	if !strings.Contains(out, "rc=3") {
		t.Fatalf("want exit 3: %q", out)
	}
	if n := strings.Count(out, "missing "); n != 1 {
		t.Errorf("the rejection shows %d times on the terminal, want once: %q", n, out)
	}
}

// TestNewPasswordAskedTwice: a new password typed at a prompt is asked
// twice, and two different answers change nothing (exit 2).
func TestNewPasswordAskedTwice(t *testing.T) {
	line := hardBin(t) + " user set-password bob --user-pool-id us-east-1_abc --endpoint-url http://127.0.0.1:1" + `; echo "rc=$?"`
	waitFor, typeIn, finish := ttySession(t, line)
	waitFor("New password for bob: ")
	typeIn("Passw0rd!one\n")
	waitFor("Again: ")
	typeIn("Passw0rd!two\n")
	out, _ := finish() // the line echoes its own rc
	if !strings.Contains(out, "the two passwords differ") || !strings.Contains(out, "rc=2") {
		t.Errorf("want a mismatch error and exit 2: %q", out)
	}
	if strings.Contains(out, "Passw0rd!") {
		t.Errorf("a password was echoed: %q", out)
	}
}
