// Package users administers user-pool users: the Admin* calls, signed with
// the AWS SDK's default credential chain, and the unsigned SignUp and
// ConfirmSignUp, through the clients of package cognito. It knows nothing
// of flags or terminals; errors are *exit.Error values with the design's
// exit codes.
package users

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cogtool/cogtool/internal/cognito"
	"github.com/cogtool/cogtool/internal/exit"
)

// Admin makes signed Admin* calls.
type Admin struct {
	idp *cognito.Client
}

// NewAdmin makes Admin* calls through idp, a signed user-pool API client
// (cognito.NewAdmin).
func NewAdmin(idp *cognito.Client) *Admin { return &Admin{idp: idp} }

// Attribute is one user attribute.
type Attribute struct {
	Name, Value string
}

// ParseAttribute parses "name=value". Only the first '=' splits, so a
// value may hold '=' (custom:b64=aGVsbG8=). The name follows the pattern
// of AttributeType.Name in the Amazon Cognito API reference: 1 to 32
// letters, marks, symbols, digits or punctuation, no spaces or controls.
func ParseAttribute(s string) (Attribute, error) {
	name, value, ok := strings.Cut(s, "=")
	if !ok {
		return Attribute{}, exit.Usagef("attribute %q: want name=value", s)
	}
	if err := CheckAttributeName(name); err != nil {
		return Attribute{}, exit.Usagef("attribute %q: %w", s, err)
	}
	return Attribute{Name: name, Value: value}, nil
}

// maxAttributeName is AttributeType.Name's length limit.
const maxAttributeName = 32

// CheckAttributeName checks a user attribute name against Cognito's
// pattern [\p{L}\p{M}\p{S}\p{N}\p{P}]+ and its length limit.
func CheckAttributeName(name string) error {
	if name == "" {
		return errors.New("empty name")
	}
	if !utf8.ValidString(name) {
		return errors.New("name is not UTF-8")
	}
	if n := utf8.RuneCountInString(name); n > maxAttributeName {
		return fmt.Errorf("name longer than %d characters", maxAttributeName)
	}
	for _, r := range name {
		if !unicode.In(r, unicode.L, unicode.M, unicode.S, unicode.N, unicode.P) {
			return errors.New("name may hold only letters, digits, symbols and punctuation (no spaces)")
		}
	}
	return nil
}

func sdkAttributes(attrs []Attribute) []types.AttributeType {
	out := make([]types.AttributeType, len(attrs))
	for i, a := range attrs {
		out[i] = types.AttributeType{Name: aws.String(a.Name), Value: aws.String(a.Value)}
	}
	return out
}

// User is what `user get` and `user create` report.
type User struct {
	Username   string            `json:"username"`
	Status     string            `json:"status"`
	Enabled    bool              `json:"enabled"`
	Attributes map[string]string `json:"attributes"`
	Created    *time.Time        `json:"created,omitempty"`
	Modified   *time.Time        `json:"modified,omitempty"`
}

// AttributeNames returns the attribute names, sorted.
func (u *User) AttributeNames() []string { return slices.Sorted(maps.Keys(u.Attributes)) }

func attrMap(attrs []types.AttributeType) map[string]string {
	m := make(map[string]string, len(attrs))
	for _, a := range attrs {
		m[aws.ToString(a.Name)] = aws.ToString(a.Value)
	}
	return m
}

// CreateParams are AdminCreateUser's inputs.
type CreateParams struct {
	PoolID, Username, TemporaryPassword string
	Attributes                          []Attribute
	SuppressMessage                     bool
}

// Create runs AdminCreateUser.
func (a *Admin) Create(ctx context.Context, p CreateParams) (*User, error) {
	in := &cip.AdminCreateUserInput{UserPoolId: aws.String(p.PoolID), Username: aws.String(p.Username),
		UserAttributes: sdkAttributes(p.Attributes)}
	if p.TemporaryPassword != "" {
		in.TemporaryPassword = aws.String(p.TemporaryPassword)
	}
	if p.SuppressMessage {
		in.MessageAction = types.MessageActionTypeSuppress
	}
	out, err := a.idp.API.AdminCreateUser(ctx, in)
	if err != nil {
		return nil, cognito.MapAWSError("AdminCreateUser", err)
	}
	u := out.User
	if u == nil {
		return nil, exit.Networkf("AdminCreateUser: malformed reply: no user")
	}
	return &User{Username: aws.ToString(u.Username), Status: string(u.UserStatus), Enabled: u.Enabled,
		Attributes: attrMap(u.Attributes), Created: u.UserCreateDate, Modified: u.UserLastModifiedDate}, nil
}

