package strict

// The challenge rules: MFA (SMS_MFA, EMAIL_OTP, SOFTWARE_TOKEN_MFA,
// SELECT_MFA_TYPE, MFA_SETUP with AssociateSoftwareToken and
// VerifySoftwareToken), NEW_PASSWORD_REQUIRED's required attributes,
// CUSTOM_AUTH, and the one-time codes tests read through a backdoor.

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// More API reference pages the rules cite.
const (
	refAssociate     = "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AssociateSoftwareToken.html"
	refVerify        = "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_VerifySoftwareToken.html"
	refMfaConfig     = "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SetUserPoolMfaConfig.html"
	refChallengeResp = "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RespondToAuthChallenge.html#CognitoUserPools-RespondToAuthChallenge-request-ChallengeResponses"
	refCustomAuth    = "https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-challenge.html"
)

// MFAConfig is a pool's MFA configuration (SetUserPoolMfaConfig,
// MfaConfiguration OFF | ON | OPTIONAL, and which factors are on: SMS,
// software token, email; refMfaConfig).
type MFAConfig struct {
	Mode                string // OFF, ON (required) or OPTIONAL
	SMS, TOTP, Email    bool
	PasswordlessFactors []string // SignInPolicy AllowedFirstAuthFactors besides PASSWORD: EMAIL_OTP, SMS_OTP
}

// UserMFA is one user's MFA settings (AdminSetUserMFAPreference: which
// factors are enabled and which is preferred) and contact details.
type UserMFA struct {
	SMS, TOTP, Email bool
	Preferred        string // SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP or ""
	Phone            string // phone_number, for SMS
	TOTPSecret       string // base32, as AssociateSoftwareToken gave it
}

// CustomQuestion and CustomAnswer are what the fake's stand-in for a
// pool's Define/Create/Verify Auth Challenge Lambda triggers asks and
// accepts (refCustomAuth: CUSTOM_CHALLENGE carries the public challenge
// parameters the Create trigger sets; the Verify trigger checks ANSWER).
const (
	CustomQuestion = "What is six times seven?"
	CustomAnswer   = "42"
)

// ext is the state of the rules in this file and userauth.go.
type ext struct {
	mfa      map[*Pool]*MFAConfig
	required map[*Pool][]string
	userMFA  map[*user]*UserMFA
	attrs    map[*user]map[string]string
	codes    map[*user]string // the last one-time code sent, for tests
	sess     map[*session]*sessionExt
	rotation map[*AppClient]bool
	spent    map[string]bool // refresh tokens rotated away
	devices  map[*Pool]bool
	lastDev  string // the DeviceKey of the last refresh, for tests
}

// sessionExt is the extra state of a pending challenge.
type sessionExt struct {
	options  []string // SELECT_MFA_TYPE's MFAS_CAN_CHOOSE, SELECT_CHALLENGE's AvailableChallenges
	code     string   // SMS_MFA, EMAIL_OTP, SMS_OTP
	secret   string   // MFA_SETUP: the secret AssociateSoftwareToken gave
	verified bool     // MFA_SETUP: VerifySoftwareToken accepted a code
	userAuth bool     // the sign-in started with USER_AUTH
}

// x returns the rules' state. The caller holds s.mu.
func (s *Server) x() *ext {
	if s.ext == nil {
		s.ext = &ext{
			mfa: map[*Pool]*MFAConfig{}, required: map[*Pool][]string{}, userMFA: map[*user]*UserMFA{},
			attrs: map[*user]map[string]string{}, codes: map[*user]string{}, sess: map[*session]*sessionExt{},
			rotation: map[*AppClient]bool{}, spent: map[string]bool{}, devices: map[*Pool]bool{},
		}
	}
	return s.ext
}

func init() {
	operations["AssociateSoftwareToken"] = call((*Server).associateSoftwareToken)
	operations["VerifySoftwareToken"] = call((*Server).verifySoftwareToken)
	getTokens := clientCall((*Server).getTokensFromRefreshToken)
	operations["GetTokensFromRefreshToken"] = func(s *Server, body []byte) (any, *apiError) {
		if s.legacy { // a server from before the operation (WithLegacy)
			return nil, &apiError{Type: "UnknownOperationException", Message: "Unknown operation " + targetPrefix + "GetTokensFromRefreshToken"}
		}
		return getTokens(s, body)
	}
	flowNeeds["USER_AUTH"] = AllowUserAuth
	flowNeeds["CUSTOM_AUTH"] = AllowCustomAuth
}

