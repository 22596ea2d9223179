package strict

import "slices"

// Choice-based sign-in and the refresh operation that rotation needs.
const (
	refUserAuth  = "https://docs.aws.amazon.com/cognito/latest/developerguide/authentication-flows-selection-sdk.html#authentication-flows-selection-choice"
	refGetTokens = "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetTokensFromRefreshToken.html"
)

// available lists the first factors u can choose under USER_AUTH: PASSWORD
// and PASSWORD_SRP, and the passwordless factors the pool allows and the
// user can receive (EMAIL_OTP needs an email, SMS_OTP a phone number;
// refUserAuth). The caller holds s.mu.
func (s *Server) available(p *Pool, u *user) []string {
	out := []string{"PASSWORD", "PASSWORD_SRP"}
	cfg := s.x().mfa[p]
	if cfg == nil {
		return out
	}
	for _, f := range cfg.PasswordlessFactors {
		switch {
		case f == "EMAIL_OTP" && u.Email != "":
			out = append(out, f)
		case f == "SMS_OTP" && s.x().userMFA[u].phone() != "":
			out = append(out, f)
		}
	}
	return out
}

// userAuth serves InitiateAuth USER_AUTH: USERNAME, an optional
// PREFERRED_CHALLENGE, and with it PASSWORD or SRP_A (InitiateAuth,
// AuthParameters USER_AUTH: "If you don't provide a value for
// PREFERRED_CHALLENGE, Amazon Cognito responds with the AvailableChallenges
// parameter"). A preferred challenge the user cannot use gets the choice
// too. The caller holds s.mu.
func (s *Server) userAuth(c *AppClient, params map[string]string) (any, *apiError) {
	u, err := signInUser(c, params)
	if err != nil {
		return nil, err
	}
	avail := s.available(c.pool, u)
	pref := params["PREFERRED_CHALLENGE"]
	if pref == "" || !slices.Contains(avail, pref) {
		out := s.challenge(c, u, "SELECT_CHALLENGE", nil, &sessionExt{options: avail, userAuth: true})
		out.AvailableChallenges = avail
		return out, nil
	}
	r := map[string]string{"ANSWER": pref, "PASSWORD": params["PASSWORD"], "SRP_A": params["SRP_A"], "SECRET_HASH": params["SECRET_HASH"]}
	return s.selectChallenge(c, u, &sessionExt{options: avail, userAuth: true}, r)
}

// selectChallenge answers SELECT_CHALLENGE (and a USER_AUTH preferred
// challenge): ANSWER must be one of AvailableChallenges; PASSWORD comes
// with PASSWORD, PASSWORD_SRP with SRP_A (the reply is PASSWORD_VERIFIER),
// EMAIL_OTP and SMS_OTP send a code (RespondToAuthChallenge,
// ChallengeResponses SELECT_CHALLENGE). The caller holds s.mu.
func (s *Server) selectChallenge(c *AppClient, u *user, se *sessionExt, r map[string]string) (any, *apiError) {
	ans := r["ANSWER"]
	if !slices.Contains(se.options, ans) {
		return nil, errInvalidParameter("Invalid ANSWER " + ans + ": not among the available challenges")
	}
	switch ans {
	case "PASSWORD":
		if r["PASSWORD"] == "" {
			return nil, missingParameter("PASSWORD")
		}
		if err := s.checkLockout(c.pool, u); err != nil {
			return nil, err
		}
		if r["PASSWORD"] != u.password {
			return nil, s.failedAttempt(c.pool, u)
		}
		return s.signedIn(c, u)
	case "PASSWORD_SRP":
		// The SECRET_HASH was checked over the name this step names.
		return s.userSRPAuth(c, map[string]string{"USERNAME": u.Username, "SRP_A": r["SRP_A"], "SECRET_HASH": r["SECRET_HASH"]})
	case "EMAIL_OTP", "SMS_OTP":
		return s.mfaChallenge(c, u, ans), nil
	}
	return nil, errInvalidParameter("Unsupported challenge " + ans)
}

type getTokensInput struct {
	ClientID     string `json:"ClientId"`
	ClientSecret string `json:"ClientSecret"`
	RefreshToken string `json:"RefreshToken"`
	DeviceKey    string `json:"DeviceKey"`
}

func (in *getTokensInput) appClientID() string { return in.ClientID }

// GetTokensFromRefreshToken (refGetTokens): ClientId, RefreshToken, the
// ClientSecret of a client that has one, and DeviceKey. With refresh-token
// rotation the reply carries a new refresh token and the one given is
// spent: a second use is RefreshTokenReuseException (Errors). No username
// is involved.
func (s *Server) getTokensFromRefreshToken(in *getTokensInput, c *AppClient) (any, *apiError) {
	if c.Secret != "" && in.ClientSecret != c.Secret {
		if in.ClientSecret == "" {
			return nil, errSecretMissing(c.ID)
		}
		return nil, &apiError{Type: "NotAuthorizedException", Message: "Invalid client secret for client " + c.ID}
	}
	if in.RefreshToken == "" {
		return nil, missingParameter("RefreshToken")
	}
	s.x().lastDev = in.DeviceKey
	if s.x().spent[in.RefreshToken] {
		return nil, &apiError{Type: "RefreshTokenReuseException", Message: "Refresh token has already been used."}
	}
	g := s.refresh[in.RefreshToken]
	if g == nil || g.client != c || s.now().After(g.expires) {
		return nil, &apiError{Type: "NotAuthorizedException", Message: "Invalid Refresh Token"}
	}
	if !g.user.enabled {
		return nil, &apiError{Type: "NotAuthorizedException", Message: "User is disabled."}
	}
	if s.x().rotation[c] {
		delete(s.refresh, in.RefreshToken)
		s.x().spent[in.RefreshToken] = true
		return map[string]any{"AuthenticationResult": s.issue(c, g.user, nil)}, nil
	}
	return map[string]any{"AuthenticationResult": s.issue(c, g.user, g)}, nil
}

// The pages the rules above cite by name.
var _ = []string{refUserAuth, refGetTokens}
