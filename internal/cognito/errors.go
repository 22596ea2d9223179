package cognito

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/httpx"
	"github.com/cogtool/cogtool/internal/redact"
)

// Rule maps an error the service sent to an exit code and, optionally, a
// fix-it hint. A rule matches an API error whose code is Code (the
// namespace stripped, "NotAuthorizedException") and, when Message is set,
// whose message contains it. The first matching rule wins; API errors no
// rule matches are refusals (code 4).
type Rule struct {
	Code    string
	Message string
	Exit    int
	// Hint, when set, returns one line telling the user what to do; it is
	// appended to the message as "; hint". op is the call that failed.
	Hint func(op string) string
}

// rules are the API errors that are not credential refusals: throttling
// and service-side failures, to be retried later (code 5). Fix-it hints
// for refusals are added here, before the catch-all.
var rules = []Rule{
	{Code: "ThrottlingException", Exit: exit.Network},
	{Code: "Throttling", Exit: exit.Network},
	{Code: "TooManyRequestsException", Exit: exit.Network},
	{Code: "LimitExceededException", Exit: exit.Network},
	{Code: "RequestLimitExceeded", Exit: exit.Network},
	{Code: "InternalErrorException", Exit: exit.Network},
	{Code: "InternalFailure", Exit: exit.Network},
	{Code: "ServiceUnavailable", Exit: exit.Network},
	{Code: "ServiceUnavailableException", Exit: exit.Network},
}

// ruleFor returns the first rule matching an API error, or nil.
func ruleFor(code, message string) *Rule {
	for i := range rules {
		r := &rules[i]
		if r.Code == code && (r.Message == "" || strings.Contains(message, r.Message)) {
			return r
		}
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
	return mapAWSError(op, "", err, secrets)
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
		m := strings.TrimSpace(apiErr.ErrorMessage())
		msg := code
		if m != "" {
			msg = code + ": " + redact.String(httpx.OneLine(m), secrets...)
		}
		rule := ruleFor(code, m)
		if rule != nil && rule.Hint != nil {
			if h := rule.Hint(op); h != "" {
				msg += "; " + h
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
