package strict

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"
	"unicode"
)

// Explicit auth flows of an app client (CreateUserPoolClient,
// ExplicitAuthFlows:
// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html#CognitoUserPools-CreateUserPoolClient-request-ExplicitAuthFlows).
const (
	AllowUserPasswordAuth = "ALLOW_USER_PASSWORD_AUTH"
	AllowUserSRPAuth      = "ALLOW_USER_SRP_AUTH"
	AllowRefreshTokenAuth = "ALLOW_REFRESH_TOKEN_AUTH"
	AllowUserAuth         = "ALLOW_USER_AUTH"
	AllowCustomAuth       = "ALLOW_CUSTOM_AUTH"
)

// User statuses (UserType.UserStatus:
// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UserType.html).
const (
	StatusConfirmed           = "CONFIRMED"
	StatusUnconfirmed         = "UNCONFIRMED"
	StatusResetRequired       = "RESET_REQUIRED"
	StatusForceChangePassword = "FORCE_CHANGE_PASSWORD"
)

// PasswordPolicy is a pool's password policy (PasswordPolicyType:
// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_PasswordPolicyType.html).
type PasswordPolicy struct {
	MinimumLength    int
	RequireUppercase bool
	RequireLowercase bool
	RequireNumbers   bool
	RequireSymbols   bool
}

// DefaultPasswordPolicy is a new pool's policy in the console: 8
// characters with upper and lower case, a number and a symbol.
var DefaultPasswordPolicy = PasswordPolicy{MinimumLength: 8, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true}

// PoolConfig describes a user pool. Zero values take the defaults.
type PoolConfig struct {
	Name string // default "strict"
	// UsernameAttributes "email" makes users sign in with their email
	// address while their username is a generated UUID (UsernameAttributes:
	// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPool.html#CognitoUserPools-CreateUserPool-request-UsernameAttributes;
	// developer guide, "User pool attributes", Usernames:
	// https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-attributes.html#user-pool-settings-usernames).
	UsernameAttributes []string
	PasswordPolicy     *PasswordPolicy // default DefaultPasswordPolicy
}

// ClientConfig describes an app client. Zero values take the defaults.
type ClientConfig struct {
	Name           string // default "client"
	GenerateSecret bool
	// ExplicitAuthFlows lists the ALLOW_* flows the client permits; an
	// InitiateAuth with any other flow is refused.
	ExplicitAuthFlows []string
	// PreventUserExistenceErrors: "ENABLED" (the default for new clients)
	// answers an unknown user like a wrong password; "LEGACY" answers
	// UserNotFoundException (developer guide, "Managing error responses":
	// https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-managing-errors.html).
	PreventUserExistenceErrors string
	// Token lifetimes (defaults: access and ID 1 hour, refresh 30 days, as
	// CreateUserPoolClient's AccessTokenValidity, IdTokenValidity and
	// RefreshTokenValidity describe).
	AccessTokenValidity, IDTokenValidity, RefreshTokenValidity time.Duration
}

// UserConfig describes a user. Zero values take the defaults.
type UserConfig struct {
	// Username is the user's name in the pool. In a pool with
	// UsernameAttributes it must be empty: the fake makes a UUID, as
	// Cognito does, and the user signs in with Email.
	Username string
	Email    string
	Password string
	Status   string // default StatusConfirmed
	Disabled bool
}

// Pool is a user pool of the fake.
type Pool struct {
	ID      string // {region}_{9 characters}
	Name    string
	Issuer  string // https://issuer-cognito-idp.{region}.amazonaws.com/{ID}
	JWKSURL string // {server}/{ID}/.well-known/jwks.json

	srv            *Server
	usernameAttrs  []string
	policy         PasswordPolicy
	users          map[string]*user // by username
	failedAttempts map[string]*lockout
}

// AppClient is an app client of a pool.
type AppClient struct {
	ID     string
	Secret string // "" when the client has none

	pool             *Pool
	name             string
	flows            []string
	preventExistence bool
	accessTTL        time.Duration
	idTTL            time.Duration
	refreshTTL       time.Duration
}

