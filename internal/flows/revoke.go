package flows

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cogtool/cogtool/internal/exit"
)

// Revoke revokes a refresh token (RevokeToken) and with it the access and ID
// tokens issued from it. clientSecret is sent only when not empty.
func (c *Client) Revoke(ctx context.Context, clientID, clientSecret, refreshToken string) error {
	switch {
	case clientID == "":
		return exit.Usagef("client id is not set")
	case refreshToken == "":
		return exit.Usagef("refresh token is not set")
	}
	if c.idp.Region() == "" {
		return exit.Usagef("region is not set")
	}
	in := &cip.RevokeTokenInput{ClientId: aws.String(clientID), Token: aws.String(refreshToken)}
	if clientSecret != "" {
		in.ClientSecret = aws.String(clientSecret)
	}
	if _, err := c.idp.API.RevokeToken(ctx, in); err != nil {
		return c.idp.MapError("revoke token", err, refreshToken, clientSecret)
	}
	return nil
}
