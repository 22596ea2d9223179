package strict

import (
	"encoding/json"
	"net/http"
)

// apiError is an error answer of the user-pool API. Cognito's errors are
// HTTP 400 (500 for InternalErrorException) with a JSON body
// {"__type": "<Name>", "message": "<text>"} and the name repeated in the
// x-amzn-ErrorType header (Common errors:
// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/CommonErrors.html;
// each operation's Errors section lists its names).
type apiError struct {
	Status  int // 0 = 400
	Type    string
	Message string
}

func (e *apiError) Error() string { return e.Type + ": " + e.Message }

func writeError(w http.ResponseWriter, e *apiError) {
	status := e.Status
	if status == 0 {
		status = http.StatusBadRequest
	}
	body, _ := json.Marshal(map[string]string{"__type": e.Type, "message": e.Message})
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-Errortype", e.Type+":")
	w.Header().Set("X-Amzn-Requestid", newID())
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// The messages below are the ones Amazon Cognito sends; the exception
// names are those of the InitiateAuth and RespondToAuthChallenge "Errors"
// sections
// (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_InitiateAuth.html#API_InitiateAuth_Errors).

func errSerialization(msg string) *apiError {
	return &apiError{Type: "SerializationException", Message: msg}
}

func errInvalidParameter(msg string) *apiError {
	return &apiError{Type: "InvalidParameterException", Message: msg}
}

// errIncorrect is NotAuthorizedException "Incorrect username or password.":
// a wrong password, and, while the app client prevents user existence
// errors, an unknown user as well.
func errIncorrect() *apiError {
	return &apiError{Type: "NotAuthorizedException", Message: "Incorrect username or password."}
}

// errUserNotFound is what an app client with PreventUserExistenceErrors
// LEGACY answers for an unknown user.
func errUserNotFound() *apiError {
	return &apiError{Type: "UserNotFoundException", Message: "User does not exist."}
}

func errSecretHash(clientID string) *apiError {
	return &apiError{Type: "NotAuthorizedException", Message: "Unable to verify secret hash for client " + clientID}
}

func errSecretMissing(clientID string) *apiError {
	return &apiError{Type: "NotAuthorizedException", Message: "Client " + clientID + " is configured for secret but secret was not received"}
}

func errClientNotFound(clientID string) *apiError {
	return &apiError{Type: "ResourceNotFoundException", Message: "User pool client " + clientID + " does not exist."}
}

// appClient finds an app client; an unknown one is
// ResourceNotFoundException (InitiateAuth, RespondToAuthChallenge,
// GetTokensFromRefreshToken and ResendConfirmationCode Errors). The caller
// holds s.mu.
func (s *Server) appClient(id string) (*AppClient, *apiError) {
	if c := s.clients[id]; c != nil {
		return c, nil
	}
	return nil, errClientNotFound(id)
}
