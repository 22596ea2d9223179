// Package strict is a fake of the Amazon Cognito user-pool API that
// enforces the rules the emulators (moto, cognito-local) let through, so
// that cogtool's tests meet them before a real pool does. It is a design
// document: every rule it enforces carries a comment naming the AWS API
// reference or developer-guide page it follows, so a reader can check the
// fake against AWS rather than against the code under test.
//
// The fake speaks the AWS JSON 1.1 protocol (POST /, X-Amz-Target:
// AWSCognitoIdentityProviderService.<Op>) on an httptest server bound to
// 127.0.0.1, issues RS256 tokens shaped like Cognito's with the updated
// issuer (https://issuer-cognito-idp.{region}.amazonaws.com/{pool}), and
// serves its keys at /{pool}/.well-known/jwks.json. Pools, app clients and
// users are seeded through Go (Server.AddPool, Pool.AddClient,
// Pool.AddUser); nothing is persisted.
//
// What it serves today: InitiateAuth with USER_PASSWORD_AUTH,
// USER_SRP_AUTH (real SRP-6a verification of PASSWORD_VERIFIER) and
// REFRESH_TOKEN_AUTH; RespondToAuthChallenge for PASSWORD_VERIFIER and
// NEW_PASSWORD_REQUIRED; AdminCreateUser, AdminSetUserPassword,
// AdminGetUser, AdminDisableUser and AdminEnableUser (admin.go).
// Challenges are kept in a session store (sessions.go) so that further
// challenges (MFA, new password, USER_AUTH) can be added as new entries of
// the challenge table in auth.go.
package strict

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

// Options configure a Server. Zero values take the defaults.
type Options struct {
	// Region is the region of the pools' ids and issuers (default us-east-1).
	Region string
	// Now is the clock for tokens, sessions and lockouts (default time.Now).
	Now func() time.Time
	// Key signs the tokens (default: a new 2048-bit RSA key).
	Key *rsa.PrivateKey
	// LegacyRefresh makes GetTokensFromRefreshToken unknown, as on an
	// endpoint that predates it, so clients fall back to REFRESH_TOKEN_AUTH.
	LegacyRefresh bool
}

// Server is a running fake. Close it when done.
type Server struct {
	// URL is the user-pool API endpoint, http://127.0.0.1:PORT.
	URL    string
	Region string

	srv    *httptest.Server
	now    func() time.Time
	signer *signer

	mu       sync.Mutex
	pools    map[string]*Pool      // by pool id
	clients  map[string]*AppClient // by client id
	sessions *sessionStore
	refresh  map[string]*refreshGrant // by refresh token
	calls    map[string]int           // by operation
	injected map[string][]*apiError   // by operation, answered first
	ext      *ext                     // the challenge rules' state (challenges.go)
	legacy   bool                     // Options.LegacyRefresh
}

// New starts a fake on a free port of 127.0.0.1.
func New(opts Options) (*Server, error) {
	if opts.Region == "" {
		opts.Region = "us-east-1"
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Key == nil {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			return nil, fmt.Errorf("strict fake: signing key: %w", err)
		}
		opts.Key = k
	}
	s := &Server{
		Region:   opts.Region,
		now:      opts.Now,
		signer:   newSigner(opts.Key),
		pools:    map[string]*Pool{},
		clients:  map[string]*AppClient{},
		sessions: newSessionStore(),
		refresh:  map[string]*refreshGrant{},
		calls:    map[string]int{},
		injected: map[string][]*apiError{},
		legacy:   opts.LegacyRefresh,
	}
	s.srv = httptest.NewServer(s)
	s.URL = s.srv.URL
	return s, nil
}

// Close stops the server. It is safe to call twice.
func (s *Server) Close() { s.srv.Close() }

// Calls returns how many requests the fake answered for op (for example
// "InitiateAuth"), whatever their outcome.
func (s *Server) Calls(op string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[op]
}

// Inject makes the next call of op answer the error name with message
// (HTTP 400), before any rule is applied: fault injection for what the
// fake has no natural cause for, like LimitExceededException (listed in
// InitiateAuth's Errors) or ThrottlingException. Several injections for
// one op answer in order, one call each.
func (s *Server) Inject(op, name, message string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.injected[op] = append(s.injected[op], &apiError{Type: name, Message: message})
}

