package strict

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math/big"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"

	"github.com/cogtool/cogtool/internal/srp"
	"github.com/cogtool/cogtool/internal/srp/srptest"
	"github.com/cogtool/cogtool/internal/testpeers"
)

// clock is a settable time source for the lockout and expiry rules.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// world starts a fake with the standard seed; the tokens' times follow clk
// when it is given.
func world(t *testing.T, clk *clock) *Seeded {
	t.Helper()
	opts := Options{}
	if clk != nil {
		opts.Now = clk.Now
	}
	return StartSeeded(t, opts)
}

// api is the AWS SDK's client for the fake, so every answer is also
// checked for being what the SDK can read.
func api(w *Seeded) *cip.Client {
	return cip.New(cip.Options{
		Region:           w.Server.Region,
		BaseEndpoint:     aws.String(w.Server.URL),
		RetryMaxAttempts: 1,
	})
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

func secretHash(c *AppClient, username string) string {
	mac := hmac.New(sha256.New, []byte(c.Secret))
	mac.Write([]byte(username + c.ID))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// wantAPIError asserts err is the AWS error name with message.
func wantAPIError(t *testing.T, err error, name, message string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("error = %v, want %s: %s", err, name, message)
	}
	if ae.ErrorCode() != name || ae.ErrorMessage() != message {
		t.Fatalf("error = %s: %q, want %s: %q", ae.ErrorCode(), ae.ErrorMessage(), name, message)
	}
}

func passwordAuth(t *testing.T, w *Seeded, c *AppClient, username, password string, params ...string) (*cip.InitiateAuthOutput, error) {
	t.Helper()
	p := map[string]string{"USERNAME": username, "PASSWORD": password}
	for i := 0; i+1 < len(params); i += 2 {
		p[params[i]] = params[i+1]
	}
	return api(w).InitiateAuth(ctx(t), &cip.InitiateAuthInput{
		AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String(c.ID), AuthParameters: p,
	})
}

func claims(t *testing.T, w *Seeded, token string) map[string]any {
	t.Helper()
	c, err := testpeers.CheckToken(ctx(t), token, w.Pool.JWKSURL, w.Pool.Issuer)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Users of an email-username pool sign in with their email; the tokens
// carry the internal username (a UUID), the updated issuer, and the
// shapes of Cognito's access, ID and refresh tokens.
func TestPasswordSignInByEmailAlias(t *testing.T) {
	w := world(t, nil)
	out, err := passwordAuth(t, w, w.Public, "Alice@Example.com", SeedPassword)
	if err != nil {
		t.Fatal(err)
	}
	r := out.AuthenticationResult
	if r == nil || r.ExpiresIn != 3600 || aws.ToString(r.TokenType) != "Bearer" {
		t.Fatalf("result = %+v, want tokens valid 3600 s", r)
	}
	if !strings.HasPrefix(w.Pool.Issuer, "https://issuer-cognito-idp.us-east-1.amazonaws.com/us-east-1_") {
		t.Errorf("issuer = %s, want the updated format", w.Pool.Issuer)
	}
	access := claims(t, w, aws.ToString(r.AccessToken))
	for k, want := range map[string]any{"token_use": "access", "client_id": w.Public.ID, "username": w.Alice.Username,
		"sub": w.Alice.Sub, "scope": "aws.cognito.signin.user.admin"} {
		if access[k] != want {
			t.Errorf("access %s = %v, want %v", k, access[k], want)
		}
	}
	if _, ok := access["aud"]; ok {
		t.Errorf("access token has aud: %v", access["aud"])
	}
	id := claims(t, w, aws.ToString(r.IdToken))
	for k, want := range map[string]any{"token_use": "id", "aud": w.Public.ID, "cognito:username": w.Alice.Username,
		"email": "alice@example.com", "origin_jti": access["origin_jti"]} {
		if id[k] != want {
			t.Errorf("id %s = %v, want %v", k, id[k], want)
		}
	}
	if len(w.Alice.Username) != 36 || w.Alice.Username == w.Alice.Email {
		t.Errorf("internal username %q is not a UUID", w.Alice.Username)
	}
	rt := aws.ToString(r.RefreshToken)
	parts := strings.Split(rt, ".")
	if len(parts) != 5 {
		t.Fatalf("refresh token has %d parts, want 5 (a JWE)", len(parts))
	}
	header, _ := base64.RawURLEncoding.DecodeString(parts[0])
	if string(header) != `{"cty":"JWT","enc":"A256GCM","alg":"RSA-OAEP"}` {
		t.Errorf("refresh token header = %s", header)
	}
}

// A flow missing from the client's ExplicitAuthFlows is refused with
// Cognito's message, as an HTTP 400 JSON error.
func TestDisabledFlow(t *testing.T) {
	w := world(t, nil)
	_, err := passwordAuth(t, w, w.SRPOnly, w.Alice.Email, SeedPassword)
	wantAPIError(t, err, "InvalidParameterException", "USER_PASSWORD_AUTH flow not enabled for this client")

	body := `{"AuthFlow":"USER_PASSWORD_AUTH","ClientId":"` + w.SRPOnly.ID + `","AuthParameters":{"USERNAME":"x","PASSWORD":"y"}}`
	req, _ := http.NewRequest(http.MethodPost, w.Server.URL+"/", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService.InitiateAuth")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got map[string]string
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 400 || got["__type"] != "InvalidParameterException" || resp.Header.Get("X-Amzn-Errortype") != "InvalidParameterException:" {
		t.Errorf("HTTP %d %v %v, want 400 with __type and x-amzn-ErrorType", resp.StatusCode, got, resp.Header)
	}
	if n := w.Server.Calls("InitiateAuth"); n != 2 {
		t.Errorf("Calls(InitiateAuth) = %d, want 2", n)
	}
}

// A client with a secret needs SECRET_HASH on every call: over USERNAME as
// sent on sign-in, over the internal username on refresh.
func TestSecretHash(t *testing.T) {
	w := world(t, nil)
	c := w.Secret
	_, err := passwordAuth(t, w, c, w.Alice.Email, SeedPassword)
	wantAPIError(t, err, "NotAuthorizedException", "Client "+c.ID+" is configured for secret but secret was not received")
	_, err = passwordAuth(t, w, c, w.Alice.Email, SeedPassword, "SECRET_HASH", secretHash(c, w.Alice.Username))
	wantAPIError(t, err, "NotAuthorizedException", "Unable to verify secret hash for client "+c.ID)
	out, err := passwordAuth(t, w, c, w.Alice.Email, SeedPassword, "SECRET_HASH", secretHash(c, w.Alice.Email))
	if err != nil {
		t.Fatal(err)
	}
	rt := aws.ToString(out.AuthenticationResult.RefreshToken)
	refresh := func(client *AppClient, hash string) (*cip.InitiateAuthOutput, error) {
		p := map[string]string{"REFRESH_TOKEN": rt}
		if hash != "" {
			p["SECRET_HASH"] = hash
		}
		return api(w).InitiateAuth(ctx(t), &cip.InitiateAuthInput{
			AuthFlow: types.AuthFlowTypeRefreshTokenAuth, ClientId: aws.String(client.ID), AuthParameters: p})
	}
	_, err = refresh(c, "")
	wantAPIError(t, err, "NotAuthorizedException", "Client "+c.ID+" is configured for secret but secret was not received")
	_, err = refresh(c, secretHash(c, w.Alice.Email))
	wantAPIError(t, err, "NotAuthorizedException", "Unable to verify secret hash for client "+c.ID)
	_, err = refresh(w.Public, "")
	wantAPIError(t, err, "NotAuthorizedException", "Invalid Refresh Token")
	got, err := refresh(c, secretHash(c, w.Alice.Username))
	if err != nil {
		t.Fatal(err)
	}
	r := got.AuthenticationResult
	if r.RefreshToken != nil {
		t.Errorf("refresh returned a new refresh token; rotation is off")
	}
	first := claims(t, w, aws.ToString(out.AuthenticationResult.AccessToken))
	again := claims(t, w, aws.ToString(r.AccessToken))
	if again["origin_jti"] != first["origin_jti"] || again["jti"] == first["jti"] {
		t.Errorf("refreshed token: origin_jti %v jti %v, first %v %v", again["origin_jti"], again["jti"], first["origin_jti"], first["jti"])
	}
}

func TestRefreshTokenExpires(t *testing.T) {
	clk := &clock{now: time.Now()}
	w := world(t, clk)
	out, err := passwordAuth(t, w, w.Public, w.Alice.Email, SeedPassword)
	if err != nil {
		t.Fatal(err)
	}
	clk.Add(30*24*time.Hour + time.Second)
	_, err = api(w).InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeRefreshTokenAuth,
		ClientId: aws.String(w.Public.ID), AuthParameters: map[string]string{"REFRESH_TOKEN": aws.ToString(out.AuthenticationResult.RefreshToken)}})
	wantAPIError(t, err, "NotAuthorizedException", "Invalid Refresh Token")
}

// The user's state decides after the password: errors for unconfirmed,
// reset-required and disabled users; an unknown user looks like a wrong
// password unless the client is LEGACY; an unknown client is
// ResourceNotFoundException.
func TestUserStatesAndExistence(t *testing.T) {
	w := world(t, nil)
	for _, tc := range []struct {
		user, password, name, message string
	}{
		{w.Una.Email, SeedPassword, "UserNotConfirmedException", "User is not confirmed."},
		{w.Una.Email, "Wr0ng-Passw0rd!", "NotAuthorizedException", "Incorrect username or password."},
		{w.Reset.Email, SeedPassword, "PasswordResetRequiredException", "Password reset required for the user"},
		{w.Dora.Email, SeedPassword, "NotAuthorizedException", "User is disabled."},
		{"nobody@example.com", SeedPassword, "NotAuthorizedException", "Incorrect username or password."},
		{w.Alice.Email, "Wr0ng-Passw0rd!", "NotAuthorizedException", "Incorrect username or password."},
	} {
		_, err := passwordAuth(t, w, w.Public, tc.user, tc.password)
		wantAPIError(t, err, tc.name, tc.message)
	}
	legacy, err := w.Pool.AddClient(ClientConfig{ExplicitAuthFlows: []string{AllowUserPasswordAuth}, PreventUserExistenceErrors: "LEGACY"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = passwordAuth(t, w, legacy, "nobody@example.com", SeedPassword)
	wantAPIError(t, err, "UserNotFoundException", "User does not exist.")
	_, err = passwordAuth(t, w, &AppClient{ID: "nosuchclient"}, w.Alice.Email, SeedPassword)
	wantAPIError(t, err, "ResourceNotFoundException", "User pool client nosuchclient does not exist.")
}

// Five wrong passwords lock the user out for 1 s, then 2 s, ...; during a
// lockout even the right password gets "Password attempts exceeded".
func TestLockout(t *testing.T) {
	clk := &clock{now: time.Now()}
	w := world(t, clk)
	wrong := func() error {
		_, err := passwordAuth(t, w, w.Public, w.Alice.Email, "Wr0ng-Passw0rd!")
		return err
	}
	for range 5 {
		wantAPIError(t, wrong(), "NotAuthorizedException", "Incorrect username or password.")
	}
	_, err := passwordAuth(t, w, w.Public, w.Alice.Email, SeedPassword)
	wantAPIError(t, err, "NotAuthorizedException", "Password attempts exceeded")
	clk.Add(time.Second)
	wantAPIError(t, wrong(), "NotAuthorizedException", "Incorrect username or password.") // 6th: 2 s
	clk.Add(1500 * time.Millisecond)
	wantAPIError(t, wrong(), "NotAuthorizedException", "Password attempts exceeded")
	clk.Add(time.Second)
	if _, err := passwordAuth(t, w, w.Public, w.Alice.Email, SeedPassword); err != nil {
		t.Fatalf("after the lockout: %v", err)
	}
	wantAPIError(t, wrong(), "NotAuthorizedException", "Incorrect username or password.") // counter reset
	if _, err := passwordAuth(t, w, w.Public, w.Alice.Email, SeedPassword); err != nil {
		t.Fatalf("one failure after a reset locks nothing: %v", err)
	}
}

// srpClient is the client side of SRP-6a for these tests, from package
// srp's arithmetic (the vectors below pin the server's side to AWS's
// client).
type srpClient struct{ a, A *big.Int }

func newSRPClient() *srpClient {
	a := new(big.Int).SetBytes(randomBytes(128))
	return &srpClient{a: a, A: srp.A(a)}
}

func (c *srpClient) signature(poolName, userID, password string, p map[string]string, ts string) string {
	B, _ := new(big.Int).SetString(p["SRP_B"], 16)
	salt, _ := new(big.Int).SetString(p["SALT"], 16)
	u := srp.U(c.A, B)
	x := srp.X(salt, poolName, userID, password)
	key := srp.Key(srp.ClientS(c.a, B, x, u), u)
	block, _ := base64.StdEncoding.DecodeString(p["SECRET_BLOCK"])
	return base64.StdEncoding.EncodeToString(srp.Signature(key, poolName, userID, block, ts))
}

func srpStart(t *testing.T, w *Seeded, c *AppClient, username string, sc *srpClient) (map[string]string, error) {
	t.Helper()
	p := map[string]string{"USERNAME": username, "SRP_A": sc.A.Text(16)}
	if c.Secret != "" {
		p["SECRET_HASH"] = secretHash(c, username)
	}
	out, err := api(w).InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserSrpAuth, ClientId: aws.String(c.ID), AuthParameters: p})
	if err != nil {
		return nil, err
	}
	if out.ChallengeName != types.ChallengeNameTypePasswordVerifier {
		t.Fatalf("challenge = %q, want PASSWORD_VERIFIER", out.ChallengeName)
	}
	return out.ChallengeParameters, nil
}

func srpRespond(t *testing.T, w *Seeded, c *AppClient, username string, p map[string]string, sig, ts string) (*cip.RespondToAuthChallengeOutput, error) {
	t.Helper()
	r := map[string]string{"USERNAME": username, "PASSWORD_CLAIM_SECRET_BLOCK": p["SECRET_BLOCK"],
		"PASSWORD_CLAIM_SIGNATURE": sig, "TIMESTAMP": ts}
	if c.Secret != "" {
		r["SECRET_HASH"] = secretHash(c, username)
	}
	return api(w).RespondToAuthChallenge(ctx(t), &cip.RespondToAuthChallengeInput{ClientId: aws.String(c.ID),
		ChallengeName: types.ChallengeNameTypePasswordVerifier, ChallengeResponses: r})
}

// USER_SRP_AUTH by email alias: the challenge names the internal username,
// the answer must use it, the proof is really checked, and a SECRET_BLOCK
// answers once.
func TestSRP(t *testing.T) {
	w := world(t, nil)
	ts := time.Date(2024, 3, 5, 9, 7, 3, 0, time.UTC).Format(srp.TimeLayout)
	for _, c := range []*AppClient{w.Public, w.Secret, w.SRPOnly} {
		sc := newSRPClient()
		p, err := srpStart(t, w, c, w.Alice.Email, sc)
		if err != nil {
			t.Fatal(err)
		}
		if p["USER_ID_FOR_SRP"] != w.Alice.Username || p["USERNAME"] != w.Alice.Username {
			t.Fatalf("challenge names %q / %q, want the internal username %s", p["USERNAME"], p["USER_ID_FOR_SRP"], w.Alice.Username)
		}
		sig := sc.signature(w.Pool.poolName(), w.Alice.Username, SeedPassword, p, ts)
		_, err = srpRespond(t, w, c, w.Alice.Email, p, sig, ts)
		wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.") // an alias in the answer
		// That answer used the session up.
		_, err = srpRespond(t, w, c, w.Alice.Username, p, sig, ts)
		wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user, session is expired.")

		sc = newSRPClient()
		if p, err = srpStart(t, w, c, w.Alice.Email, sc); err != nil {
			t.Fatal(err)
		}
		sig = sc.signature(w.Pool.poolName(), w.Alice.Username, SeedPassword, p, ts)
		out, err := srpRespond(t, w, c, w.Alice.Username, p, sig, ts)
		if err != nil {
			t.Fatalf("client %s: %v", c.name, err)
		}
		if got := claims(t, w, aws.ToString(out.AuthenticationResult.AccessToken))["username"]; got != w.Alice.Username {
			t.Errorf("username claim = %v", got)
		}
	}

	sc := newSRPClient()
	p, err := srpStart(t, w, w.Public, w.Alice.Email, sc)
	if err != nil {
		t.Fatal(err)
	}
	sig := sc.signature(w.Pool.poolName(), w.Alice.Username, "Wr0ng-Passw0rd!", p, ts)
	_, err = srpRespond(t, w, w.Public, w.Alice.Username, p, sig, ts)
	wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")

	// TIMESTAMP as AWS's clients write it: the day not padded.
	sc = newSRPClient()
	if p, err = srpStart(t, w, w.Public, w.Alice.Email, sc); err != nil {
		t.Fatal(err)
	}
	padded := "Tue Mar  5 09:07:03 UTC 2024"
	sig = sc.signature(w.Pool.poolName(), w.Alice.Username, SeedPassword, p, padded)
	_, err = srpRespond(t, w, w.Public, w.Alice.Username, p, sig, padded)
	wantAPIError(t, err, "InvalidParameterException", "TIMESTAMP format is invalid")

	// An unknown user still gets a challenge, which then fails.
	sc = newSRPClient()
	if p, err = srpStart(t, w, w.Public, "nobody@example.com", sc); err != nil {
		t.Fatalf("unknown user: %v", err)
	}
	sig = sc.signature(w.Pool.poolName(), p["USER_ID_FOR_SRP"], SeedPassword, p, ts)
	_, err = srpRespond(t, w, w.Public, p["USER_ID_FOR_SRP"], p, sig, ts)
	wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
}

// The server side of SRP agrees with AWS's own client
// (amazon-cognito-identity-js): from each reference vector's b, salt and
// password the fake derives the vector's SRP_B, and from its SRP_A the
// signature AWS's client computed.
func TestSRPServerMatchesReferenceVectors(t *testing.T) {
	n := 0
	for _, v := range srptest.Load(t).Vectors {
		block, err := base64.StdEncoding.DecodeString(v.SecretBlock)
		if err != nil {
			continue // an emulator's non-base64 block; Cognito's are base64
		}
		salt, _ := hex.DecodeString(strings.Repeat("0", len(v.Salt)%2) + v.Salt)
		b, _ := new(big.Int).SetString(v.B, 16)
		A, _ := new(big.Int).SetString(v.Expect.SRPA, 16)
		v0 := srpVerifier(v.PoolName, v.UserIDForSRP, v.Password, salt)
		B := srp.B(v0, b)
		if B.Text(16) != strings.TrimLeft(v.SRPB, "0") {
			t.Errorf("%s: B = %s…, want %s…", v.Name, B.Text(16)[:16], v.SRPB[:16])
			continue
		}
		key := srpKey(&srpState{A: A, B: B, b: b, v: v0})
		sig := base64.StdEncoding.EncodeToString(srp.Signature(key, v.PoolName, v.UserIDForSRP, block, v.Expect.Timestamp))
		if sig != v.Expect.Signature {
			t.Errorf("%s: signature = %s, want %s", v.Name, sig, v.Expect.Signature)
		}
		n++
	}
	if n < 3 {
		t.Fatalf("checked %d vectors, want at least 3", n)
	}
}

// A temporary password leads to NEW_PASSWORD_REQUIRED; the new password
// must meet the policy.
func TestNewPasswordRequired(t *testing.T) {
	w := world(t, nil)
	u, err := w.Pool.AddUser(UserConfig{Email: "temp@example.com", Password: SeedPassword, Status: StatusForceChangePassword})
	if err != nil {
		t.Fatal(err)
	}
	start := func() *cip.InitiateAuthOutput {
		out, err := passwordAuth(t, w, w.Public, u.Email, SeedPassword)
		if err != nil {
			t.Fatal(err)
		}
		if out.ChallengeName != types.ChallengeNameTypeNewPasswordRequired || aws.ToString(out.Session) == "" {
			t.Fatalf("challenge %q session %q, want NEW_PASSWORD_REQUIRED with a session", out.ChallengeName, aws.ToString(out.Session))
		}
		return out
	}
	answer := func(out *cip.InitiateAuthOutput, pw string) error {
		_, err := api(w).RespondToAuthChallenge(ctx(t), &cip.RespondToAuthChallengeInput{ClientId: aws.String(w.Public.ID),
			ChallengeName: types.ChallengeNameTypeNewPasswordRequired, Session: out.Session,
			ChallengeResponses: map[string]string{"USERNAME": out.ChallengeParameters["USER_ID_FOR_SRP"], "NEW_PASSWORD": pw}})
		return err
	}
	wantAPIError(t, answer(start(), "short"), "InvalidPasswordException", "Password does not conform to policy: Password not long enough")
	if err := answer(start(), "N3w-Passw0rd!"); err != nil {
		t.Fatal(err)
	}
	if _, err := passwordAuth(t, w, w.Public, u.Email, "N3w-Passw0rd!"); err != nil {
		t.Fatalf("sign-in with the new password: %v", err)
	}
}

func TestSeedingRules(t *testing.T) {
	w := world(t, nil)
	for _, tc := range []struct {
		cfg  UserConfig
		want string
	}{
		{UserConfig{Email: "weak@example.com", Password: "password"}, "InvalidPasswordException: Password does not conform to policy: Password must have uppercase characters"},
		{UserConfig{Username: "bob", Email: "bob@example.com", Password: SeedPassword}, "signs users in by email"},
		{UserConfig{Email: "ALICE@example.com", Password: SeedPassword}, "is taken"},
	} {
		if _, err := w.Pool.AddUser(tc.cfg); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("AddUser(%+v) = %v, want %q", tc.cfg, err, tc.want)
		}
	}
	if _, err := w.Pool.AddClient(ClientConfig{ExplicitAuthFlows: []string{"USER_PASSWORD_AUTH"}}); err == nil {
		t.Errorf("a flow without ALLOW_ was accepted")
	}
	plain, err := w.Server.AddPool(PoolConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if u, err := plain.AddUser(UserConfig{Username: "bob", Password: SeedPassword}); err != nil || u.Username != "bob" {
		t.Errorf("plain pool user = %+v, %v", u, err)
	}
}

// Operations the fake does not know are UnknownOperationException, as on an
// endpoint that predates them; a pool's keys are at its JWKS URL only.
func TestUnknownOperationAndJWKS(t *testing.T) {
	w := world(t, nil)
	_, err := api(w).GetUserPoolMfaConfig(ctx(t), &cip.GetUserPoolMfaConfigInput{UserPoolId: aws.String(w.Pool.ID)})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "UnknownOperationException" {
		t.Fatalf("error = %v, want UnknownOperationException", err)
	}
	resp, err := http.Get(w.Server.URL + "/us-east-1_nosuchpool/.well-known/jwks.json")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("JWKS of an unknown pool: %s", resp.Status)
	}
	env := w.Env()
	if len(env) != len(w.EnvNames()) || env["STRICT_JWKS_URL"] != w.Pool.JWKSURL || env["STRICT_USERNAME"] != w.Alice.Username {
		t.Errorf("Env() = %v", env)
	}
}