// User is a user of a pool as seeded.
type User struct {
	Username string // the internal username (a UUID in an email-username pool)
	Sub      string
	Email    string
}

type user struct {
	User
	password string
	status   string
	enabled  bool
	salt     []byte // SRP salt, fixed per password like a stored verifier
	// confirmCode is the sign-up confirmation code last sent
	// (ResendConfirmationCode), "" when none was.
	confirmCode string
}

// AddPool creates a user pool.
func (s *Server) AddPool(cfg PoolConfig) (*Pool, error) {
	if cfg.Name == "" {
		cfg.Name = "strict"
	}
	for _, a := range cfg.UsernameAttributes {
		if a != "email" {
			return nil, fmt.Errorf("strict fake: username attribute %q is not supported (only email)", a)
		}
	}
	policy := DefaultPasswordPolicy
	if cfg.PasswordPolicy != nil {
		policy = *cfg.PasswordPolicy
	}
	// Pool ids are {region}_{id} (UserPoolType.Id, pattern
	// [\w-]+_[0-9a-zA-Z]+:
	// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UserPoolType.html).
	id := s.Region + "_" + randomString(9, alnum)
	p := &Pool{
		ID:   id,
		Name: cfg.Name,
		// The updated issuer format (IssuerConfigurationType UPDATED:
		// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_IssuerConfigurationType.html).
		Issuer:         "https://issuer-cognito-idp." + s.Region + ".amazonaws.com/" + id,
		JWKSURL:        s.URL + "/" + id + "/.well-known/jwks.json",
		srv:            s,
		usernameAttrs:  slices.Clone(cfg.UsernameAttributes),
		policy:         policy,
		users:          map[string]*user{},
		failedAttempts: map[string]*lockout{},
	}
	s.mu.Lock()
	s.pools[id] = p
	s.mu.Unlock()
	return p, nil
}

// AddClient creates an app client in p.
func (p *Pool) AddClient(cfg ClientConfig) (*AppClient, error) {
	for _, f := range cfg.ExplicitAuthFlows {
		switch f {
		case AllowUserPasswordAuth, AllowUserSRPAuth, AllowRefreshTokenAuth, AllowUserAuth, AllowCustomAuth:
		default:
			return nil, fmt.Errorf("strict fake: explicit auth flow %q is not one of the ALLOW_* values", f)
		}
	}
	c := &AppClient{
		// Client ids are 1-128 word characters; Cognito makes 26 lowercase
		// letters and digits (UserPoolClientType.ClientId).
		ID:         randomString(26, lowerDigits),
		pool:       p,
		name:       cfg.Name,
		flows:      slices.Clone(cfg.ExplicitAuthFlows),
		accessTTL:  orDefault(cfg.AccessTokenValidity, time.Hour),
		idTTL:      orDefault(cfg.IDTokenValidity, time.Hour),
		refreshTTL: orDefault(cfg.RefreshTokenValidity, 30*24*time.Hour),
	}
	switch cfg.PreventUserExistenceErrors {
	case "", "ENABLED":
		c.preventExistence = true
	case "LEGACY":
	default:
		return nil, fmt.Errorf("strict fake: PreventUserExistenceErrors %q is not ENABLED or LEGACY", cfg.PreventUserExistenceErrors)
	}
	if cfg.GenerateSecret {
		c.Secret = randomString(51, lowerDigits)
	}
	p.srv.mu.Lock()
	p.srv.clients[c.ID] = c
	p.srv.mu.Unlock()
	return c, nil
}

