package strict

import (
	"crypto/rand"
	"fmt"
	"math/big"
)

// Sign-up confirmation: ResendConfirmationCode sends an unconfirmed user a
// new code and ConfirmSignUp checks it. Both are unsigned calls of an app
// client, with SECRET_HASH over the username as sent when the client has a
// secret.

func init() {
	operations["ResendConfirmationCode"] = clientCall((*Server).resendConfirmationCode)
	operations["ConfirmSignUp"] = clientCall((*Server).confirmSignUp)
}

type signUpCodeInput struct {
	ClientID         string `json:"ClientId"`
	Username         string `json:"Username"`
	SecretHash       string `json:"SecretHash"`
	ConfirmationCode string `json:"ConfirmationCode"`
}

func (in *signUpCodeInput) appClientID() string { return in.ClientID }

// signUpTarget applies the rules both calls share once the app client is
// found (clientCall): SECRET_HASH must match (NotAuthorizedException) and
// the user must exist (UserNotFoundException). The caller holds s.mu.
func signUpTarget(in *signUpCodeInput, c *AppClient) (*user, *apiError) {
	if in.Username == "" {
		return nil, errInvalidParameter("1 validation error detected: Value at 'username' failed to satisfy constraint: Member must not be null")
	}
	if err := checkSecretHash(c, in.Username, in.SecretHash); err != nil {
		return nil, err
	}
	u := c.pool.findUser(in.Username)
	if u == nil {
		return nil, errUserNotFound()
	}
	return u, nil
}

// ResendConfirmationCode (API reference:
// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ResendConfirmationCode.html):
// ClientId, Username, SecretHash; the reply's CodeDeliveryDetails names
// where the code went, masked. A confirmed user is InvalidParameterException
// "User is already confirmed." (as Cognito answers it).
func (s *Server) resendConfirmationCode(in *signUpCodeInput, c *AppClient) (any, *apiError) {
	u, apiErr := signUpTarget(in, c)
	if apiErr != nil {
		return nil, apiErr
	}
	if u.status != StatusUnconfirmed {
		return nil, errInvalidParameter("User is already confirmed.")
	}
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return nil, &apiError{Type: "InternalErrorException", Message: err.Error()}
	}
	u.confirmCode = fmt.Sprintf("%06d", n.Int64())
	return map[string]any{"CodeDeliveryDetails": map[string]string{
		"AttributeName": "email", "DeliveryMedium": "EMAIL", "Destination": maskEmail(u.Email),
	}}, nil
}

// ConfirmSignUp (API reference:
// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ConfirmSignUp.html):
// a wrong code is CodeMismatchException "Invalid verification code
// provided, please try again."; the right one confirms the user.
func (s *Server) confirmSignUp(in *signUpCodeInput, c *AppClient) (any, *apiError) {
	u, err := signUpTarget(in, c)
	if err != nil {
		return nil, err
	}
	if u.status != StatusUnconfirmed {
		return nil, &apiError{Type: "NotAuthorizedException", Message: "User cannot be confirmed. Current status is " + u.status}
	}
	if u.confirmCode == "" || in.ConfirmationCode != u.confirmCode {
		return nil, &apiError{Type: "CodeMismatchException", Message: "Invalid verification code provided, please try again."}
	}
	u.status, u.confirmCode = StatusConfirmed, ""
	return map[string]any{}, nil
}

// ConfirmationCode returns the sign-up code last sent to the user named
// (by username or email), "" when none was: what the user would read in
// the message.
func (s *Server) ConfirmationCode(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.pools {
		if u := p.findUser(name); u != nil {
			return u.confirmCode
		}
	}
	return ""
}
