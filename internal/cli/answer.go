package cli

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/spf13/pflag"

	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/flows"
)

// answerer answers auth challenges from flags, environment or prompts.
type answerer struct {
	in              *Input
	newPasswordFile string
	code            string
	attributes      []string // --attribute NAME=VALUE
	mfaType         string   // --mfa-type sms|totp|email
	totpSecretOut   string   // --totp-secret-out FILE
	answer          string   // --answer TEXT (CUSTOM_CHALLENGE)
}

// newAnswerer returns an answerer with no answer given yet; its flags
// fill it.
func newAnswerer(f *Factory) *answerer { return &answerer{in: f.Input()} }

// register adds the answer flags to fs: every flag a challenge may need.
func (a *answerer) register(fs *pflag.FlagSet) {
	fs.StringVar(&a.newPasswordFile, "new-password-file", "", flagUsage("new-password-file"))
	fs.StringVar(&a.code, "code", "", flagUsage("code"))
	fs.StringVar(&a.code, "mfa-code", "", "alias of --code")
	fs.StringArrayVar(&a.attributes, "attribute", nil, "answer a required attribute of NEW_PASSWORD_REQUIRED: `NAME=VALUE` (repeatable)")
	fs.StringVar(&a.mfaType, "mfa-type", "", "choose the MFA or sign-in method Cognito offers: `sms`, totp or email")
	fs.StringVar(&a.totpSecretOut, "totp-secret-out", "", "MFA_SETUP: save the new authenticator secret in `file` (0600) and answer with a code computed from it")
	fs.StringVar(&a.answer, "answer", "", "answer a CUSTOM_CHALLENGE with `text`")
}

// check validates the answer flags before anything is sent.
func (a *answerer) check() error {
	switch a.mfaType {
	case "", "sms", "totp", "email":
	default:
		return exit.Usagef("--mfa-type must be sms, totp or email, not %q", a.mfaType)
	}
	for _, kv := range a.attributes {
		name, _, ok := strings.Cut(kv, "=")
		if !ok || strings.TrimSpace(name) == "" || strings.ContainsAny(name, " \t") {
			return exit.Usagef("--attribute %q: want NAME=VALUE", kv)
		}
	}
	if a.code != "" && strings.Trim(a.code, "0123456789 ") != "" {
		return exit.Usagef("--code: a one-time code is digits")
	}
	return nil
}

func (a *answerer) NewPassword(context.Context) (string, error) {
	pw, err := a.newPassword()
	if err == nil {
		// Whatever its source (file, $COGTOOL_NEW_PASSWORD, prompt), a new
		// password of 1 to 3 characters is refused: it could not be kept
		// out of the output.
		err = checkSecretLen("the new password", pw)
	}
	return pw, err
}

func (a *answerer) newPassword() (string, error) {
	if a.newPasswordFile != "" {
		return a.in.readPasswordFile(a.newPasswordFile, "new password")
	}
	if v := a.in.envSecret("COGTOOL_NEW_PASSWORD"); v != "" {
		return v, nil
	}
	if !a.in.IO.CanPrompt() {
		return "", flows.ErrNoAnswer
	}
	// Typed blind, so asked twice.
	for range 3 {
		pw, err := a.prompt("New password required. New password: ")
		if err != nil {
			return "", err
		}
		again, err := a.prompt("New password again: ")
		if err != nil {
			return "", err
		}
		if pw == again && pw != "" {
			return pw, nil
		}
		fmt.Fprintln(a.in.IO.ErrOut, "The passwords differ (or are empty); try again.")
	}
	return "", exit.Usagef("new password: the two entries differed three times")
}

func (a *answerer) Attribute(_ context.Context, name string) (string, error) {
	for _, kv := range a.attributes {
		if k, v, _ := strings.Cut(kv, "="); k == name {
			return v, nil
		}
	}
	if a.in.IO.CanPrompt() {
		return a.promptEcho("Required attribute " + name + ": ")
	}
	return "", flows.ErrNoAnswer
}

