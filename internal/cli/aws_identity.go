package cli

import (
	"context"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/decode"
	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/identity"
)

// awsFlags are the flags of every command that gets identity-pool
// credentials (aws-credentials, call --sigv4, exec --aws).
type awsFlags struct {
	Guest   bool
	RoleARN string
}

// register adds the identity-pool flags to cmd and, for the sign-in that
// gives the ID token, the cache flags into tf and the sign-in flags into
// in; nil tf and in leave those to the command (call has its own).
func (a *awsFlags) register(cmd *cobra.Command, tf *tokenFlags, in *flowInput) {
	fs := cmd.Flags()
	addStringSetting(fs, "identity-pool-id")
	addStringSetting(fs, "identity-endpoint-url")
	fs.BoolVar(&a.Guest, "guest", false, "credentials of an unauthenticated (guest) identity: no sign-in, no Logins")
	fs.StringVar(&a.RoleARN, "role-arn", "", "IAM `role` to assume when the identity pool allows several (CustomRoleArn)")
	if tf == nil {
		return
	}
	fs.BoolVar(&tf.NoCache, "no-cache", false, "neither read nor write the token and credentials cache")
	fs.DurationVar(&tf.MinTTL, "min-ttl", 60*time.Second, "reuse cached tokens and credentials only while they have this much time left")
	addStringSetting(fs, "domain")
	addStringSetting(fs, "token-url")
	addUserAuthFlags(cmd, in)
}

// awsCreds is what the AWS commands hand out: credentials and where they
// came from.
type awsCreds struct {
	*identity.Credentials
	PoolID    string
	Region    string // the identity pool's region
	FromCache bool
}

// awsCredentials returns identity-pool credentials for the profile's user
// (its ID token from the profile's flow, through the token cache, as call
// gets its token) or, with --guest, for a guest identity. The secret parts
// are registered for redaction.
func awsCredentials(ctx context.Context, ts *tokenSources, a *awsFlags, in flowInput, tf *tokenFlags) (*awsCreds, error) {
	s := ts.Settings
	if err := s.Need("identity-pool-id"); err != nil {
		return nil, err
	}
	region, err := identity.RegionOf(s.IdentityPoolID)
	if err != nil {
		return nil, err
	}
	p := identity.Params{PoolID: s.IdentityPoolID, RoleARN: a.RoleARN}
	var who identity.Subject
	if !a.Guest {
		if in.Flow == "client-credentials" {
			return nil, exit.Usagef("identity-pool credentials need a user's ID token, and the %s flow signs no user in: use flow password, srp or login (or --guest)", in.Flow)
		}
		r, err := ts.get(ctx, in, tf)
		if err != nil {
			return nil, err
		}
		if r.IDToken == "" {
			return nil, exit.Usagef("the %s flow returned no ID token; identity-pool credentials need one", in.Flow)
		}
		c := idTokenClaims(r.IDToken)
		pool := s.UserPoolID
		if pool == "" {
			pool = c.pool()
		}
		provider, err := identity.LoginProvider(pool)
		if err != nil {
			return nil, exit.Usagef("identity-pool credentials need the user pool id: set --user-pool-id or $COGTOOL_USER_POOL_ID")
		}
		p.Logins = map[string]string{provider: r.IDToken}
		who = identity.Subject{UserPoolID: pool, ClientID: s.ClientID, User: firstNonEmpty(c.Sub, r.Username, s.Username)}
	}
	src := &identity.Source{
		Client:   identity.NewClient(region, s.IdentityEndpointURL, ts.OneShotHTTP()),
		MinTTL:   tf.MinTTL,
		Endpoint: s.IdentityEndpointURL,
		Now:      ts.Now,
		Secrets:  ts.Secrets,
	}
	if src.Cache, err = ts.cache(tf.NoCache); err != nil {
		return nil, err
	}
	stop := ts.IO.StartSpinner("getting AWS credentials")
	cr, cached, err := src.Get(ctx, p, who)
	stop()
	if err != nil {
		return nil, err
	}
	return &awsCreds{Credentials: cr, PoolID: s.IdentityPoolID, Region: region, FromCache: cached}, nil
}

// idClaims are the ID token claims the identity pool cares about.
type idClaims struct {
	Sub string `json:"sub"`
	Iss string `json:"iss"`
}

// pool is the user pool id at the end of iss
// (https://cognito-idp.{region}.amazonaws.com/{pool}).
func (c idClaims) pool() string {
	i := strings.LastIndexByte(c.Iss, '/')
	if i < 0 {
		return ""
	}
	return c.Iss[i+1:]
}

// idTokenClaims reads claims without verifying: the identity pool verifies
// the token; cogtool only needs to know whose it is.
func idTokenClaims(tok string) idClaims {
	var c idClaims
	decode.Peek(tok, &c)
	return c
}

// awsEnv is the environment that hands credentials to the AWS SDKs and CLI.
func awsEnv(cr *awsCreds, region string) [][2]string {
	env := [][2]string{
		{"AWS_ACCESS_KEY_ID", cr.AccessKeyID},
		{"AWS_SECRET_ACCESS_KEY", cr.SecretAccessKey},
	}
	if cr.SessionToken != "" {
		env = append(env, [2]string{"AWS_SESSION_TOKEN", cr.SessionToken})
	}
	if region != "" {
		// AWS_REGION for the SDKs, AWS_DEFAULT_REGION for the AWS CLI and boto3.
		env = append(env, [2]string{"AWS_REGION", region}, [2]string{"AWS_DEFAULT_REGION", region})
	}
	return env
}

// credentialsExpiry formats an expiration as credential_process wants it.
func credentialsExpiry(t time.Time) string { return t.UTC().Format(time.RFC3339) }