// AddUser creates a user in p. The password must satisfy the pool's
// policy (InvalidPasswordException otherwise, as AdminSetUserPassword
// answers).
func (p *Pool) AddUser(cfg UserConfig) (*User, error) {
	if err := p.checkPassword(cfg.Password); err != nil {
		return nil, err
	}
	sub := newUUID()
	name := cfg.Username
	if p.emailIsUsername() {
		// In a pool whose users sign in with their email address, the
		// username is not chosen: Cognito assigns a UUID (the same as sub)
		// and the email address is what users type.
		if name != "" {
			return nil, fmt.Errorf("strict fake: pool %s signs users in by email; leave Username empty", p.ID)
		}
		if cfg.Email == "" {
			return nil, fmt.Errorf("strict fake: pool %s needs an email for each user", p.ID)
		}
		name = sub
	} else if name == "" {
		return nil, errors.New("strict fake: Username is empty")
	}
	status := cfg.Status
	if status == "" {
		status = StatusConfirmed
	}
	salt := randomBytes(16)
	u := &user{
		User:     User{Username: name, Sub: sub, Email: cfg.Email},
		password: cfg.Password,
		status:   status,
		enabled:  !cfg.Disabled,
		salt:     salt,
	}
	p.srv.mu.Lock()
	defer p.srv.mu.Unlock()
	if _, dup := p.users[name]; dup {
		return nil, fmt.Errorf("strict fake: user %s exists", name)
	}
	if cfg.Email != "" && p.emailIsUsername() {
		for _, o := range p.users {
			if strings.EqualFold(o.Email, cfg.Email) {
				return nil, fmt.Errorf("strict fake: email %s is taken", cfg.Email)
			}
		}
	}
	p.users[name] = u
	out := u.User
	return &out, nil
}

func (p *Pool) emailIsUsername() bool { return slices.Contains(p.usernameAttrs, "email") }

// findUser resolves what a user typed: the username itself or, in a pool
// with UsernameAttributes email, the email address (case-insensitively;
// usernames and emails are not case-sensitive in new pools, UsernameConfiguration:
// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UsernameConfigurationType.html).
// The caller holds s.mu.
func (p *Pool) findUser(name string) *user {
	if u := p.users[name]; u != nil {
		return u
	}
	for _, u := range p.users {
		if strings.EqualFold(u.Username, name) {
			return u
		}
		if p.emailIsUsername() && u.Email != "" && strings.EqualFold(u.Email, name) {
			return u
		}
	}
	return nil
}

// checkPassword applies the pool's policy; the message is the one Cognito
// gives (InvalidPasswordException, "Password does not conform to policy:
// ..."; AdminSetUserPassword Errors:
// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminSetUserPassword.html#API_AdminSetUserPassword_Errors).
func (p *Pool) checkPassword(pw string) error {
	pol := p.policy
	var why string
	switch {
	case len([]rune(pw)) < pol.MinimumLength:
		why = "Password not long enough"
	case pol.RequireLowercase && !strings.ContainsFunc(pw, unicode.IsLower):
		why = "Password must have lowercase characters"
	case pol.RequireUppercase && !strings.ContainsFunc(pw, unicode.IsUpper):
		why = "Password must have uppercase characters"
	case pol.RequireNumbers && !strings.ContainsFunc(pw, unicode.IsDigit):
		why = "Password must have numeric characters"
	case pol.RequireSymbols && !strings.ContainsAny(pw, "^$*.[]{}()?-\"!@#%&/\\,><':;|_~`+= "):
		why = "Password must have symbol characters"
	default:
		return nil
	}
	return &apiError{Type: "InvalidPasswordException", Message: "Password does not conform to policy: " + why}
}

func orDefault(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}

const (
	alnum       = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	lowerDigits = "abcdefghijklmnopqrstuvwxyz0123456789"
)

func randomString(n int, alphabet string) string {
	b := make([]byte, n)
	max := big.NewInt(int64(len(alphabet)))
	for i := range b {
		v, err := rand.Int(rand.Reader, max)
		if err != nil {
			panic("strict fake: crypto/rand failed: " + err.Error())
		}
		b[i] = alphabet[v.Int64()]
	}
	return string(b)
}

func newUUID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

func newID() string { return newUUID() }

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

func randomB64(n int) string { return base64.StdEncoding.EncodeToString(randomBytes(n)) }
