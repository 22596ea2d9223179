package flows

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cogtool/cogtool/internal/cognito"
	"github.com/cogtool/cogtool/internal/exit"
)

func challenge(name, session string, params map[string]string) fakeReply {
	return fakeReply{body: map[string]any{"ChallengeName": name, "Session": session, "ChallengeParameters": params}}
}

// A chain the emulators cannot produce: SELECT_MFA_TYPE, then
// SOFTWARE_TOKEN_MFA, then NEW_PASSWORD_REQUIRED, for a user who typed an
// alias. Every response must name the user as USER_ID_FOR_SRP, with the
// SECRET_HASH computed from it, and pass the session along.
func TestChallengeChain(t *testing.T) {
	const uid = "7f3c9a1e-0d2b-4c5e-8f6a-1b2c3d4e5f60"
	f := newFakeIDP(t, func(n int, c fakeCall) fakeReply {
		switch n {
		case 1:
			return challenge("SELECT_MFA_TYPE", "s1", map[string]string{
				"USER_ID_FOR_SRP": uid, "MFAS_CAN_CHOOSE": `["SMS_MFA","SOFTWARE_TOKEN_MFA"]`})
		case 2:
			return challenge("SOFTWARE_TOKEN_MFA", "s2", map[string]string{"USER_ID_FOR_SRP": uid})
		case 3:
			return challenge("NEW_PASSWORD_REQUIRED", "s3", map[string]string{
				"USER_ID_FOR_SRP": uid, "requiredAttributes": "[]", "userAttributes": "{}"})
		default:
			return fakeReply{body: authResult(map[string]any{"username": uid}, 3600)}
		}
	})
	a := &answers{choice: "SOFTWARE_TOKEN_MFA", code: " 123456 ", newPassword: "N3w-Passw0rd!"}
	tok, err := fastClient(f.srv.URL).Password(testCtx(t), AuthParams{
		ClientID: "cid", ClientSecret: "shh", Username: "alias@example.com", Password: "pw", Answer: a,
	})
	if err != nil {
		t.Fatal(err)
	}
	if tok.Username != uid {
		t.Errorf("Username = %q, want %q", tok.Username, uid)
	}
	if got := strings.Join(a.asked, ","); got != "SELECT_MFA_TYPE,SOFTWARE_TOKEN_MFA,NEW_PASSWORD" {
		t.Errorf("asked %s", got)
	}
	if strings.Join(a.options, ",") != "SMS_MFA,SOFTWARE_TOKEN_MFA" {
		t.Errorf("SelectMFA got options %v", a.options)
	}

	calls := f.Calls()
	if len(calls) != 4 {
		t.Fatalf("%d calls, want 4", len(calls))
	}
	init := strMap(calls[0].Body["AuthParameters"])
	if init["USERNAME"] != "alias@example.com" || init["SECRET_HASH"] != cognito.SecretHash("cid", "shh", "alias@example.com") {
		t.Errorf("InitiateAuth parameters %v", init)
	}
	want := []struct {
		name, session, key, value string
	}{
		{"SELECT_MFA_TYPE", "s1", "ANSWER", "SOFTWARE_TOKEN_MFA"},
		{"SOFTWARE_TOKEN_MFA", "s2", "SOFTWARE_TOKEN_MFA_CODE", "123456"},
		{"NEW_PASSWORD_REQUIRED", "s3", "NEW_PASSWORD", "N3w-Passw0rd!"},
	}
	for i, w := range want {
		c := calls[i+1]
		if c.Op != "RespondToAuthChallenge" || c.Body["ChallengeName"] != w.name || c.Body["Session"] != w.session || c.Body["ClientId"] != "cid" {
			t.Errorf("call %d: op %s body %v", i+1, c.Op, c.Body)
		}
		r := strMap(c.Body["ChallengeResponses"])
		if r[w.key] != w.value {
			t.Errorf("%s: %s = %q, want %q", w.name, w.key, r[w.key], w.value)
		}
		if r["USERNAME"] != uid {
			t.Errorf("%s: USERNAME = %q, want USER_ID_FOR_SRP", w.name, r["USERNAME"])
		}
		if r["SECRET_HASH"] != cognito.SecretHash("cid", "shh", uid) {
			t.Errorf("%s: SECRET_HASH not computed from USER_ID_FOR_SRP", w.name)
		}
		if c.Header.Get("Authorization") != "" {
			t.Errorf("%s: request was signed", w.name)
		}
	}
}

