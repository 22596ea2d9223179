package cli

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/cogtool/cogtool/internal/config"
)

// TestConfigUnsetRun: unset removes one key and saves the file; an
// unknown key is exit 2, a profile with no settings a note.
func TestConfigUnsetRunTable(t *testing.T) {
	const before = "[profiles.run]\nregion = \"us-east-1\"\nuser_pool_id = \"us-east-1_RunTables\"\nclient_id = \"runclient\"\n"
	for _, tt := range []struct{ name, profile, key string }{
		{"client-id", "run", "client_id"},
		{"unknown-key", "run", "colour"},
		{"empty-profile", "other", "client_id"},
	} {
		for _, tty := range []bool{true, false} {
			name := tt.name + "-" + ttyName(tty)
			t.Run(name, func(t *testing.T) {
				r := newRunIO(tty)
				path := filepath.Join(t.TempDir(), "config.toml")
				if err := os.WriteFile(path, []byte(before), 0o600); err != nil {
					t.Fatal(err)
				}
				file, err := config.Load(path)
				if err != nil {
					t.Fatal(err)
				}
				err = configUnsetRun(t.Context(), &configUnsetOptions{IO: r.IO, File: file, Path: path, Profile: tt.profile, Key: tt.key})
				b, _ := os.ReadFile(path)
				r.record("config.toml", string(b))
				r.check(t, "config-unset/"+name, err)
			})
		}
	}
}
