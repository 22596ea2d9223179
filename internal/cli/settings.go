package cli

import (
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/cogtool/cogtool/internal/cognito"
	"github.com/cogtool/cogtool/internal/config"
	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/redact"
	"github.com/cogtool/cogtool/internal/verify"
)

// annotationNewProfile marks commands that may name a profile that does
// not exist yet (config set creates it).
const annotationNewProfile = "cogtool/new-profile"

// settingDef is one row of DESIGN.md's Settings table: a flag, its
// environment variables (first set one wins) and its profile key.
type settingDef struct {
	name  string // flag name, without dashes
	env   []string
	key   string // profile key, "" if none
	usage string
	def   string // derived default, for help
	// envNote replaces "(env $X)" in the flag's help when the variable is
	// not the flag's value in another form (it holds the secret itself,
	// or a TOTP seed rather than a code).
	envNote string
}

// settingDefs is the single source for flags, `help environment` and resolution.
var settingDefs = []settingDef{
	{name: "profile", env: []string{"COGTOOL_PROFILE"}, usage: "profile in the config file", def: "default"},
	{name: "config", env: []string{"COGTOOL_CONFIG"}, usage: "config file", def: "$XDG_CONFIG_HOME/cogtool/config.toml"},
	{name: "region", env: []string{"COGTOOL_REGION", "AWS_REGION", "AWS_DEFAULT_REGION"}, key: "region", usage: "AWS region", def: "prefix of the user pool id, which wins over $AWS_REGION and $AWS_DEFAULT_REGION; a contradicting --region or $COGTOOL_REGION is an error"},
	{name: "user-pool-id", env: []string{"COGTOOL_USER_POOL_ID"}, key: "user_pool_id", usage: "user pool id (us-east-1_AbC123)"},
	{name: "client-id", env: []string{"COGTOOL_CLIENT_ID"}, key: "client_id", usage: "app client id"},
	{name: "client-secret-file", env: []string{"COGTOOL_CLIENT_SECRET"}, key: "client_secret", usage: "read the app client secret from `file` (- for stdin)", def: `profile client_secret = "env:NAME" or "file:PATH"`,
		envNote: "or the secret itself in $COGTOOL_CLIENT_SECRET"},
	{name: "domain", env: []string{"COGTOOL_DOMAIN"}, key: "domain", usage: "hosted domain: a prefix, a host name, a custom domain or a URL", def: "https://{prefix}.auth.{region}.amazoncognito.com (auth-fips in GovCloud or with AWS_USE_FIPS_ENDPOINT=true)"},
	{name: "token-url", env: []string{"COGTOOL_TOKEN_URL"}, key: "token_url", usage: "OAuth2 token endpoint", def: "{domain}/oauth2/token"},
	{name: "endpoint-url", env: []string{"COGTOOL_ENDPOINT_URL", "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", "AWS_ENDPOINT_URL"}, key: "endpoint_url", usage: "Cognito user-pool API endpoint", def: "the SDK's regional endpoint"},
	{name: "identity-pool-id", env: []string{"COGTOOL_IDENTITY_POOL_ID"}, key: "identity_pool_id", usage: "identity pool id (us-east-1:0f1e2d3c-...)"},
	{name: "identity-endpoint-url", env: []string{"COGTOOL_IDENTITY_ENDPOINT_URL", "AWS_ENDPOINT_URL_COGNITO_IDENTITY", "AWS_ENDPOINT_URL"}, key: "identity_endpoint_url", usage: "Cognito identity-pool API endpoint", def: "the SDK's regional endpoint"},
	{name: "issuer", env: []string{"COGTOOL_ISSUER"}, key: "issuer", usage: "accepted token issuer (verify: repeatable)", def: "https://cognito-idp.{region}.amazonaws.com/{pool} and https://issuer-cognito-idp.{region}.amazonaws.com/{pool}"},
	{name: "jwks-url", env: []string{"COGTOOL_JWKS_URL"}, key: "jwks_url", usage: "JWKS URL", def: "{issuer}/.well-known/jwks.json"},
	{name: "redirect-uri", env: []string{"COGTOOL_REDIRECT_URI"}, key: "redirect_uri", usage: "hosted-UI login callback URL, exactly as among the app client's callback URLs", def: "http://localhost:8976/callback"},
	{name: "scope", env: []string{"COGTOOL_SCOPE"}, key: "scopes", usage: "OAuth scopes to request, separated by white space"},
	{name: "username", env: []string{"COGTOOL_USERNAME"}, key: "username", usage: "user name (or alias)"},
	{name: "password-stdin", env: []string{"COGTOOL_PASSWORD"}, usage: "read the password from stdin", def: "prompt without echo on a TTY",
		envNote: "or the password itself in $COGTOOL_PASSWORD"},
	{name: "new-password-file", env: []string{"COGTOOL_NEW_PASSWORD"}, usage: "answer NEW_PASSWORD_REQUIRED with the password in `file`", def: "prompt on a TTY",
		envNote: "or the new password itself in $COGTOOL_NEW_PASSWORD"},
	{name: "code", env: []string{"COGTOOL_TOTP_SECRET"}, usage: "one-time `code` (MFA, OTP; alias --mfa-code)", def: "prompt on a TTY, else exit 7 and 'token respond'",
		envNote: "or $COGTOOL_TOTP_SECRET, the authenticator's TOTP seed, computes the code"},
	{name: "output", env: []string{"COGTOOL_OUTPUT"}, usage: "output format: auto, text, json, token or env", def: "auto"},
	{name: "timeout", env: []string{"COGTOOL_TIMEOUT"}, usage: "timeout for each network operation", def: "30s"},
}

