package fsutil

import (
	"io/fs"
	"os"
	"path/filepath"
)

// WriteFile writes data to path atomically: readers see the old file or
// the new one, never a part of either. The data goes to a temporary file
// beside path (mode perm, synced), which is renamed over path; the
// directory is then synced so that the rename survives a crash. The
// directory must exist.
func WriteFile(path string, data []byte, perm fs.FileMode) error {
	tmp, err := writeTemp(path, data, perm)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	syncDir(filepath.Dir(path))
	return nil
}

// CreateFile is WriteFile for a file that must be made once: it fails,
// with an error that wraps fs.ErrExist, when path exists, so that of two
// processes making it at once one wins and the other reads the winner's.
// The temporary file is linked to path, not renamed over it: no process
// ever reads path created but not yet written.
func CreateFile(path string, data []byte, perm fs.FileMode) error {
	tmp, err := writeTemp(path, data, perm)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	if err := os.Link(tmp, path); err != nil {
		return err
	}
	syncDir(filepath.Dir(path))
	return nil
}

// writeTemp writes data to a new temporary file beside path and returns
// its name. The file is removed when any step fails.
func writeTemp(path string, data []byte, perm fs.FileMode) (tmp string, err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return "", err
	}
	tmp = f.Name()
	err = f.Chmod(perm)
	if err == nil {
		_, err = f.Write(data)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return "", err
	}
	return tmp, nil
}

// syncDir makes a rename or link in dir durable where the platform allows;
// a failure costs durability only, so it is not reported.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}
