package cli

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/cogtool/cogtool/internal/config"
)

// runConfigFile writes a config file of two profiles and loads it.
func runConfigFile(t *testing.T) (*config.File, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.toml")
	const text = `[profiles.default]
region = "us-east-1"
user_pool_id = "us-east-1_RunTables"
client_id = "runclient"
client_secret = "env:RUN_SECRET"
domain = "runtables"
scopes = ["api/read", "api/write"]
flow = "client-credentials"

[profiles.alice]
user_pool_id = "us-east-1_RunTables"
client_id = "webclient"
flow = "password"
username = "alice"
`
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return f, path
}

// TestConfigListRun: the profile's keys on a terminal, every profile as
// JSON on a pipe; with --resolved, each setting and its source.
func TestConfigListRunTable(t *testing.T) {
	resolved := []resolvedSetting{
		{Name: "profile", Value: "alice", Source: "--profile"},
		{Name: "region", Value: "us-east-1", Source: "derived"},
		{Name: "user-pool-id", Value: "us-east-1_RunTables", Source: "profile alice"},
		{Name: "client-id", Value: "webclient", Source: "$COGTOOL_CLIENT_ID"},
		{Name: "client-secret", Value: "", Source: ""},
	}
	for _, tt := range []struct {
		name     string
		profile  string
		resolved []resolvedSetting
	}{
		{"default", "default", nil},
		{"alice", "alice", nil},
		{"no-such-profile", "nobody", nil},
		{"resolved", "alice", resolved},
	} {
		for _, tty := range []bool{true, false} {
			name := tt.name + "-" + ttyName(tty)
			t.Run(name, func(t *testing.T) {
				r := newRunIO(tty)
				file, path := runConfigFile(t)
				err := configListRun(t.Context(), &configListOptions{IO: r.IO, Output: r.output("json"), File: file, Path: path,
					Profile: tt.profile, Resolved: tt.resolved})
				r.check(t, "config-list/"+name, err, filepath.Dir(path), "$DIR")
			})
		}
	}
}

// TestConfigGetRun: one value and a newline; an unset key exits 1 (like
// git config), an unknown key 2.
func TestConfigGetRunTable(t *testing.T) {
	for _, tt := range []struct{ name, profile, key string }{
		{"client-id", "default", "client_id"},
		{"scopes", "default", "scopes"},
		{"unset", "alice", "domain"},
		{"unknown-key", "alice", "colour"},
	} {
		for _, tty := range []bool{true, false} {
			name := tt.name + "-" + ttyName(tty)
			t.Run(name, func(t *testing.T) {
				r := newRunIO(tty)
				r.exit1 = tt.name == "unset"
				file, _ := runConfigFile(t)
				err := configGetRun(t.Context(), &configGetOptions{IO: r.IO, File: file, Profile: tt.profile, Key: tt.key})
				r.assertGolden(t, "config-get/"+name, err)
			})
		}
	}
}

// TestConfigSetRun: set writes the file (kept in the golden); a secret
// where its reference belongs, or an unknown key, is exit 2 and writes
// nothing.
func TestConfigSetRunTable(t *testing.T) {
	for _, tt := range []struct{ name, profile, key, value string }{
		{"domain", "alice", "domain", "https://auth.example.com"},
		{"new-profile", "ci", "client_id", "ciclient"},
		{"secret-ref", "alice", "client_secret", "env:ALICE_SECRET"},
		{"literal-secret", "alice", "client_secret", "s3cr3t-client-value"},
		{"unknown-key", "alice", "colour", "blue"},
	} {
		for _, tty := range []bool{true, false} {
			name := tt.name + "-" + ttyName(tty)
			t.Run(name, func(t *testing.T) {
				r := newRunIO(tty)
				file, path := runConfigFile(t)
				err := configSetRun(t.Context(), &configSetOptions{IO: r.IO, File: file, Path: path, Profile: tt.profile, Key: tt.key, Value: tt.value})
				b, _ := os.ReadFile(path)
				if st, serr := os.Stat(path); err == nil && (serr != nil || st.Mode().Perm() != 0o600) {
					t.Errorf("config file mode: %v %v, want 0600", st.Mode(), serr)
				}
				r.record("config.toml", string(b))
				r.assertGolden(t, "config-set/"+name, err)
			})
		}
	}
}
