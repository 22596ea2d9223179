package httpx

import (
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cogtool/cogtool/internal/exit"
)

func TestDescribe(t *testing.T) {
	const ep = "token endpoint http://127.0.0.1:1234/oauth2/token"
	wrap := func(err error) error {
		return &url.Error{Op: "Post", URL: "http://127.0.0.1:1234/oauth2/token", Err: err}
	}
	opErr := func(errno syscall.Errno) error {
		return &net.OpError{Op: "dial", Net: "tcp", Err: fmt.Errorf("connect: %w", errno)}
	}
	cases := []struct {
		err  error
		want string
		code int
	}{
		{wrap(opErr(syscall.ECONNREFUSED)), ep + ": connection refused", 5},
		{wrap(opErr(syscall.ECONNRESET)), ep + ": connection reset", 5},
		{wrap(io.EOF), ep + ": connection closed by the server before a complete reply", 5},
		{wrap(&timeoutWrap{&TimeoutError{After: 30 * time.Second}, errors.New("x")}), ep + ": timed out after 30s", 5},
		{wrap(&TimeoutError{After: 2 * time.Second}), ep + ": timed out after 2s", 5},
		{wrap(fmt.Errorf("read: %w", errTimeout{})), ep + ": timed out", 5},
		{wrap(&net.DNSError{Err: "no such host", Name: "nowhere.invalid", IsNotFound: true}), ep + ": cannot resolve host nowhere.invalid: no such host", 5},
		{wrap(x509.UnknownAuthorityError{}), ep + ": tls certificate is not trusted: x509: certificate signed by unknown authority", 5},
		{wrap(errors.New("proxyconnect tcp: something\nodd")), ep + ": proxyconnect tcp: something odd", 5},
		{exit.Authf("already described"), "already described", 4},
	}
	for _, c := range cases {
		got := Describe(ep, c.err)
		if got.Error() != c.want || exit.CodeOf(got) != c.code {
			t.Errorf("Describe(%v) = %q (code %d), want %q (code %d)", c.err, got, exit.CodeOf(got), c.want, c.code)
		}
		if !errors.Is(got, c.err) && !errors.Is(got, errors.Unwrap(c.err)) {
			t.Errorf("Describe(%v) does not wrap the cause", c.err)
		}
	}
	if Describe(ep, nil) != nil {
		t.Error("Describe(nil) != nil")
	}
}

type errTimeout struct{}

func (errTimeout) Error() string   { return "i/o timeout" }
func (errTimeout) Timeout() bool   { return true }
func (errTimeout) Temporary() bool { return true }

func TestDescribeRealResetAndRefused(t *testing.T) {
	srv, _ := dropFirst(t, true)
	_, err := NewClient(Options{}).Get(srv.URL)
	if err == nil {
		t.Fatal("no error from a reset connection")
	}
	if got := Describe("JWKS URL "+srv.URL, err).Error(); got != "JWKS URL "+srv.URL+": connection reset" {
		t.Errorf("Describe(reset) = %q", got)
	}
}

func TestStatusError(t *testing.T) {
	const ep = "token endpoint https://auth.example.com/oauth2/token"
	resp := func(code int, ctype string) *http.Response {
		h := http.Header{}
		if ctype != "" {
			h.Set("Content-Type", ctype)
		}
		return &http.Response{StatusCode: code, Status: fmt.Sprintf("%d %s", code, http.StatusText(code)), Header: h}
	}
	cases := []struct {
		name    string
		resp    *http.Response
		body    string
		want    string
		code    int
		awsErr  string
		notWant string
	}{
		{
			name: "proxy 502 page",
			resp: resp(502, "text/html; charset=utf-8"),
			body: "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>",
			want: ep + ": 502 Bad Gateway: 502 Bad Gateway",
			code: 5,
		},
		{
			name: "throttled",
			resp: resp(429, "application/json"),
			body: `{"__type":"TooManyRequestsException","message":"Rate exceeded"}`,
			want: ep + ": throttled (429 Too Many Requests): TooManyRequestsException: Rate exceeded",
			code: 5, awsErr: "TooManyRequestsException",
		},
		{
			name: "captive portal 200 html",
			resp: resp(200, ""),
			body: "<!DOCTYPE html>\n<html><body><p>Please   sign in\nto the Wi-Fi</p></body></html>",
			want: ep + ": 200 OK with an HTML page instead of JSON (a proxy or login page?): Please sign in to the Wi-Fi",
			code: 5,
		},
		{
			name: "200 not json",
			resp: resp(200, "text/plain"),
			body: "hello",
			want: ep + ": 200 OK with a reply that is not JSON: hello",
			code: 5,
		},
		{
			name: "invalid client",
			resp: resp(400, "application/json"),
			body: `{"error":"invalid_client","error_description":"Client authentication failed"}`,
			want: ep + ": 400 Bad Request: invalid_client: Client authentication failed",
			code: 4, awsErr: "invalid_client",
		},
		{
			name: "aws not authorized",
			resp: resp(400, "application/x-amz-json-1.1"),
			body: `{"__type":"com.amazonaws.cognito#NotAuthorizedException","message":"Incorrect username or password."}`,
			want: ep + ": 400 Bad Request: NotAuthorizedException: Incorrect username or password.",
			code: 4, awsErr: "NotAuthorizedException",
		},
		{
			name: "401 plain",
			resp: resp(401, ""),
			body: "",
			want: ep + ": 401 Unauthorized",
			code: 4,
		},
		{
			name:    "500 echoing a token is redacted",
			resp:    resp(500, "text/plain"),
			body:    "failed for Bearer " + testJWT + " and client_secret=hunter2hunter2 " + strings.Repeat("y", 300),
			want:    ep + ": 500 Internal Server Error: failed for Bearer eyJraW...[redacted] and client_secret=[redacted] yyy",
			code:    5,
			notWant: "hunter2",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := StatusError(ep, c.resp, []byte(c.body))
			if !strings.HasPrefix(err.Error(), c.want) || exit.CodeOf(err) != c.code || exit.AWSErrorOf(err) != c.awsErr {
				t.Errorf("got %q (code %d, aws %q)\nwant %q (code %d, aws %q)", err, exit.CodeOf(err), exit.AWSErrorOf(err), c.want, c.code, c.awsErr)
			}
			if strings.Contains(err.Error(), "\n") || len(err.Error()) > len(ep)+260 {
				t.Errorf("not a short single line: %q", err)
			}
			if c.notWant != "" && strings.Contains(err.Error(), c.notWant) {
				t.Errorf("error shows %q: %q", c.notWant, err)
			}
		})
	}
}
