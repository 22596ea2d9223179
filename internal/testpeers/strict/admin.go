package strict

import (
	"net/mail"
	"strings"
)

// The administrator operations the fake serves, enough to create and
// manage users through the API as well as through Go. Each needs a
// SigV4-signed request: Admin* operations are IAM-authorized ("Using the
// Amazon Cognito user pools API and user pool endpoints":
// https://docs.aws.amazon.com/cognito/latest/developerguide/user-pools-API-operations.html),
// and an unsigned request to them is MissingAuthenticationTokenException.
// The fake checks that a signature is there, not that it is right.
var adminOps = map[string]bool{
	"AdminCreateUser":      true,
	"AdminSetUserPassword": true,
	"AdminGetUser":         true,
	"AdminDisableUser":     true,
	"AdminEnableUser":      true,
}

func init() {
	operations["AdminCreateUser"] = (*Server).adminCreateUser
	operations["AdminSetUserPassword"] = (*Server).adminSetUserPassword
	operations["AdminGetUser"] = (*Server).adminGetUser
	operations["AdminDisableUser"] = func(s *Server, body []byte) (any, *apiError) { return s.adminSetEnabled(body, false) }
	operations["AdminEnableUser"] = func(s *Server, body []byte) (any, *apiError) { return s.adminSetEnabled(body, true) }
}

type attribute struct {
	Name  string `json:"Name"`
	Value string `json:"Value"`
}

// userType is UserType / AdminGetUser's reply
// (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UserType.html).
type userType struct {
	Username             string      `json:"Username"`
	Attributes           []attribute `json:"Attributes,omitempty"`
	UserAttributes       []attribute `json:"UserAttributes,omitempty"`
	UserStatus           string      `json:"UserStatus"`
	Enabled              bool        `json:"Enabled"`
	UserCreateDate       float64     `json:"UserCreateDate"`
	UserLastModifiedDate float64     `json:"UserLastModifiedDate"`
}

func (u *user) attributes() []attribute {
	attrs := []attribute{{"sub", u.Sub}}
	if u.Email != "" {
		attrs = append(attrs, attribute{"email", u.Email}, attribute{"email_verified", "true"})
	}
	return attrs
}

func (s *Server) userType(u *user) userType {
	now := float64(s.now().UnixMilli()) / 1000
	return userType{Username: u.Username, UserStatus: u.status, Enabled: u.enabled, UserCreateDate: now, UserLastModifiedDate: now}
}

type adminUserInput struct {
	UserPoolID        string      `json:"UserPoolId"`
	Username          string      `json:"Username"`
	UserAttributes    []attribute `json:"UserAttributes"`
	TemporaryPassword string      `json:"TemporaryPassword"`
	MessageAction     string      `json:"MessageAction"`
	Password          string      `json:"Password"`
	Permanent         bool        `json:"Permanent"`
}

// adminTarget decodes an admin request and finds its pool and, unless
// creating, its user. The caller holds s.mu on success.
func (s *Server) adminTarget(body []byte, needUser bool) (*adminUserInput, *Pool, *user, *apiError) {
	var in adminUserInput
	if err := decode(body, &in); err != nil {
		return nil, nil, nil, err
	}
	p := s.pools[in.UserPoolID]
	if p == nil {
		return nil, nil, nil, &apiError{Type: "ResourceNotFoundException", Message: "User pool " + in.UserPoolID + " does not exist."}
	}
	if !needUser {
		return &in, p, nil, nil
	}
	// Username "can be any of their alias attributes" as well as the
	// username itself (AdminGetUser, Username:
	// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminGetUser.html#CognitoUserPools-AdminGetUser-request-Username).
	u := p.findUser(in.Username)
	if u == nil {
		return nil, nil, nil, errUserNotFound()
	}
	return &in, p, u, nil
}

// AdminCreateUser: a new user in FORCE_CHANGE_PASSWORD with the temporary
// password (AdminCreateUser:
// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminCreateUser.html).
// In a pool with UsernameAttributes email, Username is the email address
// and the user's username becomes a UUID.
func (s *Server) adminCreateUser(body []byte) (any, *apiError) {
	s.mu.Lock()
	in, p, _, err := s.adminTarget(body, false)
	s.mu.Unlock()
	if err != nil {
		return nil, err
	}
	email := ""
	for _, a := range in.UserAttributes {
		if a.Name == "email" {
			email = a.Value
		}
	}
	cfg := UserConfig{Username: in.Username, Email: email, Password: in.TemporaryPassword, Status: StatusForceChangePassword}
	if p.emailIsUsername() {
		if _, perr := mail.ParseAddress(in.Username); perr != nil || strings.ContainsAny(in.Username, "<> ") {
			return nil, errInvalidParameter("Username should be an email.")
		}
		cfg.Username, cfg.Email = "", in.Username
	}
	if cfg.Password == "" {
		// Without TemporaryPassword, Cognito makes one that meets the policy.
		cfg.Password = "Aa1!" + randomString(12, alnum)
	}
	s.mu.Lock()
	taken := p.findUser(in.Username) != nil
	s.mu.Unlock()
	if taken {
		return nil, &apiError{Type: "UsernameExistsException", Message: "User account already exists"}
	}
	created, aerr := p.AddUser(cfg)
	if aerr != nil {
		if e, ok := aerr.(*apiError); ok {
			return nil, e
		}
		return nil, errInvalidParameter(aerr.Error())
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := p.users[created.Username]
	out := s.userType(u)
	out.Attributes = u.attributes()
	return map[string]any{"User": out}, nil
}

// AdminSetUserPassword: the password must meet the pool's policy;
// Permanent makes the user CONFIRMED, otherwise FORCE_CHANGE_PASSWORD
// (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminSetUserPassword.html).
func (s *Server) adminSetUserPassword(body []byte) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in, p, u, err := s.adminTarget(body, true)
	if err != nil {
		return nil, err
	}
	if perr := p.checkPassword(in.Password); perr != nil {
		return nil, perr.(*apiError)
	}
	u.password = in.Password
	u.status = StatusForceChangePassword
	if in.Permanent {
		u.status = StatusConfirmed
	}
	return struct{}{}, nil
}

func (s *Server) adminGetUser(body []byte) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, _, u, err := s.adminTarget(body, true)
	if err != nil {
		return nil, err
	}
	out := s.userType(u)
	out.UserAttributes = u.attributes()
	return out, nil
}

// AdminDisableUser / AdminEnableUser: a disabled user cannot sign in, and
// cannot refresh (signedIn and refreshTokenAuth).
func (s *Server) adminSetEnabled(body []byte, enabled bool) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, _, u, err := s.adminTarget(body, true)
	if err != nil {
		return nil, err
	}
	u.enabled = enabled
	return struct{}{}, nil
}
