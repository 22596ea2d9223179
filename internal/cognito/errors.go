package cognito

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/httpx"
	"github.com/cogtool/cogtool/internal/redact"
)

// Call says what a failed call was about, so that a fix-it hint can name
// the command, client, user and region to fix. Every field but Op may be
// empty.
type Call struct {
	Op       string // the call, as in messages ("initiate auth", "AdminSetUserPassword")
	PoolID   string
	ClientID string
	Region   string
	// Username is the name the request carried in USERNAME and in the
	// SECRET_HASH (an alias, or the internal name on refresh).
	Username string
	// Flow is InitiateAuth's AuthFlow (USER_PASSWORD_AUTH, ...), if any.
	Flow string
	// Filter is ListUsers' Filter, if any.
	Filter string
}

// Rule maps an error the service sent to an exit code and, optionally, a
// fix-it hint. A rule matches an API error whose code is Code (the
// namespace stripped, "NotAuthorizedException") and, when Message is set,
// whose message contains it, and, when Ops is set, a call among Ops. The
// first matching rule wins; API errors no rule matches are refusals (code 4).
type Rule struct {
	Code    string
	Message string
	Ops     []string
	Exit    int
	// Hint, when set, returns one line telling the user what to do; it is
	// appended to the message as "; hint".
	Hint func(c Call, message string) string
}

// passwordSetOps are the calls that set a password: there an
// InvalidPasswordException means the pool's password policy refused the
// new one (a usage error). cognito-local also sends it for a wrong
// password at sign-in, where it stays a refusal.
var passwordSetOps = []string{"AdminSetUserPassword", "AdminCreateUser", "SignUp", "ConfirmForgotPassword",
	"ChangePassword", "respond to NEW_PASSWORD_REQUIRED"}

