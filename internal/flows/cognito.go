// Package flows owns token acquisition against a Cognito user pool: the
// InitiateAuth flows (USER_PASSWORD_AUTH, USER_SRP_AUTH, REFRESH_TOKEN_AUTH),
// the challenges that follow them, RevokeToken and SECRET_HASH.
//
// It knows nothing of flags, terminals or os.Stdout: input that a challenge
// needs comes through an Answerer, and every failure is an *exit.Error
// carrying the exit code of the design's table. It never puts a password,
// secret or whole token in an error message.
package flows

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/httpx"
	"github.com/cogtool/cogtool/internal/redact"
)

// Tokens is what every flow returns.
type Tokens struct {
	AccessToken  string `json:"access_token,omitempty"`
	IDToken      string `json:"id_token,omitempty"`
	RefreshToken string `json:"refresh_token,omitempty"`
	TokenType    string `json:"token_type,omitempty"`
	// ExpiresIn is the access token's lifetime in seconds as the server gave
	// it, or derived from the access token's exp claim when the server left
	// it out; 0 if unknown.
	ExpiresIn int32 `json:"expires_in,omitempty"`
	// ExpiresAt is when the access token expires; zero if unknown.
	ExpiresAt time.Time `json:"expires_at,omitzero"`
	// Username is the name Cognito knows the user by (the access token's
	// username claim, else USER_ID_FOR_SRP, else the name given). Refresh
	// needs it for SECRET_HASH when the pool signs users in by an alias.
	Username string `json:"username,omitempty"`
}

// Client runs the user-pool flows through the AWS SDK. The calls it makes
// (InitiateAuth, RespondToAuthChallenge, RevokeToken) are unsigned, so it
// needs no AWS credentials.
type Client struct {
	api      *cip.Client
	region   string
	endpoint string // as given, "" for the SDK's regional endpoint
	err      error  // a bad endpoint URL, reported by every call
	now      func() time.Time
	randA    func() (*big.Int, error) // SRP's private value; replaced in tests
}

// NewClient builds a client for region and, when endpointURL is not empty,
// that endpoint (an emulator, a VPC endpoint). hc carries every request; nil
// means the SDK's default. The SDK's standard retryer bounds retries.
//
// A plain-http endpoint that is not loopback is refused (passwords travel in
// these calls): every method then returns an *exit.Error with code 2.
func NewClient(region, endpointURL string, hc *http.Client) *Client {
	return newClient(region, endpointURL, hc)
}

func newClient(region, endpointURL string, hc *http.Client, optFns ...func(*cip.Options)) *Client {
	c := &Client{region: region, endpoint: endpointURL, now: time.Now, randA: randomA}
	opts := cip.Options{
		Region:      region,
		Credentials: aws.AnonymousCredentials{},
		Retryer:     NewRetryer(),
	}
	if hc != nil {
		opts.HTTPClient = hc
	}
	if endpointURL != "" {
		if _, err := httpx.CheckURL("endpoint URL", endpointURL); err != nil {
			c.err = err
		}
		opts.BaseEndpoint = aws.String(endpointURL)
	}
	c.api = cip.New(opts, optFns...)
	return c
}

// NewRetryer is the SDK's standard retryer (3 attempts with jittered
// backoff, on 5xx, throttling and connection errors) except that an
// attempt that outlasted --timeout is not tried again: --timeout bounds a
// call to the user-pool API as it bounds one to the token or JWKS endpoint.
func NewRetryer(optFns ...func(*retry.StandardOptions)) aws.Retryer {
	notOnTimeout := retry.IsErrorRetryableFunc(func(err error) aws.Ternary {
		var te *httpx.TimeoutError
		if errors.As(err, &te) {
			return aws.FalseTernary
		}
		return aws.UnknownTernary
	})
	return retry.NewStandard(append([]func(*retry.StandardOptions){func(o *retry.StandardOptions) {
		o.Retryables = append([]retry.IsErrorRetryable{notOnTimeout}, o.Retryables...)
	}}, optFns...)...)
}

// API returns the SDK client underneath, for calls this package does not wrap.
func (c *Client) API() *cip.Client { return c.api }

// callOpts returns per-call SDK options: the region derived from the pool id
// (ap-south-1_p7GD1CkXO) when the client was built without one.
func (c *Client) callOpts(poolID string) ([]func(*cip.Options), error) {
	if c.err != nil {
		return nil, c.err
	}
	if c.region != "" {
		return nil, nil
	}
	if r, _, ok := strings.Cut(poolID, "_"); ok && r != "" {
		return []func(*cip.Options){func(o *cip.Options) { o.Region = r }}, nil
	}
	return nil, exit.Usagef("region is not set: give a region or a user pool id like us-east-1_AbCdEf123")
}

