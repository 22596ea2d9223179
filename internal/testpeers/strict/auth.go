package strict

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/cogtool/cogtool/internal/srp"
)

// The rules below cite the InitiateAuth and RespondToAuthChallenge API
// reference pages by section:
// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_InitiateAuth.html and
// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RespondToAuthChallenge.html.

type initiateAuthInput struct {
	AuthFlow       string            `json:"AuthFlow"`
	ClientID       string            `json:"ClientId"`
	AuthParameters map[string]string `json:"AuthParameters"`
}

func (in *initiateAuthInput) appClientID() string { return in.ClientID }

type respondInput struct {
	ClientID           string            `json:"ClientId"`
	ChallengeName      string            `json:"ChallengeName"`
	ChallengeResponses map[string]string `json:"ChallengeResponses"`
	Session            string            `json:"Session"`
}

func (in *respondInput) appClientID() string { return in.ClientID }

// authOutput is the reply of InitiateAuth and RespondToAuthChallenge:
// either a challenge (name, parameters, session) or the tokens.
type authOutput struct {
	ChallengeName        string                `json:"ChallengeName,omitempty"`
	ChallengeParameters  map[string]string     `json:"ChallengeParameters"`
	Session              string                `json:"Session,omitempty"`
	AuthenticationResult *authenticationResult `json:"AuthenticationResult,omitempty"`
	AvailableChallenges  []string              `json:"AvailableChallenges,omitempty"` // USER_AUTH (userauth.go)
}

// flowNeeds maps an InitiateAuth AuthFlow to the ExplicitAuthFlows entry
// the app client must have (InitiateAuth, AuthFlow; CreateUserPoolClient,
// ExplicitAuthFlows). REFRESH_TOKEN is the older name of
// REFRESH_TOKEN_AUTH.
var flowNeeds = map[string]string{
	"USER_PASSWORD_AUTH": AllowUserPasswordAuth,
	"USER_SRP_AUTH":      AllowUserSRPAuth,
	"REFRESH_TOKEN_AUTH": AllowRefreshTokenAuth,
	"REFRESH_TOKEN":      AllowRefreshTokenAuth,
}

func (s *Server) initiateAuth(in *initiateAuthInput, c *AppClient) (any, *apiError) {
	need, known := flowNeeds[in.AuthFlow]
	if !known {
		return nil, errInvalidParameter("1 validation error detected: Value '" + in.AuthFlow +
			"' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set: [USER_SRP_AUTH, REFRESH_TOKEN_AUTH, REFRESH_TOKEN, CUSTOM_AUTH, USER_PASSWORD_AUTH, USER_AUTH]")
	}
	// A flow the app client does not list in ExplicitAuthFlows is refused
	// with InvalidParameterException; for USER_PASSWORD_AUTH Cognito says
	// "USER_PASSWORD_AUTH flow not enabled for this client", and the fake
	// words the others the same way (CreateUserPoolClient,
	// ExplicitAuthFlows: "If you don't specify a value for
	// ExplicitAuthFlows, your user client supports ALLOW_REFRESH_TOKEN_AUTH,
	// ALLOW_USER_SRP_AUTH, and ALLOW_CUSTOM_AUTH" applies to clients created
	// without the list; the fake's clients always have one).
	if !slices.Contains(c.flows, need) {
		name := in.AuthFlow
		if name == "REFRESH_TOKEN" {
			name = "REFRESH_TOKEN_AUTH"
		}
		return nil, errInvalidParameter(name + " flow not enabled for this client")
	}
	params := in.AuthParameters
	switch in.AuthFlow {
	case "USER_PASSWORD_AUTH":
		return s.userPasswordAuth(c, params)
	case "USER_SRP_AUTH":
		return s.userSRPAuth(c, params)
	case "USER_AUTH":
		return s.userAuth(c, params)
	case "CUSTOM_AUTH":
		return s.customAuth(c, params)
	default:
		return s.refreshTokenAuth(c, params)
	}
}

// checkSecretHash applies the SECRET_HASH rule: an app client with a
// secret needs SECRET_HASH = base64(HMAC-SHA256(secret, username ‖ client
// id)) on every call ("Computing secret hash values":
// https://docs.aws.amazon.com/cognito/latest/developerguide/signing-up-users-in-your-app.html#cognito-user-pools-computing-secret-hash;
// InitiateAuth, AuthParameters: "Add a SECRET_HASH parameter if your app
// client has a client secret"; ChallengeResponseType: "You must provide a
// SECRET_HASH parameter in all challenge responses to an app client that
// has a client secret"). username is the name that step is about: the
// USERNAME sent on sign-in, the internal username on refresh and in
// challenge responses.
func checkSecretHash(c *AppClient, username, got string) *apiError {
	if c.Secret == "" {
		return nil
	}
	if got == "" {
		return errSecretMissing(c.ID)
	}
	mac := hmac.New(sha256.New, []byte(c.Secret))
	mac.Write([]byte(username + c.ID))
	want := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	if !hmac.Equal([]byte(want), []byte(got)) {
		return errSecretHash(c.ID)
	}
	return nil
}

