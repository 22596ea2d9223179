//go:build unix

package fsutil

import (
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// openFile opens path read-only with O_NONBLOCK, so that opening a FIFO
// does not wait for a writer (reads of a regular file ignore the flag),
// and with O_NOFOLLOW when asked.
func openFile(path string, nofollow bool) (*os.File, error) {
	flags := os.O_RDONLY | syscall.O_NONBLOCK | syscall.O_CLOEXEC
	if nofollow {
		flags |= syscall.O_NOFOLLOW
	}
	f, err := os.OpenFile(path, flags, 0)
	if err != nil && nofollow && isLoop(err) {
		if fi, lerr := os.Lstat(path); lerr == nil && fi.Mode()&fs.ModeSymlink != 0 {
			return nil, &fs.PathError{Op: "open", Path: path, Err: fmt.Errorf("%w: a symbolic link", ErrUntrusted)}
		}
	}
	return f, err
}

func isLoop(err error) bool {
	pe, ok := err.(*fs.PathError)
	return ok && pe.Err == syscall.ELOOP
}

// NoFollow is O_NOFOLLOW: an open with it fails on a symbolic link.
const NoFollow = syscall.O_NOFOLLOW

// checkOwner refuses a file or directory that another user owns.
func checkOwner(path string, fi fs.FileInfo) error {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	if uid := os.Getuid(); int(st.Uid) != uid {
		return &fs.PathError{Op: "open", Path: path, Err: fmt.Errorf("%w: owned by uid %d, not %d", ErrUntrusted, st.Uid, uid)}
	}
	return nil
}

// checkPrivate refuses a file or directory that another user owns or that
// group or others may write.
func checkPrivate(path string, fi fs.FileInfo) error {
	if err := checkOwner(path, fi); err != nil {
		return err
	}
	if fi.Mode().Perm()&0o022 != 0 {
		return &fs.PathError{Op: "open", Path: path, Err: fmt.Errorf("%w: mode %04o lets group or others write", ErrUntrusted, fi.Mode().Perm())}
	}
	return nil
}
