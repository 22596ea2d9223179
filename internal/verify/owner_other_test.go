//go:build !unix

package verify

import (
	"errors"
	"testing"
)

func chownOther(t *testing.T, paths ...string) {
	t.Skip("no file owners to simulate another local user with on this platform")
}

func mkfifo(string) error { return errors.New("no FIFOs on this platform") }
