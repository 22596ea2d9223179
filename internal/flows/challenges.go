package flows

// Challenge responses follow the RespondToAuthChallenge API reference
// (ChallengeResponses): every response carries USERNAME (the internal name
// Cognito gave in USER_ID_FOR_SRP or the challenge's USERNAME) and, for an
// app client with a secret, a SECRET_HASH computed from that same name.
//
//	NEW_PASSWORD_REQUIRED   NEW_PASSWORD, userAttributes.NAME for each requiredAttributes entry
//	SMS_MFA                 SMS_MFA_CODE
//	EMAIL_OTP / SMS_OTP     EMAIL_OTP_CODE / SMS_OTP_CODE
//	SOFTWARE_TOKEN_MFA      SOFTWARE_TOKEN_MFA_CODE
//	SELECT_MFA_TYPE         ANSWER (SMS_MFA, EMAIL_OTP, SOFTWARE_TOKEN_MFA)
//	SELECT_CHALLENGE        ANSWER (+ PASSWORD, or SRP_A, for those choices)
//	MFA_SETUP               USERNAME only, with the Session VerifySoftwareToken returned
//	CUSTOM_CHALLENGE        ANSWER
//	PASSWORD_VERIFIER       PASSWORD_CLAIM_SIGNATURE, PASSWORD_CLAIM_SECRET_BLOCK, TIMESTAMP

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/cogtool/cogtool/internal/cognito"
	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/srp"
)

// Answerer supplies what a challenge asks for. The command line implements
// it with flags, environment variables and, on a terminal, prompts. Each
// method returns ErrNoAnswer (wrapped or not) when it has no way to get the
// input; the flow then stops with a *PendingError (exit code 7).
type Answerer interface {
	// NewPassword answers NEW_PASSWORD_REQUIRED.
	NewPassword(ctx context.Context) (string, error)
	// Attribute gives the value of a required attribute of
	// NEW_PASSWORD_REQUIRED (name without the userAttributes. prefix).
	Attribute(ctx context.Context, name string) (string, error)
	// Code answers SMS_MFA, EMAIL_OTP, SMS_OTP, EMAIL_MFA and
	// SOFTWARE_TOKEN_MFA; destination is where the code was sent
	// (CODE_DELIVERY_DESTINATION), "" when unknown.
	Code(ctx context.Context, challenge, destination string) (string, error)
	// Select answers SELECT_MFA_TYPE and SELECT_CHALLENGE with one of options.
	Select(ctx context.Context, challenge string, options []string) (string, error)
	// SetupTOTP answers MFA_SETUP. associate registers a new authenticator
	// with Cognito and returns its secret and otpauth:// URI; the Answerer
	// calls it only when it can go on (a terminal to show the QR code on, or
	// a file to save the secret in), and returns the first code.
	SetupTOTP(ctx context.Context, associate func() (secret, uri string, err error)) (string, error)
	// CustomAnswer answers CUSTOM_CHALLENGE, given its public parameters.
	CustomAnswer(ctx context.Context, params map[string]string) (string, error)
}

// ErrNoAnswer is what an Answerer returns (wrapped or not) when it has no
// way to get the input: no flag, no variable, no terminal to prompt on. The
// flow then fails with exit code 7, naming the challenge and how to answer it.
var ErrNoAnswer = errors.New("no answer available")

// maxChallenges bounds a chain of challenges (SELECT_MFA_TYPE, then SMS_MFA,
// then NEW_PASSWORD_REQUIRED is three); a server asking for more is looping.
const maxChallenges = 8

// SessionLifetime is how long Cognito keeps a challenge's Session by
// default (the app client's AuthSessionValidity: 3 minutes, at most 15).
const SessionLifetime = 3 * time.Minute

// step is one reply of InitiateAuth or RespondToAuthChallenge.
type step struct {
	name      types.ChallengeNameType
	params    map[string]string
	session   *string
	result    *types.AuthenticationResultType
	available []types.ChallengeNameType // InitiateAuth's AvailableChallenges
}

func initStep(out *cip.InitiateAuthOutput) step {
	return step{out.ChallengeName, out.ChallengeParameters, out.Session, out.AuthenticationResult, out.AvailableChallenges}
}

func respondStep(out *cip.RespondToAuthChallengeOutput) step {
	return step{name: out.ChallengeName, params: out.ChallengeParameters, session: out.Session, result: out.AuthenticationResult}
}

