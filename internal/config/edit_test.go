package config

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestAbsSecretRef(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	wd, _ := os.Getwd()
	for in, want := range map[string]string{
		"env:X":             "env:X",
		"file:/abs/s.txt":   "file:/abs/s.txt",
		"file:~/s.txt":      "file:" + filepath.Join(home, "s.txt"),
		"file:~":            "file:" + home,
		"file:rel/s.txt":    "file:" + filepath.Join(wd, "rel/s.txt"),
		"file:./a/../s.txt": "file:" + filepath.Join(wd, "s.txt"),
		"file:~other/s.txt": "file:" + filepath.Join(wd, "~other/s.txt"),
		"":                  "",
	} {
		got, err := AbsSecretRef(in)
		if err != nil || got != want {
			t.Errorf("AbsSecretRef(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	f := &File{}
	if err := f.Set("p", "client_secret", "file:~/s.txt"); err != nil {
		t.Fatal(err)
	}
	if got := f.Profile("p").Secret; got != "file:"+filepath.Join(home, "s.txt") {
		t.Fatalf("Set stored %q", got)
	}
}

func TestUnsetAndMap(t *testing.T) {
	f := &File{}
	for k, v := range map[string]string{"client_id": "c", "scopes": "a b", "flow": "password", "user_pool_id": "us-east-1_X"} {
		if err := f.Set("p", k, v); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]any{"client_id": "c", "scopes": []string{"a", "b"}, "flow": "password", "user_pool_id": "us-east-1_X"}
	if got := f.Map("p"); !reflect.DeepEqual(got, want) {
		t.Fatalf("Map = %v, want %v", got, want)
	}
	for _, k := range []string{"scopes", "flow", "username"} {
		if err := f.Unset("p", k); err != nil {
			t.Fatal(err)
		}
	}
	want = map[string]any{"client_id": "c", "user_pool_id": "us-east-1_X"}
	if got := f.Map("p"); !reflect.DeepEqual(got, want) {
		t.Fatalf("after Unset: Map = %v, want %v", got, want)
	}
	if err := f.Unset("p", "nope"); err == nil {
		t.Fatal("Unset of an unknown key accepted")
	}
}