func TestMFACodeChallenges(t *testing.T) {
	for _, name := range []string{"SMS_MFA", "EMAIL_OTP", "SOFTWARE_TOKEN_MFA"} {
		t.Run(name, func(t *testing.T) {
			f := newFakeIDP(t, func(n int, c fakeCall) fakeReply {
				if n == 1 {
					return challenge(name, "sess", map[string]string{"CODE_DELIVERY_DESTINATION": "+*******0123"})
				}
				return fakeReply{body: authResult(map[string]any{"username": "u"}, 3600)}
			})
			a := &answers{code: "654321"}
			if _, err := fastClient(f.srv.URL).Password(testCtx(t), AuthParams{ClientID: "cid", Username: "u", Password: "pw", Answer: a}); err != nil {
				t.Fatal(err)
			}
			r := strMap(f.Calls()[1].Body["ChallengeResponses"])
			if r[name+"_CODE"] != "654321" || r["USERNAME"] != "u" {
				t.Errorf("responses %v", r)
			}
			if _, ok := r["SECRET_HASH"]; ok {
				t.Error("SECRET_HASH sent for a public client")
			}
		})
	}
}

func TestUnansweredChallengesExitSeven(t *testing.T) {
	for _, tc := range []struct {
		name   string
		params map[string]string
		answer Answerer
		want   []string
	}{
		{"SOFTWARE_TOKEN_MFA", nil, &answers{}, []string{"SOFTWARE_TOKEN_MFA", "--code", "COGTOOL_TOTP_SECRET"}},
		{"SMS_MFA", map[string]string{"CODE_DELIVERY_DESTINATION": "+*******0123"}, nil, []string{"SMS_MFA", "+*******0123", "--code"}},
		{"SMS_OTP", map[string]string{"CODE_DELIVERY_DESTINATION": "+*******0123"}, nil, []string{"SMS_OTP", "+*******0123", "--code"}},
		{"EMAIL_OTP", map[string]string{"CODE_DELIVERY_DESTINATION": "a***@e***"}, &answers{}, []string{"EMAIL_OTP", "a***@e***"}},
		{"SELECT_MFA_TYPE", map[string]string{"MFAS_CAN_CHOOSE": `["SMS_MFA","SOFTWARE_TOKEN_MFA"]`}, &answers{}, []string{"SELECT_MFA_TYPE", "SMS_MFA, SOFTWARE_TOKEN_MFA", "--mfa-type totp|sms"}},
		{"NEW_PASSWORD_REQUIRED", nil, &answers{}, []string{"NEW_PASSWORD_REQUIRED", "COGTOOL_NEW_PASSWORD"}},
		{"NEW_PASSWORD_REQUIRED", map[string]string{"requiredAttributes": `["userAttributes.given_name","userAttributes.family_name"]`},
			&answers{newPassword: "N3w-Passw0rd!", attrs: map[string]string{"given_name": "Ada"}},
			[]string{"NEW_PASSWORD_REQUIRED", "family_name", "--attribute family_name=VALUE"}},
		{"MFA_SETUP", map[string]string{"MFAS_CAN_SETUP": `["SOFTWARE_TOKEN_MFA"]`}, &answers{code: "1", newPassword: "x", choice: "y"}, []string{"MFA_SETUP", "--totp-secret-out FILE"}},
		{"CUSTOM_CHALLENGE", map[string]string{"question": "colour?"}, nil, []string{"CUSTOM_CHALLENGE", "question=colour?", "--answer"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeIDP(t, func(int, fakeCall) fakeReply { return challenge(tc.name, "sess", tc.params) })
			_, err := fastClient(f.srv.URL).Password(testCtx(t), AuthParams{ClientID: "cid", Username: "u", Password: "pw", Answer: tc.answer})
			ee := wantCode(t, err, exit.Challenge)
			for _, s := range tc.want {
				if !strings.Contains(ee.Error(), s) {
					t.Errorf("message %q lacks %q", ee.Error(), s)
				}
			}
			if n := len(f.Calls()); n != 1 {
				t.Errorf("%d calls; nothing should be sent after an unanswerable challenge", n)
			}
			var pe *PendingError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T is not a *PendingError", err)
			}
			if pe.Pending.Session != "sess" || pe.Pending.Challenge != tc.name || pe.Pending.ClientID != "cid" || pe.Pending.Username != "u" || len(pe.Flags) == 0 {
				t.Errorf("pending %+v flags %v", pe.Pending, pe.Flags)
			}
			if strings.Contains(fmt.Sprint(pe.Pending), "pw") {
				t.Errorf("the password is in the saved challenge: %+v", pe.Pending)
			}
		})
	}
}

type failingAnswerer struct{ err error }

