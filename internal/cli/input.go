package cli

// This file is the one way secrets enter cogtool. Every function in it
// that returns a client secret, password, one-time code or token has
// registered it, and the forms a server may quote back (the HTTP Basic
// credential, the SECRET_HASH), in the run's redaction set (Input.secrets, the Factory's)
// before returning it. The set is made in Run and shared by reference with
// the --debug trace and call -v (httpx), the user-pool client (which adds
// each SECRET_HASH a flow computes and each app client secret a reply
// carries, as config init and doctor read it) and the token source (which adds every
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
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/cogtool/cogtool/internal/cognito"
	"github.com/cogtool/cogtool/internal/decode"
	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/flows"
	"github.com/cogtool/cogtool/internal/fsutil"
	"github.com/cogtool/cogtool/internal/iostreams"
	"github.com/cogtool/cogtool/internal/redact"
)

// Input reads what a user gives cogtool that must never be printed back.
// Its methods are the only readers of passwords, client secrets, one-time
// codes and tokens in the commands.
type Input struct {
	IO     *iostreams.IOStreams
	Getenv func(string) string
	Now    func() time.Time
	// Settings returns the run's settings, resolved by the time a method
	// reads the client secret (an Input may be made before that).
	Settings func() *Settings

	secrets *redact.Set // the run's set, shared with the Factory
}

func (in *Input) now() time.Time { return in.Now() }

// secret registers v when err is nil and returns both: the tail of every
// input method.
func (in *Input) secret(v string, err error) (string, error) {
	if err == nil {
		in.secrets.Add(v)
	}
	return v, err
}

// readTokenArg returns the token given as an argument, or read from stdin
// when the argument is "-" or absent. Input beyond decode.MaxTokenSize is
// refused without reading it all.
func (in *Input) readTokenArg(args []string) (string, error) {
	return in.secret(in.tokenArg(args))
}