func lookupDef(name string) settingDef {
	for _, d := range settingDefs {
		if d.name == name {
			return d
		}
	}
	panic("cli: unknown setting " + name)
}

// flagUsage appends the environment variables to a setting's usage text.
func flagUsage(name string) string {
	d := lookupDef(name)
	if d.envNote != "" {
		return d.usage + "; " + d.envNote
	}
	if len(d.env) == 0 {
		return d.usage
	}
	return fmt.Sprintf("%s (env $%s)", d.usage, d.env[0])
}

// addStringSetting registers a string flag for a setting on fs.
func addStringSetting(fs *pflag.FlagSet, name string) {
	fs.String(name, "", flagUsage(name))
}

// Settings are the resolved global settings: flag > environment > profile
// in the config file > derived default. Commands receive these values and
// never look at flags or the environment for them.
type Settings struct {
	Profile     string
	ConfigPath  string
	Region      string
	UserPoolID  string
	ClientID    string
	Domain      string
	TokenURL    string
	EndpointURL string
	Issuer      string   // the first of Issuers
	Issuers     []string // accepted issuers: --issuer (repeatable on verify), else both Cognito forms of the pool's
	JWKSURL     string
	Username    string
	RedirectURI string   // hosted-UI login callback; "" = http://localhost:<port>/callback
	Scopes      []string // from the profile; commands may override with --scope
	Flow        string
	Output      string // auto, text, json or token
	Timeout     time.Duration
	Debug       bool

	// IdentityPoolID and IdentityEndpointURL serve aws-credentials, call
	// --sigv4 and exec --aws.
	IdentityPoolID      string
	IdentityEndpointURL string

	file      *config.File
	secret    func() (string, error)
	jwksURLOf func(issuer string) string
}

type resolver struct {
	cmd    *cobra.Command
	getenv func(string) string
	prof   *config.Profile
}

// value returns a setting's value and where it came from ("" if unset).
func (r *resolver) value(name string) (val, src string) {
	// A command may shadow a setting with a flag of another type (verify's
	// repeatable --client-id); that flag is the command's, not the setting's.
	if f := r.cmd.Flag(name); f != nil && f.Changed && f.Value.Type() == "string" {
		return f.Value.String(), "--" + name
	}
	d := lookupDef(name)
	for _, e := range d.env {
		if v := r.getenv(e); v != "" {
			return v, "$" + e
		}
	}
	if d.key != "" && r.prof != nil {
		return profileValue(r.prof, d.key), "profile"
	}
	return "", ""
}

