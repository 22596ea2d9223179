package flows

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cogtool/cogtool/internal/cognito"
	"github.com/cogtool/cogtool/internal/exit"
)

// Refresh trades a refresh token for new access and ID tokens
// (REFRESH_TOKEN_AUTH). With a client secret, SECRET_HASH is computed from
// username, which must be the name Cognito knows the user by: the Username
// of the Tokens the refresh token came with, not an alias.
//
// Cognito does not return a new refresh token unless rotation is on; the
// Tokens returned then carry the one given, so they can be cached whole.
func (c *Client) Refresh(ctx context.Context, poolID, clientID, clientSecret, username, refreshToken string) (*Tokens, error) {
	switch {
	case clientID == "":
		return nil, exit.Usagef("client id is not set")
	case refreshToken == "":
		return nil, exit.Usagef("refresh token is not set")
	case clientSecret != "" && username == "":
		return nil, exit.Usagef("username is not set: a client with a secret needs it for the refresh's SECRET_HASH")
	}
	opts, err := c.idp.Opts(poolID)
	if err != nil {
		return nil, err
	}
	params := map[string]string{"REFRESH_TOKEN": refreshToken}
	cognito.AddSecretHash(params, clientID, clientSecret, username)
	out, err := c.idp.API.InitiateAuth(ctx, &cip.InitiateAuthInput{
		AuthFlow:       types.AuthFlowTypeRefreshTokenAuth,
		ClientId:       aws.String(clientID),
		AuthParameters: params,
	}, opts...)
	if err != nil {
		return nil, c.idp.MapCallError(cognito.Call{Op: "refresh", PoolID: poolID, ClientID: clientID, Username: username, Flow: "REFRESH_TOKEN_AUTH"},
			err, refreshToken, clientSecret, params["SECRET_HASH"])
	}
	if out.AuthenticationResult == nil {
		if out.ChallengeName != "" {
			return nil, &exit.Error{Code: exit.Challenge, Err: fmt.Errorf("refresh: Cognito asked for %s; sign in again instead", out.ChallengeName)}
		}
		return nil, exit.Networkf("refresh: malformed reply: no tokens")
	}
	t, err := c.tokens("refresh", out.AuthenticationResult, username)
	if err != nil {
		return nil, err
	}
	if t.RefreshToken == "" {
		t.RefreshToken = refreshToken
	}
	return t, nil
}
