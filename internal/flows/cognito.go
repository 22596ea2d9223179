// Package flows owns token acquisition against a Cognito user pool: the
// InitiateAuth flows (USER_PASSWORD_AUTH, USER_SRP_AUTH, REFRESH_TOKEN_AUTH),
// the challenges that follow them and RevokeToken, through the user-pool
// API client of package cognito; and the OAuth2 flows (client credentials,
// hosted-UI login).
//
// It knows nothing of flags, terminals or os.Stdout: input that a challenge
// needs comes through an Answerer, and every failure is an *exit.Error
// carrying the exit code of the design's table. It never puts a password,
// secret or whole token in an error message.
package flows

import (
	"encoding/json"
	"math/big"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cogtool/cogtool/internal/cognito"
	"github.com/cogtool/cogtool/internal/decode"
	"github.com/cogtool/cogtool/internal/exit"
)

// Tokens is what every flow returns.
type Tokens struct {
	AccessToken  string `json:"access_token,omitempty"`
	IDToken      string `json:"id_token,omitempty"`
	RefreshToken string `json:"refresh_token,omitempty"`
	TokenType    string `json:"token_type,omitempty"`
	// ExpiresIn is the access token's lifetime in seconds as the server gave
	// it, or derived from the access token's exp claim when the server left
	// it out; 0 if unknown.
	ExpiresIn int32 `json:"expires_in,omitempty"`
	// ExpiresAt is when the access token expires; zero if unknown.
	ExpiresAt time.Time `json:"expires_at,omitzero"`
	// Username is the name Cognito knows the user by (the access token's
	// username claim, else USER_ID_FOR_SRP, else the name given). Refresh
	// needs it for SECRET_HASH when the pool signs users in by an alias.
	Username string `json:"username,omitempty"`
	// DeviceKey and DeviceGroupKey are the result's NewDeviceMetadata, kept
	// with the tokens: the DeviceKey is sent on refresh.
	DeviceKey      string `json:"device_key,omitempty"`
	DeviceGroupKey string `json:"device_group_key,omitempty"`
	// Via names the operation that produced the tokens when it matters to
	// the user (a refresh: GetTokensFromRefreshToken or REFRESH_TOKEN_AUTH).
	Via string `json:"-"`
}

// Client runs the user-pool flows. The calls it makes (InitiateAuth,
// RespondToAuthChallenge, RevokeToken) are unsigned, so it needs no AWS
// credentials.
type Client struct {
	idp   *cognito.Client
	now   func() time.Time
	randA func() (*big.Int, error) // SRP's private value; replaced in tests
}

// NewClient runs the flows through idp, an unsigned user-pool API client
// (cognito.NewUnsigned). now is the run's clock: token expiry (ExpiresAt),
// the start of a challenge and SRP's TIMESTAMP are computed with it; nil
// means time.Now.
func NewClient(idp *cognito.Client, now func() time.Time) *Client {
	if now == nil {
		now = time.Now
	}
	return &Client{idp: idp, now: now, randA: randomA}
}

// tokens builds Tokens from an AuthenticationResult. username is the best
// name known so far; the access token's username claim wins over it.
func (c *Client) tokens(op string, r *types.AuthenticationResultType, username string) (*Tokens, error) {
	if r == nil || aws.ToString(r.AccessToken) == "" {
		return nil, exit.Networkf("%s: malformed reply: no access token in the authentication result", op)
	}
	t := &Tokens{
		AccessToken:  aws.ToString(r.AccessToken),
		IDToken:      aws.ToString(r.IdToken),
		RefreshToken: aws.ToString(r.RefreshToken),
		TokenType:    aws.ToString(r.TokenType),
		ExpiresIn:    r.ExpiresIn,
		Username:     username,
	}
	if d := r.NewDeviceMetadata; d != nil {
		t.DeviceKey, t.DeviceGroupKey = aws.ToString(d.DeviceKey), aws.ToString(d.DeviceGroupKey)
	}
	now := c.now()
	claims := peekClaims(t.AccessToken)
	if claims.Username != "" {
		t.Username = claims.Username
	}
	switch {
	case t.ExpiresIn > 0:
		t.ExpiresAt = now.Add(time.Duration(t.ExpiresIn) * time.Second)
	case claims.Exp > 0:
		t.ExpiresAt = time.Unix(claims.Exp, 0)
		if d := t.ExpiresAt.Sub(now).Round(time.Second); d > 0 {
			t.ExpiresIn = int32(d / time.Second)
		}
	}
	return t, nil
}

type tokenClaims struct {
	Exp      int64
	Username string
}

// peekClaims reads exp and username from a JWT's payload without verifying
// it: they only label what Cognito just handed over. Anything unreadable
// yields zero values.
func peekClaims(token string) tokenClaims {
	var c struct {
		Exp      json.Number `json:"exp"`
		Username string      `json:"username"`
	}
	if !decode.Peek(token, &c) {
		return tokenClaims{}
	}
	var out tokenClaims
	if f, err := c.Exp.Float64(); err == nil && f > 0 {
		out.Exp = int64(f)
	}
	out.Username = c.Username
	return out
}
