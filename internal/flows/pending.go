package flows

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cogtool/cogtool/internal/exit"
)

// Pending is a challenge a flow stopped at for want of an answer: what
// 'token respond' needs to answer it later with the same Session, so that a
// code Cognito already sent stays valid. It holds no password or secret:
// the Session, the challenge's public parameters and the internal username.
type Pending struct {
	Challenge string            `json:"challenge"`
	Session   string            `json:"session"`
	Params    map[string]string `json:"params,omitempty"`
	Available []string          `json:"available,omitempty"` // SELECT_CHALLENGE's AvailableChallenges
	Username  string            `json:"username"`            // the name responses and SECRET_HASH use
	PoolID    string            `json:"pool_id,omitempty"`
	ClientID  string            `json:"client_id"`
	// Preferred is the flow's own SELECT_CHALLENGE answer, if any.
	Preferred string `json:"preferred,omitempty"`
	// ExpiresAt is when the Session runs out (SessionLifetime after it was issued).
	ExpiresAt time.Time `json:"expires_at"`
}

// PendingError is the exit-7 error of a challenge that needs input that
// was not given: the message says what is needed and which flag gives it;
// Pending is what to save so that 'token respond' can answer it.
type PendingError struct {
	Pending Pending
	msg     string
	// Flags are the answer flags that continue it ("--code CODE").
	Flags []string
}

func (e *PendingError) Error() string { return e.msg }

// pending builds the exit-7 error for challenge s. missing names required
// attributes no answer was found for; havePassword tells whether
// NEW_PASSWORD_REQUIRED's new password was available; cause is the
// Answerer's reason for having no answer, kept in the message when it says
// more than ErrNoAnswer.
func (st *authState) pending(s step, missing []string, havePassword bool, cause error) error {
	p := Pending{
		Challenge: string(s.name), Session: aws.ToString(s.session), Params: PublicParams(s.params),
		Username: st.username, PoolID: st.poolID, ClientID: st.clientID, Preferred: string(st.preferred),
		ExpiresAt: st.started.Add(SessionLifetime),
	}
	for _, a := range s.available {
		p.Available = append(p.Available, string(a))
	}
	var how string
	var flags []string
	switch s.name {
	case types.ChallengeNameTypeNewPasswordRequired:
		var parts []string
		if !havePassword {
			parts = append(parts, "a new password is required: give --new-password-file FILE or set COGTOOL_NEW_PASSWORD")
			flags = append(flags, "--new-password-file FILE")
		}
		if len(missing) > 0 {
			var af []string
			for _, m := range missing {
				af = append(af, "--attribute "+m+"=VALUE")
			}
			parts = append(parts, fmt.Sprintf("the pool requires %s: give %s", strings.Join(missing, ", "), strings.Join(af, " ")))
			flags = append(flags, af...)
		}
		how = strings.Join(parts, "; ")
	case types.ChallengeNameTypeSoftwareTokenMfa:
		how = "an authenticator-app code is required: pass --code CODE or set COGTOOL_TOTP_SECRET"
		flags = []string{"--code CODE"}
	case types.ChallengeNameTypeSmsMfa, types.ChallengeNameTypeSmsOtp:
		how = "the code sent by SMS" + deliveredTo(s.params) + " is required: pass --code CODE"
		flags = []string{"--code CODE"}
	case types.ChallengeNameTypeEmailOtp, "EMAIL_MFA":
		how = "the code sent by email" + deliveredTo(s.params) + " is required: pass --code CODE"
		flags = []string{"--code CODE"}
	case types.ChallengeNameTypeSelectMfaType:
		how = fmt.Sprintf("an MFA method must be chosen among %s: pass --mfa-type %s",
			strings.Join(jsonList(s.params["MFAS_CAN_CHOOSE"]), ", "), kindsOf(jsonList(s.params["MFAS_CAN_CHOOSE"])))
		flags = []string{"--mfa-type " + kindsOf(jsonList(s.params["MFAS_CAN_CHOOSE"]))}
	case types.ChallengeNameTypeSelectChallenge:
		how = fmt.Sprintf("a sign-in method must be chosen among %s: pass --mfa-type %s",
			strings.Join(p.Available, ", "), kindsOf(p.Available))
		flags = []string{"--mfa-type " + kindsOf(p.Available)}
	case types.ChallengeNameTypeMfaSetup:
		how = "the pool requires MFA and this user has none: run on a terminal to scan a QR code, or pass --totp-secret-out FILE to save a new authenticator secret (0600) and answer with a code computed from it"
		flags = []string{"--totp-secret-out FILE"}
	case types.ChallengeNameTypeCustomChallenge:
		how = "the custom challenge needs an answer" + describeParams(p.Params) + ": pass --answer TEXT"
		flags = []string{"--answer TEXT"}
	default:
		how = "input is required"
	}
	msg := fmt.Sprintf("%s: %s", s.name, how)
	if cause != nil && cause.Error() != ErrNoAnswer.Error() {
		msg += " (" + cause.Error() + ")"
	}
	return &exit.Error{Code: exit.Challenge, Err: &PendingError{Pending: p, Flags: flags, msg: msg}}
}

