//go:build unix

package verify

import (
	"os"
	"syscall"
	"testing"
)

// chownOther gives paths to uid 65534 (nobody), as if another local user
// had created them; only root can, so the test is skipped otherwise.
func chownOther(t *testing.T, paths ...string) {
	t.Helper()
	if os.Getuid() != 0 {
		t.Skip("simulating another local user needs root (to chown files to uid 65534)")
	}
	for _, p := range paths {
		if err := os.Lchown(p, 65534, 65534); err != nil {
			t.Fatal(err)
		}
	}
}

func mkfifo(path string) error { return syscall.Mkfifo(path, 0o600) }
