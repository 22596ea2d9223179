package strict

import (
	"fmt"
	"sort"
	"testing"
)

// Seeded is the standard world a test or script gets from Seed: one pool
// whose users sign in with their email address (the internal usernames are
// UUIDs), three app clients and users in each state that matters.
type Seeded struct {
	Server *Server
	Pool   *Pool

	// Public has no secret and allows USER_PASSWORD_AUTH, USER_SRP_AUTH and
	// REFRESH_TOKEN_AUTH; Secret allows the same with a client secret;
	// SRPOnly allows USER_SRP_AUTH and REFRESH_TOKEN_AUTH only, so
	// USER_PASSWORD_AUTH is refused on it.
	Public, Secret, SRPOnly *AppClient

	// Password is every seeded user's password.
	Password string
	// Alice is CONFIRMED; Una is UNCONFIRMED; Reset must reset her
	// password (RESET_REQUIRED); Dora is disabled.
	Alice, Una, Reset, Dora *User

	// Challenges is the part that meets MFA, USER_AUTH and friends
	// (seed_challenges.go).
	Challenges *ChallengeWorld
}

// SeedPassword is the password of every user Seed creates.
const SeedPassword = "Str1ct-Passw0rd!"

// StartSeeded starts a fake with opts and seeds the standard world, for a
// test: the fake is closed when the test ends.
func StartSeeded(tb testing.TB, opts Options) *Seeded {
	tb.Helper()
	s, err := New(opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(s.Close)
	w, err := s.Seed()
	if err != nil {
		tb.Fatal(err)
	}
	return w
}

// Seed creates the standard world on s.
func (s *Server) Seed() (*Seeded, error) {
	p, err := s.AddPool(PoolConfig{Name: "strict", UsernameAttributes: []string{"email"}})
	if err != nil {
		return nil, err
	}
	w := &Seeded{Server: s, Pool: p, Password: SeedPassword}
	userFlows := []string{AllowUserPasswordAuth, AllowUserSRPAuth, AllowRefreshTokenAuth}
	for _, c := range []struct {
		dst *(*AppClient)
		cfg ClientConfig
	}{
		{&w.Public, ClientConfig{Name: "public", ExplicitAuthFlows: userFlows}},
		{&w.Secret, ClientConfig{Name: "secret", GenerateSecret: true, ExplicitAuthFlows: userFlows}},
		{&w.SRPOnly, ClientConfig{Name: "srp-only", ExplicitAuthFlows: []string{AllowUserSRPAuth, AllowRefreshTokenAuth}}},
	} {
		if *c.dst, err = p.AddClient(c.cfg); err != nil {
			return nil, err
		}
	}
	for _, u := range []struct {
		dst   *(*User)
		email string
		cfg   UserConfig
	}{
		{&w.Alice, "alice@example.com", UserConfig{}},
		{&w.Una, "una@example.com", UserConfig{Status: StatusUnconfirmed}},
		{&w.Reset, "reset@example.com", UserConfig{Status: StatusResetRequired}},
		{&w.Dora, "dora@example.com", UserConfig{Disabled: true}},
	} {
		u.cfg.Email, u.cfg.Password = u.email, SeedPassword
		if *u.dst, err = p.AddUser(u.cfg); err != nil {
			return nil, fmt.Errorf("seed %s: %w", u.email, err)
		}
	}
	if err := w.seedChallenges(); err != nil {
		return nil, err
	}
	return w, nil
}

// Env returns the world as environment variables for scripts:
//
//	STRICT_URL                 the user-pool API endpoint (--endpoint-url)
//	STRICT_REGION, STRICT_POOL_ID, STRICT_ISSUER, STRICT_JWKS_URL
//	STRICT_PUBLIC_CLIENT_ID    no secret; password, SRP and refresh flows
//	STRICT_SECRET_CLIENT_ID, STRICT_SECRET_CLIENT_SECRET   the same with a secret
//	STRICT_SRP_ONLY_CLIENT_ID  SRP and refresh only (USER_PASSWORD_AUTH not enabled)
//	STRICT_PASSWORD            every user's password
//	STRICT_EMAIL, STRICT_USERNAME   alice: her sign-in alias and internal username (a UUID)
//	STRICT_UNCONFIRMED_EMAIL, STRICT_RESET_EMAIL, STRICT_DISABLED_EMAIL
func (w *Seeded) Env() map[string]string {
	env := w.Challenges.env()
	for k, v := range map[string]string{
		"STRICT_URL":                  w.Server.URL,
		"STRICT_REGION":               w.Server.Region,
		"STRICT_POOL_ID":              w.Pool.ID,
		"STRICT_ISSUER":               w.Pool.Issuer,
		"STRICT_JWKS_URL":             w.Pool.JWKSURL,
		"STRICT_PUBLIC_CLIENT_ID":     w.Public.ID,
		"STRICT_SECRET_CLIENT_ID":     w.Secret.ID,
		"STRICT_SECRET_CLIENT_SECRET": w.Secret.Secret,
		"STRICT_SRP_ONLY_CLIENT_ID":   w.SRPOnly.ID,
		"STRICT_PASSWORD":             w.Password,
		"STRICT_EMAIL":                w.Alice.Email,
		"STRICT_USERNAME":             w.Alice.Username,
		"STRICT_UNCONFIRMED_EMAIL":    w.Una.Email,
		"STRICT_RESET_EMAIL":          w.Reset.Email,
		"STRICT_DISABLED_EMAIL":       w.Dora.Email,
	} {
		env[k] = v
	}
	return env
}

// EnvNames lists Env's variable names, sorted.
func (w *Seeded) EnvNames() []string {
	var names []string
	for k := range w.Env() {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}
