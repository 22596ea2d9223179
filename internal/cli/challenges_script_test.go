package cli_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// strictget VAR PATH [REGEXP]: sets VAR to what the strict fake's test backdoor
// answers at $STRICT_URL/_strict/PATH (code?pool=P&user=U: the last
// one-time code sent to a user; last-device-key: the DeviceKey of the
// last GetTokensFromRefreshToken).
func cmdStrictGet(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 || len(args) > 3 {
		ts.Fatalf("usage: strictget VAR PATH [REGEXP]")
	}
	base := ts.Getenv("STRICT_URL")
	if base == "" {
		ts.Fatalf("strictget: no strict fake (run peer strict first)")
	}
	u, err := url.Parse(base + "/_strict/" + args[1])
	ts.Check(err)
	resp, err := http.Get(u.String())
	ts.Check(err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	ts.Check(err)
	if resp.StatusCode != http.StatusOK {
		ts.Fatalf("strictget %s: %s: %s", args[1], resp.Status, strings.TrimSpace(string(body)))
	}
	v := strings.TrimSpace(string(body))
	if len(args) == 3 && !regexp.MustCompile(args[2]).MatchString(v) {
		ts.Fatalf("strictget %s: %q does not match %s", args[1], v, args[2])
	}
	ts.Setenv(args[0], v)
}

// envfile VAR FILE: sets VAR to FILE's content, trimmed (what a shell
// does with VAR=$(cat FILE)).
func cmdEnvfile(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: envfile VAR FILE")
	}
	ts.Setenv(args[0], strings.TrimSpace(ts.ReadFile(args[1])))
}

// expirepending: moves the expiry of every saved challenge in the cache
// (as 'token respond' finds them) a second into the past, as if its
// Session had run out.
func cmdExpirePending(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: expirepending")
	}
	dir := filepath.Join(ts.Getenv("XDG_CACHE_HOME"), "cogtool", "pending")
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	ts.Check(err)
	if len(files) == 0 {
		ts.Fatalf("expirepending: no saved challenge in %s", dir)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		ts.Check(err)
		var m map[string]any
		ts.Check(json.Unmarshal(b, &m))
		m["expires_at"] = time.Now().Add(-time.Second).UTC().Format(time.RFC3339Nano)
		b, err = json.Marshal(m)
		ts.Check(err)
		ts.Check(os.WriteFile(f, b, 0o600))
	}
}