// Freeze stops the fake's clock where it is: sessions and lockouts then
// last as long as the test needs, whatever the machine's load (a journey
// that meets a 1-second lockout must not depend on its next command
// starting within the second). Tokens issued after Freeze carry the frozen
// times.
func (s *Server) Freeze() {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.now()
	s.now = func() time.Time { return t }
}

// targetPrefix is the X-Amz-Target prefix of the user-pool API
// (AWS JSON 1.1 protocol; see the "Making API requests" section of the
// Amazon Cognito user pools API reference:
// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/Welcome.html).
const targetPrefix = "AWSCognitoIdentityProviderService."

// operations maps an X-Amz-Target operation to its handler.
var operations = map[string]func(*Server, []byte) (any, *apiError){
	"InitiateAuth":           clientCall((*Server).initiateAuth),
	"RespondToAuthChallenge": clientCall((*Server).respondToAuthChallenge),
}

// ServeHTTP answers the JSON API at / and each pool's JWKS.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/.well-known/jwks.json") {
		s.serveJWKS(w, strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/"), "/.well-known/jwks.json"))
		return
	}
	if r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/_strict/") {
		s.serveBackdoor(w, r) // the tests' view of the user's inbox and phone (challenges.go)
		return
	}
	if r.Method != http.MethodPost || r.URL.Path != "/" {
		http.NotFound(w, r)
		return
	}
	target := r.Header.Get("X-Amz-Target")
	op, ok := strings.CutPrefix(target, targetPrefix)
	handler := operations[op]
	if !ok || handler == nil {
		// The AWS JSON protocol answers an operation the service does not
		// have with UnknownOperationException (what an SDK sees when it
		// calls an operation an endpoint predates).
		writeError(w, &apiError{Type: "UnknownOperationException", Message: "Unknown operation " + target})
		return
	}
	s.mu.Lock()
	s.calls[op]++
	var injected *apiError
	if q := s.injected[op]; len(q) > 0 {
		injected, s.injected[op] = q[0], q[1:]
	}
	s.mu.Unlock()
	if injected != nil {
		writeError(w, injected)
		return
	}
	if adminOps[op] && !strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 ") {
		writeError(w, &apiError{Type: "MissingAuthenticationTokenException", Message: "Missing Authentication Token"})
		return
	}
	// Requests are JSON 1.1 documents
	// (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/CommonParameters.html).
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/x-amz-json-1.1") {
		writeError(w, errSerialization("Content-Type must be application/x-amz-json-1.1, got "+ct))
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		writeError(w, errSerialization(err.Error()))
		return
	}
	out, apiErr := handler(s, body)
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	data, err := json.Marshal(out)
	if err != nil {
		writeError(w, &apiError{Status: http.StatusInternalServerError, Type: "InternalErrorException", Message: err.Error()})
		return
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-Requestid", newID())
	_, _ = w.Write(data)
}

// decode reads a request body into v, refusing unknown JSON shapes the
// way the service does (SerializationException).
func decode(body []byte, v any) *apiError {
	if err := json.Unmarshal(body, v); err != nil {
		return errSerialization(err.Error())
	}
	return nil
}

// call adapts a handler to the operations table: the body is decoded into
// the call's input (decode), and h runs under s.mu.
func call[T any](h func(*Server, *T) (any, *apiError)) func(*Server, []byte) (any, *apiError) {
	return func(s *Server, body []byte) (any, *apiError) {
		var in T
		if err := decode(body, &in); err != nil {
			return nil, err
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		return h(s, &in)
	}
}

// clientInput is the input of a call an app client makes (ClientId).
type clientInput interface{ appClientID() string }

// clientCall is call for the unsigned calls of an app client: the client
// the input names must exist (appClient).
func clientCall[T any, P interface {
	*T
	clientInput
}](h func(*Server, P, *AppClient) (any, *apiError)) func(*Server, []byte) (any, *apiError) {
	return call(func(s *Server, in *T) (any, *apiError) {
		c, err := s.appClient(P(in).appClientID())
		if err != nil {
			return nil, err
		}
		return h(s, in, c)
	})
}
