//go:build !unix

package fsutil

import (
	"io/fs"
	"os"
)

// openFile opens path read-only. Without O_NOFOLLOW, a symbolic link is
// refused by a check before the open.
func openFile(path string, nofollow bool) (*os.File, error) {
	if nofollow {
		if fi, err := os.Lstat(path); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
			return nil, &fs.PathError{Op: "open", Path: path, Err: ErrUntrusted}
		}
	}
	return os.Open(path)
}

// checkPrivate has no owner to compare on this platform; the directory's
// ACL, set by the user profile, is what protects it.
func checkPrivate(string, fs.FileInfo) error { return nil }

// NoFollow is 0 here: symbolic links are refused by a check before opening.
const NoFollow = 0

func checkOwner(string, fs.FileInfo) error { return nil }
