package doctor

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"

	"github.com/cogtool/cogtool/internal/exit"
)

// fakeAPI answers the four reads from fixed values; a non-nil error field
// makes that call fail.
type fakeAPI struct {
	pool    *types.UserPoolType
	client  *types.UserPoolClientType
	domain  *types.DomainDescriptionType
	servers []types.ResourceServerType

	poolErr, clientErr, domainErr, serversErr error
	calls                                     []string
}

func (f *fakeAPI) DescribeUserPool(ctx context.Context, in *cip.DescribeUserPoolInput, _ ...func(*cip.Options)) (*cip.DescribeUserPoolOutput, error) {
	f.calls = append(f.calls, "DescribeUserPool")
	if f.poolErr != nil {
		return nil, f.poolErr
	}
	return &cip.DescribeUserPoolOutput{UserPool: f.pool}, nil
}

func (f *fakeAPI) DescribeUserPoolClient(ctx context.Context, in *cip.DescribeUserPoolClientInput, _ ...func(*cip.Options)) (*cip.DescribeUserPoolClientOutput, error) {
	f.calls = append(f.calls, "DescribeUserPoolClient")
	if f.clientErr != nil {
		return nil, f.clientErr
	}
	return &cip.DescribeUserPoolClientOutput{UserPoolClient: f.client}, nil
}

func (f *fakeAPI) DescribeUserPoolDomain(ctx context.Context, in *cip.DescribeUserPoolDomainInput, _ ...func(*cip.Options)) (*cip.DescribeUserPoolDomainOutput, error) {
	f.calls = append(f.calls, "DescribeUserPoolDomain:"+aws.ToString(in.Domain))
	if f.domainErr != nil {
		return nil, f.domainErr
	}
	return &cip.DescribeUserPoolDomainOutput{DomainDescription: f.domain}, nil
}

func (f *fakeAPI) ListResourceServers(ctx context.Context, in *cip.ListResourceServersInput, _ ...func(*cip.Options)) (*cip.ListResourceServersOutput, error) {
	f.calls = append(f.calls, "ListResourceServers")
	if f.serversErr != nil {
		return nil, f.serversErr
	}
	return &cip.ListResourceServersOutput{ResourceServers: f.servers}, nil
}

const pool = "eu-west-1_Abc"

func good() *fakeAPI {
	return &fakeAPI{
		pool: &types.UserPoolType{Id: aws.String(pool), Name: aws.String("demo"), Domain: aws.String("demo-auth"),
			IssuerConfiguration: &types.IssuerConfigurationType{Type: "UPDATED"}},
		client: &types.UserPoolClientType{ClientId: aws.String("c1"), ClientName: aws.String("api"), ClientSecret: aws.String("s"),
			AllowedOAuthFlowsUserPoolClient: aws.Bool(true), AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeClientCredentials},
			AllowedOAuthScopes: []string{"api/read"}, AccessTokenValidity: aws.Int32(5),
			TokenValidityUnits:   &types.TokenValidityUnitsType{AccessToken: types.TimeUnitsTypeMinutes},
			RefreshTokenRotation: &types.RefreshTokenRotationType{Feature: types.FeatureTypeEnabled}},
		domain:  &types.DomainDescriptionType{Domain: aws.String("demo-auth"), UserPoolId: aws.String(pool), Status: types.DomainStatusTypeActive},
		servers: []types.ResourceServerType{{Identifier: aws.String("api"), Scopes: []types.ResourceServerScopeType{{ScopeName: aws.String("read")}}}},
	}
}

func profile() Profile {
	return Profile{Region: "eu-west-1", PoolID: pool, ClientID: "c1", HasSecret: true, Flow: "client-credentials",
		Scopes: []string{"api/read"}, Domain: "https://demo-auth.auth.eu-west-1.amazoncognito.com", JWKSURL: "https://keys"}
}

