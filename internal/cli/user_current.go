package cli

import (
	"context"
	"time"

	"github.com/cogtool/cogtool/internal/cache"
	"github.com/cogtool/cogtool/internal/exit"
)

// currentUserTokens returns the cached tokens of the current user
// (--username or the profile's) and client, refreshed when the access
// token has less than a minute left. Commands that act as the user
// (change-password, whoami) use them; they never sign in themselves.
func (f *Factory) currentUserTokens(ctx context.Context) (*cache.Entry, error) {
	if err := f.Settings.Need("client-id", "username"); err != nil {
		return nil, err
	}
	key, e, err := f.cachedUserEntry()
	if err != nil {
		return nil, err
	}
	if e == nil {
		return nil, exit.Authf("no cached tokens for %s with client %s: sign in first (cogtool token password, srp or login)",
			f.Settings.Username, f.Settings.ClientID)
	}
	if e.TTL(f.now()) > time.Minute && e.AccessToken != "" {
		return e, nil
	}
	secret, err := f.appClient()
	if err != nil {
		return nil, err
	}
	fresh, err := f.refreshEntry(ctx, e, secret)
	if err != nil {
		return nil, err
	}
	if c, err := f.Cache(); err == nil {
		if err := c.Put(key, fresh); err != nil {
			f.warn("warning: " + err.Error())
		}
	}
	return fresh, nil
}
