// Package doctor reads a user pool, an app client, the pool's domain and
// its resource servers, and checks that a cogtool profile can work with
// them: the flow is enabled on the client, a secret is configured exactly
// when the client has one, the scopes exist and are allowed, the redirect
// URI is registered, the domain is active, the region agrees with the pool
// id, and the JWKS is reachable. Each failed check carries the fix.
//
// It works on partial information: a Describe call the caller may not
// make (AccessDenied) is a failed check naming the IAM action to grant,
// and the checks that needed its answer say so instead of guessing. Only a
// failure to reach the API at all (network, interruption) stops it.
// It knows nothing of flags or terminals; it only reads, never changes
// the pool.
package doctor

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cogtool/cogtool/internal/cognito"
	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/verify"
)

// describeAPI reads a pool and one of its app clients.
type describeAPI interface {
	DescribeUserPool(context.Context, *cip.DescribeUserPoolInput, ...func(*cip.Options)) (*cip.DescribeUserPoolOutput, error)
	DescribeUserPoolClient(context.Context, *cip.DescribeUserPoolClientInput, ...func(*cip.Options)) (*cip.DescribeUserPoolClientOutput, error)
}

// API is the part of the user-pool API doctor reads; *cip.Client has it.
type API interface {
	describeAPI
	DescribeUserPoolDomain(context.Context, *cip.DescribeUserPoolDomainInput, ...func(*cip.Options)) (*cip.DescribeUserPoolDomainOutput, error)
	ListResourceServers(context.Context, *cip.ListResourceServersInput, ...func(*cip.Options)) (*cip.ListResourceServersOutput, error)
}

// Status of a check.
const (
	Pass = "pass"
	Fail = "fail"
	Info = "info" // facts that change how tokens behave; never a failure
)

// Check is one line of the report.
type Check struct {
	ID      string `json:"id"`
	Status  string `json:"status"`
	Message string `json:"message"`
	Fix     string `json:"fix,omitempty"`
}

// Profile is what the profile asks of the pool.
type Profile struct {
	Region   string
	PoolID   string
	ClientID string
	// HasSecret says a client secret is configured (flag, variable or
	// profile); the secret itself is never needed.
	HasSecret bool
	// Flow is client-credentials, password, srp, login, otp or "" (then
	// the flow check lists what the client allows).
	Flow   string
	Scopes []string
	// Domain is the hosted domain as a URL ("" when none is set).
	Domain string
	// RedirectURI is the login callback; "" means the default
	// http://localhost:<Port>/callback.
	RedirectURI string
	Port        int
	JWKSURL     string
}

// Input is a doctor run: the profile, the API, and a JWKS fetcher (nil
// skips the JWKS check).
type Input struct {
	Profile
	API       API
	FetchJWKS func(ctx context.Context, url string) (keys int, err error)
}

// Report is the result of Run.
type Report struct {
	OK     bool    `json:"ok"`
	Checks []Check `json:"checks"`
}

// Failed is the number of failed checks.
func (r *Report) Failed() int {
	n := 0
	for _, c := range r.Checks {
		if c.Status == Fail {
			n++
		}
	}
	return n
}

type run struct {
	Input
	checks []Check
	pool   *types.UserPoolType
	client *types.UserPoolClientType
	// servers are the resource servers; nil when they could not be read.
	servers []types.ResourceServerType
	rsRead  bool
}

func (r *run) add(id, status, msg, fix string) {
	r.checks = append(r.checks, Check{ID: id, Status: status, Message: msg, Fix: fix})
}

// Run performs every check. Its error is only for a failure to reach the
// API at all (exit 5, 2 or 130); everything else is in the report.
func Run(ctx context.Context, in Input) (*Report, error) {
	r := &run{Input: in}
	if !r.checkRegion() {
		// Calls signed for the wrong region reach another region's
		// endpoint, where the pool does not exist: their answers would
		// only mislead.
		r.add("pool", Info, "not read: fix the region first", "")
		return r.report(), nil
	}
	if err := r.describe(ctx); err != nil {
		return nil, err
	}
	r.checkFlow()
	r.checkSecret()
	r.checkScopes()
	if err := r.checkDomain(ctx); err != nil {
		return nil, err
	}
	r.checkRedirect()
	r.checkJWKS(ctx)
	r.infos()
	return r.report(), nil
}

