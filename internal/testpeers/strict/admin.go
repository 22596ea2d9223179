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
	operations["AdminSetUserPassword"] = adminUserCall((*Server).adminSetUserPassword)
	operations["AdminGetUser"] = adminUserCall((*Server).adminGetUser)
	operations["AdminDisableUser"] = adminUserCall(func(_ *Server, _ *adminUserInput, _ *Pool, u *user) (any, *apiError) { return setEnabled(u, false) })
	operations["AdminEnableUser"] = adminUserCall(func(_ *Server, _ *adminUserInput, _ *Pool, u *user) (any, *apiError) { return setEnabled(u, true) })
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

// adminPool finds the pool an admin request names. The caller holds s.mu.
func (s *Server) adminPool(in *adminUserInput) (*Pool, *apiError) {
	if p := s.pools[in.UserPoolID]; p != nil {
		return p, nil
	}
	return nil, &apiError{Type: "ResourceNotFoundException", Message: "User pool " + in.UserPoolID + " does not exist."}
}

// adminUserCall adapts an admin call on an existing user (call): h runs
// with the pool and the user the request names.
func adminUserCall(h func(*Server, *adminUserInput, *Pool, *user) (any, *apiError)) func(*Server, []byte) (any, *apiError) {
	return call(func(s *Server, in *adminUserInput) (any, *apiError) {
		p, err := s.adminPool(in)
		if err != nil {
			return nil, err
		}
		// Username "can be any of their alias attributes" as well as the
		// username itself (AdminGetUser, Username:
		// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminGetUser.html#CognitoUserPools-AdminGetUser-request-Username).
		u := p.findUser(in.Username)
		if u == nil {
			return nil, errUserNotFound()
		}
		return h(s, in, p, u)
	})
}

// AdminCreateUser: a new user in FORCE_CHANGE_PASSWORD with the temporary
// password (AdminCreateUser:
// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminCreateUser.html).
// In a pool with UsernameAttributes email, Username is the email address
// and the user's username becomes a UUID.
func (s *Server) adminCreateUser(body []byte) (any, *apiError) {
	var in adminUserInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	s.mu.Lock()
	p, err := s.adminPool(&in)
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
func (s *Server) adminSetUserPassword(in *adminUserInput, p *Pool, u *user) (any, *apiError) {
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

func (s *Server) adminGetUser(_ *adminUserInput, _ *Pool, u *user) (any, *apiError) {
	out := s.userType(u)
	out.UserAttributes = u.attributes()
	return out, nil
}

// AdminDisableUser / AdminEnableUser: a disabled user cannot sign in, and
// cannot refresh (signedIn and refreshTokenAuth).
func setEnabled(u *user, enabled bool) (any, *apiError) {
	u.enabled = enabled
	return struct{}{}, nil
}
