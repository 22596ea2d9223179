package tokens

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cogtool/cogtool/internal/cache"
	"github.com/cogtool/cogtool/internal/cognito"
	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/flows"
	"github.com/cogtool/cogtool/internal/testpeers/strict"
)

// codeAnswerer answers one-time codes with code, and nothing else.
type codeAnswerer struct{ code string }

func (a codeAnswerer) NewPassword(context.Context) (string, error) { return "", flows.ErrNoAnswer }
func (a codeAnswerer) Attribute(context.Context, string) (string, error) {
	return "", flows.ErrNoAnswer
}
func (a codeAnswerer) Code(context.Context, string, string) (string, error) {
	if a.code == "" {
		return "", flows.ErrNoAnswer
	}
	return a.code, nil
}
func (a codeAnswerer) Select(context.Context, string, []string) (string, error) {
	return "", flows.ErrNoAnswer
}
func (a codeAnswerer) SetupTOTP(context.Context, func() (string, string, error)) (string, error) {
	return "", flows.ErrNoAnswer
}
func (a codeAnswerer) CustomAnswer(context.Context, map[string]string) (string, error) {
	return "", flows.ErrNoAnswer
}

func strictWorld(t *testing.T) *strict.Seeded {
	t.Helper()
	return strict.StartSeeded(t, strict.Options{})
}

func strictSource(w *strict.Seeded, dir string, p Params) *Source {
	p.EndpointURL, p.UserPoolID = w.Server.URL, w.Pool.ID
	return &Source{
		Params: p,
		Cache:  cache.New(dir),
		IDP: func() (*cognito.Client, error) {
			return cognito.NewUnsigned(cognito.Config{Region: w.Server.Region, EndpointURL: w.Server.URL})
		},
	}
}

// A sign-in that stops at EMAIL_OTP without an answer is saved (0600, no
// secret in it); Respond answers it with the code sent for that Session,
// caches the tokens under the flow that started it, and removes it.
func TestPendingSavedThenAnswered(t *testing.T) {
	w := strictWorld(t)
	ch := w.Challenges
	dir := t.TempDir()
	src := strictSource(w, dir, Params{Flow: OTP, Channel: "email", ClientID: ch.UserAuthOnly.ID, Username: ch.OTP.Email, MinTTL: time.Minute})
	src.Inputs.Answer = codeAnswerer{}
	ctx := context.Background()

	_, err := src.Get(ctx)
	var pe *flows.PendingError
	if !errors.As(err, &pe) || exit.CodeOf(err) != exit.Challenge {
		t.Fatalf("want an exit-7 pending challenge, got %v", err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "pending", "*.json"))
	if len(files) != 1 {
		t.Fatalf("saved challenges: %v", files)
	}
	fi, _ := os.Stat(files[0])
	b, _ := os.ReadFile(files[0])
	if fi.Mode().Perm() != 0o600 || !strings.Contains(string(b), pe.Pending.Session) || strings.Contains(string(b), w.Password) {
		t.Errorf("saved file mode %v: %s", fi.Mode().Perm(), b)
	}

	code := w.Server.LastCode(w.Pool, ch.OTP.Email)
	src.Inputs.Answer = codeAnswerer{code: code}
	r, err := src.Respond(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r.Entry.Flow != OTP || r.Entry.Username != ch.OTP.Username || r.RefreshToken == "" {
		t.Errorf("entry %+v", r.Entry)
	}
	if e, _ := src.Cache.Get(src.keyFor(OTP, nil)); e == nil || e.AccessToken != r.AccessToken {
		t.Error("the tokens were not cached under the otp flow")
	}
	if _, err := src.Respond(ctx); !errors.Is(err, ErrNoPending) {
		t.Errorf("a second Respond: %v, want ErrNoPending", err)
	}
}

// An expired saved challenge is exit 2 and removed.
func TestPendingExpired(t *testing.T) {
	w := strictWorld(t)
	ch := w.Challenges
	src := strictSource(w, t.TempDir(), Params{Flow: OTP, Channel: "sms", ClientID: ch.UserAuthOnly.ID, Username: ch.OTP.Email})
	src.Inputs.Answer = codeAnswerer{}
	if _, err := src.Get(context.Background()); exit.CodeOf(err) != exit.Challenge {
		t.Fatalf("Get: %v", err)
	}
	src.Now = func() time.Time { return time.Now().Add(flows.SessionLifetime + time.Second) }
	_, err := src.Respond(context.Background())
	if exit.CodeOf(err) != exit.Usage || !strings.Contains(err.Error(), "expired") {
		t.Fatalf("Respond after the Session: %v", err)
	}
	if _, err := src.Respond(context.Background()); !errors.Is(err, ErrNoPending) {
		t.Errorf("the expired challenge was kept: %v", err)
	}
}

// With rotation, a refresh's new refresh token replaces the cached one
// (GetTokensFromRefreshToken); once it is spent, a Source that may not
// sign in again without a person says so instead of asking for a password.
func TestRotatedRefreshAndSignInAgain(t *testing.T) {
	w := strictWorld(t)
	ch := w.Challenges
	dir := t.TempDir()
	asked := 0
	src := strictSource(w, dir, Params{Flow: Password, ClientID: ch.Choice.ID, Username: w.Alice.Email, MinTTL: time.Minute})
	src.Inputs.Password = func(context.Context) (string, error) { asked++; return w.Password, nil }
	ctx := context.Background()
	first, err := src.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	src.Params.MinTTL = 2 * time.Hour // every cached token is stale
	second, err := src.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if second.Source != Refreshed || second.Via != "GetTokensFromRefreshToken" || second.RefreshToken == first.RefreshToken {
		t.Fatalf("second: source %s via %s, refresh token rotated %t", second.Source, second.Via, second.RefreshToken != first.RefreshToken)
	}
	if e, _ := src.Cache.Get(src.Key()); e == nil || e.RefreshToken != second.RefreshToken {
		t.Error("the rotated refresh token did not replace the cached one")
	}
	// Spend the cached refresh token behind the cache's back.
	if _, err := src.Refresh(ctx, second.RefreshToken); err != nil {
		t.Fatal(err)
	}
	src.Inputs.SignInAgain = func() bool { return false }
	_, err = src.Get(ctx)
	if err == nil || !strings.Contains(err.Error(), "the refresh token was rotated") || !strings.Contains(err.Error(), "sign in again with 'cogtool token password'") {
		t.Fatalf("want the rotated-token refusal, got %v", err)
	}
	if asked != 1 {
		t.Errorf("the password was asked %d times; a refused refresh must not ask when SignInAgain says no", asked)
	}
	src.Inputs.SignInAgain = nil
	third, err := src.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if third.Source != Fetched || third.RefreshRefused == nil || asked != 2 {
		t.Errorf("third: source %s, refused %v, asked %d", third.Source, third.RefreshRefused, asked)
	}
}
