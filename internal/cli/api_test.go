package cli_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/cogtool/cogtool/examples/weatherapi/api"
)

// cmdAPI starts, for this script, the example weather API trusting the
// script's oauth2 peer (OAUTH2_ISSUER, OAUTH2_JWKS_URL), with extra routes
// for call's tests, and exports API_URL:
//
//	/weatherforecast   the example API (scope from the argument, if any)
//	/echo              answers {"method","headers","body"} of the request
//	/status/NNN        answers status NNN with a small JSON body
//	/reject-first      401 to the first request, 200 after; counts tokens seen
//	/tokens            how many distinct bearer tokens /reject-first saw
//	/slow              answers after 3s
func cmdAPI(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("usage: api [scope]")
	}
	cfg := api.Config{Issuer: ts.Getenv("OAUTH2_ISSUER"), JWKSURL: ts.Getenv("OAUTH2_JWKS_URL")}
	if len(args) > 0 {
		cfg.Scope = args[0]
	}
	weather, err := api.New(cfg)
	ts.Check(err)

	var (
		mu     sync.Mutex
		calls  int
		tokens = map[string]bool{}
	)
	mux := http.NewServeMux()
	mux.Handle("/weatherforecast", weather)
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		hdr := map[string]string{}
		for k := range r.Header {
			hdr[k] = r.Header.Get(k)
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Echo", "yes")
		json.NewEncoder(w).Encode(map[string]any{"method": r.Method, "headers": hdr, "body": string(body)})
	})
	mux.HandleFunc("/status/", func(w http.ResponseWriter, r *http.Request) {
		code, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/status/"))
		if err != nil {
			code = 400
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		io.WriteString(w, `{"status":`+strconv.Itoa(code)+`}`)
	})
	mux.HandleFunc("/reject-first", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		calls++
		tokens[r.Header.Get("Authorization")] = true
		if calls == 1 {
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("/tokens", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		io.WriteString(w, strconv.Itoa(len(tokens))+"\n")
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(3 * time.Second):
		case <-r.Context().Done():
		}
		io.WriteString(w, "late\n")
	})
	srv := httptest.NewServer(mux)
	ts.Defer(srv.Close)
	ts.Setenv("API_URL", srv.URL)
	ts.Setenv("API_HOST", strings.TrimPrefix(srv.URL, "http://"))
}
