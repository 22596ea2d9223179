package cognito

import (
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go"

	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/httpx"
)

// NewRetryer is the SDK's standard retryer (3 attempts with jittered
// backoff, on 5xx, throttling and connection errors) except that an
// attempt that outlasted --timeout is not tried again: --timeout bounds a
// call to the user-pool API as it bounds one to the token or JWKS endpoint,
// and LimitExceededException is never retried.
func NewRetryer(optFns ...func(*retry.StandardOptions)) aws.Retryer {
	notOnTimeout := retry.IsErrorRetryableFunc(func(err error) aws.Ternary {
		if httpx.IsTimeout(err) {
			return aws.FalseTernary
		}
		// "Attempt limit exceeded" is Cognito's lockout after failed
		// sign-ins, not throttling: each retry is one more failed attempt
		// and lengthens the lockout. The SDK counts the code among its
		// throttle codes, so it is excluded here first.
		var ae smithy.APIError
		if errors.As(err, &ae) && ae.ErrorCode() == "LimitExceededException" {
			return aws.FalseTernary
		}
		// A request the endpoint guard refused is refused again.
		var xe *exit.Error
		if errors.As(err, &xe) && xe.Code == exit.Usage {
			return aws.FalseTernary
		}
		return aws.UnknownTernary
	})
	return retry.NewStandard(append([]func(*retry.StandardOptions){func(o *retry.StandardOptions) {
		o.Retryables = append([]retry.IsErrorRetryable{notOnTimeout}, o.Retryables...)
	}}, optFns...)...)
}
