package main

import (
	"context"
	"encoding/json"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cogtool/cogtool/internal/testpeers"
)

func TestParseFlags(t *testing.T) {
	o, err := parseFlags([]string{"-env", "f"})
	if err != nil {
		t.Fatal(err)
	}
	if !o.moto || !o.cognitoLocal || !o.oauth2 || o.clDir != "" {
		t.Errorf("no peer flag: %+v, want all three peers, cognito-local in a temporary folder", o)
	}
	o, err = parseFlags([]string{"-env", "f", "-cognito-local", "state", "-cl-callback-url", "http://localhost:1/cb"})
	if err != nil {
		t.Fatal(err)
	}
	if o.moto || !o.cognitoLocal || o.oauth2 || o.clDir != "state" || strings.Join(o.clCallbacks, " ") != "http://localhost:1/cb" {
		t.Errorf("-cognito-local state: %+v", o)
	}
	if _, err := parseFlags([]string{"-moto"}); err == nil {
		t.Error("missing -env was accepted")
	}
	if _, err := parseFlags([]string{"-env", "f", "extra"}); err == nil {
		t.Error("a stray argument was accepted")
	}
}

// source runs a POSIX shell that sources file and prints the named variables.
func source(t *testing.T, file string, names ...string) []string {
	t.Helper()
	script := ". " + shellQuote(file)
	for _, n := range names {
		script += `; printf '%s\n' "$` + n + `"`
	}
	out, err := exec.Command("sh", "-c", script).Output()
	if err != nil {
		t.Fatalf("source %s: %v", file, err)
	}
	return strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
}

func TestEnvFileSourcesBack(t *testing.T) {
	file := filepath.Join(t.TempDir(), "peers.env")
	tricky := `it's a "test" $HOME ` + "`x` \\ end"
	if err := writeEnvFile(file, []envVar{{"A", tricky}, {"B", ""}, {"C", "plain"}}); err != nil {
		t.Fatal(err)
	}
	got := source(t, file, "A", "B", "C")
	want := []string{tricky, "", "plain"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("sourced %q, want %q", got, want)
	}
	matches, _ := filepath.Glob(filepath.Join(filepath.Dir(file), ".*tmp*"))
	if len(matches) != 0 {
		t.Errorf("temporary files left behind: %v", matches)
	}
}

func TestStartAllOAuth2(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	o, err := parseFlags([]string{"-env", "unused", "-oauth2", "-oauth2-expires-in", "5m"})
	if err != nil {
		t.Fatal(err)
	}
	env, peers, err := startAll(ctx, o)
	defer func() {
		for _, p := range peers {
			p.Stop()
		}
	}()
	testpeers.Need(t, "oauth2", err)
	if len(peers) != 1 {
		t.Fatalf("started %d peers, want 1", len(peers))
	}
	file := filepath.Join(t.TempDir(), "peers.env")
	if err := writeEnvFile(file, env); err != nil {
		t.Fatal(err)
	}
	got := source(t, file, "OAUTH2_TOKEN_URL", "CC_CLIENT_ID", "CC_CLIENT_SECRET", "CC_SCOPES", "MOTO_URL", "TEST_USERNAME")
	if got[0] != peers[0].URL+"/oauth2/token" {
		t.Errorf("OAUTH2_TOKEN_URL = %q", got[0])
	}
	if got[3] != "api/read dotnet-demo/dotnet" {
		t.Errorf("CC_SCOPES = %q", got[3])
	}
	if got[4] != "" || got[5] != "" {
		t.Errorf("variables of peers not started were written: MOTO_URL=%q TEST_USERNAME=%q", got[4], got[5])
	}

	req, _ := http.NewRequest(http.MethodPost, got[0], strings.NewReader("grant_type=client_credentials"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(got[1], got[2])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		ExpiresIn int `json:"expires_in"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("token with the env file's client: %s, %v", resp.Status, err)
	}
	if body.ExpiresIn != 300 {
		t.Errorf("expires_in = %d, want 300 from -oauth2-expires-in 5m", body.ExpiresIn)
	}
}
