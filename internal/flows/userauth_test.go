package flows

import (
	"errors"
	"math/big"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/cogtool/cogtool/internal/cognito"
	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/srp"
)

// USER_AUTH with PREFERRED_CHALLENGE PASSWORD sends the password in
// AuthParameters (InitiateAuth, AuthParameters, USER_AUTH).
func TestUserAuthPassword(t *testing.T) {
	f := newFakeIDP(t, func(int, fakeCall) fakeReply {
		return fakeReply{body: authResult(map[string]any{"username": "u"}, 3600)}
	})
	if _, err := fastClient(f.srv.URL).Password(testCtx(t), AuthParams{ClientID: "cid", ClientSecret: "shh", Username: "u", Password: "pw", UserAuth: true}); err != nil {
		t.Fatal(err)
	}
	c := f.Calls()[0]
	p := strMap(c.Body["AuthParameters"])
	if c.Body["AuthFlow"] != "USER_AUTH" || p["PREFERRED_CHALLENGE"] != "PASSWORD" || p["PASSWORD"] != "pw" || p["USERNAME"] != "u" ||
		p["SECRET_HASH"] != cognito.SecretHash("cid", "shh", "u") {
		t.Errorf("InitiateAuth %v", c.Body)
	}
}

// When Cognito does not take the preferred challenge it answers
// SELECT_CHALLENGE with AvailableChallenges; the flow answers it with its
// own method: ANSWER PASSWORD_SRP and SRP_A, then PASSWORD_VERIFIER.
func TestUserAuthSelectChallengeSRP(t *testing.T) {
	const uid = "9d1c-uuid"
	f := newFakeIDP(t, func(n int, c fakeCall) fakeReply {
		switch n {
		case 1:
			return fakeReply{body: map[string]any{"ChallengeName": "SELECT_CHALLENGE", "Session": "s1",
				"ChallengeParameters": map[string]string{"USERNAME": uid},
				"AvailableChallenges": []string{"PASSWORD_SRP", "EMAIL_OTP", "WEB_AUTHN"}}}
		case 2:
			return challenge("PASSWORD_VERIFIER", "s2", map[string]string{"USER_ID_FOR_SRP": uid, "USERNAME": uid,
				"SALT": "ab12", "SRP_B": "0fedcba9876543210", "SECRET_BLOCK": "c2VjcmV0LWJsb2Nr"})
		default:
			return fakeReply{body: authResult(map[string]any{"username": uid}, 3600)}
		}
	})
	c := fastClient(f.srv.URL)
	c.randA = func() (*big.Int, error) { return big.NewInt(12345), nil }
	tok, err := c.SRP(testCtx(t), AuthParams{PoolID: "us-east-1_AbC", ClientID: "cid", Username: "alias@example.com", Password: "pw", UserAuth: true})
	if err != nil {
		t.Fatal(err)
	}
	if tok.Username != uid {
		t.Errorf("username %q", tok.Username)
	}
	calls := f.Calls()
	init := strMap(calls[0].Body["AuthParameters"])
	if calls[0].Body["AuthFlow"] != "USER_AUTH" || init["PREFERRED_CHALLENGE"] != "PASSWORD_SRP" || init["SRP_A"] == "" || init["PASSWORD"] != "" {
		t.Errorf("InitiateAuth %v", calls[0].Body)
	}
	sel := strMap(calls[1].Body["ChallengeResponses"])
	if calls[1].Body["ChallengeName"] != "SELECT_CHALLENGE" || sel["ANSWER"] != "PASSWORD_SRP" || sel["USERNAME"] != uid || sel["SRP_A"] != srp.A(big.NewInt(12345)).Text(16) {
		t.Errorf("SELECT_CHALLENGE response %v", calls[1].Body)
	}
	pv := strMap(calls[2].Body["ChallengeResponses"])
	if calls[2].Body["ChallengeName"] != "PASSWORD_VERIFIER" || pv["PASSWORD_CLAIM_SIGNATURE"] == "" || pv["TIMESTAMP"] == "" || pv["USERNAME"] != uid {
		t.Errorf("PASSWORD_VERIFIER response %v", calls[2].Body)
	}
}

