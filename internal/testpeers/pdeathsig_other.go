//go:build unix && !linux

package testpeers

import "syscall"

func setParentDeathSignal(*syscall.SysProcAttr) {}
