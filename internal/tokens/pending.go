package tokens

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cogtool/cogtool/internal/cache"
	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/flows"
)

// Pending challenges: a sign-in that stops at a challenge whose answer was
// not given (no terminal) is saved, Session and public parameters only,
// never a password or secret, beside the tokens (cache.Pending: 0600,
// atomic writes, the same locks) until its Session expires; Respond
// answers it later with that Session, so that a code Cognito already sent
// is the one that counts.

// Saved is a saved challenge and the flow whose cache entry its tokens
// belong to.
type Saved struct {
	flows.Pending
	Flow    string    `json:"flow"`
	SavedAt time.Time `json:"saved_at"`
	// Binding is the cache binding of the credentials the sign-in began
	// with (never the credentials): the tokens Respond caches carry it.
	Binding string `json:"binding,omitempty"`
}

// PendingKey names the saved challenge of s.Params' endpoint, pool, client
// and user: the selectors a later Respond is given again.
func (s *Source) PendingKey() cache.Key { return s.keyFor("challenge", nil) }

// SavePending saves the challenge of a *flows.PendingError (found in err)
// for Respond, with the current flow; other errors pass through. A
// challenge that cannot be saved is still exit 7, saying so.
func (s *Source) SavePending(ctx context.Context, err error) error {
	var pe *flows.PendingError
	if !errors.As(err, &pe) {
		return err
	}
	s.Secrets.Add(pe.Pending.Session)
	if s.pendingStore() == nil {
		return err
	}
	if serr := s.savePending(ctx, Saved{Pending: pe.Pending, Flow: s.cacheFlow(), SavedAt: s.now().UTC(), Binding: s.bindingFor(s.usedPassword)}); serr != nil {
		return &exit.Error{Code: exit.Challenge, Err: fmt.Errorf("%w (the challenge could not be saved for 'token respond': %v)", pe, serr)}
	}
	return err
}

func (s *Source) savePending(ctx context.Context, sv Saved) error {
	pc := s.pendingStore()
	key := s.PendingKey()
	return pc.Locked(ctx, key, func() error { return pc.PutJSON(key, sv) })
}

// pendingStore is where challenges are saved: Source.PendingStore, else
// the token cache's; nil when there is neither.
func (s *Source) pendingStore() *cache.Cache {
	if s.PendingStore != nil {
		return s.PendingStore
	}
	if s.Cache == nil || s.Cache.NoCache {
		return nil
	}
	return s.Cache.Pending()
}

// ErrNoPending is Respond's answer when no challenge is saved for the
// user and client.
var ErrNoPending = errors.New("no pending challenge")

// Respond answers the saved challenge of s.Params' user and client with
// its Session, then any that follow, through s.Inputs.Answer, and caches
// the tokens under the flow that started the sign-in. A further challenge
// that needs input replaces the saved one (exit 7 again); a mistyped code
// keeps it; an expired one is exit 2 and removed; none is ErrNoPending.
func (s *Source) Respond(ctx context.Context) (*Result, error) {
	pc := s.pendingStore()
	if pc == nil {
		return nil, ErrNoPending
	}
	key := s.PendingKey()
	var r *Result
	err := pc.Locked(ctx, key, func() error {
		var sv Saved
		ok, err := pc.GetJSON(key, &sv)
		var ce *cache.CorruptError
		switch {
		case errors.As(err, &ce):
			_ = pc.Delete(key)
			return exit.Usagef("the saved challenge is unreadable (%v); sign in again", ce.Err)
		case err != nil:
			return exit.Usagef("%w", err)
		case !ok:
			return ErrNoPending
		}
		if !sv.ExpiresAt.IsZero() && !s.now().Before(sv.ExpiresAt) {
			_ = pc.Delete(key)
			return exit.Usagef("the pending %s challenge for %s expired %s ago (its Session lasts %s); sign in again",
				sv.Challenge, s.Params.Username, s.now().Sub(sv.ExpiresAt).Round(time.Second), flows.SessionLifetime)
		}
		s.Secrets.Add(sv.Pending.Session)
		c, err := s.flowsClient()
		if err != nil {
			return err
		}
		t, err := c.Respond(ctx, flows.RespondParams{Pending: sv.Pending, ClientSecret: s.Params.ClientSecret, Answer: s.Inputs.Answer})
		if err != nil {
			var pe *flows.PendingError
			var ee *exit.Error
			switch {
			case errors.As(err, &pe):
				// The next challenge replaces this one.
				s.Secrets.Add(pe.Pending.Session)
				sv.Pending, sv.SavedAt = pe.Pending, s.now().UTC()
				if perr := pc.PutJSON(key, sv); perr != nil {
					return &exit.Error{Code: exit.Challenge, Err: fmt.Errorf("%w (the challenge could not be saved: %v)", pe, perr)}
				}
			case errors.As(err, &ee) && ee.AWSError == "CodeMismatchException":
				// A mistyped code: the Session may still take the right one.
			default:
				_ = pc.Delete(key)
			}
			return err
		}
		_ = pc.Delete(key)
		e := s.entry(t, sv.Flow, nil)
		e.Binding = sv.Binding
		if err := s.Cache.Put(s.keyFor(sv.Flow, nil), e); err != nil {
			s.warn("warning: could not write the token cache: " + err.Error())
		}
		r = &Result{Entry: s.keep(e), Source: Fetched}
		return nil
	})
	return r, err
}