// unknownUser is the answer for a name that resolves to no user: with
// PreventUserExistenceErrors ENABLED the same as a wrong password, with
// LEGACY UserNotFoundException ("Managing error responses").
func unknownUser(c *AppClient) *apiError {
	if c.preventExistence {
		return errIncorrect()
	}
	return errUserNotFound()
}

// signInUser is how a sign-in by USERNAME (the username or an alias)
// finds its user: USERNAME and the flow's other required parameters must
// be there, SECRET_HASH is over USERNAME as sent, and a name that resolves
// to no user is unknownUser.
func signInUser(c *AppClient, params map[string]string, required ...string) (*user, *apiError) {
	for _, p := range append([]string{"USERNAME"}, required...) {
		if params[p] == "" {
			return nil, missingParameter(p)
		}
	}
	name := params["USERNAME"]
	if err := checkSecretHash(c, name, params["SECRET_HASH"]); err != nil {
		return nil, err
	}
	if u := c.pool.findUser(name); u != nil {
		return u, nil
	}
	return nil, unknownUser(c)
}

// missingParameter is the answer for a required parameter not sent
// (InvalidParameterException).
func missingParameter(name string) *apiError {
	return errInvalidParameter("Missing required parameter " + name)
}

// USER_PASSWORD_AUTH: USERNAME (the username or an alias) and PASSWORD
// (InitiateAuth, AuthParameters).
func (s *Server) userPasswordAuth(c *AppClient, params map[string]string) (any, *apiError) {
	u, err := signInUser(c, params, "PASSWORD")
	if err != nil {
		return nil, err
	}
	if err := s.checkLockout(c.pool, u); err != nil {
		return nil, err
	}
	if !hmac.Equal([]byte(params["PASSWORD"]), []byte(u.password)) {
		return nil, s.failedAttempt(c.pool, u)
	}
	return s.signedIn(c, u)
}

// signedIn finishes a sign-in whose password was right: the user's state
// decides between tokens, a challenge and an error. The caller holds s.mu.
func (s *Server) signedIn(c *AppClient, u *user) (any, *apiError) {
	c.pool.succeeded(u)
	switch {
	case !u.enabled:
		// A disabled user cannot sign in (AdminDisableUser:
		// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminDisableUser.html).
		return nil, &apiError{Type: "NotAuthorizedException", Message: "User is disabled."}
	case u.status == StatusUnconfirmed:
		// InitiateAuth Errors: UserNotConfirmedException, "This exception is
		// thrown when a user isn't confirmed successfully".
		return nil, &apiError{Type: "UserNotConfirmedException", Message: "User is not confirmed."}
	case u.status == StatusResetRequired:
		// InitiateAuth Errors: PasswordResetRequiredException, "This
		// exception is thrown when a password reset is required".
		return nil, &apiError{Type: "PasswordResetRequiredException", Message: "Password reset required for the user"}
	case u.status == StatusForceChangePassword:
		// A user created by an administrator with a temporary password meets
		// NEW_PASSWORD_REQUIRED first (InitiateAuth, ChallengeName).
		key := newSessionKey()
		s.sessions.put(key, &session{challenge: "NEW_PASSWORD_REQUIRED", client: c, user: u, expires: s.now().Add(SessionTTL)})
		return &authOutput{
			ChallengeName: "NEW_PASSWORD_REQUIRED",
			ChallengeParameters: map[string]string{
				"USER_ID_FOR_SRP":    u.Username,
				"requiredAttributes": s.requiredAttributesJSON(c.pool, u),
				"userAttributes":     userAttributesJSON(u),
			},
			Session: key,
		}, nil
	}
	return s.afterPassword(c, u) // MFA (challenges.go)
}

