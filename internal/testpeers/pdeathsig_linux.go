package testpeers

import "syscall"

// setParentDeathSignal makes the kernel kill a peer whose test binary died
// without calling Stop (a panic or a test timeout), so no server outlives
// its test run.
func setParentDeathSignal(a *syscall.SysProcAttr) {
	a.Pdeathsig = syscall.SIGKILL
}
