package cli

// This file is the one way secrets enter cogtool. Every function in it
// that returns a client secret, password, one-time code or token has
// registered it, and the forms a server may quote back (the HTTP Basic
// credential, the SECRET_HASH), in the run's redaction set (Factory.secrets)
// before returning it. The set is made in Run and shared by reference with
// the --debug trace and call -v (httpx), the user-pool client (which adds
// each SECRET_HASH a flow computes) and the token source (which adds every
// token and challenge Session it meets), so no error, trace or -v line
// prints a value, even one read after they were built.

import (
	"bufio"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cogtool/cogtool/internal/cognito"
	"github.com/cogtool/cogtool/internal/decode"
	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/flows"
	"github.com/cogtool/cogtool/internal/fsutil"
)

// secret registers v when err is nil and returns both: the tail of every
// input method.
func (f *Factory) secret(v string, err error) (string, error) {
	if err == nil {
		f.secrets.Add(v)
	}
	return v, err
}

// readTokenArg returns the token given as an argument, or read from stdin
// when the argument is "-" or absent. Input beyond decode.MaxTokenSize is
// refused without reading it all.
func (f *Factory) readTokenArg(args []string) (string, error) {
	return f.secret(f.tokenArg(args))
}

func (f *Factory) tokenArg(args []string) (string, error) {
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

// bearerToken returns the token call sends: v (--token), or with "-" the
// first line of stdin, without any "Bearer " prefix.
func (f *Factory) bearerToken(v string) (string, error) {
	if v == "-" {
		line, err := readLine(f.IO.In, "token from stdin")
		if err != nil {
			return "", err
		}
		v = line
	}
	return f.secret(decode.Normalize(v))
}

// readRefreshToken reads --refresh-token-file (- for stdin).
func (f *Factory) readRefreshToken(path string) (string, error) {
	if path == "-" {
		return f.secret(readLine(f.IO.In, "refresh token"))
	}
	b, err := readFileCapped(path, "--refresh-token-file")
	if err != nil {
		return "", err
	}
	tok := strings.TrimSpace(string(b))
	if tok == "" {
		return "", exit.Usagef("read --refresh-token-file: %s is empty", path)
	}
	if err := checkText("--refresh-token-file", tok); err != nil {
		return "", err
	}
	return f.secret(tok, nil)
}

// flagSecret returns a secret given as a flag value (a one-time code's
// --code, a custom challenge's --answer), registered.
func (f *Factory) flagSecret(v string) string {
	v, _ = f.secret(v, nil)
	return v
}

// totpCode returns the current code of an authenticator secret, registered.
func (f *Factory) totpCode(secret string) (string, error) {
	return f.secret(flows.TOTPCode(secret, f.now()))
}

// envSecret returns the environment variable name (a password, a TOTP
// secret), registered.
func (f *Factory) envSecret(name string) string {
	v, _ := f.secret(f.Getenv(name), nil)
	return v
}

// received registers a value a server gave that no domain package
// registers: the authenticator secret from AssociateSoftwareToken.
func (f *Factory) received(values ...string) { f.secrets.Add(values...) }

// readPassword gets a password: stdin with --password-stdin, else
// $COGTOOL_PASSWORD, else a prompt without echo on a TTY.
func (f *Factory) readPassword(fromStdin bool, prompt string) (string, error) {
	pw, err := f.passwordFrom(fromStdin, prompt)
	if err == nil {
		err = checkSecretLen("the password", pw)
	}
	return f.secret(pw, err)
}

func (f *Factory) passwordFrom(fromStdin bool, prompt string) (string, error) {
	if fromStdin {
		if f.IO.IsStdinTTY() {
			// A spinner would hide that cogtool waits for typed input.
			f.IO.StopSpinner()
			fmt.Fprintln(f.IO.ErrOut, "cogtool: reading the password from stdin")
		}
		return readLine(f.IO.In, "password from stdin")
	}
	if v := f.envSecret("COGTOOL_PASSWORD"); v != "" {
		return v, nil
	}
	if f.IO.CanPrompt() {
		return f.promptPassword(prompt)
	}
	return "", exit.Usagef("no password: use --password-stdin or set $COGTOOL_PASSWORD")
}

// promptPassword asks for a password on the terminal without echo.
func (f *Factory) promptPassword(prompt string) (string, error) {
	f.IO.StopSpinner()
	fmt.Fprint(f.IO.ErrOut, prompt)
	b, err := f.IO.ReadPassword()
	fmt.Fprintln(f.IO.ErrOut)
	if err != nil {
		return "", exit.Usagef("read password: %w", err)
	}
	if len(b) == 0 {
		return "", exit.Usagef("empty password")
	}
	return f.secret(string(b), nil)
}

// newPasswordReader returns the reader of a new password: stdin with
// fromStdin, else $COGTOOL_PASSWORD, else a prompt without echo asked
// twice, so a typo does not lock the user out.
func newPasswordReader(f *Factory, fromStdin bool) func(prompt string) (string, error) {
	return func(prompt string) (string, error) {
		if fromStdin || f.Getenv("COGTOOL_PASSWORD") != "" || !f.IO.CanPrompt() {
			return f.readPassword(fromStdin, prompt)
		}
		return promptTwice(f, prompt)
	}
}

// promptTwice asks for a new password twice without echo.
func promptTwice(f *Factory, prompt string) (string, error) {
	// Straight to the prompt: $COGTOOL_PASSWORD may hold the current
	// password, which is not an answer here.
	pw, err := f.promptPassword(prompt)
	if err != nil {
		return "", err
	}
	again, err := f.promptPassword("Again: ")
	if err != nil {
		return "", err
	}
	if again != pw {
		return "", exit.Usagef("the two passwords differ")
	}
	return pw, nil
}

// readPasswordFile reads a password from a file or stdin ("-").
func readPasswordFile(f *Factory, path, what string) (string, error) {
	var r io.Reader = f.IO.In
	if path != "-" {
		b, err := readFileCapped(path, what)
		if err != nil {
			return "", err
		}
		r = strings.NewReader(string(b))
	}
	pw, err := readLine(r, what)
	if err == nil {
		err = checkSecretLen("the "+what, pw)
	}
	return f.secret(pw, err)
}

// promptSecret asks for a line without echo (a new password, a one-time
// code) and returns it trimmed.
func (f *Factory) promptSecret(prompt string) (string, error) {
	v, err := f.promptLine(prompt)
	return f.secret(v, err)
}

// promptLine asks for a line through the same no-echo reader, for answers
// that are no secret (a required attribute, a choice of MFA): they are not
// registered, or their text would vanish from every message.
func (f *Factory) promptLine(prompt string) (string, error) {
	f.IO.StopSpinner()
	fmt.Fprint(f.IO.ErrOut, prompt)
	b, err := f.IO.ReadPassword()
	fmt.Fprintln(f.IO.ErrOut)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(b)), nil
}

