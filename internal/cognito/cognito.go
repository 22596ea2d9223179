// Package cognito owns the user-pool API (cognito-idp): it builds the
// unsigned client (InitiateAuth, SignUp, RevokeToken, ...) and the signed
// admin client (Admin*, with the AWS SDK's default credential chain),
// resolves the endpoint and the region in one place, and holds the retryer,
// the AWS error → exit code mapping and SECRET_HASH.
//
// It knows nothing of flags or terminals. Constructors return errors
// instead of storing them; every failure is an *exit.Error with the
// design's exit code. It never puts a password, secret or whole token in an
// error message.
package cognito

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	smithyendpoints "github.com/aws/smithy-go/endpoints"
	"github.com/aws/smithy-go/middleware"

	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/httpx"
	"github.com/cogtool/cogtool/internal/redact"
)

// Config says where the user-pool API is.
type Config struct {
	// Region is the AWS region. Empty means: the region of the pool id
	// each call names (PoolRegion).
	Region string
	// EndpointURL overrides the SDK's regional endpoint (an emulator, a
	// VPC endpoint); "" for the regional one.
	EndpointURL string
	// HTTPClient carries every request; nil means the SDK's default.
	HTTPClient *http.Client
	// FIPS selects the FIPS endpoint (cognito-idp-fips.{region}.amazonaws.com)
	// when no EndpointURL is given: always so in GovCloud (UseFIPS).
	FIPS bool
	// Secrets is the run's redaction set, shared: the errors MapError
	// builds hide its values, AddSecretHash adds each SECRET_HASH it
	// computes, and every app client secret a reply carries is added as the
	// reply is read (registerClientSecrets). Nil hides only what each call
	// names.
	Secrets *redact.Set
}

// Client is a user-pool API client and where it points.
type Client struct {
	// API is the SDK client. Calls on it should pass Opts(poolID) and map
	// their errors with MapError.
	API      *cip.Client
	region   string
	endpoint string // as given, "" for the SDK's regional endpoint
	fips     bool
	secrets  *redact.Set
}

// CheckEndpoint refuses an endpoint URL that is not http(s), or plain http
// to a host that is not loopback: passwords and secrets travel in these
// calls. An empty URL (the SDK's regional endpoint) is fine.
func CheckEndpoint(endpointURL string) error {
	if endpointURL == "" {
		return nil
	}
	_, err := httpx.CheckURL("endpoint URL", endpointURL)
	return err
}

// NewUnsigned builds a client for the calls that need no AWS credentials
// (InitiateAuth, RespondToAuthChallenge, RevokeToken, SignUp,
// ConfirmSignUp). optFns adjust the SDK options (tests use them to drop
// the retry sleeps). A bad endpoint URL is an error with code 2.
func NewUnsigned(cfg Config, optFns ...func(*cip.Options)) (*Client, error) {
	if err := CheckEndpoint(cfg.EndpointURL); err != nil {
		return nil, err
	}
	opts := cip.Options{Region: cfg.Region, Credentials: aws.AnonymousCredentials{}}
	cfg.apply(&opts)
	return &Client{API: cip.New(opts, append([]func(*cip.Options){GuardEndpoint}, optFns...)...), region: cfg.Region, endpoint: cfg.EndpointURL, fips: cfg.FIPS, secrets: cfg.Secrets}, nil
}

// apply sets what the signed and the unsigned client share: the retryer,
// the HTTP client, the endpoint, FIPS and the registration of received
// client secrets.
func (cfg Config) apply(o *cip.Options) {
	o.Retryer = NewRetryer()
	if cfg.Secrets != nil {
		o.APIOptions = append(o.APIOptions, registerClientSecrets(cfg.Secrets))
	}
	if cfg.HTTPClient != nil {
		o.HTTPClient = cfg.HTTPClient
	}
	if cfg.EndpointURL != "" {
		o.BaseEndpoint = aws.String(cfg.EndpointURL)
	}
	if cfg.FIPS {
		o.EndpointOptions.UseFIPSEndpoint = aws.FIPSEndpointStateEnabled
	}
}

// registerClientSecrets adds to secrets the app client secret of every
// reply that carries one (DescribeUserPoolClient, CreateUserPoolClient,
// UpdateUserPoolClient: UserPoolClient.ClientSecret), the moment the SDK
// has read the reply and before any caller holds it, so that no later
// error, --debug line or output of the run can print it. (The --debug
// trace of the reply itself hides the ClientSecret field by its name.)
func registerClientSecrets(secrets *redact.Set) func(*middleware.Stack) error {
	return func(st *middleware.Stack) error {
		return st.Initialize.Add(middleware.InitializeMiddlewareFunc("cogtoolRegisterClientSecrets",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				out, md, err := next.HandleInitialize(ctx, in)
				var c *types.UserPoolClientType
				switch r := out.Result.(type) {
				case *cip.DescribeUserPoolClientOutput:
					c = r.UserPoolClient
				case *cip.CreateUserPoolClientOutput:
					c = r.UserPoolClient
				case *cip.UpdateUserPoolClientOutput:
					c = r.UserPoolClient
				}
				if c != nil {
					secrets.Add(aws.ToString(c.ClientSecret))
				}
				return out, md, err
			}), middleware.Before)
	}
}

// credentialsWait bounds the credential lookup, so that a machine without
// any credentials fails in seconds instead of waiting on instance metadata.
const credentialsWait = 3 * time.Second