// kindsOf is the --mfa-type values that select among options.
func kindsOf(options []string) string {
	var kinds []string
	for _, k := range []string{"totp", "sms", "email", "password"} {
		if MFAChoice(k, options) != "" {
			kinds = append(kinds, k)
		}
	}
	if len(kinds) == 0 {
		return "sms|totp|email"
	}
	return strings.Join(kinds, "|")
}

func deliveredTo(params map[string]string) string {
	if d := params["CODE_DELIVERY_DESTINATION"]; d != "" {
		return " to " + d
	}
	return ""
}

// describeParams renders a custom challenge's public parameters, for the
// user to know what is asked: " (k=v, ...)".
func describeParams(params map[string]string) string {
	var kv []string
	for k, v := range params {
		if k == "USERNAME" || k == "USER_ID_FOR_SRP" {
			continue
		}
		kv = append(kv, k+"="+v)
	}
	if len(kv) == 0 {
		return ""
	}
	slices.Sort(kv)
	return " (" + strings.Join(kv, ", ") + ")"
}

// RespondParams answer a saved challenge. ClientSecret is the app
// client's secret when it has one (SECRET_HASH); it is never saved.
type RespondParams struct {
	Pending      Pending
	ClientSecret string
	Answer       Answerer
}

// Respond answers a challenge saved from an earlier run with its Session,
// then any challenges that follow, as the original flow would have.
func (c *Client) Respond(ctx context.Context, p RespondParams) (*Tokens, error) {
	pd := p.Pending
	switch {
	case pd.Challenge == "" || pd.Session == "" || pd.ClientID == "":
		return nil, exit.Usagef("the saved challenge is incomplete; sign in again")
	case !pd.ExpiresAt.IsZero() && !c.now().Before(pd.ExpiresAt):
		return nil, exit.Usagef("the saved %s challenge expired %s ago (a Session lasts %s); sign in again",
			pd.Challenge, c.now().Sub(pd.ExpiresAt).Round(time.Second), SessionLifetime)
	}
	opts, err := c.idp.Opts(pd.PoolID)
	if err != nil {
		return nil, err
	}
	st := &authState{poolID: pd.PoolID, clientID: pd.ClientID, clientSecret: p.ClientSecret, username: pd.Username,
		answer: p.Answer, opts: opts, preferred: types.ChallengeNameType(pd.Preferred),
		started: pd.ExpiresAt.Add(-SessionLifetime)}
	s := step{name: types.ChallengeNameType(pd.Challenge), params: pd.Params, session: aws.String(pd.Session)}
	for _, a := range pd.Available {
		s.available = append(s.available, types.ChallengeNameType(a))
	}
	return c.finish(ctx, st, s)
}
