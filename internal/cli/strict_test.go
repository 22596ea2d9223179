package cli_test

import (
	"os"
	"strconv"
	"strings"
	"sync"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/cogtool/cogtool/internal/testpeers/strict"
)

// cmdPeerStrict (peer strict): starts a private strict Cognito fake for
// this script, seeded with strict.Seed's world, exports its STRICT_*
// variables (strict.Seeded.Env) and writes the secret client's secret to
// $WORK/strict-secret.txt (mode 0600). It runs in the test process, so it
// needs neither Node nor Python, and stops when the script ends.
//
// peer strict legacy-refresh: the same, on an endpoint that predates
// GetTokensFromRefreshToken (refresh falls back to REFRESH_TOKEN_AUTH).
func cmdPeerStrict(ts *testscript.TestScript, args []string) {
	opts := strict.Options{}
	switch {
	case len(args) == 1 && args[0] == "legacy-refresh":
		opts.LegacyRefresh = true
	case len(args) != 0:
		ts.Fatalf("usage: peer strict [legacy-refresh]")
	}
	s, err := strict.New(opts)
	ts.Check(err)
	ts.Defer(s.Close)
	w, err := s.Seed()
	ts.Check(err)
	for k, v := range w.Env() {
		ts.Setenv(k, v)
	}
	ts.Check(os.WriteFile(ts.MkAbs("strict-secret.txt"), []byte(w.Secret.Secret+"\n"), 0o600))
	strictPeers.Store(ts.Getenv("WORK"), s)
	ts.Logf("strict fake at %s: %s", s.URL, strings.Join(w.EnvNames(), " "))
}

// strictPeers holds each script's strict fake, by $WORK.
var strictPeers sync.Map

// cmdStrict acts on the script's strict fake (start it with `peer strict`):
//
//	strict inject OP NAME MESSAGE   the next OP call answers the AWS error NAME: MESSAGE
//	strict calls OP N               asserts the fake answered N calls of OP
//	strict freeze                   stops the fake's clock (lockouts and sessions last)
//	strict code USER VAR            sets $VAR to the sign-up code last sent to USER
func cmdStrict(ts *testscript.TestScript, neg bool, args []string) {
	v, ok := strictPeers.Load(ts.Getenv("WORK"))
	if !ok {
		ts.Fatalf("strict: no strict fake; run `peer strict` first")
	}
	s := v.(*strict.Server)
	switch {
	case len(args) == 4 && args[0] == "inject" && !neg:
		s.Inject(args[1], args[2], args[3])
	case len(args) == 1 && args[0] == "freeze" && !neg:
		s.Freeze()
	case len(args) == 3 && args[0] == "code" && !neg:
		code := s.ConfirmationCode(args[1])
		if code == "" {
			ts.Fatalf("strict code: no confirmation code was sent to %s", args[1])
		}
		ts.Setenv(args[2], code)
	case len(args) == 3 && args[0] == "calls":
		want, err := strconv.Atoi(args[2])
		ts.Check(err)
		if got := s.Calls(args[1]); (got == want) == neg {
			ts.Fatalf("%s calls: %d, want %s%d", args[1], got, map[bool]string{true: "not ", false: ""}[neg], want)
		}
	default:
		ts.Fatalf("usage: strict inject OP NAME MESSAGE | strict calls OP N | strict freeze | strict code USER VAR")
	}
}
