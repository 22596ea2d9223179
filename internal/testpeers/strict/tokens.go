package strict

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"time"
)

type signer struct {
	key *rsa.PrivateKey
	kid string
}

func newSigner(key *rsa.PrivateKey) *signer {
	// Cognito's kids are base64 strings; a hash of the key keeps them stable
	// for a given key.
	sum := sha256.Sum256(key.PublicKey.N.Bytes())
	return &signer{key: key, kid: base64.StdEncoding.EncodeToString(sum[:])}
}

// sign makes a compact RS256 JWS of claims. Cognito signs its ID and access
// tokens with RS256 and names the key by kid (developer guide, "Verifying
// a JSON Web Token":
// https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html).
func (s *signer) sign(claims map[string]any) string {
	header, _ := json.Marshal(map[string]string{"kid": s.kid, "alg": "RS256"})
	payload, _ := json.Marshal(claims)
	input := b64(header) + "." + b64(payload)
	digest := sha256.Sum256([]byte(input))
	sig, err := rsa.SignPKCS1v15(rand.Reader, s.key, crypto.SHA256, digest[:])
	if err != nil {
		panic("strict fake: sign: " + err.Error())
	}
	return input + "." + b64(sig)
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// serveJWKS answers GET /{pool}/.well-known/jwks.json, where Cognito
// publishes each pool's signing keys (same page as sign).
func (s *Server) serveJWKS(w http.ResponseWriter, poolID string) {
	s.mu.Lock()
	_, ok := s.pools[poolID]
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, nil)
		return
	}
	pub := s.signer.key.PublicKey
	body, _ := json.Marshal(map[string]any{"keys": []map[string]string{{
		"alg": "RS256", "e": b64(big.NewInt(int64(pub.E)).Bytes()), "kid": s.signer.kid,
		"kty": "RSA", "n": b64(pub.N.Bytes()), "use": "sig",
	}}})
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(body)
}

// refreshGrant is what a refresh token stands for.
type refreshGrant struct {
	client    *AppClient
	user      *user
	originJTI string
	expires   time.Time
}

// authenticationResult is AuthenticationResultType
// (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AuthenticationResultType.html).
type authenticationResult struct {
	AccessToken  string `json:"AccessToken"`
	IdToken      string `json:"IdToken"`
	RefreshToken string `json:"RefreshToken,omitempty"`
	TokenType    string `json:"TokenType"`
	ExpiresIn    int64  `json:"ExpiresIn"`
	// NewDeviceMetadata is set by pools that remember devices (challenges.go).
	NewDeviceMetadata *newDeviceMetadata `json:"NewDeviceMetadata,omitempty"`
}

// newDeviceMetadata is NewDeviceMetadataType
// (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_NewDeviceMetadataType.html).
type newDeviceMetadata struct {
	DeviceKey      string `json:"DeviceKey"`
	DeviceGroupKey string `json:"DeviceGroupKey"`
}

// issue makes the tokens of a sign-in (with a new refresh token) or of a
// refresh (grant set: the same origin_jti, no new refresh token, since
// refresh-token rotation is off). The caller holds s.mu.
func (s *Server) issue(c *AppClient, u *user, grant *refreshGrant) *authenticationResult {
	now := s.now()
	p := c.pool
	originJTI := newUUID()
	authTime := now.Unix()
	if grant != nil {
		originJTI = grant.originJTI
	}
	eventID := newUUID()
	// The access token's claims (developer guide, "Understanding the access
	// token":
	// https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-access-token.html):
	// client_id instead of aud, username = the internal username (never an
	// alias), token_use access, scope.
	access := map[string]any{
		"sub":        u.Sub,
		"iss":        p.Issuer,
		"client_id":  c.ID,
		"origin_jti": originJTI,
		"event_id":   eventID,
		"token_use":  "access",
		"scope":      "aws.cognito.signin.user.admin",
		"auth_time":  authTime,
		"exp":        now.Add(c.accessTTL).Unix(),
		"iat":        now.Unix(),
		"jti":        newUUID(),
		"username":   u.Username,
	}
	// The ID token's claims (developer guide, "Understanding the identity
	// (ID) token":
	// https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-id-token.html):
	// aud = client id, cognito:username, the user's attributes.
	id := map[string]any{
		"sub":              u.Sub,
		"iss":              p.Issuer,
		"aud":              c.ID,
		"cognito:username": u.Username,
		"origin_jti":       originJTI,
		"event_id":         eventID,
		"token_use":        "id",
		"auth_time":        authTime,
		"exp":              now.Add(c.idTTL).Unix(),
		"iat":              now.Unix(),
		"jti":              newUUID(),
	}
	if u.Email != "" {
		id["email"] = u.Email
		id["email_verified"] = true
	}
	res := &authenticationResult{
		AccessToken: s.signer.sign(access),
		IdToken:     s.signer.sign(id),
		TokenType:   "Bearer",
		ExpiresIn:   int64(c.accessTTL / time.Second),
	}
	if grant == nil {
		rt := newRefreshToken()
		s.refresh[rt] = &refreshGrant{client: c, user: u, originJTI: originJTI, expires: now.Add(c.refreshTTL)}
		res.RefreshToken = rt
	}
	return res
}

// newRefreshToken makes an opaque string shaped like Cognito's refresh
// tokens: a JWE in compact form (five base64url parts, header
// {"cty":"JWT","enc":"A256GCM","alg":"RSA-OAEP"}), encrypted with a key
// only Cognito holds (developer guide, "Refresh tokens":
// https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-refresh-token.html).
// Here the parts are random and the fake looks the token up.
func newRefreshToken() string {
	header := b64([]byte(`{"cty":"JWT","enc":"A256GCM","alg":"RSA-OAEP"}`))
	part := func(n int) string {
		b := make([]byte, n)
		_, _ = rand.Read(b)
		return b64(b)
	}
	return header + "." + part(256) + "." + part(12) + "." + part(384) + "." + part(16)
}
