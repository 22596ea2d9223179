package cognito

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/redact"
)

func testCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// fastRetries keeps the standard retryer's attempts but not its sleeps.
func fastRetries(o *cip.Options) {
	o.Retryer = NewRetryer(func(so *retry.StandardOptions) {
		so.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
	})
}

func fastClient(t *testing.T, endpoint string) *Client {
	t.Helper()
	c, err := NewUnsigned(Config{Region: "us-east-1", EndpointURL: endpoint}, fastRetries)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// signIn makes the USER_PASSWORD_AUTH call of the password flow, with the
// password "secret-pw", and maps its error as the flows do.
func signIn(ctx context.Context, c *Client, poolID string) error {
	opts, err := c.Opts(poolID)
	if err != nil {
		return err
	}
	_, err = c.API.InitiateAuth(ctx, &cip.InitiateAuthInput{
		AuthFlow:       types.AuthFlowTypeUserPasswordAuth,
		ClientId:       aws.String("cid"),
		AuthParameters: map[string]string{"USERNAME": "u", "PASSWORD": "secret-pw"},
	}, opts...)
	return c.MapError("initiate auth", err, "secret-pw")
}

type fakeCall struct {
	Op     string // InitiateAuth, RespondToAuthChallenge, ...
	Header http.Header
}

// fakeIDP speaks the user-pool API's JSON 1.1 protocol; reply scripts it.
type fakeIDP struct {
	mu    sync.Mutex
	calls []fakeCall
	srv   *httptest.Server
}

type fakeReply struct {
	status int
	body   any    // marshalled as JSON
	raw    string // sent as is when body is nil
}

func apiError(status int, code, msg string) fakeReply {
	return fakeReply{status: status, body: map[string]string{"__type": code, "message": msg}}
}

func newFakeIDP(t *testing.T, reply func(n int, c fakeCall) fakeReply) *fakeIDP {
	t.Helper()
	f := &fakeIDP{}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		c := fakeCall{Op: strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "AWSCognitoIdentityProviderService."), Header: r.Header.Clone()}
		f.mu.Lock()
		f.calls = append(f.calls, c)
		n := len(f.calls)
		f.mu.Unlock()
		rep := reply(n, c)
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		if rep.status == 0 {
			rep.status = http.StatusOK
		}
		w.WriteHeader(rep.status)
		if rep.body != nil {
			_ = json.NewEncoder(w).Encode(rep.body)
		} else {
			_, _ = io.WriteString(w, rep.raw)
		}
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeIDP) Calls() []fakeCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]fakeCall(nil), f.calls...)
}

// okReply is a successful InitiateAuth reply.
func okReply() fakeReply {
	return fakeReply{body: map[string]any{"AuthenticationResult": map[string]any{"AccessToken": "a.b.c", "ExpiresIn": 3600}}}
}

func wantCode(t *testing.T, err error, code int) *exit.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("want an error with exit code %d, got nil", code)
	}
	var ee *exit.Error
	if !errors.As(err, &ee) {
		t.Fatalf("error %q (%T) carries no exit code; want %d", err, err, code)
	}
	if ee.Code != code {
		t.Fatalf("exit code %d, want %d: %v", ee.Code, code, err)
	}
	return ee
}

// ---- client construction ----

func TestPlainHTTPToNonLoopbackIsRefused(t *testing.T) {
	_, err := NewUnsigned(Config{Region: "us-east-1", EndpointURL: "http://cognito.example.com"})
	wantCode(t, err, exit.Usage)
	_, err = NewAdmin(testCtx(t), Config{Region: "us-east-1", EndpointURL: "http://cognito.example.com"})
	wantCode(t, err, exit.Usage)
	if _, err := NewUnsigned(Config{Region: "us-east-1", EndpointURL: "http://127.0.0.1:9229"}); err != nil {
		t.Errorf("plain http to loopback: %v", err)
	}
}