// USER_SRP_AUTH: USERNAME and SRP_A (InitiateAuth, AuthParameters). The
// reply is the PASSWORD_VERIFIER challenge with SALT, SRP_B, SECRET_BLOCK,
// and the internal username in USERNAME and USER_ID_FOR_SRP ("In SRP
// challenges, Amazon Cognito returns the username attribute in
// USER_ID_FOR_SRP instead of any email address ... alias";
// InitiateAuth, ChallengeParameters).
func (s *Server) userSRPAuth(c *AppClient, params map[string]string) (any, *apiError) {
	name := params["USERNAME"]
	if name == "" {
		return nil, missingParameter("USERNAME")
	}
	A, ok := new(big.Int).SetString(params["SRP_A"], 16)
	if !ok || params["SRP_A"] == "" {
		return nil, missingParameter("SRP_A")
	}
	// The host must abort when A mod N is 0 (RFC 5054 §2.5.4).
	if new(big.Int).Mod(A, srp.N).Sign() == 0 {
		return nil, errInvalidParameter("SRP_A is invalid")
	}
	if err := checkSecretHash(c, name, params["SECRET_HASH"]); err != nil {
		return nil, err
	}
	u := c.pool.findUser(name)
	if u == nil && !c.preventExistence {
		return nil, errUserNotFound()
	}
	// With PreventUserExistenceErrors ENABLED an unknown user still gets a
	// challenge (a made-up verifier), and the answer fails like a wrong
	// password ("Managing error responses": "Amazon Cognito returns a
	// simulated response ... for USER_SRP_AUTH").
	poolName := c.pool.poolName()
	internal := name
	var v *big.Int
	salt := randomBytes(16)
	if u != nil {
		internal = u.Username
		salt = u.salt
		v = srpVerifier(poolName, u.Username, u.password, salt)
	} else {
		v = srpVerifier(poolName, name, randomString(16, alnum), salt)
	}
	b, B := srpServerB(v)
	block := randomBytes(384)
	blockB64 := base64.StdEncoding.EncodeToString(block)
	s.sessions.put(blockB64, &session{
		challenge: "PASSWORD_VERIFIER", client: c, user: u, expires: s.now().Add(SessionTTL),
		srp: &srpState{A: A, B: B, b: b, v: v, block: block},
	})
	return &authOutput{
		ChallengeName: "PASSWORD_VERIFIER",
		ChallengeParameters: map[string]string{
			"SALT":            hex.EncodeToString(salt),
			"SECRET_BLOCK":    blockB64,
			"SRP_B":           B.Text(16),
			"USERNAME":        internal,
			"USER_ID_FOR_SRP": internal,
		},
	}, nil
}

// REFRESH_TOKEN_AUTH: REFRESH_TOKEN, and SECRET_HASH over the user's
// internal username, not the alias they signed in with: the refresh token
// knows the user, and Cognito computes the hash it expects from that
// user's username ("Computing secret hash values"; the hash is the one of
// the user the token belongs to, which is why clients read the username
// claim of the access token first).
func (s *Server) refreshTokenAuth(c *AppClient, params map[string]string) (any, *apiError) {
	rt := params["REFRESH_TOKEN"]
	if rt == "" {
		return nil, missingParameter("REFRESH_TOKEN")
	}
	g := s.refresh[rt]
	// A refresh token that is unknown, expired or issued to another app
	// client is "Invalid Refresh Token" (NotAuthorizedException;
	// InitiateAuth Errors, developer guide "Refresh tokens").
	if g == nil || g.client != c || s.now().After(g.expires) {
		return nil, &apiError{Type: "NotAuthorizedException", Message: "Invalid Refresh Token"}
	}
	if err := checkSecretHash(c, g.user.Username, params["SECRET_HASH"]); err != nil {
		return nil, err
	}
	if !g.user.enabled {
		return nil, &apiError{Type: "NotAuthorizedException", Message: "User is disabled."}
	}
	return &authOutput{ChallengeParameters: map[string]string{}, AuthenticationResult: s.issue(c, g.user, g)}, nil
}

func (s *Server) respondToAuthChallenge(in *respondInput, c *AppClient) (any, *apiError) {
	r := in.ChallengeResponses
	name := r["USERNAME"]
	if name == "" {
		// Every challenge response names the user (RespondToAuthChallenge,
		// ChallengeResponses: "All of the following challenges require
		// USERNAME").
		return nil, missingParameter("USERNAME")
	}
	// SECRET_HASH in challenge responses is over USERNAME, which must be
	// the internal username (below).
	if err := checkSecretHash(c, name, r["SECRET_HASH"]); err != nil {
		return nil, err
	}
	key := in.Session
	if in.ChallengeName == "PASSWORD_VERIFIER" {
		key = r["PASSWORD_CLAIM_SECRET_BLOCK"]
	}
	sess := s.sessions.take(key, s.now())
	if sess == nil || sess.client != c || sess.challenge != in.ChallengeName {
		// An unknown, used or expired session (RespondToAuthChallenge,
		// Session: valid for AuthSessionValidity).
		return nil, &apiError{Type: "NotAuthorizedException", Message: "Invalid session for the user, session is expired."}
	}
	// "You must use the username and not an alias in the
	// ChallengeResponses of your challenge response" (InitiateAuth,
	// ChallengeParameters; RespondToAuthChallenge, ChallengeResponses).
	if sess.user == nil || name != sess.user.Username {
		return nil, errIncorrect()
	}
	switch in.ChallengeName {
	case "PASSWORD_VERIFIER":
		return s.passwordVerifier(c, sess, r)
	case "NEW_PASSWORD_REQUIRED":
		if err := s.takeRequiredAttributes(c.pool, sess.user, r); err != nil {
			return nil, err
		}
		return s.newPasswordRequired(c, sess, r)
	}
	return s.respondMore(c, sess, in.ChallengeName, r) // challenges.go
}

