package cli

import (
	"context"
	"errors"
	"time"

	"github.com/cogtool/cogtool/internal/cache"
	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/tokens"
)

// currentUserTokens returns the reader of the cached tokens of the
// current user (--username or the profile's) and client, refreshed when
// the access token has less than a minute left. Commands that act as the
// user (change-password, whoami) use them; they never sign in themselves.
func currentUserTokens(f *Factory) func(context.Context) (*cache.Entry, error) {
	return func(ctx context.Context) (*cache.Entry, error) {
		s := f.Settings
		if err := s.Need("client-id", "username"); err != nil {
			return nil, err
		}
		src, err := f.newTokenSource(&tokenFlags{MinTTL: time.Minute})
		if err != nil {
			return nil, err
		}
		r, err := src.User(ctx)
		if errors.Is(err, tokens.ErrNoRefreshToken) {
			return nil, exit.Authf("no cached tokens for %s with client %s: sign in first (cogtool token password, srp or login)",
				s.Username, s.ClientID)
		}
		if err != nil {
			return nil, err
		}
		f.registerTokens(r)
		return r.Entry, nil
	}
}
