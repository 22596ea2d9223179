package flows

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cogtool/cogtool/internal/cognito"
	"github.com/cogtool/cogtool/internal/exit"
)

// AuthParams are the inputs of the sign-in flows. ClientSecret is empty
// for a public app client; Answer may be nil when no challenge can be
// answered (a challenge then fails with exit code 7).
type AuthParams struct {
	PoolID, ClientID, ClientSecret, Username, Password string
	Answer                                             Answerer
	// UserAuth signs in through USER_AUTH (choice-based sign-in) with
	// PREFERRED_CHALLENGE PASSWORD or PASSWORD_SRP instead of
	// USER_PASSWORD_AUTH or USER_SRP_AUTH.
	UserAuth bool
}

func (p AuthParams) check(needPool, needPassword bool) error {
	switch {
	case needPool && p.PoolID == "":
		return exit.Usagef("user pool id is not set")
	case p.ClientID == "":
		return exit.Usagef("client id is not set")
	case p.Username == "":
		return exit.Usagef("username is not set")
	case needPassword && p.Password == "":
		return exit.Usagef("password is not set")
	}
	return nil
}

func (c *Client) newState(p AuthParams) (*authState, error) {
	opts, err := c.idp.Opts(p.PoolID)
	if err != nil {
		return nil, err
	}
	return &authState{poolID: p.PoolID, clientID: p.ClientID, clientSecret: p.ClientSecret, username: p.Username,
		login: p.Username, answer: p.Answer, opts: opts, password: p.Password}, nil
}

// Password signs in with USER_PASSWORD_AUTH (the password goes to Cognito
// over TLS), or USER_AUTH with PREFERRED_CHALLENGE PASSWORD, answering any
// challenges that follow through p.Answer.
func (c *Client) Password(ctx context.Context, p AuthParams) (*Tokens, error) {
	if err := p.check(false, true); err != nil {
		return nil, err
	}
	st, err := c.newState(p)
	if err != nil {
		return nil, err
	}
	params := map[string]string{"USERNAME": p.Username, "PASSWORD": p.Password}
	if p.UserAuth {
		st.preferred = types.ChallengeNameTypePassword
		params["PREFERRED_CHALLENGE"] = string(st.preferred)
		return c.initiate(ctx, st, types.AuthFlowTypeUserAuth, params)
	}
	return c.initiate(ctx, st, types.AuthFlowTypeUserPasswordAuth, params)
}

// OTP signs in without a password through USER_AUTH with
// PREFERRED_CHALLENGE EMAIL_OTP or SMS_OTP (channel email or sms): Cognito
// sends a code, which p.Answer supplies (or 'token respond' later).
func (c *Client) OTP(ctx context.Context, p AuthParams, channel string) (*Tokens, error) {
	if err := p.check(false, false); err != nil {
		return nil, err
	}
	var preferred types.ChallengeNameType
	switch channel {
	case "email":
		preferred = types.ChallengeNameTypeEmailOtp
	case "sms":
		preferred = types.ChallengeNameTypeSmsOtp
	default:
		return nil, exit.Usagef("channel must be email or sms, not %q", channel)
	}
	p.Password = ""
	st, err := c.newState(p)
	if err != nil {
		return nil, err
	}
	st.preferred = preferred
	return c.initiate(ctx, st, types.AuthFlowTypeUserAuth,
		map[string]string{"USERNAME": p.Username, "PREFERRED_CHALLENGE": string(preferred)})
}

// Custom starts CUSTOM_AUTH, the flow a pool's Lambda triggers drive:
// each CUSTOM_CHALLENGE is answered through p.Answer's CustomAnswer.
func (c *Client) Custom(ctx context.Context, p AuthParams) (*Tokens, error) {
	if err := p.check(false, false); err != nil {
		return nil, err
	}
	p.Password = ""
	st, err := c.newState(p)
	if err != nil {
		return nil, err
	}
	return c.initiate(ctx, st, types.AuthFlowTypeCustomAuth, map[string]string{"USERNAME": p.Username})
}

// initiate runs InitiateAuth with params (plus SECRET_HASH over the name
// given) and answers what follows.
func (c *Client) initiate(ctx context.Context, st *authState, flow types.AuthFlowType, params map[string]string) (*Tokens, error) {
	c.idp.AddSecretHash(params, st.clientID, st.clientSecret, st.username)
	out, err := c.idp.API.InitiateAuth(ctx, &cip.InitiateAuthInput{
		AuthFlow:       flow,
		ClientId:       aws.String(st.clientID),
		AuthParameters: params,
	}, st.opts...)
	if err != nil {
		return nil, c.idp.MapCallError(cognito.Call{Op: "initiate auth", PoolID: st.poolID, ClientID: st.clientID, Username: st.username, Flow: string(flow)},
			err, st.password, st.clientSecret, params["SECRET_HASH"])
	}
	st.started = c.now()
	return c.finish(ctx, st, initStep(out))
}
