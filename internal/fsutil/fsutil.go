// Package fsutil opens the files cogtool reads — the token and JWKS caches,
// lock files, the config file, --jwks-file, --client-secret-file and
// password files — so that none of them can hang the process or exhaust
// its memory: a FIFO, a device or a directory where a regular file is
// expected is refused before any read, and every read is capped.
//
// Trusted opens the files of a private directory (the caches): the path
// must not be a symbolic link, and the file must belong to the current user
// and not be writable by group or others.
//
// It also writes the files cogtool keeps (cache entries, the binding key,
// the JWKS cache, the config file): WriteFile and CreateFile are the one
// atomic write, so that a reader never sees half a file.
package fsutil

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// ErrNotRegular is wrapped by the error for a path that is not a regular
// file (a FIFO, a device, a socket, a directory).
var ErrNotRegular = errors.New("not a regular file")

// ErrTooLarge is wrapped by the error for a file over its size cap.
var ErrTooLarge = errors.New("file too large")

// ErrUntrusted is wrapped by the errors of Trusted and CheckPrivateDir.
var ErrUntrusted = errors.New("not private to this user")

// Open opens path for reading without blocking on a FIFO, and refuses
// anything but a regular file. It follows symbolic links.
func Open(path string) (*os.File, error) { return open(path, false) }

// OpenNoFollow is Open that also refuses a symbolic link as the last
// element of path (where the platform can tell).
func OpenNoFollow(path string) (*os.File, error) { return open(path, true) }

func open(path string, nofollow bool) (*os.File, error) {
	f, err := openFile(path, nofollow)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, &fs.PathError{Op: "open", Path: path, Err: fmt.Errorf("%w (%s)", ErrNotRegular, kind(fi.Mode()))}
	}
	return f, nil
}

// ReadFile reads the regular file at path, at most max bytes.
func ReadFile(path string, max int64) ([]byte, error) { return readWith(Open, path, max) }

// ReadTrusted reads path through Trusted, at most max bytes.
func ReadTrusted(path string, max int64) ([]byte, error) { return readWith(Trusted, path, max) }

func readWith(opener func(string) (*os.File, error), path string, max int64) ([]byte, error) {
	f, err := opener(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadAll(f, path, max)
}

// ReadAll reads r to the end, failing with ErrTooLarge past max bytes.
func ReadAll(r io.Reader, path string, max int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, &fs.PathError{Op: "read", Path: path, Err: fmt.Errorf("%w (over %s)", ErrTooLarge, size(max))}
	}
	return b, nil
}

// Trusted opens path, a file in a private directory, refusing a symbolic
// link, anything but a regular file, and a file that another user owns or
// that group or others may write. The check is made on the open file, so a
// file swapped in after it cannot be read.
func Trusted(path string) (*os.File, error) {
	f, err := OpenNoFollow(path)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err == nil {
		err = checkPrivate(path, fi)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// CheckPrivateDir checks that dir is a directory (not a symbolic link to
// one) that belongs to the current user and that group and others cannot
// write.
func CheckPrivateDir(dir string) error {
	fi, err := lstatDir(dir)
	if err != nil {
		return err
	}
	return checkPrivate(dir, fi)
}

// lstatDir is os.Lstat for a path that must be a directory itself, not a
// symbolic link to one.
func lstatDir(dir string) (fs.FileInfo, error) {
	fi, err := os.Lstat(dir)
	if err != nil {
		return nil, err
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		return nil, &fs.PathError{Op: "open", Path: dir, Err: fmt.Errorf("%w: a symbolic link", ErrUntrusted)}
	}
	if !fi.IsDir() {
		return nil, &fs.PathError{Op: "open", Path: dir, Err: errors.New("not a directory")}
	}
	return fi, nil
}

func kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0, m&fs.ModeCharDevice != 0:
		return "a device"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "not a regular file"
}

func size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// CheckPrivateFile checks fi, the FileInfo of an open file at path: a
// regular file that belongs to the current user and that group and others
// cannot write.
func CheckPrivateFile(path string, fi fs.FileInfo) error {
	if !fi.Mode().IsRegular() {
		return &fs.PathError{Op: "open", Path: path, Err: fmt.Errorf("%w (%s)", ErrNotRegular, kind(fi.Mode()))}
	}
	return checkPrivate(path, fi)
}

// MkdirPrivate creates dir (and its parents) with mode 0700. An existing
// dir must be a directory, not a symbolic link, owned by the current user;
// a wider mode than 0700 is narrowed.
func MkdirPrivate(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	fi, err := lstatDir(dir)
	if err != nil {
		return err
	}
	if err := checkOwner(dir, fi); err != nil {
		return err
	}
	if fi.Mode().Perm() != 0o700 {
		return os.Chmod(dir, 0o700)
	}
	return nil
}
