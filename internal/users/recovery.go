package users

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cogtool/cogtool/internal/cognito"
	"github.com/cogtool/cogtool/internal/exit"
)

// AppClient names the app client of the unsigned calls and its secret
// ("" when it has none; then no SECRET_HASH is sent).
type AppClient struct {
	ID, Secret string
}

func (c AppClient) secretHash(username string) *string {
	if c.Secret == "" {
		return nil
	}
	return aws.String(cognito.SecretHash(c.ID, c.Secret, username))
}

// CodeDelivery says where Cognito sent a code.
type CodeDelivery struct {
	Username    string `json:"username"`
	Destination string `json:"code_destination,omitempty"`
	Medium      string `json:"code_medium,omitempty"`
	Attribute   string `json:"code_attribute,omitempty"`
}

func deliveryOf(username string, d *types.CodeDeliveryDetailsType) *CodeDelivery {
	r := &CodeDelivery{Username: username}
	if d != nil {
		r.Destination = aws.ToString(d.Destination)
		r.Medium = string(d.DeliveryMedium)
		r.Attribute = aws.ToString(d.AttributeName)
	}
	return r
}

// ForgotPassword runs the unsigned ForgotPassword: Cognito sends the user
// a code for ConfirmForgotPassword.
func ForgotPassword(ctx context.Context, c *cognito.Client, app AppClient, username string) (*CodeDelivery, error) {
	out, err := c.API.ForgotPassword(ctx, &cip.ForgotPasswordInput{ClientId: aws.String(app.ID),
		Username: aws.String(username), SecretHash: app.secretHash(username)})
	if err != nil {
		return nil, cognito.MapAWSError("ForgotPassword", err)
	}
	return deliveryOf(username, out.CodeDeliveryDetails), nil
}

// ConfirmForgotPassword runs the unsigned ConfirmForgotPassword: the code
// the user received and their new password.
func ConfirmForgotPassword(ctx context.Context, c *cognito.Client, app AppClient, username, code, password string) error {
	if code == "" {
		return exit.Usagef("empty confirmation code")
	}
	_, err := c.API.ConfirmForgotPassword(ctx, &cip.ConfirmForgotPasswordInput{ClientId: aws.String(app.ID),
		Username: aws.String(username), ConfirmationCode: aws.String(code), Password: aws.String(password),
		SecretHash: app.secretHash(username)})
	return cognito.MapAWSError("ConfirmForgotPassword", err)
}

// ResendCode runs the unsigned ResendConfirmationCode: a new sign-up
// confirmation code for a user who has not confirmed yet.
func ResendCode(ctx context.Context, c *cognito.Client, app AppClient, username string) (*CodeDelivery, error) {
	out, err := c.API.ResendConfirmationCode(ctx, &cip.ResendConfirmationCodeInput{ClientId: aws.String(app.ID),
		Username: aws.String(username), SecretHash: app.secretHash(username)})
	if err != nil {
		return nil, cognito.MapAWSError("ResendConfirmationCode", err)
	}
	return deliveryOf(username, out.CodeDeliveryDetails), nil
}

// ChangePassword runs ChangePassword, authorized by the user's own access
// token (no AWS credentials, no SECRET_HASH).
func ChangePassword(ctx context.Context, c *cognito.Client, accessToken, previous, proposed string) error {
	_, err := c.API.ChangePassword(ctx, &cip.ChangePasswordInput{AccessToken: aws.String(accessToken),
		PreviousPassword: aws.String(previous), ProposedPassword: aws.String(proposed)})
	return cognito.MapAWSError("ChangePassword", err)
}

// Me is what GetUser says about the owner of an access token.
type Me struct {
	Username   string            `json:"username"`
	Attributes map[string]string `json:"attributes"`
	MFA        []string          `json:"mfa,omitempty"`
}

// GetUser runs GetUser with the user's own access token.
func GetUser(ctx context.Context, c *cognito.Client, accessToken string) (*Me, error) {
	out, err := c.API.GetUser(ctx, &cip.GetUserInput{AccessToken: aws.String(accessToken)})
	if err != nil {
		return nil, cognito.MapAWSError("GetUser", err)
	}
	return &Me{Username: aws.ToString(out.Username), Attributes: attrMap(out.UserAttributes), MFA: out.UserMFASettingList}, nil
}