// SetMFA sets p's MFA configuration.
func (p *Pool) SetMFA(cfg MFAConfig) {
	p.srv.mu.Lock()
	defer p.srv.mu.Unlock()
	c := cfg
	p.srv.x().mfa[p] = &c
}

// SetRequiredAttributes makes attributes required in p's schema: a user
// without them meets NEW_PASSWORD_REQUIRED's requiredAttributes.
func (p *Pool) SetRequiredAttributes(names ...string) {
	p.srv.mu.Lock()
	defer p.srv.mu.Unlock()
	p.srv.x().required[p] = slices.Clone(names)
}

// SetRememberDevices makes p issue NewDeviceMetadata on sign-in (device
// tracking, "Working with user devices in your user pool").
func (p *Pool) SetRememberDevices(on bool) {
	p.srv.mu.Lock()
	defer p.srv.mu.Unlock()
	p.srv.x().devices[p] = on
}

// SetUserMFA sets a user's MFA settings.
func (p *Pool) SetUserMFA(username string, m UserMFA) error {
	p.srv.mu.Lock()
	defer p.srv.mu.Unlock()
	u := p.users[username]
	if u == nil {
		return fmt.Errorf("strict fake: no user %s", username)
	}
	c := m
	p.srv.x().userMFA[u] = &c
	return nil
}

// SetRefreshRotation turns refresh-token rotation on for c: each
// GetTokensFromRefreshToken returns a new refresh token and spends the old
// one (CreateUserPoolClient, RefreshTokenRotation).
func (c *AppClient) SetRefreshRotation(on bool) {
	c.pool.srv.mu.Lock()
	defer c.pool.srv.mu.Unlock()
	c.pool.srv.x().rotation[c] = on
}

// LastCode is the last one-time code the fake "sent" to the user named
// name (username or email): the tests' backdoor to the user's phone or
// inbox. "" when none was sent.
func (s *Server) LastCode(p *Pool, name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := p.findUser(name)
	if u == nil {
		return ""
	}
	return s.x().codes[u]
}

// LastDeviceKey is the DeviceKey the last GetTokensFromRefreshToken sent.
func (s *Server) LastDeviceKey() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.x().lastDev
}

// serveBackdoor is the HTTP backdoor for scripts: GET
// /_strict/code?pool=ID&user=NAME answers LastCode as text, GET
// /_strict/last-device-key LastDeviceKey. It is no part of Cognito's API.
func (s *Server) serveBackdoor(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/_strict/last-device-key" {
		if k := s.LastDeviceKey(); k != "" {
			_, _ = fmt.Fprintln(w, k)
			return
		}
		http.Error(w, "no device key sent", http.StatusNotFound)
		return
	}
	if r.URL.Path != "/_strict/code" {
		http.NotFound(w, r)
		return
	}
	s.mu.Lock()
	p := s.pools[r.URL.Query().Get("pool")]
	s.mu.Unlock()
	if p == nil {
		http.Error(w, "no such pool", http.StatusNotFound)
		return
	}
	code := s.LastCode(p, r.URL.Query().Get("user"))
	if code == "" {
		http.Error(w, "no code sent", http.StatusNotFound)
		return
	}
	_, _ = fmt.Fprintln(w, code)
}

// challenge stores a pending challenge and answers it. The caller holds s.mu.
func (s *Server) challenge(c *AppClient, u *user, name string, params map[string]string, se *sessionExt) *authOutput {
	key := newSessionKey()
	sess := &session{challenge: name, client: c, user: u, expires: s.now().Add(SessionTTL)}
	s.sessions.put(key, sess)
	if se == nil {
		se = &sessionExt{}
	}
	s.x().sess[sess] = se
	if params == nil {
		params = map[string]string{}
	}
	// Challenges name the user by the internal username
	// (InitiateAuth, ChallengeParameters: USER_ID_FOR_SRP).
	params["USER_ID_FOR_SRP"] = u.Username
	params["USERNAME"] = u.Username
	return &authOutput{ChallengeName: name, ChallengeParameters: params, Session: key}
}

