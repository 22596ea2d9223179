package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cogtool/cogtool/internal/build"
	"github.com/cogtool/cogtool/internal/config"
	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/iostreams"
)

// configFactory is a Factory whose settings hold a config file with one
// profile, dev.
func configFactory(t *testing.T) *Factory {
	f := testFactory()
	f.Settings.Profile, f.Settings.ConfigPath = "dev", filepath.Join(t.TempDir(), "config.toml")
	f.Settings.file = &config.File{Profiles: map[string]*config.Profile{"dev": {Region: "eu-west-1", ClientID: "abc"}}}
	return f
}

func TestConfigCommandsFillTheirOptions(t *testing.T) {
	f := configFactory(t)
	var list *configListOptions
	if err := runCmd(newConfigListCmd(f, func(o *configListOptions) error { list = o; return nil })); err != nil {
		t.Fatal(err)
	}
	if list.File != f.Settings.file || list.Profile != "dev" || list.Path != f.Settings.ConfigPath || list.Resolved != nil || list.Output != "json" {
		t.Fatalf("list: %+v", list)
	}
	var get *configGetOptions
	if err := runCmd(newConfigGetCmd(f, func(o *configGetOptions) error { get = o; return nil }), "region"); err != nil || get.Key != "region" || get.Profile != "dev" {
		t.Fatalf("get: %+v, %v", get, err)
	}
	var set *configSetOptions
	if err := runCmd(newConfigSetCmd(f, func(o *configSetOptions) error { set = o; return nil }), "region", "us-east-2"); err != nil ||
		set.Key != "region" || set.Value != "us-east-2" || set.Path != f.Settings.ConfigPath {
		t.Fatalf("set: %+v, %v", set, err)
	}
	wantUsage(t, runCmd(newConfigSetCmd(f, nil), "region"), "accepts 2 arg(s)")
}

// config get prints a set key; an unset one exits 1, like git config.
func TestConfigGetRun(t *testing.T) {
	f := configFactory(t)
	ios, _, out, _ := iostreams.Test()
	opts := &configGetOptions{IO: ios, File: f.Settings.file, Profile: "dev", Key: "client_id"}
	if err := configGetRun(t.Context(), opts); err != nil || out.String() != "abc\n" {
		t.Fatalf("client_id: %q, %v", out.String(), err)
	}
	opts.Key = "domain"
	if err := configGetRun(t.Context(), opts); exit.CodeOf(err) != exit.Unexpected || !strings.Contains(err.Error(), "domain is not set in profile dev") {
		t.Fatalf("unset key: %v", err)
	}
	opts.Key = "colour"
	if err := configGetRun(t.Context(), opts); exit.CodeOf(err) != exit.Usage {
		t.Fatalf("unknown key: %v", err)
	}
}

// config set writes the file, which reads back as set; a file that cannot
// be written, or a literal secret, is exit 2, the secret not echoed.
func TestConfigSetRun(t *testing.T) {
	f := configFactory(t)
	ios, _, _, _ := iostreams.Test()
	opts := &configSetOptions{IO: ios, File: f.Settings.file, Path: f.Settings.ConfigPath, Profile: "dev", Key: "scopes", Value: "api/read  api/write"}
	if err := configSetRun(t.Context(), opts); err != nil {
		t.Fatal(err)
	}
	back, err := config.Load(opts.Path)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := back.Get("dev", "scopes"); v != "api/read api/write" {
		t.Fatalf("scopes read back: %q", v)
	}
	// A config path that cannot be written is the user's to fix: exit 2.
	notDir := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(notDir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	unwritable := *opts
	unwritable.Path = filepath.Join(notDir, "config.toml")
	if err := configSetRun(t.Context(), &unwritable); exit.CodeOf(err) != exit.Usage {
		t.Fatalf("unwritable config: %v (exit %d), want exit 2", err, exit.CodeOf(err))
	}
	opts.Key, opts.Value = "client_secret", "hunter2-not-a-ref"
	if err := configSetRun(t.Context(), opts); exit.CodeOf(err) != exit.Usage || strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("literal secret: %v", err)
	}
}

func TestVersionRun(t *testing.T) {
	info := build.Info{Version: "v1.2.3", Commit: "abc123", Date: "2026-11-30", GoVersion: "go1.27.3", Platform: "linux/amd64"}
	for output, want := range map[string]string{
		"text": "cogtool version v1.2.3\ncommit:  abc123\nbuilt:   2026-11-30\ngo:      go1.27.3 (linux/amd64)\n",
		"json": "{\n  \"version\": \"v1.2.3\",\n  \"commit\": \"abc123\",\n  \"date\": \"2026-11-30\",\n  \"go_version\": \"go1.27.3\",\n  \"platform\": \"linux/amd64\"\n}\n",
	} {
		ios, _, out, _ := iostreams.Test()
		if err := versionRun(t.Context(), &versionOptions{IO: ios, Output: output, Info: info}); err != nil || out.String() != want {
			t.Errorf("-o %s: %q, %v; want %q", output, out.String(), err, want)
		}
	}
	var got *versionOptions
	f := &Factory{IO: testFactory().IO, Output: "text"}
	if err := runCmd(newVersionCmd(f, func(o *versionOptions) error { got = o; return nil })); err != nil || got.Output != "text" || got.Info.GoVersion == "" {
		t.Fatalf("seam: %+v, %v", got, err)
	}
}