// rules are the API errors that are not plain credential refusals, each
// with the page of the Amazon Cognito API reference that documents it
// (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/).
var rules = []Rule{
	// Common errors / InitiateAuth "Errors": throttling and service-side
	// failures, to be retried later (code 5).
	{Code: "ThrottlingException", Exit: exit.Network},
	{Code: "Throttling", Exit: exit.Network},
	{Code: "TooManyRequestsException", Exit: exit.Network},
	{Code: "RequestLimitExceeded", Exit: exit.Network},
	{Code: "InternalErrorException", Exit: exit.Network},
	{Code: "InternalFailure", Exit: exit.Network},
	{Code: "ServiceUnavailable", Exit: exit.Network},
	{Code: "ServiceUnavailableException", Exit: exit.Network},

	// InitiateAuth, LimitExceededException: "This exception is thrown when
	// a user exceeds the limit for a requested AWS resource" ("Attempt
	// limit exceeded, please try after some time."). Retrying adds
	// attempts, so the retryer never retries it (retry.go).
	{Code: "LimitExceededException", Exit: exit.Auth, Hint: func(Call, string) string {
		return "Cognito locks sign-in after repeated failures: wait (minutes, growing with each failure) before trying again, and check the password first"
	}},

	// InitiateAuth, InvalidParameterException, and the developer guide's
	// "Authentication flows": each flow must be allowed on the app client
	// (ExplicitAuthFlows: ALLOW_USER_PASSWORD_AUTH, ALLOW_USER_SRP_AUTH,
	// ALLOW_REFRESH_TOKEN_AUTH, ALLOW_CUSTOM_AUTH, ALLOW_USER_AUTH).
	{Code: "InvalidParameterException", Message: "flow not enabled for this client", Exit: exit.Auth, Hint: flowNotEnabledHint},

	// ListUsers, InvalidParameterException: "This exception is thrown when
	// the Amazon Cognito service encounters an invalid parameter". The
	// parameters a user gives ListUsers are the Filter (and AttributesToGet),
	// so a refusal is a usage error, like a filter cogtool's own check
	// refuses (code 2), naming the filter as sent.
	{Code: "InvalidParameterException", Ops: []string{"ListUsers"}, Exit: exit.Usage, Hint: func(c Call, _ string) string {
		if c.Filter == "" {
			return ""
		}
		return fmt.Sprintf("Cognito refused --filter %q", c.Filter)
	}},

	// InitiateAuth, UserNotConfirmedException: "This exception is thrown
	// when a user isn't confirmed successfully."
	{Code: "UserNotConfirmedException", Exit: exit.Auth, Hint: func(c Call, _ string) string {
		user := orPlaceholder(c.Username, "<username>")
		client := ""
		if c.ClientID != "" {
			client = " --client-id " + c.ClientID
		}
		return fmt.Sprintf("confirm the user first: cogtool user confirm %s%s --code <code from the message>, or as an admin: cogtool user confirm %s --admin",
			shellWord(user), client, shellWord(user))
	}},

	// InitiateAuth, PasswordResetRequiredException: "This exception is
	// thrown when a password reset is required."
	{Code: "PasswordResetRequiredException", Exit: exit.Auth, Hint: func(c Call, _ string) string {
		user := shellWord(orPlaceholder(c.Username, "<username>"))
		return fmt.Sprintf("the user must set a new password: cogtool user forgot-password %s, then cogtool user confirm-forgot-password %s --code <code>; or as an admin: cogtool user set-password %s",
			user, user, user)
	}},

	// ResourceNotFoundException: "This exception is thrown when the Amazon
	// Cognito service can't find the requested resource" (a pool or an
	// app client that does not exist in the region asked).
	// Only a pool or an app client ("User pool X does not exist.", "User
	// pool client X does not exist."): a missing group or user stays a
	// refusal.
	{Code: "ResourceNotFoundException", Message: "User pool", Exit: exit.Usage, Hint: func(c Call, _ string) string {
		var ids []string
		if c.PoolID != "" {
			ids = append(ids, "user pool "+c.PoolID)
		}
		if c.ClientID != "" {
			ids = append(ids, "app client "+c.ClientID)
		}
		what := "the pool or app client"
		if len(ids) > 0 {
			what = strings.Join(ids, ", ")
		}
		region := orPlaceholder(c.Region, "the region asked")
		return fmt.Sprintf("%s not found in %s: check the ids (a pool lives in the region of its id's prefix) and the account of your AWS credentials", what, region)
	}},

	// AdminSetUserPassword / SignUp / ConfirmForgotPassword / ChangePassword,
	// InvalidPasswordException: "This exception is thrown when Amazon
	// Cognito encounters an invalid password" (the pool's password policy).
	{Code: "InvalidPasswordException", Ops: passwordSetOps, Exit: exit.Usage, Hint: func(Call, string) string {
		return "choose a password that meets the pool's policy"
	}},

	// Developer guide, "Lockout behavior for failed sign-in attempts": after
	// five failures the user is locked out for a time that doubles with
	// each further failure, up to about 15 minutes, and Cognito answers
	// NotAuthorizedException "Password attempts exceeded".
	{Code: "NotAuthorizedException", Message: "Password attempts exceeded", Exit: exit.Auth, Hint: func(Call, string) string {
		return "the user is locked out after repeated wrong passwords: wait before trying again (the lockout doubles with each failure, up to about 15 minutes)"
	}},

	// InitiateAuth, NotAuthorizedException with "Unable to verify secret
	// hash for client": SECRET_HASH is Base64(HMAC_SHA256(secret, username
	// + client id)) ("Computing secret hash values", developer guide), and
	// on REFRESH_TOKEN_AUTH the username must be the internal one (the
	// access token's username claim), not an alias.
	{Code: "NotAuthorizedException", Message: "Unable to verify secret hash", Exit: exit.Auth, Hint: func(c Call, _ string) string {
		h := "check the app client secret"
		if c.Username != "" {
			h = fmt.Sprintf("the SECRET_HASH was computed over the username %q with the client secret given: check the secret", c.Username)
		}
		return h + "; on refresh Cognito wants the internal username (the username claim of the access token, often a UUID), not an email alias"
	}},
}

