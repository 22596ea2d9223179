package flows

import (
	"context"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cogtool/cogtool/internal/exit"
)

// TestLoginRefusesTakenIPv6Loopback: another local user holds [::1] on the
// callback port. A browser that resolves localhost to ::1 would hand them
// the code, so Login fails clearly instead of listening on 127.0.0.1 alone.
func TestLoginRefusesTakenIPv6Loopback(t *testing.T) {
	squat, err := net.Listen("tcp", "[::1]:0")
	if err != nil {
		t.Skipf("no IPv6 loopback on this machine: %v", err)
	}
	defer squat.Close()
	port := squat.Addr().(*net.TCPAddr).Port
	showed := false
	_, err = Login(context.Background(), nil, LoginParams{
		Domain: "http://127.0.0.1:9", ClientID: "c", Timeout: time.Second,
		RedirectURI: "http://localhost:" + strconv.Itoa(port) + "/callback",
		ShowURL:     func(string) { showed = true },
	})
	if exit.CodeOf(err) != exit.Usage || !strings.Contains(err.Error(), "[::1]:"+strconv.Itoa(port)) {
		t.Fatalf("err = %v (code %d), want a usage error naming [::1]:%d", err, exit.CodeOf(err), port)
	}
	if showed {
		t.Error("the authorize URL was shown: the sign-in went ahead")
	}
	// 127.0.0.1 of the same port was released.
	l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port))
	if err != nil {
		t.Errorf("127.0.0.1:%d still held: %v", port, err)
	} else {
		l.Close()
	}
}

func TestOpenerEnv(t *testing.T) {
	in := []string{"PATH=/bin", "HOME=/h", "COGTOOL_CLIENT_SECRET=s", "COGTOOL_PASSWORD=p", "cogtool_totp_secret=t",
		"AWS_SECRET_ACCESS_KEY=k", "AWS_SESSION_TOKEN=x", "AWS_CONTAINER_AUTHORIZATION_TOKEN=y", "DISPLAY=:0", "BROWSER=firefox"}
	got := strings.Join(OpenerEnv(in), " ")
	if got != "PATH=/bin HOME=/h DISPLAY=:0 BROWSER=firefox" {
		t.Errorf("OpenerEnv = %s", got)
	}
}