// authState is what the challenge loop carries from one reply to the next.
type authState struct {
	poolID, clientID, clientSecret string
	// username is the name the responses use: USER_ID_FOR_SRP once Cognito
	// has named it, never just the alias typed when Cognito said otherwise.
	username string
	login    string // the name as given, for display
	answer   Answerer
	opts     []func(*cip.Options)
	// password is known to the password and SRP flows (SELECT_CHALLENGE
	// PASSWORD, PASSWORD_VERIFIER); never to a resumed challenge.
	password string
	srpA     *big.Int // SRP's secret a, once SRP_A was sent
	// preferred answers SELECT_CHALLENGE without asking (the flow's own method).
	preferred types.ChallengeNameType
	started   time.Time // when the current Session was issued
}

// noteUser takes the name Cognito gave in a challenge's parameters.
func (st *authState) noteUser(params map[string]string) {
	if v := params["USER_ID_FOR_SRP"]; v != "" {
		st.username = v
	} else if v := params["USERNAME"]; v != "" {
		st.username = v
	}
}

// finish answers challenges until Cognito hands over tokens.
func (c *Client) finish(ctx context.Context, st *authState, s step) (*Tokens, error) {
	for i := 0; ; i++ {
		if s.result != nil {
			return c.tokens("authenticate", s.result, st.username)
		}
		if s.name == "" {
			return nil, exit.Networkf("authenticate: malformed reply: neither tokens nor a challenge")
		}
		if i == maxChallenges {
			return nil, exit.Networkf("authenticate: gave up after %d chained challenges (last: %s)", maxChallenges, s.name)
		}
		if st.started.IsZero() {
			st.started = c.now()
		}
		st.noteUser(s.params)
		session := s.session
		responses, err := c.answerChallenge(ctx, st, &s)
		if err != nil {
			return nil, err
		}
		if s.session != session {
			// MFA_SETUP answered with VerifySoftwareToken's Session.
			session = s.session
		}
		c.idp.AddSecretHash(responses, st.clientID, st.clientSecret, st.username)
		out, err := c.idp.API.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{
			ClientId:           aws.String(st.clientID),
			ChallengeName:      s.name,
			ChallengeResponses: responses,
			Session:            session,
		}, st.opts...)
		if err != nil {
			secrets := []string{st.clientSecret, st.password, aws.ToString(session)}
			for k, v := range responses {
				if k != "USERNAME" && k != "ANSWER" {
					secrets = append(secrets, v)
				}
			}
			return nil, c.idp.MapError("respond to "+string(s.name), err, secrets...)
		}
		st.started = c.now()
		s = respondStep(out)
	}
}

// answerChallenge builds the ChallengeResponses for one challenge, less
// SECRET_HASH. MFA_SETUP replaces s.session with VerifySoftwareToken's.
func (c *Client) answerChallenge(ctx context.Context, st *authState, s *step) (map[string]string, error) {
	name := string(s.name)
	r := map[string]string{"USERNAME": st.username}
	switch s.name {
	case types.ChallengeNameTypeNewPasswordRequired:
		if err := c.answerNewPassword(ctx, st, *s, r); err != nil {
			return nil, err
		}
	case types.ChallengeNameTypeSoftwareTokenMfa, types.ChallengeNameTypeSmsMfa,
		types.ChallengeNameTypeEmailOtp, types.ChallengeNameTypeSmsOtp, "EMAIL_MFA":
		code, err := ask(ctx, st, *s, func(a Answerer) (string, error) {
			return a.Code(ctx, name, s.params["CODE_DELIVERY_DESTINATION"])
		})
		if err != nil {
			return nil, err
		}
		r[name+"_CODE"] = strings.Join(strings.Fields(code), "")
	case types.ChallengeNameTypeSelectMfaType:
		options := jsonList(s.params["MFAS_CAN_CHOOSE"])
		choice, err := ask(ctx, st, *s, func(a Answerer) (string, error) { return a.Select(ctx, name, options) })
		if err != nil {
			return nil, err
		}
		if len(options) > 0 && !slices.Contains(options, choice) {
			return nil, exit.Usagef("%s: %q is not one of %s", name, choice, strings.Join(options, ", "))
		}
		r["ANSWER"] = choice
	case types.ChallengeNameTypeSelectChallenge:
		if err := c.answerSelectChallenge(ctx, st, *s, r); err != nil {
			return nil, err
		}
	case types.ChallengeNameTypePasswordVerifier:
		if err := c.answerPasswordVerifier(st, *s, r); err != nil {
			return nil, err
		}
	case types.ChallengeNameTypeMfaSetup:
		session, err := c.setupTOTP(ctx, st, *s)
		if err != nil {
			return nil, err
		}
		s.session = session
	case types.ChallengeNameTypeCustomChallenge:
		ans, err := ask(ctx, st, *s, func(a Answerer) (string, error) { return a.CustomAnswer(ctx, PublicParams(s.params)) })
		if err != nil {
			return nil, err
		}
		r["ANSWER"] = ans
	default:
		return nil, &exit.Error{Code: exit.Challenge, Err: fmt.Errorf(
			"%s: cogtool cannot answer this challenge; complete it another way (the hosted UI, or an admin fixing the user) and try again", name)}
	}
	return r, nil
}