// flowNotEnabledHint names the ALLOW_ flag the app client lacks, and the
// command that uses a flow the client may have instead.
func flowNotEnabledHint(c Call, message string) string {
	flow := c.Flow
	if i := strings.Index(message, " flow not enabled"); i > 0 {
		flow = strings.TrimSpace(message[:i])
		if j := strings.LastIndexByte(flow, ' '); j >= 0 {
			flow = flow[j+1:]
		}
	}
	if flow == "" {
		return "enable the flow on the app client (its Authentication flows, ExplicitAuthFlows)"
	}
	client := "the app client"
	if c.ClientID != "" {
		client = "app client " + c.ClientID
	}
	h := fmt.Sprintf("enable ALLOW_%s on %s (console: App client, Authentication flows; API: ExplicitAuthFlows)", flow, client)
	switch flow {
	case "USER_PASSWORD_AUTH":
		h += ", or use cogtool token srp if ALLOW_USER_SRP_AUTH is enabled"
	case "USER_SRP_AUTH":
		h += ", or use cogtool token password if ALLOW_USER_PASSWORD_AUTH is enabled"
	case "REFRESH_TOKEN_AUTH":
		h += ", or sign in again (--no-cache)"
	}
	return h
}

func orPlaceholder(v, placeholder string) string {
	if v == "" {
		return placeholder
	}
	return v
}

// shellWord quotes v for a command line shown to the user when it holds
// anything but plain characters.
func shellWord(v string) string {
	if v == "" || strings.HasPrefix(v, "<") {
		return v
	}
	for _, r := range v {
		if !(r == '-' || r == '_' || r == '.' || r == '@' || r == '+' || r == ':' || r == '/' ||
			(r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')) {
			return "'" + strings.ReplaceAll(v, "'", `'\''`) + "'"
		}
	}
	return v
}

// ruleFor returns the first rule matching an API error, or nil.
func ruleFor(call Call, code, message string) *Rule {
	for i := range rules {
		r := &rules[i]
		if r.Code != code || (r.Message != "" && !strings.Contains(message, r.Message)) {
			continue
		}
		if len(r.Ops) > 0 && !slices.Contains(r.Ops, call.Op) {
			continue
		}
		return r
	}
	return nil
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
	return mapAWSError(Call{Op: op}, "", err, secrets)
}

func mapAWSError(call Call, fallbackEndpoint string, err error, secrets []string) error {
	op := call.Op
	if err == nil {
		return nil
	}
	prefix := ""
	if op != "" {
		prefix = op + ": "
	}
	var ee *exit.Error
	if errors.As(err, &ee) {
		if err == error(ee) {
			return err
		}
		// Refused inside the SDK (the endpoint guard): its own message,
		// without the SDK's operation and middleware prefix.
		return &exit.Error{Code: ee.Code, AWSError: ee.AWSError, Err: fmt.Errorf("%s%w", prefix, ee)}
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
		m := strings.TrimSpace(apiErr.ErrorMessage())
		msg := code
		if m != "" {
			msg = code + ": " + redact.String(redact.Line(m), secrets...)
		}
		rule := ruleFor(call, code, m)
		if rule != nil && rule.Hint != nil {
			if h := rule.Hint(call, m); h != "" {
				msg += "; " + redact.String(h, secrets...)
			}
		}
		exitCode := exit.Auth
		if rule != nil {
			exitCode = rule.Exit
		}
		if exitCode == exit.Network || statusOf(err) >= 500 || apiErr.ErrorFault() == smithy.FaultServer {
			return &exit.Error{Code: exit.Network, AWSError: code, Err: fmt.Errorf("%s%s%s", prefix, msg, detail(endpoint, err))}
		}
		return &exit.Error{Code: exitCode, AWSError: code, Err: fmt.Errorf("%s%s", prefix, msg)}
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
	if httpx.IsTimeout(err) {
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
			return httpx.Endpoint(u)
		}
	}
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) && re.Response != nil && re.Response.Response != nil && re.Response.Request != nil {
		return httpx.Endpoint(re.Response.Request.URL)
	}
	return ""
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