func (f failingAnswerer) NewPassword(context.Context) (string, error)              { return "", f.err }
func (f failingAnswerer) Attribute(context.Context, string) (string, error)        { return "", f.err }
func (f failingAnswerer) Code(context.Context, string, string) (string, error)     { return "", f.err }
func (f failingAnswerer) Select(context.Context, string, []string) (string, error) { return "", f.err }
func (f failingAnswerer) CustomAnswer(context.Context, map[string]string) (string, error) {
	return "", f.err
}
func (f failingAnswerer) SetupTOTP(context.Context, func() (string, string, error)) (string, error) {
	return "", f.err
}

func TestAnswererErrors(t *testing.T) {
	f := newFakeIDP(t, func(int, fakeCall) fakeReply { return challenge("SMS_MFA", "s", nil) })
	c := fastClient(f.srv.URL)
	p := AuthParams{ClientID: "cid", Username: "u", Password: "pw"}

	p.Answer = failingAnswerer{exit.Usagef("--new-password-file: no such file")}
	_, err := c.Password(testCtx(t), p)
	wantCode(t, err, exit.Usage)

	p.Answer = failingAnswerer{context.Canceled}
	_, err = c.Password(testCtx(t), p)
	wantCode(t, err, exit.Interrupted)

	p.Answer = failingAnswerer{errors.New("read tty: input/output error")}
	_, err = c.Password(testCtx(t), p)
	if err == nil || !strings.Contains(err.Error(), "SMS_MFA: read tty") {
		t.Fatalf("want the answerer's error under the challenge name, got %v", err)
	}
}

func TestSelectMFARejectsUnofferedChoice(t *testing.T) {
	f := newFakeIDP(t, func(int, fakeCall) fakeReply {
		return challenge("SELECT_MFA_TYPE", "s", map[string]string{"MFAS_CAN_CHOOSE": `["SMS_MFA"]`})
	})
	_, err := fastClient(f.srv.URL).Password(testCtx(t), AuthParams{ClientID: "cid", Username: "u", Password: "pw", Answer: &answers{choice: "EMAIL_OTP"}})
	wantCode(t, err, exit.Usage)
}

func TestChallengeLoopIsBounded(t *testing.T) {
	f := newFakeIDP(t, func(int, fakeCall) fakeReply { return challenge("SMS_MFA", "again", nil) })
	_, err := fastClient(f.srv.URL).Password(testCtx(t), AuthParams{ClientID: "cid", Username: "u", Password: "pw", Answer: &answers{code: "111111"}})
	ee := wantCode(t, err, exit.Network)
	if !strings.Contains(ee.Error(), "chained challenges") {
		t.Errorf("message %q", ee.Error())
	}
	if n := len(f.Calls()); n != 1+maxChallenges {
		t.Errorf("%d calls, want %d", n, 1+maxChallenges)
	}
}

func TestChallengeRefusalIsMapped(t *testing.T) {
	f := newFakeIDP(t, func(n int, _ fakeCall) fakeReply {
		if n == 1 {
			return challenge("SOFTWARE_TOKEN_MFA", "s", nil)
		}
		return apiError(400, "CodeMismatchException", "Invalid code received for user")
	})
	_, err := fastClient(f.srv.URL).Password(testCtx(t), AuthParams{ClientID: "cid", Username: "u", Password: "pw", Answer: &answers{code: "000000"}})
	ee := wantCode(t, err, exit.Auth)
	if ee.AWSError != "CodeMismatchException" || !strings.Contains(ee.Error(), "respond to SOFTWARE_TOKEN_MFA: CodeMismatchException: Invalid code") {
		t.Errorf("AWSError %q message %q", ee.AWSError, ee.Error())
	}
}

func TestTOTPCode(t *testing.T) {
	// RFC 6238 appendix B, SHA-1: the seed is the ASCII "12345678901234567890"
	// (base32 GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ); the RFC lists 8-digit codes,
	// whose last six digits are the 6-digit codes.
	secret := "gezd gnbv gy3t qojq gezd gnbv gy3t qojq" // case and spaces as users paste them
	for _, tc := range []struct {
		unix int64
		want string
	}{
		{59, "287082"},         // 94287082
		{1111111109, "081804"}, // 07081804
		{1234567890, "005924"}, // 89005924
		{2000000000, "279037"}, // 69279037
	} {
		got, err := TOTPCode(secret, time.Unix(tc.unix, 0))
		if err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("TOTPCode at %d = %s, want %s", tc.unix, got, tc.want)
		}
	}
	for _, bad := range []string{"", "not base32 !!", "   "} {
		_, err := TOTPCode(bad, time.Unix(59, 0))
		wantCode(t, err, exit.Usage)
	}
}
