package flows

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cogtool/cogtool/internal/cognito"
	"github.com/cogtool/cogtool/internal/exit"
)

// AuthParams are the inputs of the password and SRP flows. ClientSecret is
// empty for a public app client; Answer may be nil when no challenge can be
// answered (a challenge then fails with exit code 7).
type AuthParams struct {
	PoolID, ClientID, ClientSecret, Username, Password string
	Answer                                             Answerer
}

func (p AuthParams) check(needPool bool) error {
	switch {
	case needPool && p.PoolID == "":
		return exit.Usagef("user pool id is not set")
	case p.ClientID == "":
		return exit.Usagef("client id is not set")
	case p.Username == "":
		return exit.Usagef("username is not set")
	case p.Password == "":
		return exit.Usagef("password is not set")
	}
	return nil
}

// Password signs in with USER_PASSWORD_AUTH (the password goes to Cognito
// over TLS), answering any challenges that follow through p.Answer.
func (c *Client) Password(ctx context.Context, p AuthParams) (*Tokens, error) {
	if err := p.check(false); err != nil {
		return nil, err
	}
	opts, err := c.idp.Opts(p.PoolID)
	if err != nil {
		return nil, err
	}
	params := map[string]string{"USERNAME": p.Username, "PASSWORD": p.Password}
	cognito.AddSecretHash(params, p.ClientID, p.ClientSecret, p.Username)
	out, err := c.idp.API.InitiateAuth(ctx, &cip.InitiateAuthInput{
		AuthFlow:       types.AuthFlowTypeUserPasswordAuth,
		ClientId:       aws.String(p.ClientID),
		AuthParameters: params,
	}, opts...)
	if err != nil {
		return nil, c.idp.MapCallError(cognito.Call{Op: "initiate auth", PoolID: p.PoolID, ClientID: p.ClientID, Username: p.Username, Flow: "USER_PASSWORD_AUTH"},
			err, p.Password, p.ClientSecret, params["SECRET_HASH"])
	}
	st := &authState{clientID: p.ClientID, clientSecret: p.ClientSecret, username: p.Username, answer: p.Answer, opts: opts}
	return c.finish(ctx, st, step{out.ChallengeName, out.ChallengeParameters, out.Session, out.AuthenticationResult})
}
