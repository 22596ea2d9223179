package strict

import "fmt"

// ChallengeWorld is the part of the standard world that meets challenges.
//
// In the seeded pool (MFA OPTIONAL with SMS, TOTP and email factors, and
// EMAIL_OTP / SMS_OTP as passwordless first factors): Choice, a public
// client that also allows USER_AUTH and CUSTOM_AUTH and rotates refresh
// tokens; ChoiceSecret, the same with a secret; UserAuthOnly, a client with
// only ALLOW_USER_AUTH and ALLOW_REFRESH_TOKEN_AUTH; users SMS (SMS MFA),
// TOTP (TOTP MFA, secret TOTPSecret), Choose (both, no preference: SELECT_MFA_TYPE)
// and OTP (an email and a phone, no MFA: passwordless sign-in).
//
// In a second pool, Required (MFA ON, TOTP only, given_name required, devices
// remembered), with client RequiredClient: Setup (no MFA yet: MFA_SETUP) and
// Newbie (FORCE_CHANGE_PASSWORD without given_name: NEW_PASSWORD_REQUIRED
// with requiredAttributes, then MFA_SETUP).
type ChallengeWorld struct {
	Choice, ChoiceSecret, UserAuthOnly *AppClient
	SMS, TOTP, Choose, OTP             *User
	TOTPSecret                         string

	Required       *Pool
	RequiredClient *AppClient
	Setup, Newbie  *User
}

// SeedTOTPSecret is the authenticator secret of the seeded TOTP users.
const SeedTOTPSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

func (w *Seeded) seedChallenges() error {
	ch := &ChallengeWorld{TOTPSecret: SeedTOTPSecret}
	w.Challenges = ch
	p := w.Pool
	p.SetMFA(MFAConfig{Mode: "OPTIONAL", SMS: true, TOTP: true, Email: true, PasswordlessFactors: []string{"EMAIL_OTP", "SMS_OTP"}})
	all := []string{AllowUserPasswordAuth, AllowUserSRPAuth, AllowRefreshTokenAuth, AllowUserAuth, AllowCustomAuth}
	var err error
	if ch.Choice, err = p.AddClient(ClientConfig{Name: "choice", ExplicitAuthFlows: all}); err != nil {
		return err
	}
	if ch.ChoiceSecret, err = p.AddClient(ClientConfig{Name: "choice-secret", GenerateSecret: true, ExplicitAuthFlows: all}); err != nil {
		return err
	}
	if ch.UserAuthOnly, err = p.AddClient(ClientConfig{Name: "user-auth-only", ExplicitAuthFlows: []string{AllowUserAuth, AllowRefreshTokenAuth}}); err != nil {
		return err
	}
	ch.Choice.SetRefreshRotation(true)
	ch.ChoiceSecret.SetRefreshRotation(true)
	for _, u := range []struct {
		dst   *(*User)
		email string
		mfa   UserMFA
	}{
		{&ch.SMS, "sms@example.com", UserMFA{SMS: true, Phone: "+15555550123"}},
		{&ch.TOTP, "totp@example.com", UserMFA{TOTP: true, TOTPSecret: SeedTOTPSecret}},
		{&ch.Choose, "choose@example.com", UserMFA{SMS: true, TOTP: true, Phone: "+15555550124", TOTPSecret: SeedTOTPSecret}},
		{&ch.OTP, "otp@example.com", UserMFA{Phone: "+15555550125"}},
	} {
		if *u.dst, err = p.AddUser(UserConfig{Email: u.email, Password: SeedPassword}); err != nil {
			return fmt.Errorf("seed %s: %w", u.email, err)
		}
		if err := p.SetUserMFA((*u.dst).Username, u.mfa); err != nil {
			return err
		}
	}

	if ch.Required, err = w.Server.AddPool(PoolConfig{Name: "mfa-required", UsernameAttributes: []string{"email"}}); err != nil {
		return err
	}
	ch.Required.SetMFA(MFAConfig{Mode: "ON", TOTP: true})
	ch.Required.SetRequiredAttributes("email", "given_name")
	ch.Required.SetRememberDevices(true)
	if ch.RequiredClient, err = ch.Required.AddClient(ClientConfig{Name: "required", ExplicitAuthFlows: []string{AllowUserPasswordAuth, AllowUserSRPAuth, AllowRefreshTokenAuth}}); err != nil {
		return err
	}
	if ch.Setup, err = ch.Required.AddUser(UserConfig{Email: "setup@example.com", Password: SeedPassword}); err != nil {
		return err
	}
	ch.Required.srv.mu.Lock()
	ch.Required.srv.x().attrs[ch.Required.users[ch.Setup.Username]] = map[string]string{"given_name": "Seth"}
	ch.Required.srv.mu.Unlock()
	if ch.Newbie, err = ch.Required.AddUser(UserConfig{Email: "newbie@example.com", Password: SeedPassword, Status: StatusForceChangePassword}); err != nil {
		return err
	}
	return nil
}

// env is the challenge world as script variables:
//
//	STRICT_CHOICE_CLIENT_ID        USER_AUTH, CUSTOM_AUTH and the password flows; rotates refresh tokens
//	STRICT_CHOICE_SECRET_CLIENT_ID, STRICT_CHOICE_SECRET_CLIENT_SECRET   the same with a secret
//	STRICT_USER_AUTH_ONLY_CLIENT_ID   ALLOW_USER_AUTH and ALLOW_REFRESH_TOKEN_AUTH only
//	STRICT_SMS_EMAIL, STRICT_TOTP_EMAIL, STRICT_CHOOSE_EMAIL, STRICT_OTP_EMAIL
//	STRICT_TOTP_SECRET             the TOTP users' authenticator secret
//	STRICT_REQUIRED_POOL_ID, STRICT_REQUIRED_CLIENT_ID   MFA required, given_name required
//	STRICT_SETUP_EMAIL, STRICT_NEWBIE_EMAIL
func (ch *ChallengeWorld) env() map[string]string {
	return map[string]string{
		"STRICT_CHOICE_CLIENT_ID":            ch.Choice.ID,
		"STRICT_CHOICE_SECRET_CLIENT_ID":     ch.ChoiceSecret.ID,
		"STRICT_CHOICE_SECRET_CLIENT_SECRET": ch.ChoiceSecret.Secret,
		"STRICT_USER_AUTH_ONLY_CLIENT_ID":    ch.UserAuthOnly.ID,
		"STRICT_SMS_EMAIL":                   ch.SMS.Email,
		"STRICT_TOTP_EMAIL":                  ch.TOTP.Email,
		"STRICT_CHOOSE_EMAIL":                ch.Choose.Email,
		"STRICT_OTP_EMAIL":                   ch.OTP.Email,
		"STRICT_TOTP_SECRET":                 ch.TOTPSecret,
		"STRICT_REQUIRED_POOL_ID":            ch.Required.ID,
		"STRICT_REQUIRED_CLIENT_ID":          ch.RequiredClient.ID,
		"STRICT_SETUP_EMAIL":                 ch.Setup.Email,
		"STRICT_NEWBIE_EMAIL":                ch.Newbie.Email,
	}
}
