package cli

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cogtool/cogtool/internal/config"
	"github.com/cogtool/cogtool/internal/doctor"
	"github.com/cogtool/cogtool/internal/iostreams"
)

type initAPI struct{}

func (initAPI) DescribeUserPool(context.Context, *cip.DescribeUserPoolInput, ...func(*cip.Options)) (*cip.DescribeUserPoolOutput, error) {
	return &cip.DescribeUserPoolOutput{UserPool: &types.UserPoolType{Name: aws.String("demo"), CustomDomain: aws.String("auth.example.com")}}, nil
}

func (initAPI) DescribeUserPoolClient(_ context.Context, in *cip.DescribeUserPoolClientInput, _ ...func(*cip.Options)) (*cip.DescribeUserPoolClientOutput, error) {
	return &cip.DescribeUserPoolClientOutput{UserPoolClient: &types.UserPoolClientType{ClientId: in.ClientId, ClientName: aws.String("web"),
		ClientSecret: aws.String("s3cr3t"), AllowedOAuthFlowsUserPoolClient: aws.Bool(true),
		AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeCode}, AllowedOAuthScopes: []string{"openid", "email"}}}, nil
}

func (initAPI) ListUserPoolClients(context.Context, *cip.ListUserPoolClientsInput, ...func(*cip.Options)) (*cip.ListUserPoolClientsOutput, error) {
	return &cip.ListUserPoolClientsOutput{UserPoolClients: []types.UserPoolClientDescription{
		{ClientId: aws.String("aaa"), ClientName: aws.String("cli")}, {ClientId: aws.String("bbb"), ClientName: aws.String("web")}}}, nil
}

// TestConfigInitOnATerminal: without --client-id it offers the pool's
// clients; for a client with a secret it asks where the secret is read
// from, and stores that reference, never a secret.
func TestConfigInitOnATerminal(t *testing.T) {
	ios, _, out, errOut := iostreams.Test()
	var asked []string
	answers := []string{"2", "file:~/web.secret"}
	t.Setenv("HOME", t.TempDir())
	opts := &configInitOptions{IO: ios, Output: "text", File: &config.File{Profiles: map[string]*config.Profile{}},
		Path: filepath.Join(t.TempDir(), "config.toml"), Profile: "web", PoolID: "eu-west-1_X",
		API: func(context.Context) (doctor.DiscoverAPI, error) { return initAPI{}, nil },
		Ask: func(p string) (string, error) {
			asked = append(asked, p)
			a := answers[0]
			answers = answers[1:]
			return a, nil
		}}
	if err := configInitRun(t.Context(), opts); err != nil {
		t.Fatal(err)
	}
	if len(asked) != 2 || !strings.Contains(asked[0], "App client [1-2]") || !strings.Contains(asked[1], "env:NAME or file:PATH") {
		t.Fatalf("questions: %q", asked)
	}
	if !strings.Contains(errOut.String(), "2) bbb  web") {
		t.Errorf("no pick list: %q", errOut.String())
	}
	m := opts.File.Map("web")
	if m["client_id"] != "bbb" || m["flow"] != "login" || m["domain"] != "https://auth.example.com" ||
		!strings.HasPrefix(m["client_secret"].(string), "file:/") || !strings.HasSuffix(m["client_secret"].(string), "/web.secret") {
		t.Fatalf("profile: %v", m)
	}
	if strings.Contains(out.String()+errOut.String(), "s3cr3t") {
		t.Fatal("the client secret was printed")
	}
	// A literal secret as the answer is refused.
	answers = []string{"s3cr3t"}
	opts.ClientID, opts.Force = "bbb", true
	if err := configInitRun(t.Context(), opts); err == nil || !strings.Contains(err.Error(), "never the secret itself") {
		t.Fatalf("literal secret: err = %v", err)
	}
}