func profileValue(p *config.Profile, key string) string {
	f := &config.File{Profiles: map[string]*config.Profile{"p": p}}
	v, _ := f.Get("p", key)
	return v
}

// checkEmptyFlags refuses a flag explicitly set to an empty value: it is
// usually --x=$UNSET_VAR, and silently falling back would hide that.
func checkEmptyFlags(cmd *cobra.Command) error {
	var err error
	cmd.Flags().Visit(func(f *pflag.Flag) {
		if err == nil && f.Value.String() == "" && f.Value.Type() == "string" {
			err = exit.Usagef("flag --%s was set to an empty value", f.Name)
		}
		if sv, ok := f.Value.(pflag.SliceValue); ok && err == nil && slices.Contains(sv.GetSlice(), "") {
			err = exit.Usagef("flag --%s was set to an empty value", f.Name)
		}
	})
	return err
}

// resolveSettings computes the Settings for cmd. Reading the config file
// is cheap and happens once.
func resolveSettings(cmd *cobra.Command, getenv func(string) string, stdin io.Reader, warn func(string)) (*Settings, error) {
	r := &resolver{cmd: cmd, getenv: getenv}
	s := &Settings{}
	s.Profile, _ = r.value("profile")
	if s.Profile == "" {
		s.Profile = "default"
	}
	s.ConfigPath, _ = r.value("config")
	if s.ConfigPath == "" {
		s.ConfigPath = config.DefaultPath()
	}
	file, err := config.Load(s.ConfigPath)
	if err != nil {
		return nil, err
	}
	s.file = file
	if _, ok := file.Profiles[s.Profile]; !ok && s.Profile != "default" && cmd.Annotations[annotationNewProfile] == "" {
		return nil, exit.Usagef("profile %q not found in %s", s.Profile, s.ConfigPath)
	}
	r.prof = file.Profile(s.Profile)

	var poolSrc string
	s.UserPoolID, poolSrc = r.value("user-pool-id")
	s.UserPoolID = strings.TrimSpace(s.UserPoolID)
	s.EndpointURL, _ = r.value("endpoint-url")
	if s.Region, err = resolveRegion(r, s.UserPoolID, poolSrc, s.EndpointURL != ""); err != nil {
		return nil, err
	}
	s.ClientID, _ = r.value("client-id")
	s.ClientID = strings.TrimSpace(s.ClientID)
	s.Username, _ = r.value("username")
	s.RedirectURI, _ = r.value("redirect-uri")
	s.IdentityPoolID, _ = r.value("identity-pool-id")
	s.IdentityPoolID = strings.TrimSpace(s.IdentityPoolID)
	s.IdentityEndpointURL, _ = r.value("identity-endpoint-url")
	if v := getenv("COGTOOL_SCOPE"); v != "" {
		s.Scopes, err = config.SplitScopes("$COGTOOL_SCOPE", v)
	} else {
		s.Scopes, err = config.SplitScopes("profile scopes", r.prof.Scopes...)
	}
	if err != nil {
		return nil, err
	}
	s.Flow = r.prof.Flow

	s.Domain, _ = r.value("domain")
	if s.Domain, err = cognito.HostedDomain(strings.TrimSpace(s.Domain), s.Region, cognito.UseFIPS(s.Region, getenv)); err != nil {
		return nil, err
	}
	s.TokenURL, _ = r.value("token-url")
	if s.TokenURL == "" && s.Domain != "" {
		s.TokenURL = s.Domain + "/oauth2/token"
	}
	s.Issuers = issuers(r, s.Region, s.UserPoolID)
	if len(s.Issuers) > 0 {
		s.Issuer = s.Issuers[0]
	}
	s.JWKSURL, _ = r.value("jwks-url")
	s.jwksURLOf = verify.DefaultJWKSURL // the JWKS URL follows the token's issuer
	if s.JWKSURL != "" {
		jwksURL := s.JWKSURL
		s.jwksURLOf = func(string) string { return jwksURL } // one JWKS URL given serves every issuer
	} else if s.Issuer != "" {
		s.JWKSURL = verify.DefaultJWKSURL(s.Issuer)
	}

	s.Output, _ = r.value("output")
	if s.Output == "" {
		s.Output = "auto"
	}
	if !validOutput(s.Output) {
		return nil, exit.Usagef("output %q is not one of auto, text, json, token, env", s.Output)
	}
	timeout, src := r.value("timeout")
	s.Timeout = 30 * time.Second
	if timeout != "" {
		d, err := usageDuration(src, timeout)
		if err != nil {
			return nil, err
		}
		if d == 0 {
			return nil, exit.Usagef("%s %s: must be more than 0", src, timeout)
		}
		s.Timeout = d
	}
	if f := cmd.Flag("debug"); f != nil && f.Changed {
		s.Debug = f.Value.String() == "true"
	}
	s.secret = secretSource(r, stdin, warn)
	return s, nil
}

