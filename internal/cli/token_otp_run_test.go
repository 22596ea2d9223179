package cli

import (
	"context"
	"testing"
	"time"

	"github.com/cogtool/cogtool/internal/testpeers/strict"
)

// otpWorld is a tokenWorld whose pool allows EMAIL_OTP as a first factor
// and whose app client signs in with USER_AUTH.
func otpWorld(t *testing.T) *tokenWorld {
	w := newTokenWorld(t)
	w.pool.SetMFA(strict.MFAConfig{Mode: "OFF", PasswordlessFactors: []string{"EMAIL_OTP"}})
	c, err := w.pool.AddClient(strict.ClientConfig{GenerateSecret: true,
		ExplicitAuthFlows: []string{strict.AllowUserAuth, strict.AllowRefreshTokenAuth}})
	if err != nil {
		t.Fatal(err)
	}
	w.client = c
	return w
}

// otpRun runs token otp --channel email, with --code when code is set.
func otpRun(ctx context.Context, d tokenDeps, code func() string) error {
	a := newAnswerer(answerFactory(d))
	if code != nil {
		a.code = code()
	}
	return tokenGetRun(ctx, &tokenGetOptions{tokenDeps: d, Tokens: tokenFlags{Which: "access", MinTTL: time.Minute},
		Flow: flowInput{Flow: "otp", Channel: "email", Asked: true, Answer: a}})
}

// TestTokenOTPRunTable: USER_AUTH with EMAIL_OTP against the strict fake.
// Off a terminal, without --code, the sign-in stops at the code (exit 7)
// and says how to continue; 'token respond --code' then finishes it with
// the code the fake sent. A wrong code is exit 4.
func TestTokenOTPRunTable(t *testing.T) {
	for _, tt := range []struct {
		name string
		code string // for respond: "sent" = the code the fake sent
	}{
		{"respond-with-sent-code", "sent"},
		{"respond-with-wrong-code", "000000"},
	} {
		for _, tty := range []bool{true, false} {
			name := tt.name + "-" + ttyName(tty)
			t.Run(name, func(t *testing.T) {
				w := otpWorld(t)
				r := newRunIO(tty)
				r.randomIDs, r.randomTokens, r.machine, r.wallClock = true, true, "token", true
				d := tokenDeps{IO: r.IO, Output: resolveOutput(r.IO, "", "token"), Now: time.Now, Sources: w.sources(r, "alice", "")}
				err := otpRun(t.Context(), d, nil)
				if code := exitCode(t.Context(), err); code != 7 {
					t.Fatalf("token otp without --code: exit %d (%v), want 7", code, err)
				}
				r.ErrOut.WriteString("cogtool: " + err.Error() + "\n")
				a := newAnswerer(answerFactory(d))
				a.code = tt.code
				if tt.code == "sent" {
					a.code = w.srv.LastCode(w.pool, "alice")
				}
				err = tokenRespondRun(t.Context(), &tokenRespondOptions{tokenDeps: d, Tokens: tokenFlags{Which: "access", MinTTL: time.Minute}, Answer: a})
				r.check(t, "token-otp/"+name, err, w.pool.ID, "us-east-1_POOL", w.client.ID, "runclient")
			})
		}
	}
}