// token otp: USER_AUTH with PREFERRED_CHALLENGE EMAIL_OTP (no password),
// then EMAIL_OTP_CODE; the Answerer learns where the code went.
func TestOTPFlow(t *testing.T) {
	for _, ch := range []struct{ channel, challenge string }{{"email", "EMAIL_OTP"}, {"sms", "SMS_OTP"}} {
		f := newFakeIDP(t, func(n int, c fakeCall) fakeReply {
			if n == 1 {
				return challenge(ch.challenge, "s", map[string]string{"USERNAME": "u-id", "CODE_DELIVERY_DESTINATION": "a***@e***"})
			}
			return fakeReply{body: authResult(map[string]any{"username": "u-id"}, 3600)}
		})
		a := &answers{code: "123 456"}
		if _, err := fastClient(f.srv.URL).OTP(testCtx(t), AuthParams{ClientID: "cid", Username: "alice", Answer: a}, ch.channel); err != nil {
			t.Fatal(err)
		}
		calls := f.Calls()
		p := strMap(calls[0].Body["AuthParameters"])
		if calls[0].Body["AuthFlow"] != "USER_AUTH" || p["PREFERRED_CHALLENGE"] != ch.challenge || p["PASSWORD"] != "" {
			t.Errorf("InitiateAuth %v", calls[0].Body)
		}
		r := strMap(calls[1].Body["ChallengeResponses"])
		if r[ch.challenge+"_CODE"] != "123456" || r["USERNAME"] != "u-id" || calls[1].Body["Session"] != "s" {
			t.Errorf("response %v", calls[1].Body)
		}
		if a.destination != "a***@e***" {
			t.Errorf("destination %q", a.destination)
		}
	}
	_, err := fastClient("http://127.0.0.1:1").OTP(testCtx(t), AuthParams{ClientID: "cid", Username: "u"}, "pigeon")
	wantCode(t, err, exit.Usage)
}

func TestUserAuthNotEnabledNamesTheFlag(t *testing.T) {
	f := newFakeIDP(t, func(int, fakeCall) fakeReply {
		return apiError(400, "InvalidParameterException", "USER_AUTH flow not enabled for this client")
	})
	_, err := fastClient(f.srv.URL).OTP(testCtx(t), AuthParams{ClientID: "cid", Username: "u"}, "email")
	ee := wantCode(t, err, exit.Auth)
	if !strings.Contains(ee.Error(), "ALLOW_USER_AUTH") {
		t.Errorf("message %q does not name ALLOW_USER_AUTH", ee.Error())
	}
}

// NEW_PASSWORD_REQUIRED with requiredAttributes: each is sent as
// userAttributes.NAME beside NEW_PASSWORD.
func TestNewPasswordWithRequiredAttributes(t *testing.T) {
	f := newFakeIDP(t, func(n int, c fakeCall) fakeReply {
		if n == 1 {
			return challenge("NEW_PASSWORD_REQUIRED", "s", map[string]string{"USER_ID_FOR_SRP": "uid",
				"requiredAttributes": `["userAttributes.given_name","userAttributes.email"]`, "userAttributes": `{"email":"a@example.com"}`})
		}
		return fakeReply{body: authResult(map[string]any{"username": "uid"}, 3600)}
	})
	a := &answers{newPassword: "N3w!pass", attrs: map[string]string{"given_name": "Ada"}}
	if _, err := fastClient(f.srv.URL).Password(testCtx(t), AuthParams{ClientID: "cid", Username: "u", Password: "pw", Answer: a}); err != nil {
		t.Fatal(err)
	}
	r := strMap(f.Calls()[1].Body["ChallengeResponses"])
	if r["NEW_PASSWORD"] != "N3w!pass" || r["userAttributes.given_name"] != "Ada" || r["USERNAME"] != "uid" {
		t.Errorf("responses %v", r)
	}
	if _, ok := r["userAttributes.email"]; ok {
		t.Error("an attribute that already has a value was sent")
	}
}