func TestRegionFromPoolID(t *testing.T) {
	f := newFakeIDP(t, func(int, fakeCall) fakeReply { return okReply() })
	c, err := NewUnsigned(Config{EndpointURL: f.srv.URL}, fastRetries)
	if err != nil {
		t.Fatal(err)
	}
	if err := signIn(testCtx(t), c, "eu-west-3_AbC"); err != nil {
		t.Fatalf("region from the pool id: %v", err)
	}
	if auth := f.Calls()[0].Header.Get("Authorization"); auth != "" {
		t.Errorf("InitiateAuth was signed: %q", auth)
	}
	ee := wantCode(t, signIn(testCtx(t), c, ""), exit.Usage)
	if !strings.Contains(ee.Error(), "region") {
		t.Errorf("message %q does not name the region", ee.Error())
	}
	wantCode(t, signIn(testCtx(t), c, "no-underscore"), exit.Usage)
	if n := len(f.Calls()); n != 1 {
		t.Errorf("%d calls went out, want only the one with a region", n)
	}
}

func TestEndpointNamesRegionalEndpoint(t *testing.T) {
	c, err := NewUnsigned(Config{Region: "eu-west-1"})
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Endpoint(); got != "https://cognito-idp.eu-west-1.amazonaws.com" {
		t.Errorf("Endpoint() = %q", got)
	}
}

// ---- error mapping ----

func TestMapAWSErrorFromReplies(t *testing.T) {
	for _, tc := range []struct {
		name     string
		reply    fakeReply
		code     int
		awsError string
		contains []string
	}{
		{"not authorized", apiError(400, "NotAuthorizedException", "Incorrect username or password."),
			exit.Auth, "NotAuthorizedException", []string{"initiate auth: NotAuthorizedException: Incorrect username or password."}},
		{"user not found", apiError(400, "UserNotFoundException", "User does not exist."),
			exit.Auth, "UserNotFoundException", []string{"UserNotFoundException: User does not exist."}},
		{"not confirmed", apiError(400, "UserNotConfirmedException", "User is not confirmed."),
			exit.Auth, "UserNotConfirmedException", nil},
		{"password reset", apiError(400, "PasswordResetRequiredException", "Password reset required for the user"),
			exit.Auth, "PasswordResetRequiredException", nil},
		{"flow not enabled", apiError(400, "InvalidParameterException", "USER_PASSWORD_AUTH flow not enabled for this client"),
			exit.Auth, "InvalidParameterException", []string{"USER_PASSWORD_AUTH flow not enabled"}},
		{"unknown client", apiError(400, "ResourceNotFoundException", "User pool client x does not exist."),
			exit.Usage, "ResourceNotFoundException", []string{"not found in us-east-1"}},
		{"namespaced type", apiError(400, "com.amazonaws#NotAuthorizedException", "nope"),
			exit.Auth, "NotAuthorizedException", nil},
		{"throttled", apiError(400, "TooManyRequestsException", "Rate exceeded"),
			exit.Network, "TooManyRequestsException", []string{"TooManyRequestsException", "attempts"}},
		{"internal error", apiError(500, "InternalErrorException", "boom"),
			exit.Network, "InternalErrorException", []string{"InternalErrorException: boom", "127.0.0.1"}},
		{"bare 503", fakeReply{status: 503, raw: "<html>unavailable</html>"},
			exit.Network, "", []string{"service failure", "127.0.0.1", "HTTP 503", "after 3 attempts"}},
		{"garbage 200", fakeReply{status: 200, raw: "{not json"},
			exit.Network, "", []string{"malformed reply", "127.0.0.1"}},
		{"html 404", fakeReply{status: 404, raw: "<html>not found</html>"},
			exit.Network, "", []string{"malformed reply", "HTTP 404"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeIDP(t, func(int, fakeCall) fakeReply { return tc.reply })
			err := signIn(testCtx(t), fastClient(t, f.srv.URL), "")
			ee := wantCode(t, err, tc.code)
			if ee.AWSError != tc.awsError {
				t.Errorf("AWSError = %q, want %q", ee.AWSError, tc.awsError)
			}
			msg := ee.Error()
			for _, s := range tc.contains {
				if !strings.Contains(msg, s) {
					t.Errorf("message %q lacks %q", msg, s)
				}
			}
			if strings.Contains(msg, "secret-pw") || strings.Contains(msg, "\n") {
				t.Errorf("message leaks the password or spans lines: %q", msg)
			}
		})
	}
}

func TestMapAWSErrorRetriesServerErrors(t *testing.T) {
	f := newFakeIDP(t, func(n int, _ fakeCall) fakeReply {
		if n < 3 {
			return apiError(500, "InternalErrorException", "transient")
		}
		return okReply()
	})
	if err := signIn(testCtx(t), fastClient(t, f.srv.URL), ""); err != nil {
		t.Fatalf("want success on the third attempt: %v", err)
	}
	if n := len(f.Calls()); n != 3 {
		t.Fatalf("%d attempts, want 3", n)
	}
}