// sendCode makes a six-digit code and "delivers" it: kept for LastCode,
// and named in CODE_DELIVERY_DESTINATION masked as Cognito masks it.
func (s *Server) sendCode(u *user, medium string) (code string, params map[string]string) {
	n := randomString(6, "0123456789")
	s.x().codes[u] = n
	dest := maskEmail(u.Email)
	if medium == "SMS" {
		dest = maskPhone(s.x().userMFA[u].phone())
	}
	return n, map[string]string{"CODE_DELIVERY_DELIVERY_MEDIUM": medium, "CODE_DELIVERY_DESTINATION": dest}
}

func (m *UserMFA) phone() string {
	if m == nil {
		return ""
	}
	return m.Phone
}

func maskPhone(p string) string {
	if len(p) < 4 {
		return "+*******"
	}
	return "+" + strings.Repeat("*", max(len(p)-5, 1)) + p[len(p)-4:]
}

func maskEmail(e string) string {
	local, domain, ok := strings.Cut(e, "@")
	if !ok || local == "" || domain == "" {
		return "***"
	}
	return local[:1] + "***@" + domain[:1] + "***"
}

// afterPassword decides what follows a right password: an MFA challenge,
// MFA_SETUP, or the tokens (InitiateAuth, ChallengeName; developer guide
// "Adding MFA to a user pool": with MfaConfiguration ON every user must
// pass MFA, and one without a factor sets one up first; with OPTIONAL only
// users who enabled a factor are asked). The caller holds s.mu.
func (s *Server) afterPassword(c *AppClient, u *user) (any, *apiError) {
	cfg := s.x().mfa[c.pool]
	if cfg == nil || cfg.Mode == "" || cfg.Mode == "OFF" {
		return s.tokens(c, u), nil
	}
	m := s.x().userMFA[u]
	var factors []string
	if m != nil {
		if cfg.SMS && m.SMS && m.Phone != "" {
			factors = append(factors, "SMS_MFA")
		}
		if cfg.TOTP && m.TOTP && m.TOTPSecret != "" {
			factors = append(factors, "SOFTWARE_TOKEN_MFA")
		}
		if cfg.Email && m.Email && u.Email != "" {
			factors = append(factors, "EMAIL_OTP")
		}
	}
	switch {
	case len(factors) == 0 && cfg.Mode == "ON":
		// MFA_SETUP lists the types the user can set up in MFAS_CAN_SETUP
		// (RespondToAuthChallenge, ChallengeName MFA_SETUP).
		var can []string
		if cfg.TOTP {
			can = append(can, "SOFTWARE_TOKEN_MFA")
		}
		if cfg.SMS {
			can = append(can, "SMS_MFA")
		}
		if cfg.Email {
			can = append(can, "EMAIL_OTP")
		}
		b, _ := json.Marshal(can)
		return s.challenge(c, u, "MFA_SETUP", map[string]string{"MFAS_CAN_SETUP": string(b)}, nil), nil
	case len(factors) == 0:
		return s.tokens(c, u), nil
	case len(factors) == 1:
		return s.mfaChallenge(c, u, factors[0]), nil
	case m.Preferred != "" && slices.Contains(factors, m.Preferred):
		return s.mfaChallenge(c, u, m.Preferred), nil
	}
	// Several factors and no preference: SELECT_MFA_TYPE with
	// MFAS_CAN_CHOOSE, a JSON array in a string.
	b, _ := json.Marshal(factors)
	return s.challenge(c, u, "SELECT_MFA_TYPE", map[string]string{"MFAS_CAN_CHOOSE": string(b)}, &sessionExt{options: factors}), nil
}

// mfaChallenge asks for one factor, sending a code for SMS and email.
func (s *Server) mfaChallenge(c *AppClient, u *user, name string) *authOutput {
	switch name {
	case "SMS_MFA", "SMS_OTP":
		code, params := s.sendCode(u, "SMS")
		return s.challenge(c, u, name, params, &sessionExt{code: code})
	case "EMAIL_OTP":
		code, params := s.sendCode(u, "EMAIL")
		return s.challenge(c, u, name, params, &sessionExt{code: code})
	}
	return s.challenge(c, u, name, nil, nil)
}

