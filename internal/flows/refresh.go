package flows

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/cogtool/cogtool/internal/cognito"
	"github.com/cogtool/cogtool/internal/exit"
)

// RefreshParams are the inputs of Refresh.
type RefreshParams struct {
	PoolID, ClientID, ClientSecret string
	// Username is the name Cognito knows the user by (the cached tokens'
	// username / cognito:username claim, not an alias): REFRESH_TOKEN_AUTH's
	// SECRET_HASH is computed over it. GetTokensFromRefreshToken needs none.
	Username     string
	RefreshToken string
	// DeviceKey is the NewDeviceMetadata.DeviceKey of an earlier sign-in;
	// a pool that remembers devices wants it on refresh.
	DeviceKey string
}

// Refresh trades a refresh token for new tokens with
// GetTokensFromRefreshToken (ClientId, ClientSecret, DeviceKey), which
// needs no username and is the only way on an app client with refresh-token
// rotation. When the endpoint does not know that operation (older emulators)
// it falls back to InitiateAuth REFRESH_TOKEN_AUTH, whose SECRET_HASH is
// computed over p.Username.
//
// With rotation the result carries a new refresh token and the old one is
// spent (a second use is RefreshTokenReuseException: exit 4); without it,
// the Tokens returned carry the one given, so they can be cached whole.
// Via reports which operation answered.
func (c *Client) Refresh(ctx context.Context, p RefreshParams) (*Tokens, error) {
	switch {
	case p.ClientID == "":
		return nil, exit.Usagef("client id is not set")
	case p.RefreshToken == "":
		return nil, exit.Usagef("refresh token is not set")
	}
	opts, err := c.idp.Opts(p.PoolID)
	if err != nil {
		return nil, err
	}
	in := &cip.GetTokensFromRefreshTokenInput{ClientId: aws.String(p.ClientID), RefreshToken: aws.String(p.RefreshToken)}
	if p.ClientSecret != "" {
		in.ClientSecret = aws.String(p.ClientSecret)
	}
	if p.DeviceKey != "" {
		in.DeviceKey = aws.String(p.DeviceKey)
	}
	gopts := opts
	if c.customEndpoint() {
		// An emulator that lacks the operation answers 5xx; retrying that
		// only delays the fallback.
		gopts = append(append([]func(*cip.Options){}, opts...), func(o *cip.Options) { o.RetryMaxAttempts = 1 })
	}
	out, err := c.idp.API.GetTokensFromRefreshToken(ctx, in, gopts...)
	if err == nil {
		t, err := c.refreshed(out.AuthenticationResult, p)
		if t != nil {
			t.Via = "GetTokensFromRefreshToken"
		}
		return t, err
	}
	if !c.unknownOperation(err) {
		return nil, refreshError(c.idp.MapCallError(cognito.Call{Op: "refresh", PoolID: p.PoolID, ClientID: p.ClientID},
			err, p.RefreshToken, p.ClientSecret))
	}
	return c.refreshTokenAuth(ctx, p, opts)
}

// refreshTokenAuth is the REFRESH_TOKEN_AUTH fallback.
func (c *Client) refreshTokenAuth(ctx context.Context, p RefreshParams, opts []func(*cip.Options)) (*Tokens, error) {
	if p.ClientSecret != "" && p.Username == "" {
		return nil, exit.Usagef("username is not set: this endpoint refreshes with REFRESH_TOKEN_AUTH, whose SECRET_HASH needs the user's internal username (--username)")
	}
	params := map[string]string{"REFRESH_TOKEN": p.RefreshToken}
	if p.DeviceKey != "" {
		params["DEVICE_KEY"] = p.DeviceKey
	}
	c.idp.AddSecretHash(params, p.ClientID, p.ClientSecret, p.Username)
	out, err := c.idp.API.InitiateAuth(ctx, &cip.InitiateAuthInput{
		AuthFlow:       types.AuthFlowTypeRefreshTokenAuth,
		ClientId:       aws.String(p.ClientID),
		AuthParameters: params,
	}, opts...)
	if err != nil {
		return nil, refreshError(c.idp.MapCallError(cognito.Call{Op: "refresh", PoolID: p.PoolID, ClientID: p.ClientID, Username: p.Username, Flow: "REFRESH_TOKEN_AUTH"},
			err, p.RefreshToken, p.ClientSecret, params["SECRET_HASH"]))
	}
	if out.AuthenticationResult == nil {
		if out.ChallengeName != "" {
			return nil, &exit.Error{Code: exit.Challenge, Err: fmt.Errorf("refresh: Cognito asked for %s; sign in again instead", out.ChallengeName)}
		}
		return nil, exit.Networkf("refresh: malformed reply: no tokens")
	}
	t, err := c.refreshed(out.AuthenticationResult, p)
	if t != nil {
		t.Via = "REFRESH_TOKEN_AUTH"
	}
	return t, err
}

func (c *Client) refreshed(r *types.AuthenticationResultType, p RefreshParams) (*Tokens, error) {
	t, err := c.tokens("refresh", r, p.Username)
	if err != nil {
		return nil, err
	}
	if t.RefreshToken == "" {
		t.RefreshToken = p.RefreshToken
	}
	if t.DeviceKey == "" {
		t.DeviceKey = p.DeviceKey
	}
	return t, nil
}

// refreshError says what a spent rotated refresh token means.
func refreshError(err error) error {
	var ee *exit.Error
	if errors.As(err, &ee) && ee.AWSError == "RefreshTokenReuseException" {
		return &exit.Error{Code: exit.Auth, AWSError: ee.AWSError, Err: fmt.Errorf(
			"refresh: the refresh token was rotated: this client issues a new refresh token on each refresh and the old one was already used; sign in again (%w)", ee.Err)}
	}
	return err
}

// unknownOperation reports whether err says the endpoint does not serve
// GetTokensFromRefreshToken: Cognito's and AWS's names for an unknown
// action, HTTP 404 or 501, and, from an endpoint other than AWS's (an
// emulator), any 5xx or a reply that is not the user-pool API's JSON.
func (c *Client) unknownOperation(err error) bool {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		switch apiErr.ErrorCode() {
		case "UnknownOperationException", "InvalidAction", "UnsupportedOperation", "Unsupported",
			"NotImplemented", "CognitoLocal#Unsupported":
			return true
		}
	}
	st := 0
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) && re.Response != nil {
		st = re.HTTPStatusCode()
	}
	if st == http.StatusNotFound || st == http.StatusNotImplemented {
		return true
	}
	if !c.customEndpoint() {
		return false
	}
	var deser *smithy.DeserializationError
	return st >= 500 || errors.As(err, &deser)
}

// customEndpoint reports whether the client talks to an endpoint other
// than AWS's (an emulator, a VPC endpoint given as a URL).
func (c *Client) customEndpoint() bool {
	e := c.idp.Endpoint()
	return e != "" && !strings.HasSuffix(strings.TrimSuffix(e, "/"), ".amazonaws.com")
}
