package redact

import (
	"strings"
	"testing"
)

// A real-shaped Cognito access token (header.payload.signature) and refresh
// token (a five-part JWE with an empty encrypted-key segment).
const (
	jwt = "eyJraWQiOiJhYmMiLCJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3OC1hYmNkIiwidG9rZW5fdXNlIjoiYWNjZXNzIn0.c2lnbmF0dXJlLWJ5dGVzLWhlcmUtYW5kLW1vcmU"
	jwe = "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ..aXYtYnl0ZXMtaGVyZQ.Y2lwaGVydGV4dC1ieXRlcy1oZXJlLWFuZC1tb3Jl.dGFnLWJ5dGVz"
)

func TestToken(t *testing.T) {
	cases := []struct{ in, want string }{
		{jwt, "eyJraW...[redacted]"},
		{jwe, "eyJjdH...[redacted]"},
		{"  " + jwt + "\n", "eyJraW...[redacted]"},
		{"", "[redacted]"},
		{"short", "[redacted]"},
		{"nineteen-characters", "[redacted]"},
		{"twenty-characters-xy", "twenty...[redacted]"},
	}
	for _, c := range cases {
		if got := Token(c.in); got != c.want {
			t.Errorf("Token(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestString(t *testing.T) {
	cases := []struct {
		name    string
		in      string
		secrets []string
		want    string
		// gone must not appear in the output (the case's secret material).
		gone []string
	}{
		{
			name: "a Bearer challenge's auth-params are not a token",
			in:   `Www-Authenticate: Bearer realm="weatherapi", error="invalid_token"`,
			want: `Www-Authenticate: Bearer realm="weatherapi", error="invalid_token"`,
		},
		{
			name: "a padded token68 credential is still one",
			in:   `Authorization: Bearer c2VjcmV0LXRva2VuLXZhbHVl==`,
			want: `Authorization: Bearer c2Vjcm...[redacted]`,
			gone: []string{"c2VjcmV0LXRva2VuLXZhbHVl"},
		},
		{
			name: "initiate auth body",
			in:   `{"AuthFlow":"USER_PASSWORD_AUTH","AuthParameters":{"USERNAME":"alice","PASSWORD":"Secr3t!","SECRET_HASH":"abc="},"ClientId":"x"}`,
			want: `{"AuthFlow":"USER_PASSWORD_AUTH","AuthParameters":{"USERNAME":"alice","PASSWORD":"[redacted]","SECRET_HASH":"[redacted]"},"ClientId":"x"}`,
			gone: []string{"Secr3t!", "abc="},
		},
		{
			name: "identity-pool credentials",
			in:   `{"Credentials":{"AccessKeyId":"ASIAEXAMPLE","Expiration":1.7e9,"SecretKey":"wJalrXUtnFEMI/K7MDENG","SessionToken":"IQoJb3JpZ2luX2VjE"},"IdentityId":"us-east-1:x"}`,
			want: `{"Credentials":{"AccessKeyId":"ASIAEXAMPLE","Expiration":1.7e9,"SecretKey":"[redacted]","SessionToken":"[redacted]"},"IdentityId":"us-east-1:x"}`,
			gone: []string{"wJalrXUtnFEMI/K7MDENG", "IQoJb3JpZ2luX2VjE"},
		},
		{
			name: "password with escaped quote",
			in:   `{"PASSWORD":"a\"b\\c d","USERNAME":"bob"}`,
			want: `{"PASSWORD":"[redacted]","USERNAME":"bob"}`,
		},
		{
			name: "pretty printed SRP challenge response",
			in:   "{\n  \"ChallengeResponses\": {\n    \"PASSWORD_CLAIM_SIGNATURE\": \"c2lnbmF0dXJl\",\n    \"USERNAME\": \"alice\",\n    \"SRP_A\": \"0a1b2c\"\n  }\n}",
			want: "{\n  \"ChallengeResponses\": {\n    \"PASSWORD_CLAIM_SIGNATURE\": \"[redacted]\",\n    \"USERNAME\": \"alice\",\n    \"SRP_A\": \"[redacted]\"\n  }\n}",
		},
		{
			name: "new password challenge and admin calls",
			in:   `{"ChallengeResponses":{"NEW_PASSWORD":"N3w!pass"},"ProposedPassword":"p1","PreviousPassword":"p0","TemporaryPassword":"t0","Password":"pw"}`,
			want: `{"ChallengeResponses":{"NEW_PASSWORD":"[redacted]"},"ProposedPassword":"[redacted]","PreviousPassword":"[redacted]","TemporaryPassword":"[redacted]","Password":"[redacted]"}`,
		},
		{
			name: "initiate auth reply keeps token starts",
			in:   `{"AuthenticationResult":{"AccessToken":"` + jwt + `","ExpiresIn":3600,"IdToken":"` + jwt + `","RefreshToken":"` + jwe + `","TokenType":"Bearer"}}`,
			want: `{"AuthenticationResult":{"AccessToken":"eyJraW...[redacted]","ExpiresIn":3600,"IdToken":"eyJraW...[redacted]","RefreshToken":"eyJjdH...[redacted]","TokenType":"Bearer"}}`,
		},
		{
			name:    "opaque refresh token and revoke",
			in:      `{"Token":"opaque-refresh-value","ClientId":"x","ClientSecret":"cs-value-123"}`,
			secrets: []string{"cs-value-123"},
			want:    `{"Token":"[redacted]","ClientId":"x","ClientSecret":"[redacted]"}`,
		},
		{
			name: "oauth token reply",
			in:   `{"access_token":"` + jwt + `","id_token":"opaque","refresh_token":"rt-opaque","token_type":"Bearer","expires_in":3600}`,
			want: `{"access_token":"eyJraW...[redacted]","id_token":"[redacted]","refresh_token":"[redacted]","token_type":"Bearer","expires_in":3600}`,
		},
		{
			name: "client credentials form",
			in:   "grant_type=client_credentials&client_secret=s3cr3t%2Bvalue&scope=demo%2Fread",
			want: "grant_type=client_credentials&client_secret=[redacted]&scope=demo%2Fread",
			gone: []string{"s3cr3t"},
		},
		{
			name: "authorization code form",
			in:   "grant_type=authorization_code&code=0b1c2d3e&code_verifier=verifier-xyz&redirect_uri=http%3A%2F%2F127.0.0.1%3A4000%2Fcallback&client_id=abc",
			want: "grant_type=authorization_code&code=[redacted]&code_verifier=[redacted]&redirect_uri=http%3A%2F%2F127.0.0.1%3A4000%2Fcallback&client_id=abc",
		},
		{
			name: "refresh form with a token",
			in:   "grant_type=refresh_token&refresh_token=" + jwe + "&client_id=abc",
			want: "grant_type=refresh_token&refresh_token=eyJjdH...[redacted]&client_id=abc",
		},
		{
			name: "callback query string",
			in:   "GET /callback?code=abcdef-123&state=xyz HTTP/1.1",
			want: "GET /callback?code=[redacted]&state=xyz HTTP/1.1",
		},
		{
			name: "basic header",
			in:   "Authorization: Basic bXljbGllbnQ6bXlzZWNyZXQ=",
			want: "Authorization: Basic [redacted]",
		},
		{
			name: "bearer header",
			in:   "Authorization: Bearer " + jwt,
			want: "Authorization: Bearer eyJraW...[redacted]",
		},
		{
			name: "bearer opaque",
			in:   "authorization: bearer 0123456789abcdef0123456789",
			want: "authorization: bearer 012345...[redacted]",
		},
		{
			name: "prose is left alone",
			in:   "Basic authentication failed; send a Bearer token",
			want: "Basic authentication failed; send a Bearer token",
		},
		{
			name: "bare jwt and jwe in text",
			in:   "token " + jwt + " and " + jwe + ".",
			want: "token eyJraW...[redacted] and eyJjdH...[redacted].",
		},
		{
			name: "truncated jwt",
			in:   "body: " + jwt[:60],
			want: "body: eyJraW...[redacted]",
		},
		{
			name:    "given secrets, raw and url-encoded",
			in:      "secret=abc+/def&also abc%2B%2Fdef and abc+/def",
			secrets: []string{"abc+/def", "", "xyz"},
			want:    "secret=[redacted]&also [redacted] and [redacted]",
		},
		{
			name:    "secret json-escaped",
			in:      `{"note":"pa\"ss\\word"}`,
			secrets: []string{`pa"ss\word`},
			want:    `{"note":"[redacted]"}`,
		},
		{
			name:    "every secret is redacted whatever its length (input refuses 1-3 characters)",
			in:      "id abc in text",
			secrets: []string{"abc"},
			want:    "id [redacted] in text",
		},
		{
			name:    "overlapping secrets: the longer wins",
			in:      "value: supersecret-long",
			secrets: []string{"secret", "supersecret-long"},
			want:    "value: [redacted]",
		},
		{
			name: "harmless text unchanged",
			in:   `{"UserPoolId":"ap-south-1_p7GD1CkXO","Username":"alice","code":"NotAuthorized"}`,
			want: `{"UserPoolId":"ap-south-1_p7GD1CkXO","Username":"alice","code":"NotAuthorized"}`,
		},
		{
			name:    "partly replaced field value is still redacted whole",
			in:      `{"PASSWORD":"abcSecr3t","password":"Secr3tx"}`,
			secrets: []string{"Secr3t"},
			want:    `{"PASSWORD":"[redacted]","password":"[redacted]"}`,
			gone:    []string{"abc", "x\""},
		},
		{
			name: "empty field values stay",
			in:   `{"PASSWORD":""}&password=`,
			want: `{"PASSWORD":""}&password=`,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := String(c.in, c.secrets...)
			if got != c.want {
				t.Errorf("String()\n got  %s\n want %s", got, c.want)
			}
			for _, g := range c.gone {
				if strings.Contains(got, g) {
					t.Errorf("output still contains %q: %s", g, got)
				}
			}
			// Redacting twice changes nothing: traces may pass a line
			// through String more than once.
			if again := String(got, c.secrets...); again != got {
				t.Errorf("not idempotent:\n once  %s\n twice %s", got, again)
			}
		})
	}
}

func TestStringNeverLeaksWholeTokens(t *testing.T) {
	for _, in := range []string{
		jwt, jwe, "Bearer " + jwt, `"AccessToken": "` + jwt + `"`, "x=" + jwt, "id_token=" + jwt,
	} {
		out := String(in)
		for _, part := range strings.Split(jwt, ".")[1:] {
			if strings.Contains(out, part) {
				t.Errorf("String(%.30q...) kept a token segment: %s", in, out)
			}
		}
		if strings.Contains(out, jwe[20:40]) {
			t.Errorf("String(%.30q...) kept part of the JWE: %s", in, out)
		}
	}
}
