package cli

import (
	"context"
	"fmt"

	"github.com/cogtool/cogtool/internal/cognito"
	"github.com/cogtool/cogtool/internal/iostreams"
	"github.com/cogtool/cogtool/internal/users"
)

// appOptions are the dependencies of the unsigned user commands (sign-up,
// confirm, password recovery, resend-code, change-password): they call
// Cognito as an app does, with no AWS credentials.
type appOptions struct {
	IO     *iostreams.IOStreams
	Output string // "text" or "json", resolved
	// App checks that a client id is set and reads the client's secret.
	App    func() (users.AppClient, error)
	Client func() (*cognito.Client, error)
	// HashFor registers the SECRET_HASH of a user for redaction.
	HashFor func(username string, app users.AppClient)
}

// newAppOptions fills appOptions from the resolved settings.
func newAppOptions(f *Factory) appOptions {
	return appOptions{
		IO: f.IO, Output: f.Output, Client: f.cognitoClient,
		App: func() (users.AppClient, error) {
			secret, err := f.Input().appClient()
			return users.AppClient{ID: f.Settings.ClientID, Secret: secret}, err
		},
		HashFor: func(username string, app users.AppClient) { f.Input().addSecretHash(username, app.Secret) },
	}
}

// unsigned returns what an unsigned call about username needs: the app
// client, with the SECRET_HASH of username registered for redaction, and
// the user-pool API client.
func (o *appOptions) unsigned(username string) (users.AppClient, *cognito.Client, error) {
	app, err := o.App()
	if err != nil {
		return app, nil, err
	}
	o.HashFor(username, app)
	c, err := o.Client()
	return app, c, err
}

// sendCode runs send, an unsigned call that sends username a code, and
// reports where the code (what) went.
func (o *appOptions) sendCode(ctx context.Context, username, what string,
	send func(context.Context, *cognito.Client, users.AppClient, string) (*users.CodeDelivery, error)) error {
	app, c, err := o.unsigned(username)
	if err != nil {
		return err
	}
	d, err := send(ctx, c, app, username)
	if err != nil {
		return err
	}
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