func (r *run) report() *Report {
	rep := &Report{Checks: r.checks}
	rep.OK = rep.Failed() == 0
	return rep
}

// apiFailure turns a Describe error into a failed check, or returns it
// when the API could not be reached at all.
func (r *run) apiFailure(id, op string, err error) error {
	mapped := cognito.MapAWSError(op, err)
	// A refusal (4), or a pool or client not found (2: a wrong id), is a
	// failed check; anything else (network, credentials) stops the run.
	if exit.CodeOf(mapped) != exit.Auth && exit.AWSErrorOf(mapped) != "ResourceNotFoundException" {
		return mapped
	}
	name := exit.AWSErrorOf(mapped)
	switch {
	case strings.HasPrefix(name, "AccessDenied") || name == "UnrecognizedClientException" || name == "NotAuthorizedException":
		r.add(id, Fail, fmt.Sprintf("%s was refused (%s): the checks that need it are skipped", op, name),
			fmt.Sprintf("grant the IAM action cognito-idp:%s on the pool to the credentials cogtool uses", op))
	case name == "ResourceNotFoundException":
		what := map[string]string{"DescribeUserPool": "pool " + r.PoolID, "DescribeUserPoolClient": "app client " + r.ClientID,
			"ListResourceServers": "pool " + r.PoolID}[op]
		r.add(id, Fail, fmt.Sprintf("%s not found in %s", what, r.Region),
			"check the id, the region and the AWS account (aws cognito-idp list-user-pools / list-user-pool-clients)")
	default:
		r.add(id, Fail, mapped.Error(), "")
	}
	return nil
}

func (r *run) describe(ctx context.Context) error {
	p, err := r.API.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(r.PoolID)})
	if err != nil {
		if err := r.apiFailure("pool", "DescribeUserPool", err); err != nil {
			return err
		}
	} else if p.UserPool != nil {
		r.pool = p.UserPool
		r.add("pool", Pass, fmt.Sprintf("pool %s (%s) found", aws.ToString(p.UserPool.Name), r.PoolID), "")
	}
	if r.ClientID == "" {
		r.add("client", Fail, "no app client id in the profile", "set --client-id, $COGTOOL_CLIENT_ID or the profile's client_id")
	} else {
		c, err := r.API.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: aws.String(r.PoolID), ClientId: aws.String(r.ClientID)})
		if err != nil {
			if err := r.apiFailure("client", "DescribeUserPoolClient", err); err != nil {
				return err
			}
		} else if c.UserPoolClient != nil {
			r.client = c.UserPoolClient
			r.add("client", Pass, fmt.Sprintf("app client %s (%s) found", aws.ToString(c.UserPoolClient.ClientName), r.ClientID), "")
		}
	}
	var token *string
	for {
		s, err := r.API.ListResourceServers(ctx, &cip.ListResourceServersInput{UserPoolId: aws.String(r.PoolID), MaxResults: aws.Int32(50), NextToken: token})
		if err != nil {
			if err := r.apiFailure("resource-servers", "ListResourceServers", err); err != nil {
				return err
			}
			return nil
		}
		r.servers = append(r.servers, s.ResourceServers...)
		if token = s.NextToken; aws.ToString(token) == "" {
			break
		}
	}
	r.rsRead = true
	return nil
}

// checkRegion: a pool lives in the region its id starts with.
func (r *run) checkRegion() bool {
	prefix, _, ok := strings.Cut(r.PoolID, "_")
	switch {
	case !ok || prefix == "":
		r.add("region", Fail, fmt.Sprintf("pool id %q has no region prefix", r.PoolID), "a pool id looks like us-east-1_AbC123")
	case r.Region != prefix:
		r.add("region", Fail, fmt.Sprintf("region %s does not agree with pool id %s", r.Region, r.PoolID),
			fmt.Sprintf("set region = %q, or drop the region setting (the pool id's prefix is used)", prefix))
	default:
		r.add("region", Pass, fmt.Sprintf("region %s agrees with the pool id", r.Region), "")
		return true
	}
	return false
}

