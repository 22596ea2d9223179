// Package api is the protected API of the seed article's ASP.NET walkthrough,
// ported to Go: GET /weatherforecast answers five random forecasts to callers
// with a valid Cognito token, GET /healthz answers anyone.
//
// Tokens are checked by cogtool's internal/verify (RS256 against the pool's
// JWKS, issuer, expiry, token_use and client id). The scope requirement is
// checked here, after verification, so that a good token without the scope
// is told 403 insufficient_scope rather than 401 (RFC 6750 §3.1).
package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/cogtool/cogtool/internal/verify"
)

// Config says which tokens the API accepts.
type Config struct {
	// Issuer is the iss the tokens must carry (required), e.g.
	// https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123.
	Issuer string
	// JWKSURL is where the signing keys are (https, or http to loopback);
	// empty means {Issuer}/.well-known/jwks.json.
	JWKSURL string
	// ClientIDs, when set, must hold the token's client_id (access tokens)
	// or its aud (ID tokens).
	ClientIDs []string
	// Scope is what /weatherforecast requires: space-separated scopes, all
	// of them needed; empty means none.
	Scope string
	// TokenUse is "access", "id" or "any" (also "").
	TokenUse string
	// HTTPClient fetches the JWKS; nil means http.DefaultClient.
	HTTPClient *http.Client
	// CacheDir keeps the JWKS on disk across restarts; empty means in
	// memory only.
	CacheDir string
	// Logger gets one line a request (never the token); nil logs nothing.
	Logger *slog.Logger
}

// New returns the API's handler. Bad settings are errors; the JWKS is
// fetched on the first request that needs it.
func New(cfg Config) (http.Handler, error) {
	if cfg.Issuer == "" {
		return nil, errors.New("weatherapi: no issuer given")
	}
	jwksURL := cfg.JWKSURL
	if jwksURL == "" {
		jwksURL = verify.DefaultJWKSURL(cfg.Issuer)
	}
	keys, err := verify.NewRemote(jwksURL, cfg.HTTPClient, cfg.CacheDir)
	if err != nil {
		return nil, fmt.Errorf("weatherapi: %w", err)
	}
	v, err := verify.New(keys, verify.Options{
		Issuers:   []string{cfg.Issuer},
		TokenUse:  cfg.TokenUse,
		ClientIDs: cfg.ClientIDs,
	})
	if err != nil {
		return nil, fmt.Errorf("weatherapi: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /weatherforecast", RequireToken(v, cfg.Scope, http.HandlerFunc(forecast)))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	if cfg.Logger == nil {
		return mux, nil
	}
	return logRequests(cfg.Logger, mux), nil
}

// Forecast is one day of the ASP.NET template's weather forecast.
type Forecast struct {
	Date         string `json:"date"` // YYYY-MM-DD
	TemperatureC int    `json:"temperatureC"`
	TemperatureF int    `json:"temperatureF"`
	Summary      string `json:"summary"`
}

var summaries = []string{
	"Freezing", "Bracing", "Chilly", "Cool", "Mild", "Warm", "Balmy", "Hot", "Sweltering", "Scorching",
}

// Forecasts returns n days of random weather from tomorrow on, as the
// ASP.NET template does (temperatures -20..54 °C, its °F formula).
func Forecasts(now time.Time, n int) []Forecast {
	out := make([]Forecast, n)
	for i := range out {
		c := rand.IntN(75) - 20
		out[i] = Forecast{
			Date:         now.AddDate(0, 0, i+1).Format(time.DateOnly),
			TemperatureC: c,
			TemperatureF: 32 + int(float64(c)/0.5556),
			Summary:      summaries[rand.IntN(len(summaries))],
		}
	}
	return out
}

func forecast(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, Forecasts(time.Now(), 5))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // "<token>" reads better than "\u003ctoken\u003e"
	_ = enc.Encode(v)
}

// statusRecorder remembers the status a handler wrote, for the log.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func logRequests(l *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		note := new(string)
		next.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), noteKey{}, note)))
		attrs := []any{"method", r.Method, "path", r.URL.Path, "status", rec.status,
			"duration", time.Since(start).Round(time.Microsecond)}
		if *note != "" {
			attrs = append(attrs, "reason", *note)
		}
		l.Info("request", attrs...)
	})
}

// noteKey holds a *string in the request context where RequireToken leaves
// why it refused a request, for the log.
type noteKey struct{}

func setNote(r *http.Request, reason string) {
	if p, ok := r.Context().Value(noteKey{}).(*string); ok {
		*p = reason
	}
}