func find(t *testing.T, rep *Report, id string) Check {
	t.Helper()
	for _, c := range rep.Checks {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("no %q check in %+v", id, rep.Checks)
	return Check{}
}

func TestAllPass(t *testing.T) {
	api := good()
	rep, err := Run(t.Context(), Input{Profile: profile(), API: api,
		FetchJWKS: func(ctx context.Context, u string) (int, error) { return 2, nil }})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK || rep.Failed() != 0 {
		t.Fatalf("report: %+v", rep.Checks)
	}
	for id, want := range map[string]string{
		"domain":   "domain demo-auth exists and is active",
		"issuer":   "https://issuer-cognito-idp.eu-west-1.amazonaws.com/" + pool,
		"rotation": "refresh-token rotation is on",
		"validity": "access 5m, id 1h (default), refresh 30d (default)",
		"jwks":     "(2 keys)",
	} {
		if c := find(t, rep, id); !strings.Contains(c.Message, want) {
			t.Errorf("%s: %q, want %q", id, c.Message, want)
		}
	}
	if !strings.Contains(strings.Join(api.calls, " "), "DescribeUserPoolDomain:demo-auth") {
		t.Errorf("the domain prefix was not looked up: %v", api.calls)
	}
}

// TestAccessDenied: a Describe the credentials may not make is a failed
// check naming the IAM action, and the other checks still run.
func TestAccessDenied(t *testing.T) {
	denied := &smithy.GenericAPIError{Code: "AccessDeniedException", Message: "not authorized to perform: cognito-idp:DescribeUserPoolClient", Fault: smithy.FaultClient}
	api := good()
	api.clientErr = denied
	api.serversErr = denied
	rep, err := Run(t.Context(), Input{Profile: profile(), API: api})
	if err != nil {
		t.Fatal(err)
	}
	if rep.OK {
		t.Fatal("report OK with a refused call")
	}
	c := find(t, rep, "client")
	if c.Status != Fail || !strings.Contains(c.Fix, "cognito-idp:DescribeUserPoolClient") {
		t.Errorf("client check: %+v", c)
	}
	if c := find(t, rep, "resource-servers"); !strings.Contains(c.Fix, "cognito-idp:ListResourceServers") {
		t.Errorf("resource servers check: %+v", c)
	}
	if c := find(t, rep, "pool"); c.Status != Pass {
		t.Errorf("pool check: %+v", c)
	}
	if c := find(t, rep, "domain"); c.Status != Pass {
		t.Errorf("domain check: %+v", c)
	}
}

// TestNetworkFailureStops: when the API cannot be reached at all there is
// nothing to report: the error (exit 5) comes back.
func TestNetworkFailureStops(t *testing.T) {
	api := good()
	api.poolErr = errors.New("dial tcp: connection refused")
	_, err := Run(t.Context(), Input{Profile: profile(), API: api})
	if exit.CodeOf(err) != exit.Network {
		t.Fatalf("err = %v (code %d), want exit 5", err, exit.CodeOf(err))
	}
}

func TestBrokenClients(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*fakeAPI, *Profile)
		id     string
		msg    string
	}{
		{"flow not allowed", func(a *fakeAPI, p *Profile) {
			a.client.AllowedOAuthFlows = []types.OAuthFlowType{types.OAuthFlowTypeCode}
		},
			"flow", `OAuth grant "client_credentials" is not allowed`},
		{"password flow, default flows", func(a *fakeAPI, p *Profile) { p.Flow = "password" },
			"flow", "ALLOW_USER_PASSWORD_AUTH is not enabled on the client (it allows ALLOW_REFRESH_TOKEN_AUTH, ALLOW_USER_SRP_AUTH, ALLOW_CUSTOM_AUTH)"},
		{"no secret configured", func(a *fakeAPI, p *Profile) { p.HasSecret = false }, "secret", "has a secret, but none is configured"},
		{"scope not allowed", func(a *fakeAPI, p *Profile) {
			a.servers[0].Scopes = append(a.servers[0].Scopes, types.ResourceServerScopeType{ScopeName: aws.String("write")})
			p.Scopes = []string{"api/write"}
		}, "scopes", "scope api/write is not allowed on the app client"},
		{"scope does not exist", func(a *fakeAPI, p *Profile) { p.Scopes = []string{"api/write"} }, "scopes", "api/write does not exist"},
		{"domain of another pool", func(a *fakeAPI, p *Profile) { a.domain.UserPoolId = aws.String("eu-west-1_Other") }, "domain", "belongs to another pool"},
		{"domain creating", func(a *fakeAPI, p *Profile) { a.domain.Status = types.DomainStatusTypeCreating }, "domain", "is CREATING, not ACTIVE"},
		{"domain missing", func(a *fakeAPI, p *Profile) { a.domain = &types.DomainDescriptionType{} }, "domain", "does not exist"},
		{"JWKS empty", func(a *fakeAPI, p *Profile) {}, "jwks", "holds no keys"},
		{"login, no callback", func(a *fakeAPI, p *Profile) {
			p.Flow = "login"
			p.Scopes = []string{"openid"}
			a.client.AllowedOAuthFlows = []types.OAuthFlowType{types.OAuthFlowTypeCode}
			a.client.AllowedOAuthScopes = []string{"openid"}
		}, "redirect", "no loopback callback URL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			api, p := good(), profile()
			tc.change(api, &p)
			rep, err := Run(t.Context(), Input{Profile: p, API: api,
				FetchJWKS: func(ctx context.Context, u string) (int, error) { return 0, nil }})
			if err != nil {
				t.Fatal(err)
			}
			var hit *Check
			for i, c := range rep.Checks {
				if c.ID == tc.id && c.Status == Fail && strings.Contains(c.Message, tc.msg) {
					hit = &rep.Checks[i]
				}
			}
			if hit == nil {
				t.Fatalf("no failed %s check with %q in %+v", tc.id, tc.msg, rep.Checks)
			}
			if hit.Fix == "" {
				t.Errorf("%s: no fix", tc.id)
			}
			if rep.OK {
				t.Error("report OK")
			}
		})
	}
}

func TestLocalDomainNotLookedUp(t *testing.T) {
	api := good()
	p := profile()
	p.Domain = "http://127.0.0.1:9229"
	rep, err := Run(t.Context(), Input{Profile: p, API: api})
	if err != nil {
		t.Fatal(err)
	}
	if c := find(t, rep, "domain"); c.Status != Info {
		t.Errorf("domain: %+v", c)
	}
	for _, c := range api.calls {
		if strings.HasPrefix(c, "DescribeUserPoolDomain") {
			t.Errorf("looked up a loopback domain: %v", api.calls)
		}
	}
}
