//go:build !windows

package cli

import (
	"os"
	"syscall"
)

// forwardedSignals are passed on to exec's command. SIGKILL and SIGSTOP
// cannot be caught; SIGCHLD and SIGWINCH concern cogtool, or reach the
// command from the terminal directly.
var forwardedSignals = []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT,
	syscall.SIGUSR1, syscall.SIGUSR2, syscall.SIGALRM}