// MFA_SETUP: AssociateSoftwareToken with the challenge's Session,
// VerifySoftwareToken with the Session that returned and a code computed
// from the new secret, then MFA_SETUP with VerifySoftwareToken's Session.
func TestMFASetup(t *testing.T) {
	const secret = "JBSWY3DPEHPK3PXP"
	f := newFakeIDP(t, func(n int, c fakeCall) fakeReply {
		switch c.Op {
		case "InitiateAuth":
			return challenge("MFA_SETUP", "s-setup", map[string]string{"MFAS_CAN_SETUP": `["SOFTWARE_TOKEN_MFA"]`, "USER_ID_FOR_SRP": "uid"})
		case "AssociateSoftwareToken":
			return fakeReply{body: map[string]any{"SecretCode": secret, "Session": "s-assoc"}}
		case "VerifySoftwareToken":
			return fakeReply{body: map[string]any{"Status": "SUCCESS", "Session": "s-verified"}}
		}
		return fakeReply{body: authResult(map[string]any{"username": "uid"}, 3600)}
	})
	var got string
	a := &answers{totpSecret: &got}
	if _, err := fastClient(f.srv.URL).Password(testCtx(t), AuthParams{PoolID: "us-east-1_AbC", ClientID: "cid", ClientSecret: "shh", Username: "u", Password: "pw", Answer: a}); err != nil {
		t.Fatal(err)
	}
	if got != secret {
		t.Errorf("secret %q", got)
	}
	calls := f.Calls()
	ops := []string{}
	for _, c := range calls {
		ops = append(ops, c.Op)
	}
	if strings.Join(ops, ",") != "InitiateAuth,AssociateSoftwareToken,VerifySoftwareToken,RespondToAuthChallenge" {
		t.Fatalf("ops %v", ops)
	}
	if calls[1].Body["Session"] != "s-setup" {
		t.Errorf("AssociateSoftwareToken %v", calls[1].Body)
	}
	want, _ := TOTPCode(secret, time.Now())
	if calls[2].Body["Session"] != "s-assoc" || calls[2].Body["UserCode"] != want {
		t.Errorf("VerifySoftwareToken %v (want code %s)", calls[2].Body, want)
	}
	r := strMap(calls[3].Body["ChallengeResponses"])
	if calls[3].Body["ChallengeName"] != "MFA_SETUP" || calls[3].Body["Session"] != "s-verified" || r["USERNAME"] != "uid" || r["SECRET_HASH"] != cognito.SecretHash("cid", "shh", "uid") {
		t.Errorf("MFA_SETUP response %v", calls[3].Body)
	}
}

func TestMFASetupOnlySMSOffered(t *testing.T) {
	f := newFakeIDP(t, func(int, fakeCall) fakeReply {
		return challenge("MFA_SETUP", "s", map[string]string{"MFAS_CAN_SETUP": `["SMS_MFA"]`})
	})
	s := ""
	_, err := fastClient(f.srv.URL).Password(testCtx(t), AuthParams{ClientID: "cid", Username: "u", Password: "pw", Answer: &answers{totpSecret: &s}})
	ee := wantCode(t, err, exit.Challenge)
	if !strings.Contains(ee.Error(), "phone_number") {
		t.Errorf("message %q", ee.Error())
	}
}

func TestOTPAuthURI(t *testing.T) {
	u, err := url.Parse(OTPAuthURI("JBSWY3DPEHPK3PXP", "us-east-1_AbC", "alice@example.com"))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if u.Scheme != "otpauth" || u.Host != "totp" || q.Get("secret") != "JBSWY3DPEHPK3PXP" || q.Get("issuer") != "us-east-1_AbC" ||
		q.Get("digits") != "6" || q.Get("period") != "30" || q.Get("algorithm") != "SHA1" || !strings.Contains(u.Path, "alice@example.com") {
		t.Errorf("URI %s", u)
	}
}

// CUSTOM_AUTH: USERNAME only; CUSTOM_CHALLENGE shows its public
// parameters and is answered with ANSWER.
func TestCustomAuth(t *testing.T) {
	f := newFakeIDP(t, func(n int, c fakeCall) fakeReply {
		if n == 1 {
			return challenge("CUSTOM_CHALLENGE", "s", map[string]string{"USERNAME": "uid", "question": "2+2?"})
		}
		return fakeReply{body: authResult(map[string]any{"username": "uid"}, 3600)}
	})
	a := &answers{custom: "4"}
	if _, err := fastClient(f.srv.URL).Custom(testCtx(t), AuthParams{ClientID: "cid", Username: "u", Answer: a}); err != nil {
		t.Fatal(err)
	}
	calls := f.Calls()
	if calls[0].Body["AuthFlow"] != "CUSTOM_AUTH" || len(strMap(calls[0].Body["AuthParameters"])) != 1 {
		t.Errorf("InitiateAuth %v", calls[0].Body)
	}
	r := strMap(calls[1].Body["ChallengeResponses"])
	if r["ANSWER"] != "4" || r["USERNAME"] != "uid" || a.customParams["question"] != "2+2?" {
		t.Errorf("response %v, params %v", r, a.customParams)
	}
}