// appClient returns the app client's secret ("" when it has none), after
// checking that a client id is set; it registers the SECRET_HASH of the
// profile's user too.
func (f *Factory) appClient() (string, error) {
	if err := f.Settings.Need("client-id"); err != nil {
		return "", err
	}
	secret, err := f.clientSecret()
	if err != nil {
		return "", err
	}
	f.addSecretHash(f.Settings.Username, secret)
	return secret, nil
}

// clientSecret returns the app client's secret ("" when none is set),
// registered with the forms a server may quote back in an error: the HTTP
// Basic credential (x/oauth2 form-escapes id and secret first).
func (f *Factory) clientSecret() (string, error) {
	secret, err := f.Settings.ClientSecret()
	if err != nil || secret == "" {
		return "", err
	}
	id := f.Settings.ClientID
	f.secrets.Add(secret,
		base64.StdEncoding.EncodeToString([]byte(id+":"+secret)),
		base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(id)+":"+url.QueryEscape(secret))))
	return secret, nil
}

// addSecretHash registers the SECRET_HASH of username.
func (f *Factory) addSecretHash(username, secret string) {
	if username != "" && secret != "" {
		f.secrets.Add(cognito.SecretHash(f.Settings.ClientID, secret, username))
	}
}

// readLine reads the first line of r without its newline. A first line
// longer than maxSecretInput, or that is not text, is refused.
func readLine(r io.Reader, what string) (string, error) {
	br := bufio.NewReader(io.LimitReader(r, maxSecretInput+1))
	line, err := br.ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", exit.Usagef("read %s: %w", what, err)
	}
	if len(line) > maxSecretInput {
		return "", exit.Usagef("read %s: a line of more than %d KiB; is it the right input?", what, maxSecretInput>>10)
	}
	line = strings.TrimRight(line, "\r\n")
	if strings.TrimSpace(line) == "" {
		return "", exit.Usagef("read %s: empty input", what)
	}
	if err := checkText(what, line); err != nil {
		return "", err
	}
	return line, nil
}
