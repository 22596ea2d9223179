package testpeers

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// Pool is a seeded user pool and its app clients.
type Pool struct {
	ID   string
	Name string

	// PublicClientID has no secret; it allows USER_PASSWORD_AUTH,
	// USER_SRP_AUTH and REFRESH_TOKEN_AUTH.
	PublicClientID string
	// SecretClientID/SecretClientSecret: the same flows, with a secret
	// (so SECRET_HASH is required).
	SecretClientID     string
	SecretClientSecret string
	// CCClientID/CCClientSecret: a client_credentials client with the scopes
	// in CCScopes (moto only; cognito-local has no resource servers).
	CCClientID     string
	CCClientSecret string
	CCScopes       []string

	Region  string // region the seeding client signed for
	URL     string // the peer's URL (the user-pool API endpoint)
	Issuer  string // the iss of the pool's tokens
	JWKSURL string // where the peer serves the pool's keys
}

// MotoIssuerBase is the iss prefix moto puts in its tokens: the AWS form,
// not its own URL, so moto's JWKS must be given explicitly.
const MotoIssuerBase = "https://cognito-idp." + Region + ".amazonaws.com/"

// NewClient returns a user-pool API client for the peer at url, with the
// dummy credentials test/test in us-east-1.
func NewClient(url string) *cip.Client {
	return cip.New(cip.Options{
		Region:       Region,
		BaseEndpoint: aws.String(url),
		Credentials:  credentials.NewStaticCredentialsProvider(AccessKeyID, SecretAccessKey, ""),
	})
}

var userFlows = []types.ExplicitAuthFlowsType{
	types.ExplicitAuthFlowsTypeAllowUserPasswordAuth,
	types.ExplicitAuthFlowsTypeAllowUserSrpAuth,
	types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth,
}

// SeedMoto creates, on the moto server at url, a user pool with the default
// password policy, a resource server "api" with the scope read, a
// client_credentials client with a secret allowed api/read, a public client
// and a secret client for the user flows.
func SeedMoto(ctx context.Context, url string) (*Pool, error) {
	c := NewClient(url)
	name := "cogtool-moto"
	pool, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String(name)})
	if err != nil {
		return nil, fmt.Errorf("seed moto: create user pool: %w", err)
	}
	id := aws.ToString(pool.UserPool.Id)
	p := &Pool{
		ID:       id,
		Name:     name,
		Region:   Region,
		URL:      strings.TrimRight(url, "/"),
		Issuer:   MotoIssuerBase + id,
		CCScopes: []string{"api/read"},
	}
	p.JWKSURL = p.URL + "/" + id + "/.well-known/jwks.json"

	if _, err := c.CreateResourceServer(ctx, &cip.CreateResourceServerInput{
		UserPoolId: aws.String(id),
		Identifier: aws.String("api"),
		Name:       aws.String("api"),
		Scopes:     []types.ResourceServerScopeType{{ScopeName: aws.String("read"), ScopeDescription: aws.String("read")}},
	}); err != nil {
		return nil, fmt.Errorf("seed moto: create resource server: %w", err)
	}

	cc, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{
		UserPoolId:                      aws.String(id),
		ClientName:                      aws.String("cc"),
		GenerateSecret:                  true,
		AllowedOAuthFlows:               []types.OAuthFlowType{types.OAuthFlowTypeClientCredentials},
		AllowedOAuthScopes:              p.CCScopes,
		AllowedOAuthFlowsUserPoolClient: true,
	})
	if err != nil {
		return nil, fmt.Errorf("seed moto: create client_credentials client: %w", err)
	}
	p.CCClientID = aws.ToString(cc.UserPoolClient.ClientId)
	p.CCClientSecret = aws.ToString(cc.UserPoolClient.ClientSecret)

	if err := createUserClients(ctx, c, p, nil); err != nil {
		return nil, fmt.Errorf("seed moto: %w", err)
	}
	return p, nil
}

// CognitoLocalOptions shape the clients SeedCognitoLocal creates.
type CognitoLocalOptions struct {
	PoolName string // default "cogtool-local"
	// CallbackURLs are the redirect_uri values the hosted-UI login
	// (/oauth2/authorize) accepts; cognito-local checks nothing else.
	CallbackURLs []string
	// AccessTokenValidity, when set, is the clients' access token lifetime
	// (whole seconds; cognito-local honours it, its default is 24h).
	AccessTokenValidity time.Duration
}

