package cli_test

import (
	"os"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/cogtool/cogtool/internal/testpeers/strict"
)

// cmdPeerStrict (peer strict): starts a private strict Cognito fake for
// this script, seeded with strict.Seed's world, exports its STRICT_*
// variables (strict.Seeded.Env) and writes the secret client's secret to
// $WORK/strict-secret.txt (mode 0600). It runs in the test process, so it
// needs neither Node nor Python, and stops when the script ends.
func cmdPeerStrict(ts *testscript.TestScript, args []string) {
	if len(args) != 0 {
		ts.Fatalf("usage: peer strict")
	}
	s, err := strict.New(strict.Options{})
	ts.Check(err)
	ts.Defer(s.Close)
	w, err := s.Seed()
	ts.Check(err)
	for k, v := range w.Env() {
		ts.Setenv(k, v)
	}
	ts.Check(os.WriteFile(ts.MkAbs("strict-secret.txt"), []byte(w.Secret.Secret+"\n"), 0o600))
	ts.Logf("strict fake at %s: %s", s.URL, strings.Join(w.EnvNames(), " "))
}
