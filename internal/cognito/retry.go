package cognito

import (
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"

	"github.com/cogtool/cogtool/internal/httpx"
)

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
