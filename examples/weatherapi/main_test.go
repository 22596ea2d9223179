package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
)

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestParseFlags(t *testing.T) {
	env := map[string]string{
		"WEATHERAPI_ISSUER":     "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_X",
		"WEATHERAPI_CLIENT_IDS": "a, b,,c",
		"WEATHERAPI_SCOPE":      "dotnet-demo/dotnet",
		"WEATHERAPI_ADDR":       "127.0.0.1:5050",
	}
	o, err := parseFlags(nil, envOf(env), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if o.addr != "127.0.0.1:5050" || o.cfg.Issuer != env["WEATHERAPI_ISSUER"] || o.cfg.Scope != "dotnet-demo/dotnet" || o.cfg.TokenUse != "any" {
		t.Errorf("from env: %+v", o)
	}
	if !slices.Equal(o.cfg.ClientIDs, []string{"a", "b", "c"}) {
		t.Errorf("client ids from env = %q", o.cfg.ClientIDs)
	}

	// Flags win over the environment; repeated -client-id replaces the list.
	o, err = parseFlags([]string{"-addr", "127.0.0.1:0", "-issuer", "https://i", "-client-id", "x", "-client-id", "y", "-scope", "api/read", "-token-use", "id"}, envOf(env), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if o.addr != "127.0.0.1:0" || o.cfg.Issuer != "https://i" || o.cfg.Scope != "api/read" || o.cfg.TokenUse != "id" {
		t.Errorf("from flags: %+v", o)
	}
	if !slices.Equal(o.cfg.ClientIDs, []string{"x", "y"}) {
		t.Errorf("client ids from flags = %q", o.cfg.ClientIDs)
	}

	// Defaults.
	o, err = parseFlags([]string{"-issuer", "https://i"}, envOf(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if o.addr != "127.0.0.1:5000" || len(o.cfg.ClientIDs) != 0 {
		t.Errorf("defaults: %+v", o)
	}

	for _, bad := range [][]string{{}, {"-issuer", "https://i", "extra"}, {"-issuer", "https://i", "-client-id", ""}, {"-nope"}} {
		if _, err := parseFlags(bad, envOf(nil), io.Discard); err == nil {
			t.Errorf("parseFlags(%q) accepted", bad)
		}
	}
}

func TestRunExitsTwoOnBadConfig(t *testing.T) {
	var errOut strings.Builder
	code := run(t.Context(), []string{"-issuer", "https://i", "-jwks-url", "http://example.com/jwks.json"}, envOf(nil), &errOut, nil)
	if code != 2 || !strings.Contains(errOut.String(), "plain http") {
		t.Errorf("run = %d, stderr %q", code, errOut.String())
	}
}

// TestRunServesOnFreePort starts the server on port 0, reads the real
// address from the "listening on" line, calls it, and shuts it down.
func TestRunServesOnFreePort(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-issuer", "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_X"}, envOf(nil), pw, nil)
		pw.Close()
	}()
	sc := bufio.NewScanner(pr)
	var base string
	for sc.Scan() {
		if u, ok := strings.CutPrefix(sc.Text(), "listening on "); ok {
			base = u
			break
		}
	}
	if base == "" || strings.HasSuffix(base, ":0") {
		t.Fatalf("no real address printed (got %q)", base)
	}
	go io.Copy(io.Discard, pr) // keep the log flowing

	// No keep-alive: shutdown then has no idle connection to wait for.
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("healthz: %s", resp.Status)
	}
	resp, err = client.Get(base + "/weatherforecast")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("weatherforecast without a token: %s, want 401", resp.Status)
	}

	cancel()
	if code := <-done; code != 0 {
		t.Errorf("run returned %d after shutdown, want 0", code)
	}
}