// Explicit auth flows per cogtool flow; the legacy names still count.
var authFlows = map[string][]types.ExplicitAuthFlowsType{
	"password": {types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeUserPasswordAuth},
	"srp":      {types.ExplicitAuthFlowsTypeAllowUserSrpAuth},
	"otp":      {types.ExplicitAuthFlowsTypeAllowUserAuth},
}

var oauthFlows = map[string]types.OAuthFlowType{
	"client-credentials": types.OAuthFlowTypeClientCredentials,
	"login":              types.OAuthFlowTypeCode,
}

// defaultAuthFlows are what Cognito enables on a client created without
// ExplicitAuthFlows.
var defaultAuthFlows = []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth,
	types.ExplicitAuthFlowsTypeAllowUserSrpAuth, types.ExplicitAuthFlowsTypeAllowCustomAuth}

func (r *run) explicitFlows() []types.ExplicitAuthFlowsType {
	if len(r.client.ExplicitAuthFlows) == 0 {
		return defaultAuthFlows
	}
	return r.client.ExplicitAuthFlows
}

const updateWarning = " (console: App client → Edit; with update-user-pool-client, give every setting again: it resets the ones it is not given)"

func (r *run) checkFlow() {
	if r.client == nil {
		return
	}
	explicit := r.explicitFlows()
	oauthOn := aws.ToBool(r.client.AllowedOAuthFlowsUserPoolClient)
	switch {
	case r.Flow == "":
		var on []string
		for f, names := range authFlows {
			if slices.ContainsFunc(names, func(n types.ExplicitAuthFlowsType) bool { return slices.Contains(explicit, n) }) {
				on = append(on, f)
			}
		}
		for f, o := range oauthFlows {
			if oauthOn && slices.Contains(r.client.AllowedOAuthFlows, o) {
				on = append(on, f)
			}
		}
		slices.Sort(on)
		r.add("flow", Info, fmt.Sprintf("no flow in the profile; the client allows: %s", orNone(on)), "")
	case authFlows[r.Flow] != nil:
		names := authFlows[r.Flow]
		if slices.ContainsFunc(names, func(n types.ExplicitAuthFlowsType) bool { return slices.Contains(explicit, n) }) {
			r.add("flow", Pass, fmt.Sprintf("flow %s: %s is enabled on the client", r.Flow, names[0]), "")
		} else {
			r.add("flow", Fail, fmt.Sprintf("flow %s: %s is not enabled on the client (it allows %s)", r.Flow, names[0], flowNames(explicit)),
				fmt.Sprintf("add %s to the app client's authentication flows%s", names[0], updateWarning))
		}
		if !slices.Contains(explicit, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth) {
			r.add("refresh", Fail, "ALLOW_REFRESH_TOKEN_AUTH is not enabled: cached tokens cannot be refreshed",
				"add ALLOW_REFRESH_TOKEN_AUTH to the app client's authentication flows"+updateWarning)
		}
	case oauthFlows[r.Flow] != "":
		grant := oauthFlows[r.Flow]
		switch {
		case !oauthOn:
			r.add("flow", Fail, fmt.Sprintf("flow %s: OAuth is not enabled on the client (AllowedOAuthFlowsUserPoolClient is false)", r.Flow),
				fmt.Sprintf("enable OAuth 2.0 grant %q on the app client (console: App client → Login pages → Edit)", grant))
		case !slices.Contains(r.client.AllowedOAuthFlows, grant):
			r.add("flow", Fail, fmt.Sprintf("flow %s: OAuth grant %q is not allowed on the client (it allows %s)", r.Flow, grant, orNone(oauthNames(r.client.AllowedOAuthFlows))),
				fmt.Sprintf("add the OAuth 2.0 grant %q to the app client (console: App client → Login pages → Edit)", grant))
		default:
			r.add("flow", Pass, fmt.Sprintf("flow %s: OAuth grant %q is allowed on the client", r.Flow, grant), "")
		}
	default:
		r.add("flow", Fail, fmt.Sprintf("unknown flow %q in the profile", r.Flow), "set flow to client-credentials, password, srp, login or otp")
	}
}

