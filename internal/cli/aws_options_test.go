package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cogtool/cogtool/internal/cache"
	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/identity"
	"github.com/cogtool/cogtool/internal/iostreams"
)

func TestAWSCredentialsArgs(t *testing.T) {
	tests := []struct {
		args    []string
		check   func(*awsCredentialsOptions) bool
		wantErr string
	}{
		{args: nil, check: func(o *awsCredentialsOptions) bool { return !o.AWS.Guest && o.Tokens.MinTTL == time.Minute }},
		{args: []string{"--guest", "--role-arn", "arn:aws:iam::1:role/r", "--min-ttl", "5m", "--no-cache"},
			check: func(o *awsCredentialsOptions) bool {
				return o.AWS.Guest && o.AWS.RoleARN == "arn:aws:iam::1:role/r" && o.Tokens.MinTTL == 5*time.Minute && o.Tokens.NoCache
			}},
		{args: []string{"--password-stdin"}, check: func(o *awsCredentialsOptions) bool { return o.Flow.PasswordStdin }},
		{args: []string{"extra"}, wantErr: "unknown command"},
		{args: []string{"--min-ttl", "-1s"}, wantErr: "--min-ttl must not be negative"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			io, _, _, _ := iostreams.Test()
			var got *awsCredentialsOptions
			cmd := newAWSCredentialsCmd(&Factory{IO: io}, func(o *awsCredentialsOptions) error { got = o; return nil })
			cmd.SetArgs(tt.args)
			cmd.SilenceErrors, cmd.SilenceUsage = true, true
			err := cmd.Execute()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || !tt.check(got) {
				t.Fatalf("err %v, options %+v", err, got)
			}
		})
	}
}

var testCreds = &awsCreds{
	Credentials: &identity.Credentials{IdentityID: "us-east-1:abc", AccessKeyID: "ASIAEXAMPLE",
		SecretAccessKey: "secret/with'quote", SessionToken: "session-token-value-0123456789",
		Expiration: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)},
	PoolID: "us-east-1:0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b", Region: "us-east-1",
}

func runAWSCredentials(t *testing.T, mode string) (string, string, error) {
	t.Helper()
	io, _, out, errOut := iostreams.Test()
	err := awsCredentialsRun(context.Background(), &awsCredentialsOptions{
		IO: io, Output: mode,
		Credentials: func(context.Context) (*awsCreds, error) { return testCreds, nil },
		Now:         func() time.Time { return testCreds.Expiration.Add(-time.Hour) },
	})
	return out.String(), errOut.String(), err
}

func TestAWSCredentialsOutput(t *testing.T) {
	out, _, err := runAWSCredentials(t, "json")
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"Version": 1.0, "AccessKeyId": "ASIAEXAMPLE", "SecretAccessKey": "secret/with'quote",
		"SessionToken": "session-token-value-0123456789", "Expiration": "2030-01-02T03:04:05Z"}
	if len(got) != len(want) {
		t.Fatalf("fields %v", got)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}

	out, _, _ = runAWSCredentials(t, "env")
	wantEnv := "export AWS_ACCESS_KEY_ID='ASIAEXAMPLE'\nexport AWS_SECRET_ACCESS_KEY='secret/with'\\''quote'\nexport AWS_SESSION_TOKEN='session-token-value-0123456789'\n"
	if out != wantEnv {
		t.Errorf("-o env:\n%s\nwant\n%s", out, wantEnv)
	}
	// What the shell makes of it is the credentials, byte for byte.
	sh := exec.Command("sh", "-c", `eval "$1"; printf '%s|%s' "$AWS_SECRET_ACCESS_KEY" "$AWS_SESSION_TOKEN"`, "sh", out)
	b, err := sh.Output()
	if err != nil || string(b) != testCreds.SecretAccessKey+"|"+testCreds.SessionToken {
		t.Errorf("eval: %q, %v", b, err)
	}

	out, errOut, _ := runAWSCredentials(t, "text")
	for _, s := range []string{"access key id:     ASIAEXAMPLE", "secret access key: [redacted]", "session token:     sessio...[redacted]", "(in 1h)", "source:            fetched"} {
		if !strings.Contains(out, s) {
			t.Errorf("-o text lacks %q:\n%s", s, out)
		}
	}
	if strings.Contains(out+errOut, testCreds.SecretAccessKey) || strings.Contains(out+errOut, testCreds.SessionToken) {
		t.Errorf("-o text shows a secret:\n%s", out)
	}

	if _, _, err := runAWSCredentials(t, "token"); exit.CodeOf(err) != exit.Usage {
		t.Errorf("-o token: %v, want a usage error", err)
	}
}

