package cli

import (
	"fmt"

	"github.com/cogtool/cogtool/internal/cognito"
	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/iostreams"
	"github.com/cogtool/cogtool/internal/users"
)

// appOptions are the dependencies of the unsigned user commands (password
// recovery, resend-code, change-password): they call Cognito as an app
// does, with no AWS credentials.
type appOptions struct {
	IO     *iostreams.IOStreams
	Output string // "text" or "json", resolved
	// App checks that a client id is set and reads the client's secret.
	App    func() (users.AppClient, error)
	Client func() (*cognito.Client, error)
	// HashFor registers the SECRET_HASH of a user for redaction.
	HashFor func(username string, app users.AppClient)
}

func (f *Factory) appOpts() appOptions {
	return appOptions{
		IO: f.IO, Output: f.outputMode(), Client: f.cognitoClient,
		App: func() (users.AppClient, error) {
			secret, err := f.appClient()
			return users.AppClient{ID: f.Settings.ClientID, Secret: secret}, err
		},
		HashFor: func(username string, app users.AppClient) { f.addSecretHash(username, app.Secret) },
	}
}

// readNewPassword gets a new password: stdin with fromStdin, else
// $COGTOOL_PASSWORD, else a prompt without echo asked twice, so a typo
// does not lock the user out.
func (f *Factory) readNewPassword(fromStdin bool, prompt string) (string, error) {
	if fromStdin || f.Getenv("COGTOOL_PASSWORD") != "" || !f.IO.CanPrompt() {
		pw, err := f.readPassword(fromStdin, prompt)
		if err == nil {
			f.AddSecret(pw)
		}
		return pw, err
	}
	return f.promptTwice(prompt)
}

// promptTwice asks for a new password twice without echo.
func (f *Factory) promptTwice(prompt string) (string, error) {
	// Straight to the prompt: $COGTOOL_PASSWORD may hold the current
	// password, which is not an answer here.
	pw, err := f.promptPassword(prompt)
	if err != nil {
		return "", err
	}
	f.AddSecret(pw)
	again, err := f.promptPassword("Again: ")
	if err != nil {
		return "", err
	}
	if again != pw {
		return "", exit.Usagef("the two passwords differ")
	}
	return pw, nil
}

// printDelivery reports where Cognito sent a code.
func printDelivery(o *appOptions, d *users.CodeDelivery, what string) error {
	if o.Output == "json" {
		return writeJSON(o.IO.Out, d)
	}
	if d.Destination != "" {
		fmt.Fprintf(o.IO.ErrOut, "%s for %s sent by %s to %s\n", what, d.Username, d.Medium, d.Destination)
	} else {
		fmt.Fprintf(o.IO.ErrOut, "%s for %s requested\n", what, d.Username)
	}
	return nil
}