// issuers returns the accepted issuers: verify's repeatable --issuer, the
// issuer setting, or both Cognito issuer forms of the user pool.
func issuers(r *resolver, region, pool string) []string {
	var list []string
	if f := r.cmd.Flag("issuer"); f != nil && f.Changed && f.Value.Type() == "stringArray" {
		list = f.Value.(pflag.SliceValue).GetSlice()
	} else if iss, _ := r.value("issuer"); iss != "" {
		list = []string{iss}
	} else if region != "" && pool != "" {
		list = verify.CognitoIssuers(region, pool)
	}
	for i, iss := range list {
		list[i] = strings.TrimRight(iss, "/")
	}
	return list
}

// JWKSURLFor is the JWKS URL of an accepted issuer: the jwks-url setting
// when given, else the issuer's own.
func (s *Settings) JWKSURLFor(issuer string) string { return s.jwksURLOf(issuer) }

// secretSource returns a function that reads the client secret once, from
// --client-secret-file, $COGTOOL_CLIENT_SECRET or the profile reference.
func secretSource(r *resolver, stdin io.Reader, warn func(string)) func() (string, error) {
	if f := r.cmd.Flag("client-secret-file"); f != nil && f.Changed {
		path := f.Value.String()
		return sync.OnceValues(func() (string, error) { return readSecretFile(path, stdin, warn) })
	}
	if v := r.getenv("COGTOOL_CLIENT_SECRET"); v != "" {
		return func() (string, error) { return v, nil }
	}
	ref := ""
	if r.prof != nil {
		ref = r.prof.Secret
	}
	switch {
	case strings.HasPrefix(ref, "env:"):
		name := strings.TrimPrefix(ref, "env:")
		return func() (string, error) {
			v := r.getenv(name)
			if v == "" {
				// Never the name: a secret pasted where its variable's
				// name belongs would be printed on every run.
				return "", exit.Usagef("the variable named in the profile's client_secret is not set (or empty)")
			}
			return v, nil
		}
	case strings.HasPrefix(ref, "file:"):
		path := strings.TrimPrefix(ref, "file:")
		return sync.OnceValues(func() (string, error) { return readSecretFile(path, nil, warn) })
	}
	return func() (string, error) { return "", nil }
}

// readSecretFile reads a secret from path ("-" = stdin), trimming the
// trailing newline. A file readable by group or others earns a warning.
func readSecretFile(path string, stdin io.Reader, warn func(string)) (string, error) {
	var b []byte
	var err error
	if path == "-" {
		if stdin == nil {
			return "", exit.Usagef("the client secret cannot be read from stdin here")
		}
		b, err = readCapped(stdin, "client secret")
	} else {
		warnIfLoose(path, warn)
		b, err = readFileCapped(path, "client secret file")
	}
	if err != nil {
		return "", err
	}
	v := strings.TrimSpace(string(b))
	if v == "" {
		return "", exit.Usagef("read client secret: the file is empty")
	}
	if err := checkText("client secret", v); err != nil {
		return "", err
	}
	return v, nil
}