func TestMapAWSErrorNetwork(t *testing.T) {
	// A port that refuses connections.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	err = signIn(testCtx(t), fastClient(t, "http://"+addr), "")
	ee := wantCode(t, err, exit.Network)
	for _, s := range []string{"cannot reach", addr, "after 3 attempts"} {
		if !strings.Contains(ee.Error(), s) {
			t.Errorf("message %q lacks %q", ee.Error(), s)
		}
	}
}

func TestMapAWSErrorTimeoutAndCancel(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)

	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	err := signIn(ctx, fastClient(t, srv.URL), "")
	ee := wantCode(t, err, exit.Network)
	if !strings.Contains(ee.Error(), "timed out") || !strings.Contains(ee.Error(), srv.URL) {
		t.Errorf("message %q should say timed out and name %s", ee.Error(), srv.URL)
	}

	ctx2, cancel2 := context.WithCancel(context.Background())
	cancel2()
	err = signIn(ctx2, fastClient(t, srv.URL), "")
	wantCode(t, err, exit.Interrupted)
}

func TestMapAWSErrorMissingCredentials(t *testing.T) {
	f := newFakeIDP(t, func(int, fakeCall) fakeReply { return fakeReply{body: map[string]any{}} })
	// A signed (admin) call whose credential chain finds nothing, as the
	// SDK's default chain does on a machine with no AWS configuration.
	api := cip.New(cip.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(f.srv.URL),
		Credentials: aws.NewCredentialsCache(aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{}, errors.New("no EC2 IMDS role found, operation error ec2imds: GetMetadata")
		})),
	})
	_, err := api.AdminGetUser(testCtx(t), &cip.AdminGetUserInput{UserPoolId: aws.String("us-east-1_x"), Username: aws.String("u")})
	ee := wantCode(t, MapAWSError("admin get user", err), exit.Usage)
	if !strings.Contains(ee.Error(), "admin get user: no usable AWS credentials") {
		t.Errorf("message %q", ee.Error())
	}
	if n := len(f.Calls()); n != 0 {
		t.Errorf("%d requests went out without credentials", n)
	}
}

// The SDK's own default chain, on a machine with no AWS configuration at all,
// is what the admin commands meet: it must map to a usage error.
func TestMapAWSErrorMissingCredentialsDefaultChain(t *testing.T) {
	f := newFakeIDP(t, func(int, fakeCall) fakeReply { return fakeReply{body: map[string]any{}} })
	isolateAWSEnv(t)
	cfg, err := config.LoadDefaultConfig(testCtx(t), config.WithRegion("us-east-1"))
	if err != nil {
		t.Fatalf("load config: %v", err)
	}
	api := cip.NewFromConfig(cfg, func(o *cip.Options) { o.BaseEndpoint = aws.String(f.srv.URL) })
	_, err = api.AdminGetUser(testCtx(t), &cip.AdminGetUserInput{UserPoolId: aws.String("us-east-1_x"), Username: aws.String("u")})
	wantCode(t, MapAWSError("admin get user", err), exit.Usage)
	if n := len(f.Calls()); n != 0 {
		t.Errorf("%d requests went out without credentials", n)
	}
}

func TestMapAWSErrorPassesThrough(t *testing.T) {
	if MapAWSError("x", nil) != nil {
		t.Fatal("nil must stay nil")
	}
	orig := exit.Authf("already mapped")
	if got := MapAWSError("x", orig); got != error(orig) {
		t.Fatalf("an *exit.Error must pass unchanged, got %v", got)
	}
	wrapped := fmt.Errorf("context: %w", exit.New(exit.Challenge, "needs input"))
	if got := MapAWSError("x", wrapped); exit.CodeOf(got) != exit.Challenge {
		t.Fatalf("a wrapped *exit.Error must keep its code, got %d", exit.CodeOf(got))
	}
}

// isolateAWSEnv unsets every AWS_* variable and points HOME and the shared
// files at an empty folder, for the test's duration.
func isolateAWSEnv(t *testing.T) {
	t.Helper()
	home := t.TempDir()
	empty := filepath.Join(home, "empty")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "AWS_") {
			t.Setenv(k, "") // restores the value after the test
			os.Unsetenv(k)
		}
	}
	t.Setenv("HOME", home)
	t.Setenv("AWS_CONFIG_FILE", empty)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", empty)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
}