// PASSWORD_VERIFIER: PASSWORD_CLAIM_SIGNATURE, PASSWORD_CLAIM_SECRET_BLOCK,
// TIMESTAMP, USERNAME (RespondToAuthChallenge, ChallengeResponses). The
// signature is checked against the key the server derives from its own
// SRP state (srp.go); a wrong one counts as a failed sign-in.
func (s *Server) passwordVerifier(c *AppClient, sess *session, r map[string]string) (any, *apiError) {
	ts := r["TIMESTAMP"]
	if _, err := time.Parse(srp.TimeLayout, ts); err != nil || strings.Contains(ts, "  ") {
		return nil, errInvalidParameter("TIMESTAMP format is invalid")
	}
	u := sess.user
	if err := s.checkLockout(c.pool, u); err != nil {
		return nil, err
	}
	sig, err := base64.StdEncoding.DecodeString(r["PASSWORD_CLAIM_SIGNATURE"])
	want := srp.Signature(srpKey(sess.srp), c.pool.poolName(), u.Username, sess.srp.block, ts)
	if err != nil || !hmac.Equal(sig, want) {
		return nil, s.failedAttempt(c.pool, u)
	}
	return s.signedIn(c, u)
}

// NEW_PASSWORD_REQUIRED: NEW_PASSWORD and USERNAME (RespondToAuthChallenge,
// ChallengeResponses); the new password must satisfy the pool's policy.
func (s *Server) newPasswordRequired(c *AppClient, sess *session, r map[string]string) (any, *apiError) {
	if err := c.pool.checkPassword(r["NEW_PASSWORD"]); err != nil {
		return nil, err.(*apiError)
	}
	u := sess.user
	u.password = r["NEW_PASSWORD"]
	u.status = StatusConfirmed
	return s.signedIn(c, u)
}

// poolName is the part of the pool id after the region, which SRP hashes.
func (p *Pool) poolName() string {
	_, name, _ := strings.Cut(p.ID, "_")
	return name
}

func newSessionKey() string { return randomB64(192) }

func userAttributesJSON(u *user) string {
	if u.Email == "" {
		return "{}"
	}
	return `{"email":"` + u.Email + `","email_verified":"true"}`
}

// lockout counts a user's failed password sign-ins.
type lockout struct {
	failures int
	until    time.Time // locked while now is before until
	last     time.Time // last attempt that counted
}

// Lockout (developer guide, "Lockout behavior for failed sign-in
// attempts":
// https://docs.aws.amazon.com/cognito/latest/developerguide/authentication.html#authentication-flow-lockout-behavior):
// after five failed sign-ins with a password the user is locked out for
// one second, doubling with each further failure (2^(n-5) seconds for n
// failures) up to about 15 minutes; attempts during a lockout get
// NotAuthorizedException "Password attempts exceeded" and do not count;
// a successful sign-in after the lockout, or 15 minutes without attempts,
// starts over.
const (
	lockoutAfter = 5
	lockoutMax   = 15 * time.Minute
	lockoutReset = 15 * time.Minute
)

// checkLockout refuses an attempt during a lockout. The caller holds s.mu.
func (s *Server) checkLockout(p *Pool, u *user) *apiError {
	l := p.failedAttempts[u.Username]
	if l == nil {
		return nil
	}
	now := s.now()
	if now.Sub(l.last) >= lockoutReset {
		delete(p.failedAttempts, u.Username)
		return nil
	}
	if now.Before(l.until) {
		return &apiError{Type: "NotAuthorizedException", Message: "Password attempts exceeded"}
	}
	return nil
}

// failedAttempt counts a wrong password and answers it. The caller holds s.mu.
func (s *Server) failedAttempt(p *Pool, u *user) *apiError {
	l := p.failedAttempts[u.Username]
	if l == nil {
		l = &lockout{}
		p.failedAttempts[u.Username] = l
	}
	now := s.now()
	l.failures++
	l.last = now
	if n := l.failures; n >= lockoutAfter {
		d := time.Second << min(n-lockoutAfter, 10)
		l.until = now.Add(min(d, lockoutMax))
	}
	return errIncorrect()
}

// succeeded clears the user's failures. The caller holds s.mu.
func (p *Pool) succeeded(u *user) { delete(p.failedAttempts, u.Username) }