func (in *Input) tokenArg(args []string) (string, error) {
	if len(args) == 1 && args[0] != "-" {
		return decode.Normalize(args[0])
	}
	if len(args) == 0 && in.IO.IsStdinTTY() {
		return "", exit.Usagef("no token: give it as an argument, or pipe it on stdin")
	}
	b, err := readAtMost(in.IO.In, decode.MaxTokenSize, "token from stdin")
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
func (in *Input) bearerToken(v string) (string, error) {
	if v == "-" {
		line, err := readLine(in.IO.In, "token from stdin")
		if err != nil {
			return "", err
		}
		v = line
	}
	return in.secret(decode.Normalize(v))
}

// readRefreshToken reads --refresh-token-file (- for stdin).
func (in *Input) readRefreshToken(path string) (string, error) {
	if path == "-" {
		return in.secret(readLine(in.IO.In, "refresh token"))
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
	return in.secret(tok, nil)
}

// flagSecret returns a secret given as a flag value (a one-time code's
// --code, a custom challenge's --answer), registered.
func (in *Input) flagSecret(v string) string {
	v, _ = in.secret(v, nil)
	return v
}

// totpCode returns the current code of an authenticator secret, registered.
func (in *Input) totpCode(secret string) (string, error) {
	return in.secret(flows.TOTPCode(secret, in.now()))
}

// envSecret returns the environment variable name (a password, a TOTP
// secret), registered.
func (in *Input) envSecret(name string) string {
	v, _ := in.secret(in.Getenv(name), nil)
	return v
}

// received registers a value a server gave that no domain package
// registers: the authenticator secret from AssociateSoftwareToken.
func (in *Input) received(values ...string) { in.secrets.Add(values...) }

// readPassword gets a password: stdin with --password-stdin, else
// $COGTOOL_PASSWORD, else a prompt without echo on a TTY.
func (in *Input) readPassword(fromStdin bool, prompt string) (string, error) {
	pw, err := in.passwordFrom(fromStdin, prompt)
	if err == nil {
		err = checkSecretLen("the password", pw)
	}
	return in.secret(pw, err)
}

func (in *Input) passwordFrom(fromStdin bool, prompt string) (string, error) {
	if fromStdin {
		if in.IO.IsStdinTTY() {
			// A spinner would hide that cogtool waits for typed input.
			in.IO.StopSpinner()
			fmt.Fprintln(in.IO.ErrOut, "cogtool: reading the password from stdin")
		}
		return readLine(in.IO.In, "password from stdin")
	}
	if v := in.envSecret("COGTOOL_PASSWORD"); v != "" {
		return v, nil
	}
	if in.IO.CanPrompt() {
		return in.promptPassword(prompt)
	}
	return "", exit.Usagef("no password: use --password-stdin or set $COGTOOL_PASSWORD")
}

// promptPassword asks for a password on the terminal without echo.
func (in *Input) promptPassword(prompt string) (string, error) {
	b, err := in.promptNoEcho(prompt)
	if err != nil {
		return "", exit.Usagef("read password: %w", err)
	}
	if len(b) == 0 {
		return "", exit.Usagef("empty password")
	}
	return in.secret(string(b), nil)
}

// newPasswordReader returns the reader of a new password: stdin with
// fromStdin, else $COGTOOL_PASSWORD, else a prompt without echo asked
// twice, so a typo does not lock the user out.
func (in *Input) newPasswordReader(fromStdin bool) func(prompt string) (string, error) {
	return func(prompt string) (string, error) {
		if fromStdin || in.Getenv("COGTOOL_PASSWORD") != "" || !in.IO.CanPrompt() {
			return in.readPassword(fromStdin, prompt)
		}
		return in.promptTwice(prompt)
	}
}

// promptTwice asks for a new password twice without echo.
func (in *Input) promptTwice(prompt string) (string, error) {
	// Straight to the prompt: $COGTOOL_PASSWORD may hold the current
	// password, which is not an answer here.
	pw, err := in.promptPassword(prompt)
	if err != nil {
		return "", err
	}
	again, err := in.promptPassword("Again: ")
	if err != nil {
		return "", err
	}
	if again != pw {
		return "", exit.Usagef("the two passwords differ")
	}
	return pw, nil
}

// readPasswordFile reads a password from a file or stdin ("-").
func (in *Input) readPasswordFile(path, what string) (string, error) {
	var r io.Reader = in.IO.In
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
	return in.secret(pw, err)
}

// promptSecret asks for a line without echo (a new password, a one-time
// code) and returns it trimmed.
func (in *Input) promptSecret(prompt string) (string, error) {
	v, err := in.promptLine(prompt)
	return in.secret(v, err)
}

// promptLine asks for a line through the same no-echo reader, for answers
// that are no secret (a required attribute, a choice of MFA): they are not
// registered, or their text would vanish from every message.
func (in *Input) promptLine(prompt string) (string, error) {
	b, err := in.promptNoEcho(prompt)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(b)), nil
}

// promptNoEcho writes prompt on the terminal, stopping the spinner, and
// reads a line there without echo.
func (in *Input) promptNoEcho(prompt string) ([]byte, error) {
	in.IO.StopSpinner()
	fmt.Fprint(in.IO.ErrOut, prompt)
	b, err := in.IO.ReadPassword()
	fmt.Fprintln(in.IO.ErrOut)
	return b, err
}

// appClient returns the app client's secret ("" when it has none), after
// checking that a client id is set; it registers the SECRET_HASH of the
// profile's user too.
func (in *Input) appClient() (string, error) {
	if err := in.Settings().Need("client-id"); err != nil {
		return "", err
	}
	secret, err := in.clientSecret()
	if err != nil {
		return "", err
	}
	in.addSecretHash(in.Settings().Username, secret)
	return secret, nil
}

// clientSecret returns the app client's secret ("" when none is set),
// registered with the forms a server may quote back in an error: the HTTP
// Basic credential (x/oauth2 form-escapes id and secret first).
func (in *Input) clientSecret() (string, error) {
	secret, err := in.Settings().ClientSecret()
	if err != nil || secret == "" {
		return "", err
	}
	id := in.Settings().ClientID
	in.secrets.Add(secret,
		base64.StdEncoding.EncodeToString([]byte(id+":"+secret)),
		base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(id)+":"+url.QueryEscape(secret))))
	return secret, nil
}

// addSecretHash registers the SECRET_HASH of username.
func (in *Input) addSecretHash(username, secret string) {
	if username != "" && secret != "" {
		in.secrets.Add(cognito.SecretHash(in.Settings().ClientID, secret, username))
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