func (r *run) checkSecret() {
	if r.client == nil {
		return
	}
	has := aws.ToString(r.client.ClientSecret) != ""
	switch {
	case has && !r.HasSecret:
		r.add("secret", Fail, "the app client has a secret, but none is configured: every call will be refused",
			`set client_secret = "env:NAME" or "file:PATH" in the profile, --client-secret-file, or $COGTOOL_CLIENT_SECRET`)
	case !has && r.HasSecret:
		r.add("secret", Fail, "a client secret is configured, but the app client has none: Cognito refuses a SECRET_HASH it does not expect",
			"remove client_secret from the profile (and unset $COGTOOL_CLIENT_SECRET)")
	case !has && r.Flow == "client-credentials":
		r.add("secret", Fail, "the client-credentials flow needs an app client with a secret; this one has none",
			"create an app client with a secret (--generate-secret) for client credentials")
	case has:
		r.add("secret", Pass, "a secret is configured, and the app client has one", "")
	default:
		r.add("secret", Pass, "no secret is configured, and the app client has none", "")
	}
}

// standardScopes are the scopes Cognito defines itself.
var standardScopes = []string{"openid", "email", "phone", "profile", "aws.cognito.signin.user.admin"}

func (r *run) checkScopes() {
	if r.client == nil || oauthFlows[r.Flow] == "" {
		return
	}
	allowed := r.client.AllowedOAuthScopes
	if r.Flow == "client-credentials" && !slices.ContainsFunc(allowed, isCustom) {
		r.add("scopes", Fail, "the client-credentials client allows no custom scope (resource-server/scope)",
			"create a resource server with a scope and allow it on the app client (console: App client → Login pages → Custom scopes)")
	}
	asked := r.Scopes
	if len(asked) == 0 {
		r.add("scopes", Info, fmt.Sprintf("no scopes in the profile: Cognito grants all the client allows (%s)", orNone(allowed)), "")
		return
	}
	bad := false
	for _, s := range asked {
		if isCustom(s) && r.rsRead && !r.serverHas(s) {
			bad = true
			id, _, _ := strings.Cut(s, "/")
			r.add("scopes", Fail, fmt.Sprintf("scope %s does not exist: no resource server %q has it", s, id),
				fmt.Sprintf("add the scope to the resource server %q (console: Domain → Resource servers), or fix the profile's scopes", id))
			continue
		}
		if !isCustom(s) && !slices.Contains(standardScopes, s) {
			bad = true
			r.add("scopes", Fail, fmt.Sprintf("scope %s is neither a standard scope nor resource-server/scope", s), "fix the profile's scopes")
			continue
		}
		if !slices.Contains(allowed, s) {
			bad = true
			r.add("scopes", Fail, fmt.Sprintf("scope %s is not allowed on the app client (it allows %s)", s, orNone(allowed)),
				fmt.Sprintf("allow %s on the app client (console: App client → Login pages → Edit → scopes)", s))
		}
	}
	if !bad {
		r.add("scopes", Pass, fmt.Sprintf("scopes %s exist and are allowed on the client", strings.Join(asked, " ")), "")
	}
}

func isCustom(s string) bool { return strings.Contains(s, "/") }

func (r *run) serverHas(scope string) bool {
	i := strings.LastIndexByte(scope, '/')
	id, name := scope[:i], scope[i+1:]
	for _, s := range r.servers {
		if aws.ToString(s.Identifier) != id {
			continue
		}
		for _, sc := range s.Scopes {
			if aws.ToString(sc.ScopeName) == name {
				return true
			}
		}
	}
	return false
}

// domainName returns what DescribeUserPoolDomain takes for a domain URL:
// the prefix of a Cognito domain, or the host of a custom domain; "" for
// a loopback URL (an emulator), which has no such record.
func domainName(domain, region string) (string, bool) {
	u, err := url.Parse(domain)
	if err != nil || u.Host == "" {
		return "", false
	}
	host := u.Hostname()
	if host == "localhost" || strings.HasPrefix(host, "127.") || host == "::1" {
		return "", false
	}
	if prefix, ok := strings.CutSuffix(host, ".auth."+region+".amazoncognito.com"); ok {
		return prefix, true
	}
	return host, true
}

