package testpeers

import (
	"errors"
	"os"
)

// EnvPeers names the variable that decides what a test does when a peer's
// runtime or package is missing: "required" (set by `make test` and so by
// .ci/run) makes it a failure; anything else makes it a skip that says
// what to install. A peer that is installed but fails to start is always a
// failure.
const EnvPeers = "COGTOOL_TEST_PEERS"

// ErrNotInstalled marks a start error caused by a missing runtime (node,
// python3) or package (an npm peer, moto's server).
var ErrNotInstalled = errors.New("test peer not installed")

// Required reports whether missing peers fail tests ($COGTOOL_TEST_PEERS=required).
func Required() bool { return os.Getenv(EnvPeers) == "required" }

// TB is the part of testing.TB the policy needs.
type TB interface {
	Helper()
	Skipf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// Need applies the one policy for a peer that did not start: nothing when
// err is nil; a skip naming what is missing when the peer is not installed
// and peers are not required; a failure otherwise.
func Need(t TB, name string, err error) {
	if err == nil {
		return
	}
	t.Helper()
	if errors.Is(err, ErrNotInstalled) && !Required() {
		t.Skipf("%s is not available (%v); `make test` installs it and sets %s=required", name, err, EnvPeers)
	}
	t.Fatalf("start %s: %v", name, err)
}
