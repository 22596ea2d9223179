package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/iostreams"
)

// resolveFor parses args for the command they name and resolves settings.
func resolveFor(t *testing.T, env map[string]string, args ...string) (*Settings, error) {
	t.Helper()
	io, _, _, _ := iostreams.Test()
	f := &Factory{IO: io, Getenv: func(k string) string { return env[k] }}
	root := newRootCmd(f)
	cmd, rest, err := root.Find(args)
	if err != nil {
		t.Fatalf("find %v: %v", args, err)
	}
	if err := cmd.ParseFlags(rest); err != nil {
		t.Fatalf("parse %v: %v", rest, err)
	}
	return resolveSettings(cmd, f.Getenv, strings.NewReader(""), func(string) {})
}

func TestSettingsPrecedence(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(cfg, []byte(`
[profiles.default]
user_pool_id = "eu-west-1_Profile"
client_id = "profile-client"
issuer = "https://issuer.example/profile"
scopes = ["a/b"]
flow = "password"

[profiles.other]
client_id = "other-client"
domain = "my-prefix"
region = "ap-south-1"
`), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		env   map[string]string
		args  []string
		check func(t *testing.T, s *Settings)
	}{
		{"profile and derived defaults", map[string]string{"COGTOOL_CONFIG": cfg}, []string{"verify"}, func(t *testing.T, s *Settings) {
			want(t, "region", s.Region, "eu-west-1")
			want(t, "client", s.ClientID, "profile-client")
			want(t, "issuer", s.Issuer, "https://issuer.example/profile")
			want(t, "jwks", s.JWKSURL, "https://issuer.example/profile/.well-known/jwks.json")
			want(t, "flow", s.Flow, "password")
			want(t, "scopes", strings.Join(s.Scopes, " "), "a/b")
			want(t, "timeout", s.Timeout.String(), "30s")
			want(t, "output", s.Output, "auto")
		}},
		{"environment beats profile", map[string]string{"COGTOOL_CONFIG": cfg, "COGTOOL_CLIENT_ID": "env-client", "AWS_REGION": "us-west-2", "COGTOOL_TIMEOUT": "5s"}, []string{"verify"}, func(t *testing.T, s *Settings) {
			want(t, "client", s.ClientID, "env-client")
			// $AWS_REGION does not move a pool out of its id's region.
			want(t, "region", s.Region, "eu-west-1")
			want(t, "timeout", s.Timeout.String(), (5 * time.Second).String())
		}},
		{"AWS_REGION serves when no pool id is known", map[string]string{"AWS_REGION": "us-west-2"}, []string{"token", "password"}, func(t *testing.T, s *Settings) {
			want(t, "region", s.Region, "us-west-2")
		}},
		{"AWS_REGION and AWS_DEFAULT_REGION never beat the pool id", map[string]string{"AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-2"}, []string{"jwks", "--user-pool-id", "eu-west-1_AbC123"}, func(t *testing.T, s *Settings) {
			want(t, "region", s.Region, "eu-west-1")
			want(t, "jwks", s.JWKSURL, "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123/.well-known/jwks.json")
		}},
		{"an explicit region that agrees with the pool id", map[string]string{"COGTOOL_REGION": "eu-west-1"}, []string{"verify", "--user-pool-id", "eu-west-1_AbC123"}, func(t *testing.T, s *Settings) {
			want(t, "region", s.Region, "eu-west-1")
		}},
		{"a flag's pool id beats the profile's region", map[string]string{"COGTOOL_CONFIG": cfg, "COGTOOL_PROFILE": "other"}, []string{"verify", "--user-pool-id", "eu-west-1_AbC123"}, func(t *testing.T, s *Settings) {
			want(t, "region", s.Region, "eu-west-1")
		}},
		{"pasted ids and domains are trimmed", map[string]string{"COGTOOL_CLIENT_ID": " 4k2h \n"}, []string{"token", "client-credentials", "--user-pool-id", " ap-south-1_p7GD1CkXO ", "--domain", " dotnet-demo\t"}, func(t *testing.T, s *Settings) {
			want(t, "pool", s.UserPoolID, "ap-south-1_p7GD1CkXO")
			want(t, "client", s.ClientID, "4k2h")
			want(t, "token url", s.TokenURL, "https://dotnet-demo.auth.ap-south-1.amazoncognito.com/oauth2/token")
		}},
		{"a Cognito host name is not suffixed twice", map[string]string{}, []string{"token", "client-credentials", "--domain", "dotnet-demo.auth.ap-south-1.amazoncognito.com"}, func(t *testing.T, s *Settings) {
			want(t, "token url", s.TokenURL, "https://dotnet-demo.auth.ap-south-1.amazoncognito.com/oauth2/token")
		}},
		{"a custom domain without scheme, and a token URL given as the domain", map[string]string{"COGTOOL_DOMAIN": "auth.example.com/oauth2/token"}, []string{"token", "client-credentials"}, func(t *testing.T, s *Settings) {
			want(t, "token url", s.TokenURL, "https://auth.example.com/oauth2/token")
		}},
		{"GovCloud hosted domains are auth-fips", map[string]string{}, []string{"token", "client-credentials", "--user-pool-id", "us-gov-west-1_AbC", "--domain", "gov-demo"}, func(t *testing.T, s *Settings) {
			want(t, "token url", s.TokenURL, "https://gov-demo.auth-fips.us-gov-west-1.amazoncognito.com/oauth2/token")
		}},
		{"AWS_USE_FIPS_ENDPOINT=true uses auth-fips", map[string]string{"AWS_USE_FIPS_ENDPOINT": "true"}, []string{"token", "client-credentials", "--user-pool-id", "us-east-1_AbC", "--domain", "demo"}, func(t *testing.T, s *Settings) {
			want(t, "token url", s.TokenURL, "https://demo.auth-fips.us-east-1.amazoncognito.com/oauth2/token")
		}},
		{"an emulator's pool id takes the region from the settings", map[string]string{"COGTOOL_ENDPOINT_URL": "http://127.0.0.1:9229", "COGTOOL_REGION": "us-east-1"}, []string{"token", "srp", "--user-pool-id", "local_5dRj2SYb"}, func(t *testing.T, s *Settings) {
			want(t, "region", s.Region, "us-east-1")
		}},
		{"first environment variable of a setting wins", map[string]string{"COGTOOL_REGION": "eu-central-1", "AWS_REGION": "us-west-2", "AWS_DEFAULT_REGION": "sa-east-1"}, []string{"verify"}, func(t *testing.T, s *Settings) {
			want(t, "region", s.Region, "eu-central-1")
		}},
		{"flag beats environment", map[string]string{"COGTOOL_CONFIG": cfg, "COGTOOL_CLIENT_ID": "env-client"}, []string{"token", "password", "--client-id", "flag-client", "--user-pool-id", "us-east-2_Flag"}, func(t *testing.T, s *Settings) {
			want(t, "client", s.ClientID, "flag-client")
			want(t, "region", s.Region, "us-east-2")
			want(t, "issuer", s.Issuer, "https://issuer.example/profile")
		}},
		{"issuer derived from region and pool", map[string]string{}, []string{"verify", "--user-pool-id", "ap-south-1_p7GD1CkXO"}, func(t *testing.T, s *Settings) {
			want(t, "issuer", s.Issuer, "https://cognito-idp.ap-south-1.amazonaws.com/ap-south-1_p7GD1CkXO")
			want(t, "jwks", s.JWKSURL, "https://cognito-idp.ap-south-1.amazonaws.com/ap-south-1_p7GD1CkXO/.well-known/jwks.json")
		}},
		{"domain prefix and token URL", map[string]string{"COGTOOL_CONFIG": cfg, "COGTOOL_PROFILE": "other"}, []string{"token", "client-credentials"}, func(t *testing.T, s *Settings) {
			want(t, "domain", s.Domain, "https://my-prefix.auth.ap-south-1.amazoncognito.com")
			want(t, "token url", s.TokenURL, "https://my-prefix.auth.ap-south-1.amazoncognito.com/oauth2/token")
			want(t, "client", s.ClientID, "other-client")
		}},
		{"full domain URL taken as is", map[string]string{"COGTOOL_DOMAIN": "http://127.0.0.1:9229/"}, []string{"token", "login"}, func(t *testing.T, s *Settings) {
			want(t, "domain", s.Domain, "http://127.0.0.1:9229")
			want(t, "token url", s.TokenURL, "http://127.0.0.1:9229/oauth2/token")
		}},
		{"endpoint from the AWS variables", map[string]string{"AWS_ENDPOINT_URL": "http://127.0.0.1:5000"}, []string{"token", "password"}, func(t *testing.T, s *Settings) {
			want(t, "endpoint", s.EndpointURL, "http://127.0.0.1:5000")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := resolveFor(t, tt.env, tt.args...)
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, s)
		})
	}
}

