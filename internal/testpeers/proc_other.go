//go:build !unix

package testpeers

import "os/exec"

func setProcAttr(*exec.Cmd) {}

// signalGroup can only end the peer itself where there are no process groups.
func signalGroup(cmd *exec.Cmd, _ bool) {
	_ = cmd.Process.Kill()
}