func (r *run) checkDomain(ctx context.Context) error {
	needs := oauthFlows[r.Flow] != ""
	if r.Domain == "" {
		if !needs {
			return nil
		}
		fix := "set domain in the profile (the prefix, or the full URL of a custom domain)"
		if r.pool != nil && aws.ToString(r.pool.Domain) != "" {
			fix = fmt.Sprintf("set domain = %q in the profile (the pool's domain)", aws.ToString(r.pool.Domain))
		}
		r.add("domain", Fail, fmt.Sprintf("flow %s needs the hosted domain, and none is set", r.Flow), fix)
		return nil
	}
	name, ok := domainName(r.Domain, r.Region)
	if !ok {
		r.add("domain", Info, fmt.Sprintf("domain %s is a local URL: not looked up", r.Domain), "")
		return nil
	}
	d, err := r.API.DescribeUserPoolDomain(ctx, &cip.DescribeUserPoolDomainInput{Domain: aws.String(name)})
	if err != nil {
		return r.apiFailure("domain", "DescribeUserPoolDomain", err)
	}
	dd := d.DomainDescription
	switch {
	case dd == nil || aws.ToString(dd.Domain) == "":
		fix := "create it (console: App integration → Domain), or fix the profile's domain"
		if r.pool != nil && aws.ToString(r.pool.Domain) != "" {
			fix = fmt.Sprintf("set domain = %q in the profile (the pool's domain)", aws.ToString(r.pool.Domain))
		}
		r.add("domain", Fail, fmt.Sprintf("domain %s does not exist", name), fix)
	case aws.ToString(dd.UserPoolId) != r.PoolID:
		r.add("domain", Fail, fmt.Sprintf("domain %s belongs to another pool (%s)", name, aws.ToString(dd.UserPoolId)),
			"set the domain of this pool in the profile")
	case dd.Status != "" && dd.Status != types.DomainStatusTypeActive:
		r.add("domain", Fail, fmt.Sprintf("domain %s is %s, not ACTIVE", name, dd.Status),
			"wait for CREATING/UPDATING to finish (a custom domain can take up to an hour); a FAILED one must be recreated")
	default:
		r.add("domain", Pass, fmt.Sprintf("domain %s exists and is active", name), "")
	}
	return nil
}

func (r *run) checkRedirect() {
	if r.client == nil || r.Flow != "login" {
		return
	}
	cbs := r.client.CallbackURLs
	if r.RedirectURI == "" && r.Port == 0 {
		// A free port is picked at each login: only a registered loopback
		// callback with a fixed port can match, given with --port.
		for _, cb := range cbs {
			if u, err := url.Parse(cb); err == nil && u.Scheme == "http" && (u.Hostname() == "localhost" || u.Hostname() == "127.0.0.1") && u.Port() != "" {
				r.add("redirect", Fail, fmt.Sprintf("login picks a free port, but the client only accepts registered callbacks such as %s", cb),
					fmt.Sprintf("sign in with --redirect-uri %s (or --port %s)", cb, u.Port()))
				return
			}
		}
		r.add("redirect", Fail, "the client has no loopback callback URL for login (http://localhost:PORT/callback)",
			"add http://localhost:8400/callback to the app client's callback URLs, then sign in with --port 8400")
		return
	}
	want := r.RedirectURI
	if want == "" {
		want = fmt.Sprintf("http://localhost:%d/callback", r.Port)
	}
	if slices.Contains(cbs, want) {
		r.add("redirect", Pass, fmt.Sprintf("redirect URI %s is among the client's callback URLs", want), "")
		return
	}
	fix := fmt.Sprintf("add %s to the app client's callback URLs (it must match exactly)", want)
	for _, cb := range cbs {
		if u, err := url.Parse(cb); err == nil && u.Scheme == "http" && (u.Hostname() == "localhost" || u.Hostname() == "127.0.0.1") && u.Port() != "" {
			fix += fmt.Sprintf(", or sign in with --redirect-uri %s (or set redirect_uri in the profile)", cb)
			break
		}
	}
	r.add("redirect", Fail, fmt.Sprintf("redirect URI %s is not among the client's callback URLs (%s)", want, orNone(cbs)), fix)
}

