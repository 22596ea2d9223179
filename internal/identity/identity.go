// Package identity turns a user-pool ID token (or nothing, for a guest)
// into temporary AWS credentials through a Cognito identity pool: GetId,
// then GetCredentialsForIdentity. Both calls are unsigned (the SDK client
// uses anonymous credentials), go to the identity pool id's region, and
// carry the ID token in Logins, never in a log or an error.
//
// Credentials are cached beside the tokens through internal/cache (its
// lock, its atomic 0600 writes): a run reuses them until less than MinTTL
// is left, and reuses the identity id when it fetches new ones.
//
// The package knows nothing of flags or terminals.
package identity

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ci "github.com/aws/aws-sdk-go-v2/service/cognitoidentity"

	"github.com/cogtool/cogtool/internal/cognito"
	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/httpx"
)

// Credentials are temporary AWS credentials for one identity.
type Credentials struct {
	IdentityID      string
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
	Expiration      time.Time
}

// guidPattern is the part of an identity pool id after the region. API
// reference, GetId: IdentityPoolId "Pattern: [\w-]+:[0-9a-f-]+", "Maximum
// length of 55"
// (https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetId.html).
var guidPattern = regexp.MustCompile(`^[0-9a-f-]+$`)

// RegionOf returns the region an identity pool lives in: its id's prefix
// (us-east-1:0f1e2d3c-...), checked by the one region rule.
func RegionOf(poolID string) (string, error) {
	region, guid, ok := strings.Cut(poolID, ":")
	if !ok || len(poolID) > 55 || !guidPattern.MatchString(guid) || cognito.CheckRegion(region) != nil {
		return "", exit.Usagef("identity pool id %q is not REGION:GUID (us-east-1:0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b)", poolID)
	}
	return region, nil
}

// LoginProvider is the Logins key of a user pool's ID tokens:
// cognito-idp.{region}.amazonaws.com/{pool}.
func LoginProvider(userPoolID string) (string, error) {
	region, err := cognito.PoolRegion(userPoolID)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("cognito-idp.%s.amazonaws.com/%s", region, userPoolID), nil
}

// Client calls the identity-pool API.
type Client struct {
	api      *ci.Client
	endpoint string
	err      error
}

// NewClient returns a client for the identity pool API of region. An
// endpointURL that is not empty replaces the SDK's regional endpoint (an
// emulator); plain http to a host that is not loopback is refused, since
// the ID token travels in these calls. hc carries every request.
func NewClient(region, endpointURL string, hc *http.Client) *Client {
	c := &Client{endpoint: endpointURL}
	opts := ci.Options{
		Region:      region,
		Credentials: aws.AnonymousCredentials{},
		Retryer:     cognito.NewRetryer(),
	}
	if hc != nil {
		opts.HTTPClient = hc
	}
	if endpointURL != "" {
		if _, err := httpx.CheckURL("identity endpoint URL", endpointURL); err != nil {
			c.err = err
		}
		opts.BaseEndpoint = aws.String(endpointURL)
	} else {
		c.endpoint = "https://cognito-identity." + region + ".amazonaws.com"
	}
	c.api = ci.New(opts)
	return c
}

// Params are what one credentials request needs.
type Params struct {
	PoolID string
	// Logins maps a login provider to its token; empty for a guest.
	Logins map[string]string
	// RoleARN, when set, is the CustomRoleArn: the role to assume when the
	// pool's rules allow several.
	RoleARN string
	// IdentityID, when set, skips GetId (a cached identity).
	IdentityID string
}

// Credentials runs GetId (unless p.IdentityID is set) and
// GetCredentialsForIdentity. A cached identity id that the service no
// longer knows is dropped and GetId runs once more.
func (c *Client) Credentials(ctx context.Context, p Params) (*Credentials, error) {
	if c.err != nil {
		return nil, c.err
	}
	id := p.IdentityID
	if id != "" {
		cr, err := c.forIdentity(ctx, id, p)
		if err == nil || !staleIdentity(err) {
			return cr, err
		}
	}
	id, err := c.GetID(ctx, p.PoolID, p.Logins)
	if err != nil {
		return nil, err
	}
	return c.forIdentity(ctx, id, p)
}

// GetID returns the identity id of the logins (a new guest identity when
// logins is empty).
func (c *Client) GetID(ctx context.Context, poolID string, logins map[string]string) (string, error) {
	if c.err != nil {
		return "", c.err
	}
	out, err := c.api.GetId(ctx, &ci.GetIdInput{IdentityPoolId: aws.String(poolID), Logins: logins})
	if err != nil {
		return "", c.mapError("get id", err, logins)
	}
	id := aws.ToString(out.IdentityId)
	if id == "" {
		return "", exit.Networkf("get id: malformed reply from %s: no IdentityId", c.endpoint)
	}
	return id, nil
}

func (c *Client) forIdentity(ctx context.Context, id string, p Params) (*Credentials, error) {
	in := &ci.GetCredentialsForIdentityInput{IdentityId: aws.String(id), Logins: p.Logins}
	if p.RoleARN != "" {
		in.CustomRoleArn = aws.String(p.RoleARN)
	}
	out, err := c.api.GetCredentialsForIdentity(ctx, in)
	if err != nil {
		return nil, c.mapError("get credentials for identity", err, p.Logins)
	}
	cr := out.Credentials
	if cr == nil || aws.ToString(cr.AccessKeyId) == "" || aws.ToString(cr.SecretKey) == "" || cr.Expiration == nil {
		return nil, exit.Networkf("get credentials for identity: malformed reply from %s: no credentials", c.endpoint)
	}
	if got := aws.ToString(out.IdentityId); got != "" {
		id = got
	}
	return &Credentials{
		IdentityID:      id,
		AccessKeyID:     aws.ToString(cr.AccessKeyId),
		SecretAccessKey: aws.ToString(cr.SecretKey),
		SessionToken:    aws.ToString(cr.SessionToken),
		Expiration:      cr.Expiration.UTC(),
	}, nil
}

// staleIdentity reports an error that a cached identity id can cause: the
// identity was deleted, or it belongs to another login now.
func staleIdentity(err error) bool {
	name := exit.AWSErrorOf(err)
	return name == "ResourceNotFoundException" || name == "NotAuthorizedException" || name == "InvalidParameterException"
}

func (c *Client) mapError(op string, err error, logins map[string]string) error {
	secrets := make([]string, 0, len(logins))
	for _, v := range logins {
		secrets = append(secrets, v)
	}
	return cognito.MapAWSError(op, err, secrets...)
}

var errNotCredentials = exit.New(exit.Unexpected, "identity cache: the entry holds no AWS credentials")