func TestSettingsErrors(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		args []string
		msg  string
	}{
		{"bad timeout", nil, []string{"verify", "--timeout", "soon"}, `--timeout soon: not a duration, e.g. 30s`},
		{"negative timeout", map[string]string{"COGTOOL_TIMEOUT": "-1s"}, []string{"verify"}, `$COGTOOL_TIMEOUT -1s: must not be negative`},
		{"bad output", map[string]string{"COGTOOL_OUTPUT": "yaml"}, []string{"verify"}, `output "yaml"`},
		{"unknown profile", nil, []string{"verify", "--profile", "nope"}, `profile "nope" not found`},
		{"domain prefix without region", nil, []string{"token", "login", "--domain", "prefix"}, "needs a region"},
		{"explicit region contradicts the pool id", map[string]string{"COGTOOL_REGION": "us-east-1"}, []string{"verify", "--user-pool-id", "eu-west-1_AbC123"}, "$COGTOOL_REGION us-east-1 contradicts the user pool id eu-west-1_AbC123, which lives in eu-west-1"},
		{"--region contradicts the pool id", nil, []string{"token", "password", "--region", "us-east-1", "--user-pool-id", "eu-west-1_AbC123"}, "--region us-east-1 contradicts"},
		{"pool id with a dash for the underscore", nil, []string{"verify", "--user-pool-id", "us-east-1-AbC"}, `user pool id "us-east-1-AbC" has no '_'`},
		{"pool id with a mistyped region", nil, []string{"verify", "--user-pool-id", "us-east1_AbC"}, `"us-east1" is not an AWS region name`},
		{"mistyped region without a pool id", map[string]string{"AWS_REGION": "useast1"}, []string{"token", "password"}, `$AWS_REGION: region "useast1" is not an AWS region name`},
		{"bad domain prefix", map[string]string{"COGTOOL_REGION": "us-east-1"}, []string{"token", "client-credentials", "--domain", "My_Domain"}, `domain prefix "My_Domain" is not valid`},
		{"Cognito domain in another region", nil, []string{"token", "client-credentials", "--user-pool-id", "us-east-1_AbC", "--domain", "demo.auth.eu-west-1.amazoncognito.com"}, "is in region eu-west-1, but the user pool is in us-east-1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := resolveFor(t, tt.env, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.msg)
			}
			if exit.CodeOf(err) != exit.Usage {
				t.Fatalf("code %d, want %d", exit.CodeOf(err), exit.Usage)
			}
		})
	}
}

