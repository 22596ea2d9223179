package cli

import (
	"strings"
	"testing"
)

// TestAWSCredentialsRun: the credentials from an in-process identity-pool
// API: the credential_process JSON on a pipe, a summary with the secrets
// redacted on a terminal, exports with -o env; -o token is refused.
func TestAWSCredentialsRunTable(t *testing.T) {
	tests := []struct {
		name    string
		output  string // -o as given; "" is auto
		replies map[string]string
	}{
		{"auto", "", runIdentityReplies()},
		{"env", "env", runIdentityReplies()},
		{"token", "token", runIdentityReplies()},
		{"not-authorized", "", map[string]string{"GetId": "!NotAuthorizedException Invalid login token. Token expired: 1893553145 >= 1893553000"}},
	}
	for _, tt := range tests {
		for _, tty := range []bool{true, false} {
			name := tt.name + "-" + ttyName(tty)
			t.Run(name, func(t *testing.T) {
				stub := newAPIStub(t, tt.replies)
				r := newRunIO(tty)
				out := resolveOutput(r.IO, tt.output, "json")
				err := awsCredentialsRun(t.Context(), &awsCredentialsOptions{IO: r.IO, Output: out,
					Credentials: testAWSCredentials(t, stub.URL), Now: fixedNow})
				if out == "text" && strings.Contains(r.Out.String()+r.ErrOut.String(), runAWSSecret) {
					t.Error("the secret access key was shown on a terminal")
				}
				r.record("requests", stub.log())
				norm := []string{runIDToken(t, runIssuer), "ID_TOKEN"}
				if tt.output == "" {
					r.check(t, "aws-credentials/"+name, err, norm...)
				} else {
					r.assertGolden(t, "aws-credentials/"+name, err, norm...)
				}
			})
		}
	}
}
