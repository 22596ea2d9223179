package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/verify"
)

// Realm is the realm in the API's WWW-Authenticate challenges.
const Realm = "weatherapi"

// ErrorBody is the JSON body of every refusal, in RFC 6750's terms.
type ErrorBody struct {
	Error       string `json:"error"`
	Description string `json:"error_description,omitempty"`
	Scope       string `json:"scope,omitempty"`
}

type resultKey struct{}

// ResultFrom returns the verified token of a request that RequireToken let
// through.
func ResultFrom(ctx context.Context) (*verify.Result, bool) {
	res, ok := ctx.Value(resultKey{}).(*verify.Result)
	return res, ok
}

// RequireToken lets a request through to next only with a bearer token that
// v accepts and that holds every scope in scope (space-separated; empty
// means none). Refusals follow RFC 6750 §3:
//
//   - no Authorization header: 401, WWW-Authenticate: Bearer realm="weatherapi"
//     and no error code, as §3.1 asks of a request without credentials;
//   - a header that is not "Bearer <token>", or a token v rejects: 401 with
//     error="invalid_token" and the rejection reason as error_description
//     ("expired 5m ago", "issuer mismatch: ..."); the token itself is never
//     echoed;
//   - a valid token without a required scope: 403 with
//     error="insufficient_scope" and scope="<required scopes>";
//   - the signing keys cannot be fetched: 503, which is the API's problem,
//     not the caller's.
//
// Every refusal has a JSON body {"error":...,"error_description":...}.
func RequireToken(v *verify.Verifier, scope string, next http.Handler) http.Handler {
	required := strings.Fields(scope)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		values := r.Header.Values("Authorization")
		if len(values) == 0 {
			challenge(w, r, http.StatusUnauthorized, ErrorBody{
				Error:       "unauthorized",
				Description: "no bearer token: send Authorization: Bearer <token>",
			})
			return
		}
		if len(values) > 1 {
			refuseToken(w, r, "more than one Authorization header")
			return
		}
		scheme, token, _ := strings.Cut(strings.TrimSpace(values[0]), " ")
		token = strings.TrimSpace(token)
		if !strings.EqualFold(scheme, "Bearer") || token == "" {
			refuseToken(w, r, "the Authorization header is not 'Bearer <token>'")
			return
		}
		res, err := v.Verify(r.Context(), token)
		if err != nil {
			switch exit.CodeOf(err) {
			case exit.Rejected, exit.Usage:
				refuseToken(w, r, err.Error())
			case exit.Network:
				setNote(r, err.Error())
				writeJSON(w, http.StatusServiceUnavailable, ErrorBody{
					Error:       "temporarily_unavailable",
					Description: "the API cannot fetch its signing keys; try again later",
				})
			default:
				setNote(r, err.Error())
				writeJSON(w, http.StatusInternalServerError, ErrorBody{Error: "server_error"})
			}
			return
		}
		if missing := missingScopes(res, required); len(missing) > 0 {
			desc := fmt.Sprintf("missing scope %s", strings.Join(missing, " "))
			if res.TokenUse == "id" {
				desc += ": an id token carries no scopes, send the access token"
			}
			challenge(w, r, http.StatusForbidden, ErrorBody{
				Error:       "insufficient_scope",
				Description: desc,
				Scope:       strings.Join(required, " "),
			})
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), resultKey{}, res)))
	})
}

func refuseToken(w http.ResponseWriter, r *http.Request, reason string) {
	challenge(w, r, http.StatusUnauthorized, ErrorBody{Error: "invalid_token", Description: reason})
}

// missingScopes lists the required scopes the token's scope claim lacks.
func missingScopes(res *verify.Result, required []string) []string {
	if len(required) == 0 {
		return nil
	}
	var c struct {
		Scope string `json:"scope"`
	}
	// The claims were decoded once already by Verify; a scope of the wrong
	// type simply counts as no scopes.
	_ = json.Unmarshal(res.Claims, &c)
	have := strings.Fields(c.Scope)
	var missing []string
	for _, s := range required {
		if !slices.Contains(have, s) {
			missing = append(missing, s)
		}
	}
	return missing
}

// challenge writes a refusal with its WWW-Authenticate header and JSON body.
func challenge(w http.ResponseWriter, r *http.Request, status int, body ErrorBody) {
	setNote(r, body.Description)
	params := []string{`realm="` + Realm + `"`}
	// A request without credentials gets a bare challenge (RFC 6750 §3.1);
	// its JSON body still says what is wrong.
	if body.Error != "unauthorized" {
		params = append(params, `error="`+body.Error+`"`)
		if body.Description != "" {
			params = append(params, `error_description="`+headerSafe(body.Description)+`"`)
		}
		if body.Scope != "" {
			params = append(params, `scope="`+headerSafe(body.Scope)+`"`)
		}
	}
	w.Header().Set("WWW-Authenticate", "Bearer "+strings.Join(params, ", "))
	writeJSON(w, status, body)
}

// headerSafe keeps what RFC 6750 allows inside error_description and scope
// (%x20-21 / %x23-5B / %x5D-7E): quotes become apostrophes, backslashes
// slashes, anything else outside the range a '?'; at most 200 bytes.
func headerSafe(s string) string {
	s = strings.Map(func(c rune) rune {
		switch {
		case c == '"':
			return '\''
		case c == '\\':
			return '/'
		case c < 0x20 || c > 0x7e:
			return '?'
		}
		return c
	}, s)
	if len(s) > 200 {
		s = s[:197] + "..."
	}
	return s
}