// Admin operations: signed requests only; in an email pool the new user's
// username is a UUID and the email is what they sign in with; the password
// policy holds; users are found by alias.
func TestAdminOperations(t *testing.T) {
	w := world(t, nil)
	signed := cip.New(cip.Options{
		Region: w.Server.Region, BaseEndpoint: aws.String(w.Server.URL), RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
	})
	pool := aws.String(w.Pool.ID)
	_, err := api(w).AdminGetUser(ctx(t), &cip.AdminGetUserInput{UserPoolId: pool, Username: aws.String(w.Alice.Email)})
	if err == nil || !strings.Contains(err.Error(), "MissingAuthenticationTokenException") {
		t.Fatalf("unsigned AdminGetUser: %v, want MissingAuthenticationTokenException", err)
	}
	_, err = signed.AdminCreateUser(ctx(t), &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String("not-an-email"), TemporaryPassword: aws.String(SeedPassword)})
	wantAPIError(t, err, "InvalidParameterException", "Username should be an email.")
	_, err = signed.AdminCreateUser(ctx(t), &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String(w.Alice.Email), TemporaryPassword: aws.String(SeedPassword)})
	wantAPIError(t, err, "UsernameExistsException", "User account already exists")
	_, err = signed.AdminCreateUser(ctx(t), &cip.AdminCreateUserInput{UserPoolId: aws.String("us-east-1_nosuchpool"), Username: aws.String("x@example.com")})
	wantAPIError(t, err, "ResourceNotFoundException", "User pool us-east-1_nosuchpool does not exist.")

	out, err := signed.AdminCreateUser(ctx(t), &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String("new@example.com"),
		TemporaryPassword: aws.String(SeedPassword), MessageAction: types.MessageActionTypeSuppress})
	if err != nil {
		t.Fatal(err)
	}
	name := aws.ToString(out.User.Username)
	if len(name) != 36 || out.User.UserStatus != types.UserStatusTypeForceChangePassword {
		t.Fatalf("created %s in %s, want a UUID in FORCE_CHANGE_PASSWORD", name, out.User.UserStatus)
	}
	_, err = signed.AdminSetUserPassword(ctx(t), &cip.AdminSetUserPasswordInput{UserPoolId: pool, Username: aws.String("new@example.com"), Password: aws.String("weakpassword"), Permanent: true})
	wantAPIError(t, err, "InvalidPasswordException", "Password does not conform to policy: Password must have uppercase characters")
	if _, err := signed.AdminSetUserPassword(ctx(t), &cip.AdminSetUserPasswordInput{UserPoolId: pool, Username: aws.String("new@example.com"), Password: aws.String("N3w-Passw0rd!"), Permanent: true}); err != nil {
		t.Fatal(err)
	}
	got, err := signed.AdminGetUser(ctx(t), &cip.AdminGetUserInput{UserPoolId: pool, Username: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	if got.UserStatus != types.UserStatusTypeConfirmed || !got.Enabled {
		t.Errorf("after a permanent password: %s enabled=%v", got.UserStatus, got.Enabled)
	}
	if _, err := passwordAuth(t, w, w.Public, "new@example.com", "N3w-Passw0rd!"); err != nil {
		t.Fatal(err)
	}
	if _, err := signed.AdminDisableUser(ctx(t), &cip.AdminDisableUserInput{UserPoolId: pool, Username: aws.String(name)}); err != nil {
		t.Fatal(err)
	}
	_, err = passwordAuth(t, w, w.Public, "new@example.com", "N3w-Passw0rd!")
	wantAPIError(t, err, "NotAuthorizedException", "User is disabled.")
	_, err = signed.AdminGetUser(ctx(t), &cip.AdminGetUserInput{UserPoolId: pool, Username: aws.String("nobody@example.com")})
	wantAPIError(t, err, "UserNotFoundException", "User does not exist.")
}

func TestInject(t *testing.T) {
	w := world(t, nil)
	w.Server.Inject("InitiateAuth", "LimitExceededException", "Attempt limit exceeded, please try after some time.")
	_, err := passwordAuth(t, w, w.Public, w.Alice.Email, SeedPassword)
	wantAPIError(t, err, "LimitExceededException", "Attempt limit exceeded, please try after some time.")
	if _, err := passwordAuth(t, w, w.Public, w.Alice.Email, SeedPassword); err != nil {
		t.Fatalf("an injected error answers once: %v", err)
	}
	if n := w.Server.Calls("InitiateAuth"); n != 2 {
		t.Errorf("Calls = %d, want 2", n)
	}
}

// A frozen clock keeps a lockout in force however long the next attempt takes.
func TestFreeze(t *testing.T) {
	clk := &clock{now: time.Now()}
	w := world(t, clk)
	w.Server.Freeze()
	for range 5 {
		_, err := passwordAuth(t, w, w.Public, w.Alice.Email, "Wr0ng-Passw0rd!")
		wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	}
	clk.Add(time.Hour)
	_, err := passwordAuth(t, w, w.Public, w.Alice.Email, SeedPassword)
	wantAPIError(t, err, "NotAuthorizedException", "Password attempts exceeded")
}
