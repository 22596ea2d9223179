package cli

import (
	"context"

	"github.com/cogtool/cogtool/internal/cache"
)

// currentUserTokens returns the reader of the cached tokens of the
// current user (see tokenSources.currentUser). Commands that act as the
// user (change-password, whoami) use them; they never sign in themselves.
func currentUserTokens(f *Factory) func(context.Context) (*cache.Entry, error) {
	return func(ctx context.Context) (*cache.Entry, error) { return f.tokenSources().currentUser(ctx) }
}