func TestClientSecretSources(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "secret")
	os.WriteFile(file, []byte("from-file\n"), 0o600)
	cfg := filepath.Join(dir, "config.toml")
	os.WriteFile(cfg, []byte("[profiles.default]\nclient_secret = \"env:MY_SECRET\"\n"), 0o600)

	s, err := resolveFor(t, map[string]string{"COGTOOL_CONFIG": cfg, "MY_SECRET": "from-profile-env"}, "token", "client-credentials")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := s.ClientSecret()
	want(t, "profile env: secret", got, "from-profile-env")

	s, _ = resolveFor(t, map[string]string{"COGTOOL_CONFIG": cfg, "MY_SECRET": "x", "COGTOOL_CLIENT_SECRET": "from-env"}, "token", "client-credentials")
	got, _ = s.ClientSecret()
	want(t, "env secret", got, "from-env")

	s, _ = resolveFor(t, map[string]string{"COGTOOL_CLIENT_SECRET": "from-env"}, "token", "client-credentials", "--client-secret-file", file)
	got, _ = s.ClientSecret()
	want(t, "file secret", got, "from-file")

	s, _ = resolveFor(t, map[string]string{"COGTOOL_CONFIG": cfg}, "token", "client-credentials")
	if _, err := s.ClientSecret(); err == nil || !strings.Contains(err.Error(), "the variable named in the profile's client_secret is not set") || strings.Contains(err.Error(), "MY_SECRET") {
		t.Fatalf("unset env: reference: err = %v", err)
	}
}

func want(t *testing.T, what, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %q, want %q", what, got, want)
	}
}