func TestTokenEnv(t *testing.T) {
	io, _, out, _ := iostreams.Test()
	if err := printTokens(io, "env", &cache.Entry{AccessToken: "a.b.c", IDToken: "d.e.f"}, "access", "", time.Now()); err != nil {
		t.Fatal(err)
	}
	if want := "export COGTOOL_ACCESS_TOKEN='a.b.c'\nexport COGTOOL_ID_TOKEN='d.e.f'\n"; out.String() != want {
		t.Errorf("-o env:\n%s\nwant\n%s", out, want)
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"":                  "''",
		"abc":               "'abc'",
		"a'b":               `'a'\''b'`,
		"$HOME `x` \"y\"\n": "'$HOME `x` \"y\"\n'",
	} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestExecArgs(t *testing.T) {
	tests := []struct {
		args    []string
		want    []string
		aws     bool
		wantErr string
	}{
		{args: []string{"--", "sh", "-c", "echo hi"}, want: []string{"sh", "-c", "echo hi"}},
		{args: []string{"--aws", "--", "aws", "s3", "ls", "--recursive"}, want: []string{"aws", "s3", "ls", "--recursive"}, aws: true},
		{args: []string{"true"}, wantErr: "put -- before the command"},
		{args: []string{"--"}, wantErr: "requires at least 1 arg"},
		{args: []string{"--password-stdin", "--", "cat"}, wantErr: "exec hands stdin to the command"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			io, _, _, _ := iostreams.Test()
			var got *execOptions
			cmd := newExecCmd(&Factory{IO: io}, func(o *execOptions) error { got = o; return nil })
			cmd.SetArgs(tt.args)
			cmd.SilenceErrors, cmd.SilenceUsage = true, true
			err := cmd.Execute()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || exitCode(t.Context(), err) != exit.Usage {
					t.Fatalf("err = %v, want %q (exit 2)", err, tt.wantErr)
				}
				return
			}
			if err != nil || !slices.Equal(got.Args, tt.want) || got.AWS != tt.aws {
				t.Fatalf("err %v, options %+v", err, got)
			}
		})
	}
}

// execRun: the child's environment, its stdout as cogtool's, its status.
func TestExecRun(t *testing.T) {
	var stdout, stderr bytes.Buffer
	o := &execOptions{
		In: strings.NewReader(""), Out: &stdout, ErrOut: &stderr,
		Environ: func() []string { return []string{"PATH=/usr/bin:/bin", "AWS_ACCESS_KEY_ID=inherited", "KEEP=1"} },
		Tokens: func(context.Context) (*cache.Entry, error) {
			return &cache.Entry{AccessToken: "acc", IDToken: "idt", RefreshToken: "ref"}, nil
		},
		AWSCredentials: func(context.Context) (*awsCreds, error) { return testCreds, nil },
		Region:         func() string { return "" },
		AWS:            true,
		Args:           []string{"sh", "-c", `env | sort | grep -E '^(COGTOOL|AWS|KEEP)'; exit 7`},
	}
	err := execRun(context.Background(), o)
	var ce *childExit
	if !errors.As(err, &ce) || ce.code != 7 {
		t.Fatalf("err = %v, want the child's status 7", err)
	}
	want := strings.Join([]string{
		"AWS_ACCESS_KEY_ID=ASIAEXAMPLE",
		"AWS_DEFAULT_REGION=us-east-1",
		"AWS_REGION=us-east-1",
		"AWS_SECRET_ACCESS_KEY=secret/with'quote",
		"AWS_SESSION_TOKEN=session-token-value-0123456789",
		"COGTOOL_ACCESS_TOKEN=acc",
		"COGTOOL_ID_TOKEN=idt",
		"KEEP=1", ""}, "\n")
	if stdout.String() != want || stderr.Len() != 0 {
		t.Errorf("stdout:\n%s\nwant\n%s\nstderr: %s", stdout.String(), want, stderr.String())
	}
	if code := exitCode(context.Background(), err); code != 7 {
		t.Errorf("exit code %d", code)
	}

	// --guest without --aws has nothing to pass.
	o.AWS, o.Flags.Guest = false, true
	if err := execRun(context.Background(), o); exit.CodeOf(err) != exit.Usage {
		t.Errorf("--guest without --aws: %v", err)
	}
}