// tokens builds Tokens from an AuthenticationResult. username is the best
// name known so far; the access token's username claim wins over it.
func (c *Client) tokens(op string, r *types.AuthenticationResultType, username string) (*Tokens, error) {
	if r == nil || aws.ToString(r.AccessToken) == "" {
		return nil, exit.Networkf("%s: malformed reply: no access token in the authentication result", op)
	}
	t := &Tokens{
		AccessToken:  aws.ToString(r.AccessToken),
		IDToken:      aws.ToString(r.IdToken),
		RefreshToken: aws.ToString(r.RefreshToken),
		TokenType:    aws.ToString(r.TokenType),
		ExpiresIn:    r.ExpiresIn,
		Username:     username,
	}
	now := c.now()
	claims := peekClaims(t.AccessToken)
	if claims.Username != "" {
		t.Username = claims.Username
	}
	switch {
	case t.ExpiresIn > 0:
		t.ExpiresAt = now.Add(time.Duration(t.ExpiresIn) * time.Second)
	case claims.Exp > 0:
		t.ExpiresAt = time.Unix(claims.Exp, 0)
		if d := t.ExpiresAt.Sub(now).Round(time.Second); d > 0 {
			t.ExpiresIn = int32(d / time.Second)
		}
	}
	return t, nil
}

type tokenClaims struct {
	Exp      int64
	Username string
}

// peekClaims reads exp and username from a JWT's payload without verifying
// it: they only label what Cognito just handed over. Anything unreadable
// yields zero values.
func peekClaims(token string) tokenClaims {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return tokenClaims{}
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return tokenClaims{}
	}
	var c struct {
		Exp      json.Number `json:"exp"`
		Username string      `json:"username"`
	}
	if json.Unmarshal(raw, &c) != nil {
		return tokenClaims{}
	}
	var out tokenClaims
	if f, err := c.Exp.Float64(); err == nil && f > 0 {
		out.Exp = int64(f)
	}
	out.Username = c.Username
	return out
}

// throttleCodes are refusals to be retried later, not credential refusals.
var throttleCodes = map[string]bool{
	"ThrottlingException":         true,
	"Throttling":                  true,
	"TooManyRequestsException":    true,
	"LimitExceededException":      true,
	"RequestLimitExceeded":        true,
	"InternalErrorException":      true,
	"InternalFailure":             true,
	"ServiceUnavailable":          true,
	"ServiceUnavailableException": true,
}

// MapAWSError turns an error from an AWS SDK call into an *exit.Error:
//
//   - an API error the service sent (NotAuthorizedException, UserNotFoundException,
//     InvalidParameterException, ...) is a refusal: code 4, AWSError set;
//   - throttling, 5xx, an unreadable reply, a network failure or a timeout
//     after the retries: code 5, naming the endpoint;
//   - no usable AWS credentials (signed admin calls): code 2;
//   - a cancelled context: code 130.
//
// op names the call in the message ("initiate auth", "admin get user").
// An error that already carries an exit code is returned unchanged.
//
// The service's message is passed through redact.String, which hides
// anything token-shaped; secrets lists further values to hide (an emulator
// may echo the SECRET_HASH it refused).
func MapAWSError(op string, err error, secrets ...string) error {
	return mapAWSError(op, "", err, secrets)
}

// mapError is MapAWSError naming c's endpoint when the error itself does not.
func (c *Client) mapError(op string, err error, secrets ...string) error {
	where := c.endpoint
	if where == "" && c.region != "" {
		where = "https://cognito-idp." + c.region + ".amazonaws.com"
	}
	return mapAWSError(op, where, err, secrets)
}

