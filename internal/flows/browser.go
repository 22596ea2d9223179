package flows

import (
	"errors"
	"os"
	"os/exec"
	"runtime"
	"strings"
)

// OpenBrowser opens url with the platform's opener (xdg-open and its
// fallbacks, open, or rundll32), detached from cogtool's terminal, in an
// environment stripped by OpenerEnv: the browser and whatever the opener
// starts never see cogtool's secrets or the AWS credentials.
//
// The authorize URL is in the opener's argv, which other local users can
// read; it carries the state and the PKCE challenge, neither of which lets
// anyone finish the sign-in without the verifier, which never leaves this
// process.
func OpenBrowser(url string) error {
	var name string
	var args []string
	switch runtime.GOOS {
	case "darwin":
		name, args = "open", []string{url}
	case "windows":
		name, args = "rundll32", []string{"url.dll,FileProtocolHandler", url}
	default:
		for _, c := range []string{"xdg-open", "x-www-browser", "www-browser"} {
			if p, err := exec.LookPath(c); err == nil {
				name = p
				break
			}
		}
		if name == "" {
			return errors.New("no browser opener (xdg-open) found")
		}
		args = []string{url}
	}
	cmd := exec.Command(name, args...)
	cmd.Env = OpenerEnv(os.Environ())
	// Stdin, stdout and stderr stay unset (the null device): the opener's
	// chatter must not mix with -o token on stdout.
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() { _ = cmd.Wait() }() // reap it; its exit status says nothing useful
	return nil
}

// OpenerEnv is environ without cogtool's own variables (COGTOOL_*, among
// them the client secret, passwords and the TOTP secret) and without the
// AWS ones (AWS_*: access keys, session tokens, container credentials).
func OpenerEnv(environ []string) []string {
	out := make([]string, 0, len(environ))
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		up := strings.ToUpper(name)
		if strings.HasPrefix(up, "COGTOOL_") || strings.HasPrefix(up, "AWS_") {
			continue
		}
		out = append(out, kv)
	}
	return out
}
