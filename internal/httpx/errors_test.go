package httpx

import (
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
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
