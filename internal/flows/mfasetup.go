package flows

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cogtool/cogtool/internal/exit"
)

// setupTOTP answers MFA_SETUP as the RespondToAuthChallenge reference
// says: AssociateSoftwareToken with the challenge's Session, then
// VerifySoftwareToken with the Session that returned and the first code;
// the Session VerifySoftwareToken returns answers MFA_SETUP.
//
// SMS or email MFA cannot be set up inside a sign-in (the user needs a
// phone_number or email attribute first), so a pool that offers only
// those is exit 7 with what to do.
func (c *Client) setupTOTP(ctx context.Context, st *authState, s step) (*string, error) {
	can := jsonList(s.params["MFAS_CAN_SETUP"])
	if len(can) > 0 && !slices.Contains(can, string(types.ChallengeNameTypeSoftwareTokenMfa)) {
		return nil, &exit.Error{Code: exit.Challenge, Err: fmt.Errorf(
			"%s: the pool wants %s set up, which needs a phone_number or email attribute on the user; add it (an admin can), then sign in again",
			s.name, strings.Join(can, " or "))}
	}
	session := s.session
	associated := false
	associate := func() (string, string, error) {
		out, err := c.idp.API.AssociateSoftwareToken(ctx, &cip.AssociateSoftwareTokenInput{Session: session}, st.opts...)
		if err != nil {
			return "", "", c.idp.MapError("associate software token", err, aws.ToString(session), st.clientSecret)
		}
		secret := aws.ToString(out.SecretCode)
		if secret == "" {
			return "", "", exit.Networkf("associate software token: malformed reply: no SecretCode")
		}
		if out.Session != nil {
			session = out.Session
		}
		associated = true
		return secret, OTPAuthURI(secret, st.poolID, firstNonEmptyString(st.login, st.username)), nil
	}
	code, err := ask(ctx, st, s, func(a Answerer) (string, error) { return a.SetupTOTP(ctx, associate) })
	if err != nil {
		return nil, err
	}
	if !associated {
		return nil, fmt.Errorf("%s: the answer did not register an authenticator", s.name)
	}
	out, err := c.idp.API.VerifySoftwareToken(ctx, &cip.VerifySoftwareTokenInput{
		Session:            session,
		UserCode:           aws.String(strings.Join(strings.Fields(code), "")),
		FriendlyDeviceName: aws.String("cogtool"),
	}, st.opts...)
	if err != nil {
		return nil, c.idp.MapError("verify software token", err, aws.ToString(session), code)
	}
	if out.Status != types.VerifySoftwareTokenResponseTypeSuccess {
		return nil, exit.Authf("verify software token: Cognito answered %q to the first code; check the device clock and try again", out.Status)
	}
	if out.Session != nil {
		session = out.Session
	}
	return session, nil
}

// OTPAuthURI is the otpauth:// URI authenticator apps scan (Google's Key
// URI format): TOTP, SHA-1, six digits, 30-second steps, as Cognito uses.
// issuer is the pool id when known; account the name the user signs in with.
func OTPAuthURI(secret, issuer, account string) string {
	if issuer == "" {
		issuer = "Cognito"
	}
	q := url.Values{}
	q.Set("secret", secret)
	q.Set("issuer", issuer)
	q.Set("algorithm", "SHA1")
	q.Set("digits", "6")
	q.Set("period", "30")
	label := url.PathEscape(issuer) + ":" + url.PathEscape(account)
	return "otpauth://totp/" + label + "?" + q.Encode()
}

func firstNonEmptyString(v ...string) string {
	for _, s := range v {
		if s != "" {
			return s
		}
	}
	return ""
}
