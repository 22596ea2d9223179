package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cogtool/cogtool/internal/exit"
)

func TestSaveLoadRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "config.toml")
	f, err := Load(path)
	if err != nil || len(f.Profiles) != 0 {
		t.Fatalf("missing file: %v, %v", f, err)
	}
	for _, kv := range [][3]string{
		{"default", "region", "ap-south-1"},
		{"default", "user_pool_id", "ap-south-1_p7GD1CkXO"},
		{"default", "client_secret", "env:DEMO_SECRET"},
		{"default", "scopes", "dotnet-demo/dotnet \t api/read"},
		{"default", "flow", "client-credentials"},
		{"ci", "client_secret", "file:/run/secret"},
	} {
		if err := f.Set(kv[0], kv[1], kv[2]); err != nil {
			t.Fatalf("Set %v: %v", kv, err)
		}
	}
	if err := f.Save(path); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, %v", fi.Mode(), err)
	}
	g, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := g.Get("default", "scopes"); v != "dotnet-demo/dotnet api/read" {
		t.Errorf("scopes = %q", v)
	}
	if v, _ := g.Get("ci", "client_secret"); v != "file:/run/secret" {
		t.Errorf("ci secret = %q", v)
	}
	if names := g.ProfileNames(); strings.Join(names, ",") != "ci,default" {
		t.Errorf("profiles = %v", names)
	}
}

// A config path that cannot be written is the user's to fix (exit 2), as
// one that cannot be read is, and the message says which file.
func TestSaveUnwritableIsUsage(t *testing.T) {
	dir := t.TempDir()
	notDir := filepath.Join(dir, "file")
	if err := os.WriteFile(notDir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	f := &File{Profiles: map[string]*Profile{"default": {Region: "eu-west-1"}}}
	for _, path := range []string{filepath.Join(notDir, "config.toml"), dir} {
		err := f.Save(path)
		if exit.CodeOf(err) != exit.Usage || !strings.HasPrefix(err.Error(), "write config: ") {
			t.Errorf("Save(%s) = %v (code %d), want a usage error", path, err, exit.CodeOf(err))
		}
	}
}

func TestRefusals(t *testing.T) {
	f := &File{}
	for _, c := range [][2]string{
		{"client_secret", "hunter2"},
		{"client_secret", "env:"},
		{"flow", "implicit"},
		{"colour", "blue"},
	} {
		if err := f.Set("default", c[0], c[1]); exit.CodeOf(err) != exit.Usage {
			t.Errorf("Set(%q, %q): err = %v, want a usage error", c[0], c[1], err)
		} else if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("error repeats the secret: %v", err)
		}
	}
	for name, text := range map[string]string{
		"unknown key":    "[profiles.default]\ncolour = \"blue\"\n",
		"literal secret": "[profiles.default]\nclient_secret = \"hunter2\"\n",
		"bad flow":       "[profiles.default]\nflow = \"x\"\n",
		"syntax":         "[profiles.default]\nregion = \n",
		"wrong type":     "[profiles.default]\nscopes = \"a\"\n",
	} {
		err := Parse([]byte(text), &File{})
		if exit.CodeOf(err) != exit.Usage {
			t.Errorf("%s: err = %v, want a usage error", name, err)
		}
	}
}