// TestFixItHints: each error a first try on a real pool meets names its
// cause and its fix, with the client, user and region of the call.
func TestFixItHints(t *testing.T) {
	call := Call{Op: "initiate auth", PoolID: "eu-west-1_AbC123", ClientID: "4k2hcl", Username: "alice@example.com", Flow: "USER_PASSWORD_AUTH"}
	for _, tc := range []struct {
		name     string
		call     Call
		reply    fakeReply
		code     int
		contains []string
	}{
		{"password flow not enabled", call, apiError(400, "InvalidParameterException", "USER_PASSWORD_AUTH flow not enabled for this client"),
			exit.Auth, []string{"enable ALLOW_USER_PASSWORD_AUTH on app client 4k2hcl", "cogtool token srp"}},
		{"SRP flow not enabled", call, apiError(400, "InvalidParameterException", "USER_SRP_AUTH flow not enabled for this client"),
			exit.Auth, []string{"enable ALLOW_USER_SRP_AUTH on app client 4k2hcl", "cogtool token password"}},
		{"not confirmed", call, apiError(400, "UserNotConfirmedException", "User is not confirmed."),
			exit.Auth, []string{"cogtool user confirm alice@example.com --client-id 4k2hcl --code", "cogtool user confirm alice@example.com --admin"}},
		{"reset required", call, apiError(400, "PasswordResetRequiredException", "Password reset required for the user"),
			exit.Auth, []string{"cogtool user forgot-password alice@example.com", "confirm-forgot-password", "cogtool user set-password alice@example.com"}},
		{"wrong pool", call, apiError(400, "ResourceNotFoundException", "User pool eu-west-1_AbC123 does not exist."),
			exit.Usage, []string{"user pool eu-west-1_AbC123, app client 4k2hcl not found in us-east-1"}},
		{"password policy on set-password", Call{Op: "AdminSetUserPassword"}, apiError(400, "InvalidPasswordException", "Password did not conform with policy: Password must have uppercase characters"),
			exit.Usage, []string{"Password must have uppercase characters", "meets the pool's policy"}},
		{"InvalidPasswordException at sign-in stays a refusal", call, apiError(400, "InvalidPasswordException", "Incorrect password"),
			exit.Auth, nil},
		{"attempt limit", call, apiError(400, "LimitExceededException", "Attempt limit exceeded, please try after some time."),
			exit.Auth, []string{"Attempt limit exceeded", "wait"}},
		{"filter refused by ListUsers", Call{Op: "ListUsers", Filter: ` email = "a"`}, apiError(400, "InvalidParameterException", "Error while parsing filter"),
			exit.Usage, []string{"ListUsers: InvalidParameterException: Error while parsing filter", `; Cognito refused --filter " email = \"a\""`}},
		{"InvalidParameterException elsewhere stays a refusal", Call{Op: "AdminGetUser"}, apiError(400, "InvalidParameterException", "Invalid attributes given"),
			exit.Auth, nil},
		{"secret hash", Call{Op: "refresh", ClientID: "4k2hcl", Username: "alice@example.com"}, apiError(400, "NotAuthorizedException", "Unable to verify secret hash for client 4k2hcl"),
			exit.Auth, []string{`computed over the username "alice@example.com"`, "internal username"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeIDP(t, func(int, fakeCall) fakeReply { return tc.reply })
			c := fastClient(t, f.srv.URL)
			_, err := c.API.InitiateAuth(testCtx(t), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String("4k2hcl")})
			ee := wantCode(t, c.MapCallError(tc.call, err), tc.code)
			msg := ee.Error()
			for _, s := range tc.contains {
				if !strings.Contains(msg, s) {
					t.Errorf("message %q lacks %q", msg, s)
				}
			}
			if n := len(f.Calls()); n != 1 {
				t.Errorf("%d attempts, want 1: a refusal is never retried", n)
			}
		})
	}
}

// hostRecorder fails every request after noting the host it was sent to.
type hostRecorder struct{ host chan string }

func (h hostRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	select {
	case h.host <- r.URL.Host:
	default:
	}
	return nil, errors.New("recorded")
}

