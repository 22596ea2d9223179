package doctor

import (
	"context"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cogtool/cogtool/internal/cognito"
)

// DiscoverAPI is what Discover reads; *cip.Client has it.
type DiscoverAPI interface {
	describeAPI
	ListUserPoolClients(context.Context, *cip.ListUserPoolClientsInput, ...func(*cip.Options)) (*cip.ListUserPoolClientsOutput, error)
}

// Discovery is what a profile needs to know about a pool and a client.
type Discovery struct {
	PoolName   string
	ClientName string
	// Domain is the pool's domain prefix, or https:// and its custom
	// domain; "" when it has none.
	Domain    string
	HasSecret bool
	// Flows are the cogtool flows the client allows, most useful first:
	// client-credentials, password, login, srp, otp.
	Flows []string
	// Scopes are the OAuth scopes the client allows.
	Scopes []string
}

// Discover reads the pool and the client.
func Discover(ctx context.Context, api DiscoverAPI, poolID, clientID string) (*Discovery, error) {
	p, err := api.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(poolID)})
	if err != nil {
		return nil, cognito.MapAWSError("DescribeUserPool", err)
	}
	c, err := api.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: aws.String(poolID), ClientId: aws.String(clientID)})
	if err != nil {
		return nil, cognito.MapAWSError("DescribeUserPoolClient", err)
	}
	d := &Discovery{}
	if up := p.UserPool; up != nil {
		d.PoolName = aws.ToString(up.Name)
		if cd := aws.ToString(up.CustomDomain); cd != "" {
			d.Domain = "https://" + cd
		} else {
			d.Domain = aws.ToString(up.Domain)
		}
	}
	cl := c.UserPoolClient
	if cl == nil {
		return d, nil
	}
	d.ClientName = aws.ToString(cl.ClientName)
	d.HasSecret = aws.ToString(cl.ClientSecret) != ""
	d.Scopes = cl.AllowedOAuthScopes
	r := &run{client: cl}
	explicit := r.explicitFlows()
	oauthOn := aws.ToBool(cl.AllowedOAuthFlowsUserPoolClient)
	for _, f := range []string{"client-credentials", "password", "login", "srp", "otp"} {
		if o, ok := oauthFlows[f]; ok {
			if oauthOn && slices.Contains(cl.AllowedOAuthFlows, o) {
				d.Flows = append(d.Flows, f)
			}
			continue
		}
		if slices.ContainsFunc(authFlows[f], func(n types.ExplicitAuthFlowsType) bool { return slices.Contains(explicit, n) }) {
			d.Flows = append(d.Flows, f)
		}
	}
	return d, nil
}

// ClientSummary names one app client of a pool.
type ClientSummary struct {
	ID, Name string
}

// ListClients runs ListUserPoolClients, all pages.
func ListClients(ctx context.Context, api DiscoverAPI, poolID string) ([]ClientSummary, error) {
	var (
		out   []ClientSummary
		token *string
	)
	for {
		res, err := api.ListUserPoolClients(ctx, &cip.ListUserPoolClientsInput{UserPoolId: aws.String(poolID), MaxResults: aws.Int32(60), NextToken: token})
		if err != nil {
			return nil, cognito.MapAWSError("ListUserPoolClients", err)
		}
		for _, c := range res.UserPoolClients {
			out = append(out, ClientSummary{ID: aws.ToString(c.ClientId), Name: aws.ToString(c.ClientName)})
		}
		if token = res.NextToken; aws.ToString(token) == "" {
			return out, nil
		}
	}
}
