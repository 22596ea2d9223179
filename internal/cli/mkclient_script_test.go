package cli_test

import (
	"context"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/rogpeppe/go-internal/testscript"

	"github.com/cogtool/cogtool/internal/testpeers"
)

// mkclient VAR [secret] [flows=A,B] [oauth=G,H] [scopes=S,T] [callbacks=U,V]:
// creates an app client in $POOL_ID on the peer at $ENDPOINT, shaped by the
// options, and exports its id as VAR; with secret, its secret goes to
// $WORK/VAR.secret (mode 0600). Doctor's journeys build broken clients with it.
func cmdMkclient(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 {
		ts.Fatalf("usage: mkclient VAR [secret] [flows=..] [oauth=..] [scopes=..] [callbacks=..]")
	}
	in := &cip.CreateUserPoolClientInput{UserPoolId: aws.String(ts.Getenv("POOL_ID")), ClientName: aws.String(strings.ToLower(args[0]))}
	for _, a := range args[1:] {
		k, v, _ := strings.Cut(a, "=")
		list := strings.Split(v, ",")
		switch k {
		case "secret":
			in.GenerateSecret = true
		case "flows":
			for _, f := range list {
				in.ExplicitAuthFlows = append(in.ExplicitAuthFlows, types.ExplicitAuthFlowsType(f))
			}
		case "oauth":
			in.AllowedOAuthFlowsUserPoolClient = true
			for _, f := range list {
				in.AllowedOAuthFlows = append(in.AllowedOAuthFlows, types.OAuthFlowType(f))
			}
		case "scopes":
			in.AllowedOAuthScopes = list
		case "callbacks":
			in.CallbackURLs = list
		default:
			ts.Fatalf("mkclient: unknown option %q", a)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := testpeers.NewClient(ts.Getenv("ENDPOINT")).CreateUserPoolClient(ctx, in)
	ts.Check(err)
	ts.Setenv(args[0], aws.ToString(out.UserPoolClient.ClientId))
	if in.GenerateSecret {
		ts.Check(os.WriteFile(ts.MkAbs(args[0]+".secret"), []byte(aws.ToString(out.UserPoolClient.ClientSecret)+"\n"), 0o600))
	}
}

// mkdomain PREFIX: gives $POOL_ID on the peer at $ENDPOINT the hosted
// domain PREFIX.
func cmdMkdomain(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: mkdomain PREFIX")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := testpeers.NewClient(ts.Getenv("ENDPOINT")).CreateUserPoolDomain(ctx, &cip.CreateUserPoolDomainInput{
		UserPoolId: aws.String(ts.Getenv("POOL_ID")), Domain: aws.String(args[0])})
	ts.Check(err)
}