// NewAdmin builds a signed client for the Admin* calls. It loads the AWS
// SDK's default configuration (AWS_PROFILE, shared config and credentials
// files, environment, then SSO, container and instance roles) and checks
// that credentials can be had before any call: no credentials is code 2.
// cfg.Region must be set.
func NewAdmin(ctx context.Context, cfg Config) (*Client, error) {
	if cfg.Region == "" {
		return nil, exit.Usagef("missing AWS region: set --region or $COGTOOL_REGION")
	}
	if err := CheckEndpoint(cfg.EndpointURL); err != nil {
		return nil, err
	}
	// The HTTP client is set on the Cognito client only, not in the loaded
	// config: the config's own client must stay buildable so that
	// AWS_CA_BUNDLE still applies to credential providers (SSO, STS).
	awsCfg, err := config.LoadDefaultConfig(ctx, config.WithRegion(cfg.Region))
	if err != nil {
		return nil, exit.Usagef("load AWS configuration: %w", err)
	}
	cctx, cancel := context.WithTimeout(ctx, credentialsWait)
	defer cancel()
	if _, err := awsCfg.Credentials.Retrieve(cctx); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, exit.Usagef("no AWS credentials for the admin API: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (%s)", credentialsReason(err))
	}
	api := cip.NewFromConfig(awsCfg, func(o *cip.Options) {
		cfg.apply(o)
		GuardEndpoint(o)
	})
	return &Client{API: api, region: cfg.Region, endpoint: cfg.EndpointURL, fips: cfg.FIPS, secrets: cfg.Secrets}, nil
}

// GuardEndpoint makes every endpoint the SDK resolves pass httpx.CheckURL
// before a request is sent, whatever its source: --endpoint-url, the
// AWS_ENDPOINT_URL variables, endpoint_url and [services] sections in the
// shared config file. (cogtool's httpx transport checks every request
// again; this check also holds for a client built without it.)
func GuardEndpoint(o *cip.Options) {
	next := o.EndpointResolverV2
	if next == nil {
		next = cip.NewDefaultEndpointResolverV2()
	}
	o.EndpointResolverV2 = guardedResolver{next: next}
}

type guardedResolver struct{ next cip.EndpointResolverV2 }

func (r guardedResolver) ResolveEndpoint(ctx context.Context, p cip.EndpointParameters) (smithyendpoints.Endpoint, error) {
	ep, err := r.next.ResolveEndpoint(ctx, p)
	if err != nil {
		return ep, err
	}
	if _, err := httpx.CheckURL("endpoint URL", ep.URI.String()); err != nil {
		return ep, err
	}
	return ep, nil
}

// credentialsReason shortens the SDK's long credential-chain error.
func credentialsReason(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, "failed to refresh cached credentials, "); i >= 0 {
		msg = msg[i+len("failed to refresh cached credentials, "):]
	}
	if len(msg) > 160 {
		msg = msg[:160] + "..."
	}
	return msg
}

// Opts returns the per-call SDK options for a call about poolID: the
// region of the pool id (PoolRegion) when the client was built without
// one. With neither, it is a usage error.
func (c *Client) Opts(poolID string) ([]func(*cip.Options), error) {
	if c.region != "" {
		return nil, nil
	}
	if poolID == "" {
		return nil, exit.Usagef("region is not set: give a region or a user pool id like us-east-1_AbCdEf123")
	}
	r, err := PoolRegion(poolID)
	if err != nil {
		return nil, err
	}
	return []func(*cip.Options){func(o *cip.Options) { o.Region = r }}, nil
}

// Region is the region the client was built for, "" when it takes the
// region from each call's pool id.
func (c *Client) Region() string { return c.region }

// Endpoint names where the client's calls go, for messages: the endpoint
// URL given, else the regional endpoint, else "".
func (c *Client) Endpoint() string {
	if c.endpoint != "" {
		return c.endpoint
	}
	if c.region != "" && c.fips {
		return "https://cognito-idp-fips." + c.region + ".amazonaws.com"
	}
	if c.region != "" {
		return "https://cognito-idp." + c.region + ".amazonaws.com"
	}
	return ""
}

// MapError is MapAWSError naming c's endpoint when the error itself does
// not, and hiding the values of c's redaction set besides secrets.
func (c *Client) MapError(op string, err error, secrets ...string) error {
	return c.MapCallError(Call{Op: op}, err, secrets...)
}

// MapCallError is MapError with what the call was about, for the fix-it
// hints; the client's region fills in call.Region when it is empty.
func (c *Client) MapCallError(call Call, err error, secrets ...string) error {
	if call.Region == "" {
		call.Region = c.region
		if call.Region == "" && call.PoolID != "" {
			call.Region, _ = PoolRegion(call.PoolID)
		}
	}
	if err == nil {
		return nil
	}
	return mapAWSError(call, c.Endpoint(), err, append(c.secrets.Values(), secrets...))
}

// AddSecretHash sets SECRET_HASH in params when the client has a secret,
// and adds it to c's redaction set: a flow computes it over the internal
// username, which no caller knew beforehand.
func (c *Client) AddSecretHash(params map[string]string, clientID, clientSecret, username string) {
	AddSecretHash(params, clientID, clientSecret, username)
	c.secrets.Add(params["SECRET_HASH"])
}