// answerNewPassword fills NEW_PASSWORD and userAttributes.NAME for every
// attribute Cognito listed in requiredAttributes.
func (c *Client) answerNewPassword(ctx context.Context, st *authState, s step, r map[string]string) error {
	required := RequiredAttributes(s.params)
	var missing []string
	for _, name := range required {
		v, err := st.answerOrNil(func(a Answerer) (string, error) { return a.Attribute(ctx, name) })
		switch {
		case errors.Is(err, ErrNoAnswer) || (err == nil && v == ""):
			missing = append(missing, name)
		case err != nil:
			return askError(s, err)
		default:
			r["userAttributes."+name] = v
		}
	}
	pw, err := st.answerOrNil(func(a Answerer) (string, error) { return a.NewPassword(ctx) })
	noPassword := errors.Is(err, ErrNoAnswer) || (err == nil && pw == "")
	if err != nil && !noPassword {
		return askError(s, err)
	}
	if noPassword || len(missing) > 0 {
		return st.pending(s, missing, !noPassword, err)
	}
	r["NEW_PASSWORD"] = pw
	return nil
}

// answerSelectChallenge answers SELECT_CHALLENGE (USER_AUTH): the flow's
// own method when Cognito offers it, else the Answerer's choice.
func (c *Client) answerSelectChallenge(ctx context.Context, st *authState, s step, r map[string]string) error {
	options := make([]string, 0, len(s.available))
	for _, a := range s.available {
		options = append(options, string(a))
	}
	if len(options) == 0 {
		options = jsonList(s.params["AvailableChallenges"])
	}
	var choice string
	if st.preferred != "" && (len(options) == 0 || slices.Contains(options, string(st.preferred))) {
		choice = string(st.preferred)
	} else {
		var err error
		choice, err = ask(ctx, st, s, func(a Answerer) (string, error) { return a.Select(ctx, string(s.name), options) })
		if err != nil {
			return err
		}
		if len(options) > 0 && !slices.Contains(options, choice) {
			return exit.Usagef("%s: %q is not one of %s", s.name, choice, strings.Join(options, ", "))
		}
	}
	r["ANSWER"] = choice
	switch types.ChallengeNameType(choice) {
	case types.ChallengeNameTypePassword:
		if st.password == "" {
			return exit.Usagef("%s: PASSWORD needs the password: sign in with 'cogtool token password --auth-flow user-auth'", s.name)
		}
		r["PASSWORD"] = st.password
	case types.ChallengeNameTypePasswordSrp:
		if st.password == "" {
			return exit.Usagef("%s: PASSWORD_SRP needs the password: sign in with 'cogtool token srp --auth-flow user-auth'", s.name)
		}
		a, err := c.randA()
		if err != nil {
			return err
		}
		st.srpA = a
		r["SRP_A"] = srp.A(a).Text(16)
	case types.ChallengeNameTypeWebAuthn:
		return &exit.Error{Code: exit.Challenge, Err: fmt.Errorf("%s: cogtool cannot answer WEB_AUTHN (passkeys); choose another method", s.name)}
	}
	return nil
}

// answerPasswordVerifier computes the SRP proof for PASSWORD_VERIFIER.
func (c *Client) answerPasswordVerifier(st *authState, s step, r map[string]string) error {
	if st.password == "" || st.srpA == nil {
		return &exit.Error{Code: exit.Challenge, Err: fmt.Errorf("%s: the password proof must be sent by the command that started the sign-in; sign in again", s.name)}
	}
	pool, err := poolName(st.poolID)
	if err != nil {
		return err
	}
	cp := s.params
	userID := cp["USER_ID_FOR_SRP"]
	if userID == "" {
		return exit.Networkf("initiate auth: malformed reply: PASSWORD_VERIFIER without USER_ID_FOR_SRP")
	}
	// The proof is bound to USER_ID_FOR_SRP. The response names the user as
	// the challenge's USERNAME, as AWS's Android and .NET clients do; real
	// Cognito sends the same value in both, emulators may not.
	st.username = cp["USERNAME"]
	if st.username == "" {
		st.username = userID
	}
	r["USERNAME"] = st.username
	ts := c.now().UTC().Format(srp.TimeLayout)
	_, _, sig, err := passwordClaim(st.srpA, pool, userID, st.password, cp["SALT"], cp["SRP_B"], cp["SECRET_BLOCK"], ts)
	if err != nil {
		return exit.Networkf("initiate auth: malformed reply: %w", err)
	}
	r["PASSWORD_CLAIM_SECRET_BLOCK"] = cp["SECRET_BLOCK"]
	r["PASSWORD_CLAIM_SIGNATURE"] = sig
	r["TIMESTAMP"] = ts
	return nil
}

