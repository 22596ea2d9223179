package cli

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/cogtool/cogtool/internal/cache"
	"github.com/cogtool/cogtool/internal/identity"
)

// TestExecRun: the command runs with the tokens (and with --aws the
// identity-pool credentials from an in-process API) in its environment,
// its streams are cogtool's, its exit status becomes cogtool's.
func TestExecRunTable(t *testing.T) {
	showEnv := []string{"sh", "-c", `env | grep -E '^(COGTOOL|AWS)_' | sort; echo "stdin: $(cat)"; echo done >&2`}
	tests := []struct {
		name  string
		opts  execOptions
		stdin string
	}{
		{name: "tokens", opts: execOptions{Args: showEnv}, stdin: "from cogtool's stdin"},
		{name: "aws", opts: execOptions{Args: showEnv, AWS: true}},
		{name: "aws-guest", opts: execOptions{Args: showEnv, AWS: true, Flags: awsFlags{Guest: true}}},
		{name: "guest-without-aws", opts: execOptions{Args: showEnv, Flags: awsFlags{Guest: true}}},
		{name: "exit-status", opts: execOptions{Args: []string{"sh", "-c", "echo failing >&2; exit 3"}}},
		{name: "not-found", opts: execOptions{Args: []string{"cogtool-no-such-command"}}},
	}
	for _, tt := range tests {
		for _, tty := range []bool{true, false} {
			name := tt.name + "-" + ttyName(tty)
			t.Run(name, func(t *testing.T) {
				stub := newAPIStub(t, runIdentityReplies())
				r := newRunIO(tty)
				r.In.WriteString(tt.stdin)
				opts := tt.opts
				opts.In, opts.Out, opts.ErrOut = r.IO.In, r.IO.Out, r.IO.ErrOut
				// What the child inherits: stale tokens are replaced or removed
				// (under --guest none is set), AWS_PROFILE is kept.
				opts.Environ = func() []string {
					return []string{"PATH=" + os.Getenv("PATH"), "AWS_PROFILE=dev", "COGTOOL_ACCESS_TOKEN=stale",
						"COGTOOL_ID_TOKEN=stale-id", "COGTOOL_REFRESH_TOKEN=stale-refresh"}
				}
				opts.Tokens = func(context.Context) (*cache.Entry, error) {
					return &cache.Entry{AccessToken: runAccessToken(t, runIssuer), IDToken: runIDToken(t, runIssuer), RefreshToken: runRefreshToken(),
						ExpiresAt: time.Unix(runExp, 0), Flow: "password", ClientID: "runclient"}, nil
				}
				opts.AWSCredentials = testAWSCredentials(t, stub.URL)
				opts.Region = func() string { return "" }
				err := execRun(t.Context(), &opts)
				if strings.Contains(r.Out.String(), "stale") {
					t.Errorf("the command saw an inherited token variable:\n%s", r.Out.String())
				}
				r.assertGolden(t, "exec/"+name, err, runAccessToken(t, runIssuer), "ACCESS_TOKEN", runIDToken(t, runIssuer), "ID_TOKEN")
			})
		}
	}
}

const (
	runIdentityPool = "us-east-1:0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
	runIdentityID   = "us-east-1:11112222-3333-4444-5555-666677778888"
	runAWSSecret    = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	runAWSSession   = "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN0123456789"
)

// runIdentityReplies are the identity-pool API's answers for alice:
// credentials that expire an hour after runNow.
func runIdentityReplies() map[string]string {
	return map[string]string{
		"GetId": `{"IdentityId":"` + runIdentityID + `"}`,
		"GetCredentialsForIdentity": `{"IdentityId":"` + runIdentityID + `","Credentials":{"AccessKeyId":"ASIARUNTABLESEXAMPLE",` +
			`"SecretKey":"` + runAWSSecret + `","SessionToken":"` + runAWSSession + `","Expiration":1893557045}}`,
	}
}

// testAWSCredentials gets alice's credentials from the identity-pool API
// at url with her ID token, as aws-credentials does after signing in.
func testAWSCredentials(t *testing.T, url string) func(context.Context) (*awsCreds, error) {
	return func(ctx context.Context) (*awsCreds, error) {
		c := identity.NewClient("us-east-1", url, nil)
		cr, err := c.Credentials(ctx, identity.Params{PoolID: runIdentityPool,
			Logins: map[string]string{"cognito-idp.us-east-1.amazonaws.com/us-east-1_RunTables": runIDToken(t, runIssuer)}})
		if err != nil {
			return nil, err
		}
		return &awsCreds{Credentials: cr, PoolID: runIdentityPool, Region: "us-east-1"}, nil
	}
}