func (a *answerer) Code(_ context.Context, challenge, destination string) (string, error) {
	if a.code != "" {
		return a.in.flagSecret(a.code), nil
	}
	if secret := a.in.envSecret("COGTOOL_TOTP_SECRET"); secret != "" && challenge == "SOFTWARE_TOKEN_MFA" {
		return a.in.totpCode(secret)
	}
	if a.in.IO.CanPrompt() {
		where := ""
		if destination != "" {
			where = " (sent to " + destination + ")"
		}
		return a.prompt(challenge + " code" + where + ": ")
	}
	return "", flows.ErrNoAnswer
}

func (a *answerer) Select(_ context.Context, challenge string, options []string) (string, error) {
	if a.mfaType != "" {
		if c := flows.MFAChoice(a.mfaType, options); c != "" {
			return c, nil
		}
		return "", exit.Usagef("%s: --mfa-type %s is not offered (Cognito offers %s)", challenge, a.mfaType, strings.Join(options, ", "))
	}
	if a.in.Getenv("COGTOOL_TOTP_SECRET") != "" && slices.Contains(options, "SOFTWARE_TOKEN_MFA") {
		return "SOFTWARE_TOKEN_MFA", nil
	}
	if len(options) == 1 {
		return options[0], nil
	}
	if a.in.IO.CanPrompt() {
		return a.promptEcho(challenge + " (" + strings.Join(options, ", ") + "): ")
	}
	return "", flows.ErrNoAnswer
}

func (a *answerer) SetupTOTP(_ context.Context, associate func() (string, string, error)) (string, error) {
	switch {
	case a.totpSecretOut != "":
		secret, _, err := associate()
		if err != nil {
			return "", err
		}
		a.in.received(secret)
		if err := writeSecretFile(a.totpSecretOut, secret); err != nil {
			return "", err
		}
		fmt.Fprintf(a.in.IO.ErrOut, "Saved the new authenticator secret in %s (mode 0600); later sign-ins: COGTOOL_TOTP_SECRET=$(cat %s)\n", a.totpSecretOut, a.totpSecretOut)
		return a.in.totpCode(secret)
	case a.in.IO.CanPrompt():
		secret, uri, err := associate()
		if err != nil {
			return "", err
		}
		a.in.received(secret)
		a.in.IO.StopSpinner()
		w := a.in.IO.ErrOut
		fmt.Fprintln(w, "This pool requires MFA. Add this account to an authenticator app: scan the QR code, or open the URI.")
		if err := drawQR(w, uri); err != nil {
			fmt.Fprintf(w, "(no QR code: %v)\n", err)
		}
		// The URI holds the secret: it is shown once, here, on the terminal only.
		fmt.Fprintln(w, uri)
		return a.prompt("Code from the authenticator app: ")
	}
	return "", flows.ErrNoAnswer
}

func (a *answerer) CustomAnswer(_ context.Context, params map[string]string) (string, error) {
	if a.answer != "" {
		return a.in.flagSecret(a.answer), nil
	}
	if a.in.IO.CanPrompt() {
		keys := make([]string, 0, len(params))
		for k := range params {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(a.in.IO.ErrOut, "  %s: %s\n", k, params[k])
		}
		return a.prompt("Answer to the custom challenge: ")
	}
	return "", flows.ErrNoAnswer
}

// prompt reads a secret answer (a password, a code) without echo.
func (a *answerer) prompt(p string) (string, error) { return a.in.promptSecret(p) }

// promptEcho reads an answer that is no secret (an attribute, a choice).
// It reads through the same no-echo reader, but does not register it.
func (a *answerer) promptEcho(p string) (string, error) { return a.in.promptLine(p) }

// writeSecretFile writes secret to path with mode 0600, replacing a file
// that is there (its mode is tightened first).
func writeSecretFile(path, secret string) error {
	fh, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return exit.Usagef("--totp-secret-out: %w", err)
	}
	if err := fh.Chmod(0o600); err != nil {
		fh.Close()
		return exit.Usagef("--totp-secret-out: %w", err)
	}
	if _, err := fh.WriteString(secret + "\n"); err != nil {
		fh.Close()
		return exit.Usagef("--totp-secret-out: %w", err)
	}
	if err := fh.Close(); err != nil {
		return exit.Usagef("--totp-secret-out: %w", err)
	}
	return nil
}
