package cognito

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
)

// SecretHash is the SECRET_HASH that Cognito requires from an app client
// that has a secret: base64(HMAC-SHA256(key = client secret, username + client id)).
// username must be the one Cognito knows the user by at that step (the
// USER_ID_FOR_SRP of a challenge, the internal username on refresh).
func SecretHash(clientID, clientSecret, username string) string {
	mac := hmac.New(sha256.New, []byte(clientSecret))
	mac.Write([]byte(username + clientID))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// AddSecretHash sets SECRET_HASH in params when the client has a secret.
func AddSecretHash(params map[string]string, clientID, clientSecret, username string) {
	if clientSecret != "" {
		params["SECRET_HASH"] = SecretHash(clientID, clientSecret, username)
	}
}
