package strict

import (
	"math/big"
	"time"
)

// SessionTTL is how long a challenge stays answerable: Cognito's
// authentication session lasts 3 minutes by default
// (AuthSessionValidity, 3-15 minutes:
// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html#CognitoUserPools-CreateUserPoolClient-request-AuthSessionValidity).
const SessionTTL = 3 * time.Minute

// session is a pending challenge: what the next RespondToAuthChallenge
// must answer, for whom, and through which client. New challenges add
// their own state beside srp.
type session struct {
	challenge string // ChallengeNameType
	client    *AppClient
	user      *user
	expires   time.Time
	used      bool

	srp *srpState // PASSWORD_VERIFIER
}

type srpState struct {
	A, B, b, v *big.Int
	block      []byte // the SECRET_BLOCK sent to the client
}

// sessionStore holds pending challenges by an opaque key: the Session
// string, or for PASSWORD_VERIFIER the SECRET_BLOCK (Cognito carries the
// SRP state in it). The caller holds Server.mu.
type sessionStore struct {
	byKey map[string]*session
}

func newSessionStore() *sessionStore { return &sessionStore{byKey: map[string]*session{}} }

func (st *sessionStore) put(key string, s *session) { st.byKey[key] = s }

// take returns the session stored under key if it has not expired and was
// not answered before; a session answers once.
func (st *sessionStore) take(key string, now time.Time) *session {
	s := st.byKey[key]
	if s == nil || s.used || now.After(s.expires) {
		return nil
	}
	s.used = true
	return s
}