func (r *run) checkJWKS(ctx context.Context) {
	if r.FetchJWKS == nil || r.JWKSURL == "" {
		return
	}
	n, err := r.FetchJWKS(ctx, r.JWKSURL)
	switch {
	case err != nil:
		r.add("jwks", Fail, fmt.Sprintf("JWKS at %s: %v", r.JWKSURL, err),
			"check the network, and --jwks-url or --issuer when the pool is served by an emulator")
	case n == 0:
		r.add("jwks", Fail, fmt.Sprintf("JWKS at %s holds no keys", r.JWKSURL), "check --jwks-url")
	default:
		keys := "keys"
		if n == 1 {
			keys = "key"
		}
		r.add("jwks", Pass, fmt.Sprintf("JWKS at %s is reachable (%d %s)", r.JWKSURL, n, keys), "")
	}
}

// infos are facts that change how tokens behave.
func (r *run) infos() {
	if r.pool != nil {
		forms := verify.CognitoIssuers(r.Region, r.PoolID) // original, updated
		issuer := forms[0]
		if ic := r.pool.IssuerConfiguration; ic != nil && ic.Type == "UPDATED" {
			issuer = forms[1]
		}
		r.add("issuer", Info, "tokens carry iss "+issuer, "")
		if dc := r.pool.DeviceConfiguration; dc != nil && (dc.ChallengeRequiredOnNewDevice || dc.DeviceOnlyRememberedOnUserPrompt) {
			r.add("devices", Info, "device tracking is on: a refresh from a remembered device needs its DEVICE_KEY", "")
		}
	}
	c := r.client
	if c == nil {
		return
	}
	if rot := c.RefreshTokenRotation; rot != nil && rot.Feature == types.FeatureTypeEnabled {
		r.add("rotation", Info, "refresh-token rotation is on: each refresh returns a new refresh token and retires the old one", "")
	}
	u := c.TokenValidityUnits
	if u == nil {
		u = &types.TokenValidityUnitsType{}
	}
	r.add("validity", Info, fmt.Sprintf("token validity: access %s, id %s, refresh %s",
		validity(c.AccessTokenValidity, u.AccessToken, time.Hour, time.Hour),
		validity(c.IdTokenValidity, u.IdToken, time.Hour, time.Hour),
		validity(aws.Int32(c.RefreshTokenValidity), u.RefreshToken, 24*time.Hour, 30*24*time.Hour)), "")
	if aws.ToBool(c.EnableTokenRevocation) {
		r.add("revocation", Info, "token revocation is on: cogtool token revoke ends a refresh token", "")
	}
}

// validity renders a token validity; 0 or nil means Cognito's default.
func validity(v *int32, unit types.TimeUnitsType, defUnit, def time.Duration) string {
	if v == nil || *v == 0 {
		return fmtDuration(def) + " (default)"
	}
	d := defUnit
	switch unit {
	case types.TimeUnitsTypeSeconds:
		d = time.Second
	case types.TimeUnitsTypeMinutes:
		d = time.Minute
	case types.TimeUnitsTypeHours:
		d = time.Hour
	case types.TimeUnitsTypeDays:
		d = 24 * time.Hour
	}
	return fmtDuration(time.Duration(*v) * d)
}

func fmtDuration(d time.Duration) string {
	switch {
	case d >= 24*time.Hour && d%(24*time.Hour) == 0:
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	case d >= time.Hour && d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	case d >= time.Minute && d%time.Minute == 0:
		return fmt.Sprintf("%dm", d/time.Minute)
	}
	return d.String()
}

func orNone(list []string) string {
	if len(list) == 0 {
		return "none"
	}
	return strings.Join(list, ", ")
}

func flowNames(list []types.ExplicitAuthFlowsType) string {
	s := make([]string, len(list))
	for i, f := range list {
		s[i] = string(f)
	}
	return orNone(s)
}

func oauthNames(list []types.OAuthFlowType) []string {
	s := make([]string, len(list))
	for i, f := range list {
		s[i] = string(f)
	}
	return s
}
