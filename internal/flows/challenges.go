package flows

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/cogtool/cogtool/internal/cognito"
	"github.com/cogtool/cogtool/internal/exit"
)

// Answerer supplies what a challenge asks for. The command line implements
// it with flags, environment variables and, on a terminal, prompts.
type Answerer interface {
	// NewPassword answers NEW_PASSWORD_REQUIRED.
	NewPassword(ctx context.Context) (string, error)
	// MFACode answers SOFTWARE_TOKEN_MFA, SMS_MFA and EMAIL_OTP; challenge
	// is the challenge's name.
	MFACode(ctx context.Context, challenge string) (string, error)
	// SelectMFA answers SELECT_MFA_TYPE with one of options
	// (SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP).
	SelectMFA(ctx context.Context, options []string) (string, error)
}

// ErrNoAnswer is what an Answerer returns (wrapped or not) when it has no
// way to get the input: no flag, no variable, no terminal to prompt on. The
// flow then fails with exit code 7, naming the challenge and how to answer it.
var ErrNoAnswer = errors.New("no answer available")

// maxChallenges bounds a chain of challenges (SELECT_MFA_TYPE, then SMS_MFA,
// then NEW_PASSWORD_REQUIRED is three); a server asking for more is looping.
const maxChallenges = 8

// step is one reply of InitiateAuth or RespondToAuthChallenge.
type step struct {
	name    types.ChallengeNameType
	params  map[string]string
	session *string
	result  *types.AuthenticationResultType
}

// authState is what the challenge loop carries from one reply to the next.
type authState struct {
	clientID, clientSecret string
	// username is the name the responses use: USER_ID_FOR_SRP once Cognito
	// has named it, never just the alias typed when Cognito said otherwise.
	username string
	answer   Answerer
	opts     []func(*cip.Options)
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
		st.noteUser(s.params)
		responses, err := c.answerChallenge(ctx, st, s)
		if err != nil {
			return nil, err
		}
		cognito.AddSecretHash(responses, st.clientID, st.clientSecret, st.username)
		out, err := c.idp.API.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{
			ClientId:           aws.String(st.clientID),
			ChallengeName:      s.name,
			ChallengeResponses: responses,
			Session:            s.session,
		}, st.opts...)
		if err != nil {
			secrets := []string{st.clientSecret, aws.ToString(s.session)}
			for k, v := range responses {
				if k != "USERNAME" && k != "ANSWER" {
					secrets = append(secrets, v)
				}
			}
			return nil, c.idp.MapError("respond to "+string(s.name), err, secrets...)
		}
		s = step{out.ChallengeName, out.ChallengeParameters, out.Session, out.AuthenticationResult}
	}
}

// answerChallenge builds the ChallengeResponses for one challenge, less
// SECRET_HASH.
func (c *Client) answerChallenge(ctx context.Context, st *authState, s step) (map[string]string, error) {
	name := string(s.name)
	r := map[string]string{"USERNAME": st.username}
	switch s.name {
	case types.ChallengeNameTypeNewPasswordRequired:
		pw, err := ask(ctx, st.answer, s, func(a Answerer) (string, error) { return a.NewPassword(ctx) })
		if err != nil {
			return nil, err
		}
		r["NEW_PASSWORD"] = pw
	case types.ChallengeNameTypeSoftwareTokenMfa, types.ChallengeNameTypeSmsMfa, types.ChallengeNameTypeEmailOtp:
		code, err := ask(ctx, st.answer, s, func(a Answerer) (string, error) { return a.MFACode(ctx, name) })
		if err != nil {
			return nil, err
		}
		r[name+"_CODE"] = strings.TrimSpace(code)
	case types.ChallengeNameTypeSelectMfaType:
		options := mfaOptions(s.params)
		choice, err := ask(ctx, st.answer, s, func(a Answerer) (string, error) { return a.SelectMFA(ctx, options) })
		if err != nil {
			return nil, err
		}
		if len(options) > 0 && !slices.Contains(options, choice) {
			return nil, exit.Usagef("%s: %q is not one of %s", name, choice, strings.Join(options, ", "))
		}
		r["ANSWER"] = choice
	default:
		return nil, &exit.Error{Code: exit.Challenge, Err: fmt.Errorf(
			"%s: cogtool cannot answer this challenge; complete it another way (the hosted UI, or an admin fixing the user) and try again", name)}
	}
	return r, nil
}

// ask calls the Answerer and turns "no way to ask" into exit code 7.
func ask(ctx context.Context, a Answerer, s step, f func(Answerer) (string, error)) (string, error) {
	if a == nil {
		return "", noAnswer(s, nil)
	}
	v, err := f(a)
	switch {
	case err == nil && v == "":
		return "", noAnswer(s, nil)
	case err == nil:
		return v, nil
	case errors.Is(err, ErrNoAnswer):
		return "", noAnswer(s, err)
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return "", cognito.MapAWSError(string(s.name), err)
	}
	var ee *exit.Error
	if errors.As(err, &ee) {
		return "", err
	}
	return "", fmt.Errorf("%s: %w", s.name, err)
}

// noAnswer is the exit-7 error: which challenge, and how to answer it.
func noAnswer(s step, cause error) error {
	var how string
	switch s.name {
	case types.ChallengeNameTypeNewPasswordRequired:
		how = "a new password is required: set COGTOOL_NEW_PASSWORD or --new-password-file"
	case types.ChallengeNameTypeSoftwareTokenMfa:
		how = "an authenticator-app code is required: pass --mfa-code or set COGTOOL_TOTP_SECRET"
	case types.ChallengeNameTypeSmsMfa:
		how = "the code sent by SMS" + deliveredTo(s.params) + " is required: pass --mfa-code"
	case types.ChallengeNameTypeEmailOtp:
		how = "the code sent by email" + deliveredTo(s.params) + " is required: pass --mfa-code"
	case types.ChallengeNameTypeSelectMfaType:
		how = fmt.Sprintf("an MFA method must be chosen (%s): run on a terminal to be asked, or set COGTOOL_TOTP_SECRET to use SOFTWARE_TOKEN_MFA",
			strings.Join(mfaOptions(s.params), ", "))
	default:
		how = "input is required"
	}
	err := fmt.Errorf("%s: %s", s.name, how)
	if cause != nil && cause != ErrNoAnswer {
		err = fmt.Errorf("%w (%w)", err, cause)
	}
	return &exit.Error{Code: exit.Challenge, Err: err}
}

func deliveredTo(params map[string]string) string {
	if d := params["CODE_DELIVERY_DESTINATION"]; d != "" {
		return " to " + d
	}
	return ""
}

// mfaOptions reads SELECT_MFA_TYPE's MFAS_CAN_CHOOSE, a JSON array in a string.
func mfaOptions(params map[string]string) []string {
	var opts []string
	if raw := params["MFAS_CAN_CHOOSE"]; raw != "" {
		if json.Unmarshal([]byte(raw), &opts) != nil {
			opts = nil
		}
	}
	return opts
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
