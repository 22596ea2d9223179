package cli

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cogtool/cogtool/internal/doctor"
)

// The pool and client that doctor and config init read, as the user-pool
// API describes them. The client's secret must never reach the output.
const (
	runPoolReply   = `{"UserPool":{"Id":"us-east-1_RunTables","Name":"runtables","Domain":"runtables","IssuerConfiguration":{"Type":"UPDATED"}}}`
	runSecret      = "s3cr3t-client-value"
	runClientReply = `{"UserPoolClient":{"UserPoolId":"us-east-1_RunTables","ClientId":"runclient","ClientName":"api","ClientSecret":"` + runSecret + `",` +
		`"AllowedOAuthFlowsUserPoolClient":true,"AllowedOAuthFlows":["client_credentials"],"AllowedOAuthScopes":["api/read"],` +
		`"ExplicitAuthFlows":["ALLOW_REFRESH_TOKEN_AUTH"],"AccessTokenValidity":5,"TokenValidityUnits":{"AccessToken":"minutes"},"RefreshTokenRotation":{"Feature":"ENABLED"}}}`
	runDomainReply  = `{"DomainDescription":{"Domain":"runtables","UserPoolId":"us-east-1_RunTables","Status":"ACTIVE"}}`
	runServersReply = `{"ResourceServers":[{"UserPoolId":"us-east-1_RunTables","Identifier":"api","Name":"api","Scopes":[{"ScopeName":"read","ScopeDescription":"read"}]}]}`
)

func runDescribeReplies() map[string]string {
	return map[string]string{"DescribeUserPool": runPoolReply, "DescribeUserPoolClient": runClientReply,
		"DescribeUserPoolDomain": runDomainReply, "ListResourceServers": runServersReply}
}

// TestDoctorRun: doctor reads the pool through the API and the JWKS from
// the strict fake; ✓/✗ lines with the fix on a terminal, the report as
// JSON on a pipe, exit 4 when a check fails.
func TestDoctorRunTable(t *testing.T) {
	_, pool, norm := newStrictRun(t)
	good := doctor.Profile{Region: "us-east-1", PoolID: "us-east-1_RunTables", ClientID: "runclient", HasSecret: true,
		Flow: "client-credentials", Scopes: []string{"api/read"}, Domain: "https://runtables.auth.us-east-1.amazoncognito.com",
		Port: 8976, JWKSURL: pool.JWKSURL}
	with := func(change func(*doctor.Profile, map[string]string)) (doctor.Profile, map[string]string) {
		p, replies := good, runDescribeReplies()
		change(&p, replies)
		return p, replies
	}
	type tc struct {
		name    string
		profile doctor.Profile
		replies map[string]string
	}
	tests := []tc{{"all-pass", good, runDescribeReplies()}}
	for _, c := range []struct {
		name   string
		change func(*doctor.Profile, map[string]string)
	}{
		{"flow-not-allowed", func(p *doctor.Profile, _ map[string]string) { p.Flow = "password" }},
		{"scope-and-secret", func(p *doctor.Profile, _ map[string]string) { p.Scopes = []string{"api/write"}; p.HasSecret = false }},
		{"domain-of-another-pool", func(_ *doctor.Profile, r map[string]string) {
			r["DescribeUserPoolDomain"] = strings.Replace(runDomainReply, "us-east-1_RunTables", "us-east-1_Other", 1)
		}},
		{"access-denied", func(_ *doctor.Profile, r map[string]string) {
			r["DescribeUserPoolClient"] = "!AccessDeniedException User: arn:aws:iam::123456789012:user/dev is not authorized to perform: cognito-idp:DescribeUserPoolClient"
		}},
		{"jwks-unreachable", func(p *doctor.Profile, _ map[string]string) { p.JWKSURL = pool.JWKSURL + ".missing" }},
	} {
		p, r := with(c.change)
		tests = append(tests, tc{c.name, p, r})
	}
	for _, tt := range tests {
		for _, tty := range []bool{true, false} {
			name := tt.name + "-" + ttyName(tty)
			t.Run(name, func(t *testing.T) {
				stub := newAPIStub(t, tt.replies)
				r := newRunIO(tty)
				f := r.factory(&Settings{Timeout: 10 * time.Second})
				err := doctorRun(t.Context(), &doctorOptions{IO: r.IO, Output: r.output("json"), Profile: tt.profile,
					API:       func(context.Context) (doctor.API, error) { return testAdminClient(t, stub.URL).API, nil },
					FetchJWKS: func(ctx context.Context, u string) (int, error) { return countJWKS(ctx, f.RetryingHTTPClient(), u) }})
				if strings.Contains(r.Out.String()+r.ErrOut.String(), runSecret) {
					t.Error("the client secret was printed")
				}
				r.record("requests", stub.log())
				r.check(t, "doctor/"+name, err, norm...)
			})
		}
	}
}
