package cli_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	ci "github.com/aws/aws-sdk-go-v2/service/cognitoidentity"
	citypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentity/types"
	"github.com/rogpeppe/go-internal/testscript"

	"github.com/cogtool/cogtool/examples/sigv4api"
	"github.com/cogtool/cogtool/internal/testpeers"
)

// createIdentityPool creates, on moto, an identity pool that accepts the
// ID tokens of the user pool's client and guests, and returns its id.
func createIdentityPool(ctx context.Context, motoURL, userPoolID, clientID string) (string, error) {
	c := ci.New(ci.Options{
		Region:       testpeers.Region,
		BaseEndpoint: aws.String(motoURL),
		Credentials:  credentials.NewStaticCredentialsProvider(testpeers.AccessKeyID, testpeers.SecretAccessKey, ""),
	})
	out, err := c.CreateIdentityPool(ctx, &ci.CreateIdentityPoolInput{
		IdentityPoolName:               aws.String("cogtool_identities"),
		AllowUnauthenticatedIdentities: true,
		CognitoIdentityProviders: []citypes.CognitoIdentityProvider{{
			ProviderName: aws.String("cognito-idp." + testpeers.Region + ".amazonaws.com/" + userPoolID),
			ClientId:     aws.String(clientID),
		}},
	})
	if err != nil {
		return "", err
	}
	return aws.ToString(out.IdentityPoolId), nil
}

// idpool: creates an identity pool on moto for $POOL_ID and
// $PUBLIC_CLIENT_ID (after `seed moto`) and exports IDENTITY_POOL_ID.
func cmdIdpool(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: idpool")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	id, err := createIdentityPool(ctx, scriptPeer(ts, "moto").URL, ts.Getenv("POOL_ID"), ts.Getenv("PUBLIC_CLIENT_ID"))
	ts.Check(err)
	ts.Setenv("IDENTITY_POOL_ID", id)
}

// processCredentials is credential_process's JSON.
type processCredentials struct {
	Version         int
	AccessKeyID     string `json:"AccessKeyId"`
	SecretAccessKey string
	SessionToken    string
	Expiration      string
}

func readProcessCredentials(ts *testscript.TestScript, file string) processCredentials {
	var pc processCredentials
	ts.Check(json.Unmarshal([]byte(ts.ReadFile(file)), &pc))
	return pc
}

// awsjson FILE: checks FILE is credential_process JSON (Version 1, every
// field set, Expiration RFC 3339 in the future) and exports AKID, SECRET
// and SESSION from it.
func cmdAWSJSON(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: awsjson FILE")
	}
	var raw map[string]any
	ts.Check(json.Unmarshal([]byte(ts.ReadFile(args[0])), &raw))
	for _, k := range []string{"Version", "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"} {
		if _, ok := raw[k]; !ok {
			ts.Fatalf("%s: no %s", args[0], k)
		}
	}
	if len(raw) != 5 {
		ts.Fatalf("%s: %d fields, want the 5 of credential_process", args[0], len(raw))
	}
	pc := readProcessCredentials(ts, args[0])
	exp, err := time.Parse(time.RFC3339, pc.Expiration)
	if pc.Version != 1 || err != nil || !exp.After(time.Now()) {
		ts.Fatalf("%s: Version %d, Expiration %q (%v)", args[0], pc.Version, pc.Expiration, err)
	}
	ts.Setenv("AKID", pc.AccessKeyID)
	ts.Setenv("SECRET", pc.SecretAccessKey)
	ts.Setenv("SESSION", pc.SessionToken)
}

// sigapi FILE [region]: starts examples/sigv4api (service execute-api,
// region us-east-1 unless given) trusting the credentials in FILE
// (credential_process JSON), and exports SIGAPI_URL and SIGAPI_TAMPER_URL:
// a proxy in front of the same API that changes the query of each request
// on its way, after the client signed it.
func cmdSigapi(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 || len(args) > 2 {
		ts.Fatalf("usage: sigapi FILE [region]")
	}
	pc := readProcessCredentials(ts, args[0])
	region := testpeers.Region
	if len(args) == 2 {
		region = args[1]
	}
	api := httptest.NewServer(sigv4api.New(sigv4api.Config{
		Service: "execute-api",
		Region:  region,
		Credentials: func(id string) (aws.Credentials, bool) {
			return aws.Credentials{AccessKeyID: pc.AccessKeyID, SecretAccessKey: pc.SecretAccessKey, SessionToken: pc.SessionToken},
				id == pc.AccessKeyID
		},
	}))
	ts.Defer(api.Close)
	target, _ := url.Parse(api.URL)
	proxy := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		r.SetURL(target)
		r.Out.Host = r.In.Host // the host the client signed
		q := r.Out.URL.Query()
		q.Set("tampered", "1")
		r.Out.URL.RawQuery = q.Encode()
	}}
	tamper := httptest.NewServer(proxy)
	ts.Defer(tamper.Close)
	ts.Setenv("SIGAPI_URL", api.URL)
	ts.Setenv("SIGAPI_TAMPER_URL", tamper.URL)
}