func mapAWSError(op, fallbackEndpoint string, err error, secrets []string) error {
	if err == nil {
		return nil
	}
	var ee *exit.Error
	if errors.As(err, &ee) {
		return err
	}
	prefix := ""
	if op != "" {
		prefix = op + ": "
	}
	if errors.Is(err, context.Canceled) {
		return &exit.Error{Code: exit.Interrupted, Err: fmt.Errorf("%sinterrupted: %w", prefix, context.Canceled)}
	}
	if isCredentialsError(err) {
		return &exit.Error{Code: exit.Usage, Err: fmt.Errorf(
			"%sno usable AWS credentials (set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY): %w",
			prefix, innermost(err))}
	}
	endpoint := endpointOf(err)
	if endpoint == "" {
		endpoint = fallbackEndpoint
	}
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) && apiErr.ErrorCode() != "" && apiErr.ErrorCode() != "UnknownError" {
		code := apiErr.ErrorCode()
		msg := code
		if m := strings.TrimSpace(apiErr.ErrorMessage()); m != "" {
			msg = code + ": " + redact.String(oneLine(m), secrets...)
		}
		status := statusOf(err)
		if throttleCodes[code] || status >= 500 || apiErr.ErrorFault() == smithy.FaultServer {
			return &exit.Error{Code: exit.Network, AWSError: code, Err: fmt.Errorf("%s%s%s", prefix, msg, detail(endpoint, err))}
		}
		return &exit.Error{Code: exit.Auth, AWSError: code, Err: fmt.Errorf("%s%s", prefix, msg)}
	}
	where := "the service"
	if endpoint != "" {
		where = endpoint
	}
	var deser *smithy.DeserializationError
	if errors.As(err, &deser) || apiErr != nil {
		st := statusOf(err)
		switch {
		case st >= 500:
			return &exit.Error{Code: exit.Network, Err: fmt.Errorf("%sservice failure: %s answered HTTP %d%s", prefix, where, st, attemptsNote(err))}
		case st == http.StatusTooManyRequests:
			return &exit.Error{Code: exit.Network, Err: fmt.Errorf("%sthrottled: %s answered HTTP 429%s", prefix, where, attemptsNote(err))}
		case errors.Is(err, io.ErrUnexpectedEOF):
			return &exit.Error{Code: exit.Network, Err: fmt.Errorf("%sthe reply from %s was cut off (HTTP %d)%s", prefix, where, st, attemptsNote(err))}
		}
		if st != 0 {
			where = fmt.Sprintf("%s (HTTP %d)", where, st)
		}
		return &exit.Error{Code: exit.Network, Err: fmt.Errorf(
			"%smalformed reply from %s; is the endpoint URL a Cognito user-pool API?", prefix, where)}
	}
	var te *httpx.TimeoutError
	if errors.As(err, &te) {
		return &exit.Error{Code: exit.Network, Err: fmt.Errorf("%s%s: %w", prefix, where, te)}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return &exit.Error{Code: exit.Network, Err: fmt.Errorf("%stimed out waiting for %s%s: %w", prefix, where, attemptsNote(err), context.DeadlineExceeded)}
	}
	if isTimeout(err) {
		return &exit.Error{Code: exit.Network, Err: fmt.Errorf("%stimed out waiting for %s%s: %w", prefix, where, attemptsNote(err), innermost(err))}
	}
	var sendErr *smithyhttp.RequestSendError
	if errors.As(err, &sendErr) {
		return &exit.Error{Code: exit.Network, Err: fmt.Errorf("%scannot reach %s%s: %w", prefix, where, attemptsNote(err), httpx.Reasoned(innermost(err)))}
	}
	var opErr *smithy.OperationError
	if errors.As(err, &opErr) {
		// A failure before anything was sent (bad region, endpoint resolution).
		return &exit.Error{Code: exit.Usage, Err: fmt.Errorf("%s%w", prefix, opErr.Err)}
	}
	return &exit.Error{Code: exit.Network, Err: fmt.Errorf("%s%w", prefix, err)}
}

// innermost drops the SDK's wrapping ("operation error ...: exceeded maximum
// number of attempts, 3, https response error ...") down to the cause a user
// can act on, keeping any net/url detail.
func innermost(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	var sendErr *smithyhttp.RequestSendError
	if errors.As(err, &sendErr) && sendErr.Err != nil {
		return sendErr.Err
	}
	var opErr *smithy.OperationError
	if errors.As(err, &opErr) && opErr.Err != nil {
		err = opErr.Err
	}
	var maxErr *retry.MaxAttemptsError
	if errors.As(err, &maxErr) && maxErr.Err != nil {
		err = maxErr.Err
	}
	return err
}

// detail is " (endpoint, after N attempts)", or what part of it is known.
func detail(endpoint string, err error) string {
	var parts []string
	if endpoint != "" {
		parts = append(parts, endpoint)
	}
	var maxErr *retry.MaxAttemptsError
	if errors.As(err, &maxErr) {
		parts = append(parts, fmt.Sprintf("after %d attempts", maxErr.Attempt))
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

func attemptsNote(err error) string {
	var maxErr *retry.MaxAttemptsError
	if errors.As(err, &maxErr) {
		return fmt.Sprintf(" (after %d attempts)", maxErr.Attempt)
	}
	return ""
}

func statusOf(err error) int {
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) && re.Response != nil {
		return re.HTTPStatusCode()
	}
	return 0
}

// endpointOf names the URL a failed request went to, without its query.
func endpointOf(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil {
			u.RawQuery, u.Fragment, u.User = "", "", nil
			return u.String()
		}
	}
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) && re.Response != nil && re.Response.Response != nil && re.Response.Request != nil {
		u := *re.Response.Request.URL
		u.RawQuery, u.Fragment, u.User = "", "", nil
		return u.String()
	}
	return ""
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func isCredentialsError(err error) bool {
	var se *v4.SigningError
	if errors.As(err, &se) {
		return true
	}
	msg := err.Error()
	for _, s := range []string{
		"get identity:",
		"failed to retrieve credentials",
		"failed to refresh cached credentials",
		"no EC2 IMDS role found",
		"AnonymousCredentials is not a valid credential provider",
	} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
