package tokens

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/cogtool/cogtool/internal/flows"
	"github.com/cogtool/cogtool/internal/redact"
)

// registered fails unless every value is in set.
func registered(t *testing.T, set *redact.Set, what string, values ...string) {
	t.Helper()
	have := set.Values()
	for _, v := range values {
		if v == "" {
			t.Fatalf("%s: an empty value to check", what)
		}
		if !slices.Contains(have, v) {
			t.Errorf("%s: %.12s... is not in the run's redaction set", what, v)
		}
	}
}

// Every token a Source hands out is in the run's set, whether the flow
// fetched it, the cache held it or a refresh traded for it, and so is a
// refresh token it was given or found cached for Revoke.
func TestSourceRegistersEveryToken(t *testing.T) {
	h := newHarness(t)
	h.idp.set(func(f *idp) { f.lifetime = 30 }) // refreshed on the next Get
	ctx := context.Background()
	with := func(src *Source) (*Source, *redact.Set) {
		src.Secrets = redact.NewSet()
		return src, src.Secrets
	}

	src, set := with(h.source(Password))
	r := get(t, src, Fetched)
	registered(t, set, "fetched", r.AccessToken, r.IDToken, r.RefreshToken)

	src, set = with(h.source(Password))
	r = get(t, src, Refreshed)
	registered(t, set, "refreshed", r.AccessToken, r.IDToken, r.RefreshToken)

	src, set = with(h.source(Password))
	src.Params.MinTTL = 0
	r, err := src.User(ctx)
	if err != nil || r.Source != FromCache {
		t.Fatalf("User: %v, %v", r, err)
	}
	registered(t, set, "cached", r.AccessToken, r.IDToken, r.RefreshToken)

	src, set = with(h.source(Password))
	if r, err = src.Refresh(ctx, "given-refresh-token"); err != nil {
		t.Fatal(err)
	}
	registered(t, set, "Refresh's", "given-refresh-token", r.AccessToken)

	src, set = with(h.source(Password))
	if err := src.Revoke(ctx, ""); err != nil {
		t.Fatal(err)
	}
	if _, _, revoked := h.idp.counts(); len(revoked) != 1 {
		t.Fatalf("revoked %v", revoked)
	} else {
		registered(t, set, "revoked", revoked[0])
	}
}

// The Session of a challenge the Source saves, and of the one Respond
// reads back, is in the run's set.
func TestSourceRegistersTheSession(t *testing.T) {
	w := strictWorld(t)
	ch := w.Challenges
	src := strictSource(w, t.TempDir(), Params{Flow: OTP, Channel: "email", ClientID: ch.UserAuthOnly.ID, Username: ch.OTP.Email, MinTTL: time.Minute})
	src.Secrets = redact.NewSet()
	src.Inputs.Answer = codeAnswerer{}
	_, err := src.Get(context.Background())
	var pe *flows.PendingError
	if !errors.As(err, &pe) {
		t.Fatalf("want a pending challenge, got %v", err)
	}
	registered(t, src.Secrets, "saved", pe.Pending.Session)

	src.Secrets = redact.NewSet() // as a later 'token respond' run has
	src.Inputs.Answer = codeAnswerer{code: w.Server.LastCode(w.Pool, ch.OTP.Email)}
	r, err := src.Respond(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	registered(t, src.Secrets, "responded", pe.Pending.Session, r.AccessToken, r.RefreshToken)
}