// tokens ends a sign-in, with NewDeviceMetadata when the pool remembers
// devices. The caller holds s.mu.
func (s *Server) tokens(c *AppClient, u *user) *authOutput {
	res := s.issue(c, u, nil)
	if s.x().devices[c.pool] {
		res.NewDeviceMetadata = &newDeviceMetadata{DeviceKey: s.Region + "_" + newUUID(), DeviceGroupKey: "-" + randomString(9, alnum)}
	}
	return &authOutput{ChallengeParameters: map[string]string{}, AuthenticationResult: res}
}

// requiredAttributesJSON is NEW_PASSWORD_REQUIRED's requiredAttributes: the
// pool's required attributes the user has no value for, each prefixed
// userAttributes. (RespondToAuthChallenge, ChallengeResponses
// NEW_PASSWORD_REQUIRED: "set a value for any keys that Amazon Cognito
// returned in the requiredAttributes parameter").
func (s *Server) requiredAttributesJSON(p *Pool, u *user) string {
	missing := []string{}
	for _, a := range s.missingAttributes(p, u) {
		missing = append(missing, "userAttributes."+a)
	}
	b, _ := json.Marshal(missing)
	return string(b)
}

func (s *Server) missingAttributes(p *Pool, u *user) []string {
	var out []string
	for _, a := range s.x().required[p] {
		if a == "email" && u.Email != "" {
			continue
		}
		if s.x().attrs[u][a] == "" {
			out = append(out, a)
		}
	}
	sort.Strings(out)
	return out
}

// takeRequiredAttributes applies userAttributes.NAME answers of
// NEW_PASSWORD_REQUIRED; a required attribute still without a value is
// InvalidParameterException (refChallengeResp). The caller holds s.mu.
func (s *Server) takeRequiredAttributes(p *Pool, u *user, r map[string]string) *apiError {
	got := map[string]string{}
	for k, v := range r {
		if name, ok := strings.CutPrefix(k, "userAttributes."); ok {
			got[name] = v
		}
	}
	for _, a := range s.missingAttributes(p, u) {
		if strings.TrimSpace(got[a]) == "" {
			return errInvalidParameter("Invalid attributes given, " + a + " is missing")
		}
	}
	if s.x().attrs[u] == nil {
		s.x().attrs[u] = map[string]string{}
	}
	for k, v := range got {
		s.x().attrs[u][k] = v
	}
	return nil
}

// respondMore answers the challenges of this file and userauth.go. The
// caller holds s.mu and has checked the client, USERNAME, SECRET_HASH and
// the session.
func (s *Server) respondMore(c *AppClient, sess *session, name string, r map[string]string) (any, *apiError) {
	se := s.x().sess[sess]
	if se == nil {
		se = &sessionExt{}
	}
	u := sess.user
	switch name {
	case "SMS_MFA", "EMAIL_OTP", "SMS_OTP", "SOFTWARE_TOKEN_MFA":
		// The code goes in NAME_CODE (refChallengeResp).
		got := r[name+"_CODE"]
		if got == "" {
			return nil, missingParameter(name + "_CODE")
		}
		ok := got == se.code
		if name == "SOFTWARE_TOKEN_MFA" {
			ok = s.validTOTP(s.x().userMFA[u].secret(), got)
		}
		if !ok {
			// A wrong code is CodeMismatchException (RespondToAuthChallenge
			// Errors); the session is spent.
			return nil, &apiError{Type: "CodeMismatchException", Message: "Invalid code or auth state for the user."}
		}
		delete(s.x().codes, u)
		return s.tokens(c, u), nil
	case "SELECT_MFA_TYPE":
		// ANSWER is one of MFAS_CAN_CHOOSE (refChallengeResp, SELECT_MFA_TYPE).
		if !slices.Contains(se.options, r["ANSWER"]) {
			return nil, errInvalidParameter("Invalid ANSWER " + r["ANSWER"] + " for SELECT_MFA_TYPE")
		}
		return s.mfaChallenge(c, u, r["ANSWER"]), nil
	case "SELECT_CHALLENGE":
		return s.selectChallenge(c, u, se, r)
	case "MFA_SETUP":
		// MFA_SETUP is answered with the Session VerifySoftwareToken returned
		// (refChallengeResp, MFA_SETUP; refVerify).
		if !se.verified {
			return nil, errInvalidParameter("MFA_SETUP needs the Session of a successful VerifySoftwareToken")
		}
		m := s.x().userMFA[u]
		if m == nil {
			m = &UserMFA{}
			s.x().userMFA[u] = m
		}
		m.TOTP, m.TOTPSecret, m.Preferred = true, se.secret, "SOFTWARE_TOKEN_MFA"
		return s.tokens(c, u), nil
	case "CUSTOM_CHALLENGE":
		// The Verify Auth Challenge trigger checks ANSWER (refCustomAuth).
		if r["ANSWER"] != CustomAnswer {
			return nil, &apiError{Type: "NotAuthorizedException", Message: "Incorrect username or password."}
		}
		return s.tokens(c, u), nil
	}
	return nil, errInvalidParameter("Unsupported challenge " + name)
}