// SeedCognitoLocal creates, on the cognito-local at url, a user pool, a
// public client and a secret client for the user flows (token revocation
// on; with opts.CallbackURLs, also the code flow for the hosted-UI login).
// cognito-local 5.3.0 has no resource servers and no client_credentials, so
// the Pool's CC fields stay empty; pool ids look like local_XXXXXXXX.
func SeedCognitoLocal(ctx context.Context, url string, opts CognitoLocalOptions) (*Pool, error) {
	if opts.AccessTokenValidity < 0 || opts.AccessTokenValidity%time.Second != 0 {
		return nil, fmt.Errorf("seed cognito-local: access token validity %v is not a whole number of seconds", opts.AccessTokenValidity)
	}
	if opts.PoolName == "" {
		opts.PoolName = "cogtool-local"
	}
	c := NewClient(url)
	pool, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String(opts.PoolName)})
	if err != nil {
		return nil, fmt.Errorf("seed cognito-local: create user pool: %w", err)
	}
	id := aws.ToString(pool.UserPool.Id)
	p := &Pool{
		ID:     id,
		Name:   opts.PoolName,
		Region: Region,
		URL:    strings.TrimRight(url, "/"),
	}
	p.Issuer = p.URL + "/" + id
	p.JWKSURL = p.URL + "/" + id + "/.well-known/jwks.json"
	shape := func(in *cip.CreateUserPoolClientInput) {
		in.EnableTokenRevocation = aws.Bool(true)
		if len(opts.CallbackURLs) > 0 {
			in.CallbackURLs = opts.CallbackURLs
			in.AllowedOAuthFlows = []types.OAuthFlowType{types.OAuthFlowTypeCode}
			in.AllowedOAuthScopes = []string{"openid", "email", "profile"}
			in.AllowedOAuthFlowsUserPoolClient = true
			in.SupportedIdentityProviders = []string{"COGNITO"}
		}
		if opts.AccessTokenValidity > 0 {
			in.AccessTokenValidity = aws.Int32(int32(opts.AccessTokenValidity / time.Second))
			in.TokenValidityUnits = &types.TokenValidityUnitsType{AccessToken: types.TimeUnitsTypeSeconds}
		}
	}
	if err := createUserClients(ctx, c, p, shape); err != nil {
		return nil, fmt.Errorf("seed cognito-local: %w", err)
	}
	return p, nil
}

// createUserClients adds the public and the secret client for the user
// flows to p.
func createUserClients(ctx context.Context, c *cip.Client, p *Pool, shape func(*cip.CreateUserPoolClientInput)) error {
	public := &cip.CreateUserPoolClientInput{
		UserPoolId:        aws.String(p.ID),
		ClientName:        aws.String("public"),
		ExplicitAuthFlows: userFlows,
	}
	secret := &cip.CreateUserPoolClientInput{
		UserPoolId:        aws.String(p.ID),
		ClientName:        aws.String("secret"),
		ExplicitAuthFlows: userFlows,
		GenerateSecret:    true,
	}
	if shape != nil {
		shape(public)
		shape(secret)
	}
	out, err := c.CreateUserPoolClient(ctx, public)
	if err != nil {
		return fmt.Errorf("create public client: %w", err)
	}
	p.PublicClientID = aws.ToString(out.UserPoolClient.ClientId)
	out, err = c.CreateUserPoolClient(ctx, secret)
	if err != nil {
		return fmt.Errorf("create secret client: %w", err)
	}
	p.SecretClientID = aws.ToString(out.UserPoolClient.ClientId)
	p.SecretClientSecret = aws.ToString(out.UserPoolClient.ClientSecret)
	if p.SecretClientSecret == "" {
		return fmt.Errorf("create secret client: the peer returned no client secret")
	}
	return nil
}

// CreateUser adds username to the pool with password (AdminCreateUser with
// the welcome message suppressed, then AdminSetUserPassword). With permanent
// the user is CONFIRMED; otherwise FORCE_CHANGE_PASSWORD, so the first
// sign-in meets the NEW_PASSWORD_REQUIRED challenge.
func CreateUser(ctx context.Context, url, poolID, username, password string, permanent bool) error {
	c := NewClient(url)
	if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{
		UserPoolId:        aws.String(poolID),
		Username:          aws.String(username),
		TemporaryPassword: aws.String(password),
		MessageAction:     types.MessageActionTypeSuppress,
	}); err != nil {
		return fmt.Errorf("create user %s: %w", username, err)
	}
	if _, err := c.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{
		UserPoolId: aws.String(poolID),
		Username:   aws.String(username),
		Password:   aws.String(password),
		Permanent:  permanent,
	}); err != nil {
		return fmt.Errorf("set password of user %s: %w", username, err)
	}
	return nil
}