// A challenge stopped for want of an answer resumes with its Session in
// another Respond call, and the chain goes on from there.
func TestPendingResumes(t *testing.T) {
	f := newFakeIDP(t, func(n int, c fakeCall) fakeReply {
		switch n {
		case 1:
			return challenge("EMAIL_OTP", "s1", map[string]string{"USERNAME": "uid", "CODE_DELIVERY_DESTINATION": "a***"})
		case 2:
			return challenge("NEW_PASSWORD_REQUIRED", "s2", map[string]string{"USER_ID_FOR_SRP": "uid"})
		}
		return fakeReply{body: authResult(map[string]any{"username": "uid"}, 3600)}
	})
	c := fastClient(f.srv.URL)
	_, err := c.OTP(testCtx(t), AuthParams{ClientID: "cid", ClientSecret: "shh", Username: "alice", Answer: &answers{}}, "email")
	var pe *PendingError
	if !errors.As(err, &pe) {
		t.Fatalf("want a *PendingError, got %v", err)
	}
	p := pe.Pending
	if p.Session != "s1" || p.Challenge != "EMAIL_OTP" || p.Username != "uid" || p.Params["CODE_DELIVERY_DESTINATION"] != "a***" ||
		time.Until(p.ExpiresAt) < 2*time.Minute || time.Until(p.ExpiresAt) > SessionLifetime {
		t.Errorf("pending %+v", p)
	}
	// The second step needs a new password the answers lack: exit 7 again, with the new Session.
	_, err = c.Respond(testCtx(t), RespondParams{Pending: p, ClientSecret: "shh", Answer: &answers{code: "111111"}})
	if !errors.As(err, &pe) || pe.Pending.Session != "s2" || pe.Pending.Challenge != "NEW_PASSWORD_REQUIRED" {
		t.Fatalf("want NEW_PASSWORD_REQUIRED pending, got %v", err)
	}
	tok, err := c.Respond(testCtx(t), RespondParams{Pending: pe.Pending, ClientSecret: "shh", Answer: &answers{newPassword: "N3w!pass"}})
	if err != nil {
		t.Fatal(err)
	}
	if tok.Username != "uid" {
		t.Errorf("username %q", tok.Username)
	}
	calls := f.Calls()
	r := strMap(calls[1].Body["ChallengeResponses"])
	if calls[1].Body["Session"] != "s1" || r["EMAIL_OTP_CODE"] != "111111" || r["SECRET_HASH"] != cognito.SecretHash("cid", "shh", "uid") {
		t.Errorf("resumed response %v", calls[1].Body)
	}
	// An expired one is refused before anything is sent.
	old := pe.Pending
	old.ExpiresAt = time.Now().Add(-time.Second)
	n := len(f.Calls())
	_, err = c.Respond(testCtx(t), RespondParams{Pending: old, Answer: &answers{newPassword: "x"}})
	if ee := wantCode(t, err, exit.Usage); !strings.Contains(ee.Error(), "expired") {
		t.Errorf("message %q", ee.Error())
	}
	if len(f.Calls()) != n {
		t.Error("an expired challenge was sent")
	}
}

// SELECT_MFA_TYPE is answered with the MFA type the Answerer picks, and
// MFAChoice maps --mfa-type values onto what Cognito offers.
func TestMFAChoice(t *testing.T) {
	for _, tc := range []struct {
		kind    string
		options []string
		want    string
	}{
		{"totp", []string{"SMS_MFA", "SOFTWARE_TOKEN_MFA"}, "SOFTWARE_TOKEN_MFA"},
		{"sms", []string{"SMS_MFA", "SOFTWARE_TOKEN_MFA"}, "SMS_MFA"},
		{"sms", []string{"PASSWORD", "SMS_OTP"}, "SMS_OTP"},
		{"email", []string{"EMAIL_OTP"}, "EMAIL_OTP"},
		{"email", []string{"SMS_MFA"}, ""},
	} {
		if got := MFAChoice(tc.kind, tc.options); got != tc.want {
			t.Errorf("MFAChoice(%s, %v) = %q, want %q", tc.kind, tc.options, got, tc.want)
		}
	}
}
