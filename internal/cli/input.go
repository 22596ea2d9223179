package cli

import (
	"errors"
	"io"
	"io/fs"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cogtool/cogtool/internal/decode"
	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/fsutil"
)

// readTokenArg returns the token given as an argument, or read from stdin
// when the argument is "-" or absent. Input beyond decode.MaxTokenSize is
// refused without reading it all.
func (f *Factory) readTokenArg(args []string) (string, error) {
	if len(args) == 1 && args[0] != "-" {
		return decode.Normalize(args[0])
	}
	if len(args) == 0 && f.IO.IsStdinTTY() {
		return "", exit.Usagef("no token: give it as an argument, or pipe it on stdin")
	}
	b, err := readAtMost(f.IO.In, decode.MaxTokenSize, "token from stdin")
	if err != nil {
		return "", err
	}
	return decode.Normalize(string(b))
}

// maxSecretInput bounds a password, client secret or token read from stdin
// or a file: far above any real one, and it keeps /dev/zero or a mistaken
// multi-gigabyte file from being read whole.
const maxSecretInput = 64 << 10

// readCapped reads r to its end, refusing more than maxSecretInput bytes.
func readCapped(r io.Reader, what string) ([]byte, error) {
	return readAtMost(r, maxSecretInput, what)
}

// readAtMost reads r to its end, refusing more than max bytes without
// reading further.
func readAtMost(r io.Reader, max int, what string) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, int64(max)+1))
	if err != nil {
		return nil, exit.Usagef("read %s: %w", what, err)
	}
	if len(b) > max {
		return nil, exit.Usagef("read %s: more than %d KiB; is it the right input?", what, max>>10)
	}
	return b, nil
}

// readFileCapped reads the regular file at path with readCapped's limit.
// Its errors never show path: a secret given where its file's name belongs
// (--client-secret-file "$SECRET") must not be printed back.
func readFileCapped(path, what string) ([]byte, error) {
	b, err := fsutil.ReadFile(path, maxSecretInput)
	switch {
	case errors.Is(err, fsutil.ErrTooLarge):
		return nil, exit.Usagef("read %s: more than %d KiB; is it the right input?", what, maxSecretInput>>10)
	case errors.Is(err, fs.ErrNotExist):
		return nil, exit.Usagef("read %s: no such file", what)
	case err != nil:
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, exit.Usagef("read %s: %w", what, err)
	}
	return b, nil
}

// checkSecretLen refuses a secret or password of 1 to 3 characters: a
// value that short occurs in ordinary text, so it could be neither
// redacted everywhere nor told apart, and no real one is that short.
func checkSecretLen(what, v string) error {
	if n := utf8.RuneCountInString(v); n > 0 && n < 4 {
		return exit.Usagef("%s is %d characters long; cogtool refuses secrets shorter than 4 characters (it could not keep them out of its output)", what, n)
	}
	return nil
}

// checkText refuses a secret or token that is not printable text (invalid
// UTF-8, control characters): it is binary data given by mistake, and
// would otherwise reach a server or an HTTP header.
func checkText(what, s string) error {
	if !utf8.ValidString(s) || strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\t' }) >= 0 {
		return exit.Usagef("read %s: not text (binary data?)", what)
	}
	return nil
}