// warnIfLoose warns when the regular file at path is readable by group or others.
func warnIfLoose(path string, warn func(string)) {
	if fi, err := os.Stat(path); err == nil && warn != nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o077 != 0 {
		warn(fmt.Sprintf("warning: secret file %s is readable by others (mode %04o); chmod 600 it", redact.String(path), fi.Mode().Perm()))
	}
}

// ClientSecret returns the client secret, or "" when none is configured.
// A secret of 1 to 3 characters is refused: it could not be told apart
// from ordinary text in output, so it could not be kept out of it.
func (s *Settings) ClientSecret() (string, error) {
	v, err := s.secret()
	if err == nil {
		err = checkSecretLen("the client secret", v)
	}
	return v, err
}

// Need returns a usage error naming the first missing setting and how to give it.
func (s *Settings) Need(names ...string) error {
	values := map[string]string{
		"region": s.Region, "user-pool-id": s.UserPoolID, "client-id": s.ClientID, "domain": s.Domain,
		"token-url": s.TokenURL, "issuer": s.Issuer, "jwks-url": s.JWKSURL, "username": s.Username,
		"identity-pool-id": s.IdentityPoolID,
	}
	for _, n := range names {
		v, ok := values[n]
		if !ok {
			panic("cli: Need: unknown setting " + n)
		}
		if v == "" {
			d := lookupDef(n)
			how := "--" + n
			if len(d.env) > 0 {
				how += " or $" + d.env[0]
			}
			if d.key != "" {
				how += " or profile key " + d.key
			}
			return exit.Usagef("missing %s: set %s", d.usage, how)
		}
	}
	return nil
}

// resolveRegion applies the region rule: a user pool lives in the region
// of its id's prefix, so a known pool id decides. An explicit region that
// contradicts it (--region, $COGTOOL_REGION, or the profile's region when
// the pool id comes from the same profile) is a usage error naming both;
// $AWS_REGION and $AWS_DEFAULT_REGION, which are about the AWS account and
// not the pool, serve only when no pool id is known.
//
// With an endpoint URL (an emulator) a pool id whose prefix is not a
// region (cognito-local's local_XXXX) is taken as is, and the region comes
// from the other settings.
// emulatorPoolID is the API reference's UserPoolId pattern, [\w-]+_[0-9a-zA-Z]+.
var emulatorPoolID = regexp.MustCompile(`^[\w-]+_[0-9a-zA-Z]+$`)

func resolveRegion(r *resolver, poolID, poolSrc string, emulator bool) (string, error) {
	var explicit, src string
	switch {
	case r.cmd.Flag("region") != nil && r.cmd.Flag("region").Changed:
		explicit, src = r.cmd.Flag("region").Value.String(), "--region"
	case r.getenv("COGTOOL_REGION") != "":
		explicit, src = r.getenv("COGTOOL_REGION"), "$COGTOOL_REGION"
	case r.prof != nil && profileValue(r.prof, "region") != "":
		explicit, src = profileValue(r.prof, "region"), "the profile's region"
	}
	explicit = strings.TrimSpace(explicit)
	if poolID != "" {
		region, err := cognito.PoolRegion(poolID)
		if err == nil {
			if explicit != "" && explicit != region && (src != "the profile's region" || poolSrc == "profile") {
				return "", exit.Usagef("%s %s contradicts the user pool id %s, which lives in %s (a pool's region is its id's prefix): drop %s or fix the pool id",
					src, explicit, poolID, region, src)
			}
			return region, nil
		}
		if !emulator || !emulatorPoolID.MatchString(poolID) {
			return "", err
		}
		// An emulator's id: the region comes from the settings.
	}
	if explicit == "" {
		for _, e := range []string{"AWS_REGION", "AWS_DEFAULT_REGION"} {
			if v := strings.TrimSpace(r.getenv(e)); v != "" {
				explicit, src = v, "$"+e
				break
			}
		}
	}
	if explicit != "" {
		if err := cognito.CheckRegion(explicit); err != nil {
			return "", exit.Usagef("%s: %w", src, err)
		}
	}
	return explicit, nil
}