// SetPassword runs AdminSetUserPassword.
func (a *Admin) SetPassword(ctx context.Context, poolID, username, password string, permanent bool) error {
	_, err := a.idp.API.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(poolID),
		Username: aws.String(username), Password: aws.String(password), Permanent: permanent})
	return cognito.MapAWSError("AdminSetUserPassword", err)
}

// Get runs AdminGetUser.
func (a *Admin) Get(ctx context.Context, poolID, username string) (*User, error) {
	out, err := a.idp.API.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(poolID), Username: aws.String(username)})
	if err != nil {
		return nil, cognito.MapAWSError("AdminGetUser", err)
	}
	return &User{Username: aws.ToString(out.Username), Status: string(out.UserStatus), Enabled: out.Enabled,
		Attributes: attrMap(out.UserAttributes), Created: out.UserCreateDate, Modified: out.UserLastModifiedDate}, nil
}

// Delete runs AdminDeleteUser.
func (a *Admin) Delete(ctx context.Context, poolID, username string) error {
	_, err := a.idp.API.AdminDeleteUser(ctx, &cip.AdminDeleteUserInput{UserPoolId: aws.String(poolID), Username: aws.String(username)})
	return cognito.MapAWSError("AdminDeleteUser", err)
}

// AdminConfirm runs AdminConfirmSignUp.
func (a *Admin) AdminConfirm(ctx context.Context, poolID, username string) error {
	_, err := a.idp.API.AdminConfirmSignUp(ctx, &cip.AdminConfirmSignUpInput{UserPoolId: aws.String(poolID), Username: aws.String(username)})
	return cognito.MapAWSError("AdminConfirmSignUp", err)
}

// SignUpParams are SignUp's inputs.
type SignUpParams struct {
	ClientID, ClientSecret, Username, Password string
	Attributes                                 []Attribute
}

// SignUpResult says whether the user must confirm and where the code went.
type SignUpResult struct {
	Username    string `json:"username"`
	UserSub     string `json:"user_sub"`
	Confirmed   bool   `json:"confirmed"`
	Destination string `json:"code_destination,omitempty"`
	Medium      string `json:"code_medium,omitempty"`
}

// SignUp runs the unsigned SignUp call, with SECRET_HASH when the client
// has a secret.
func SignUp(ctx context.Context, c *cognito.Client, p SignUpParams) (*SignUpResult, error) {
	in := &cip.SignUpInput{ClientId: aws.String(p.ClientID), Username: aws.String(p.Username),
		Password: aws.String(p.Password), UserAttributes: sdkAttributes(p.Attributes),
		SecretHash: AppClient{p.ClientID, p.ClientSecret}.secretHash(p.Username)}
	out, err := c.API.SignUp(ctx, in)
	if err != nil {
		return nil, cognito.MapAWSError("SignUp", err)
	}
	r := &SignUpResult{Username: p.Username, UserSub: aws.ToString(out.UserSub), Confirmed: out.UserConfirmed}
	if d := out.CodeDeliveryDetails; d != nil {
		r.Destination = aws.ToString(d.Destination)
		r.Medium = string(d.DeliveryMedium)
	}
	return r, nil
}

// Confirm runs the unsigned ConfirmSignUp with the code the user received.
func Confirm(ctx context.Context, c *cognito.Client, clientID, clientSecret, username, code string) error {
	if code == "" {
		return exit.Usagef("empty confirmation code")
	}
	in := &cip.ConfirmSignUpInput{ClientId: aws.String(clientID), Username: aws.String(username),
		ConfirmationCode: aws.String(code), SecretHash: AppClient{clientID, clientSecret}.secretHash(username)}
	_, err := c.API.ConfirmSignUp(ctx, in)
	return cognito.MapAWSError("ConfirmSignUp", err)
}