// answerOrNil calls f on the Answerer, or reports ErrNoAnswer without one.
func (st *authState) answerOrNil(f func(Answerer) (string, error)) (string, error) {
	if st.answer == nil {
		return "", ErrNoAnswer
	}
	return f(st.answer)
}

// ask calls the Answerer and turns "no way to ask" into a *PendingError.
func ask(ctx context.Context, st *authState, s step, f func(Answerer) (string, error)) (string, error) {
	v, err := st.answerOrNil(f)
	switch {
	case err == nil && v == "":
		return "", st.pending(s, nil, false, nil)
	case err == nil:
		return v, nil
	case errors.Is(err, ErrNoAnswer):
		return "", st.pending(s, nil, false, err)
	}
	return "", askError(s, err)
}

func askError(s step, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return cognito.MapAWSError(string(s.name), err)
	}
	var ee *exit.Error
	if errors.As(err, &ee) {
		return err
	}
	return fmt.Errorf("%s: %w", s.name, err)
}

// PublicParams are a challenge's parameters less the ones only the
// protocol needs (SRP values, the secret block): what may be shown to the
// user and saved for 'token respond'.
func PublicParams(params map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range params {
		switch k {
		case "SRP_B", "SALT", "SECRET_BLOCK":
			continue
		}
		out[k] = v
	}
	return out
}

// RequiredAttributes reads NEW_PASSWORD_REQUIRED's requiredAttributes (a
// JSON array in a string, each name prefixed with userAttributes.), less
// any attribute that userAttributes already gives a value.
func RequiredAttributes(params map[string]string) []string {
	var have map[string]any
	_ = json.Unmarshal([]byte(params["userAttributes"]), &have)
	var out []string
	for _, a := range jsonList(params["requiredAttributes"]) {
		a = strings.TrimPrefix(a, "userAttributes.")
		if a == "" || slices.Contains(out, a) {
			continue
		}
		if v, ok := have[a]; ok && v != "" && v != nil {
			continue
		}
		out = append(out, a)
	}
	sort.Strings(out)
	return out
}

// jsonList reads a JSON array of strings carried in a string parameter
// (MFAS_CAN_CHOOSE, MFAS_CAN_SETUP, requiredAttributes).
func jsonList(raw string) []string {
	var opts []string
	if raw != "" && json.Unmarshal([]byte(raw), &opts) != nil {
		opts = nil
	}
	return opts
}

// MFAChoice maps a --mfa-type value (sms, totp, email) to the option
// Cognito offers for it among options; "" when it offers none.
func MFAChoice(kind string, options []string) string {
	var want []string
	switch strings.ToLower(kind) {
	case "sms":
		want = []string{"SMS_MFA", "SMS_OTP"}
	case "totp":
		want = []string{"SOFTWARE_TOKEN_MFA"}
	case "email":
		want = []string{"EMAIL_OTP", "EMAIL_MFA"}
	case "password":
		want = []string{"PASSWORD", "PASSWORD_SRP"}
	}
	for _, w := range want {
		if slices.Contains(options, w) {
			return w
		}
	}
	return ""
}

// TOTPCode computes the current code of an authenticator app for secret, the
// base32 key Cognito's AssociateSoftwareToken gave (30-second steps, six
// digits, SHA-1, as Cognito uses). Spaces and case in secret do not matter.
func TOTPCode(secret string, t time.Time) (string, error) {
	s := strings.ToUpper(strings.Join(strings.Fields(secret), ""))
	if s == "" {
		return "", exit.Usagef("totp secret is empty")
	}
	code, err := totp.GenerateCodeCustom(s, t, totp.ValidateOpts{
		Period:    30,
		Digits:    otp.DigitsSix,
		Algorithm: otp.AlgorithmSHA1,
	})
	if err != nil {
		return "", exit.Usagef("totp secret is not valid base32")
	}
	return code, nil
}