func (m *UserMFA) secret() string {
	if m == nil {
		return ""
	}
	return m.TOTPSecret
}

// validTOTP checks a six-digit TOTP code (RFC 6238, SHA-1, 30 s) with one
// step of skew either way.
func (s *Server) validTOTP(secret, code string) bool {
	if secret == "" {
		return false
	}
	ok, err := totp.ValidateCustom(code, secret, s.now(), totp.ValidateOpts{Period: 30, Skew: 1, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	return err == nil && ok
}

type associateInput struct {
	AccessToken string `json:"AccessToken"`
	Session     string `json:"Session"`
}

// AssociateSoftwareToken with the Session of an MFA_SETUP challenge
// returns a new secret and a new Session (refAssociate: "You can provide
// either an access token or a session ID"; the fake serves the session).
func (s *Server) associateSoftwareToken(in *associateInput) (any, *apiError) {
	if in.Session == "" {
		return nil, errInvalidParameter("Session is required (the fake does not serve AccessToken)")
	}
	sess := s.sessions.take(in.Session, s.now())
	if sess == nil || sess.challenge != "MFA_SETUP" {
		return nil, &apiError{Type: "NotAuthorizedException", Message: "Invalid session for the user, session is expired."}
	}
	raw := make([]byte, 20)
	_, _ = rand.Read(raw)
	secret := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(raw)
	out := s.challenge(sess.client, sess.user, "MFA_SETUP", nil, &sessionExt{secret: secret})
	return map[string]string{"SecretCode": secret, "Session": out.Session}, nil
}

type verifyInput struct {
	Session            string `json:"Session"`
	UserCode           string `json:"UserCode"`
	FriendlyDeviceName string `json:"FriendlyDeviceName"`
}

// VerifySoftwareToken checks the first code of the associated secret and
// returns Status SUCCESS with the Session MFA_SETUP is answered with; a
// wrong code is EnableSoftwareTokenMFAException (refVerify, Errors).
func (s *Server) verifySoftwareToken(in *verifyInput) (any, *apiError) {
	sess := s.sessions.take(in.Session, s.now())
	se := s.x().sess[sess]
	if sess == nil || se == nil || se.secret == "" {
		return nil, &apiError{Type: "NotAuthorizedException", Message: "Invalid session for the user, session is expired."}
	}
	if !s.validTOTP(se.secret, in.UserCode) {
		return nil, &apiError{Type: "EnableSoftwareTokenMFAException", Message: "Code mismatch and fail enable Software Token MFA"}
	}
	out := s.challenge(sess.client, sess.user, "MFA_SETUP", nil, &sessionExt{secret: se.secret, verified: true})
	return map[string]string{"Status": "SUCCESS", "Session": out.Session}, nil
}

// customAuth starts CUSTOM_AUTH: USERNAME (and SECRET_HASH over it); the
// Define Auth Challenge trigger asks one CUSTOM_CHALLENGE whose public
// parameters the Create trigger sets (refCustomAuth). The caller holds s.mu.
func (s *Server) customAuth(c *AppClient, params map[string]string) (any, *apiError) {
	u, err := signInUser(c, params)
	if err != nil {
		return nil, err
	}
	return s.challenge(c, u, "CUSTOM_CHALLENGE", map[string]string{"question": CustomQuestion}, nil), nil
}

// The pages the rules above cite by name.
var _ = []string{refAssociate, refVerify, refMfaConfig, refChallengeResp, refCustomAuth}