// TestFIPSEndpoint: GovCloud has FIPS endpoints only, and
// AWS_USE_FIPS_ENDPOINT=true asks for them elsewhere
// (https://docs.aws.amazon.com/general/latest/gr/cognito.html lists
// cognito-idp-fips.{region}.amazonaws.com).
func TestFIPSEndpoint(t *testing.T) {
	for _, tc := range []struct {
		region string
		fips   bool
		want   string
	}{
		{"us-east-1", false, "cognito-idp.us-east-1.amazonaws.com"},
		{"us-east-1", true, "cognito-idp-fips.us-east-1.amazonaws.com"},
		{"us-gov-west-1", true, "cognito-idp-fips.us-gov-west-1.amazonaws.com"},
	} {
		rec := hostRecorder{host: make(chan string, 1)}
		c, err := NewUnsigned(Config{Region: tc.region, FIPS: tc.fips, HTTPClient: &http.Client{Transport: rec}},
			func(o *cip.Options) { o.Retryer = aws.NopRetryer{} })
		if err != nil {
			t.Fatal(err)
		}
		_, _ = c.API.InitiateAuth(testCtx(t), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String("c")})
		if got := <-rec.host; got != tc.want {
			t.Errorf("region %s, fips %v: request went to %s, want %s", tc.region, tc.fips, got, tc.want)
		}
		if got := c.Endpoint(); got != "https://"+tc.want {
			t.Errorf("Endpoint() = %s, want https://%s", got, tc.want)
		}
	}
}

// A value added to the run's set after the client was built is hidden from
// the messages MapError builds, and so is each SECRET_HASH the client
// computed (a flow computes it over the internal username).
func TestMapErrorHidesTheSharedSet(t *testing.T) {
	set := redact.NewSet()
	hash := SecretHash("cid", "client-secret-value", "internal-user-id")
	f := newFakeIDP(t, func(int, fakeCall) fakeReply {
		return apiError(400, "NotAuthorizedException", "late-secret-value and "+hash)
	})
	c, err := NewUnsigned(Config{Region: "us-east-1", EndpointURL: f.srv.URL, Secrets: set}, fastRetries)
	if err != nil {
		t.Fatal(err)
	}
	set.Add("late-secret-value")
	params := map[string]string{}
	c.AddSecretHash(params, "cid", "client-secret-value", "internal-user-id")
	if params["SECRET_HASH"] != hash {
		t.Fatalf("SECRET_HASH = %q, want %q", params["SECRET_HASH"], hash)
	}
	msg := wantCode(t, signIn(testCtx(t), c, ""), exit.Auth).Error()
	if strings.Contains(msg, "late-secret-value") || strings.Contains(msg, hash) || !strings.Contains(msg, redact.Marker) {
		t.Errorf("message not redacted: %q", msg)
	}
}

// An app client secret that a reply carries (DescribeUserPoolClient, as
// config init and doctor read it) is in the run's set as soon as the call
// returns: a later error, trace or output of the run hides it.
func TestReceivedClientSecretIsRegistered(t *testing.T) {
	isolateAWSEnv(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDTEST")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test-secret-access-key")
	const secret = "received-client-secret-1234"
	f := newFakeIDP(t, func(_ int, c fakeCall) fakeReply {
		if c.Op == "DescribeUserPoolClient" {
			return fakeReply{body: map[string]any{"UserPoolClient": map[string]any{"ClientId": "cid", "ClientSecret": secret}}}
		}
		return apiError(400, "NotAuthorizedException", "the server quotes "+secret)
	})
	set := redact.NewSet()
	c, err := NewAdmin(testCtx(t), Config{Region: "us-east-1", EndpointURL: f.srv.URL, Secrets: set})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(set.Values(), secret) {
		t.Fatal("the secret is in the set before any call")
	}
	out, err := c.API.DescribeUserPoolClient(testCtx(t), &cip.DescribeUserPoolClientInput{UserPoolId: aws.String("us-east-1_X"), ClientId: aws.String("cid")})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(out.UserPoolClient.ClientSecret); got != secret {
		t.Fatalf("ClientSecret = %q: the caller must still get it", got)
	}
	if !slices.Contains(set.Values(), secret) {
		t.Fatalf("the received client secret is not in the run's set: %q", set.Values())
	}
	_, err = c.API.DescribeUserPool(testCtx(t), &cip.DescribeUserPoolInput{UserPoolId: aws.String("us-east-1_X")})
	if msg := c.MapError("DescribeUserPool", err).Error(); strings.Contains(msg, secret) {
		t.Errorf("message not redacted: %q", msg)
	}
}
