// Package redact removes secrets, passwords and tokens from text before it is
// shown to anyone: error messages, --debug traces, verbose output. It never
// returns more of a token than its first six characters, which for a JWT is
// only the start of the base64 of `{"alg"`.
package redact

import (
	"bytes"
	"encoding/base64"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"unicode"
)

// Marker replaces a redacted value.
const Marker = "[redacted]"

// keep is how many leading characters of a token Token shows, and minShown
// the length below which nothing is shown at all.
const (
	keep     = 6
	minShown = 20
)

// Token shortens a token to its first six characters and a marker,
// eyJhbG...[redacted]. A string too short for that to hide anything comes
// back as [redacted].
func Token(tok string) string {
	tok = strings.TrimSpace(tok)
	if len(tok) < minShown {
		return Marker
	}
	return tok[:keep] + "..." + Marker
}

// Field names whose values are secret, compared case-insensitively. JSON
// covers the Cognito API (AuthParameters, ChallengeResponses, Admin* calls)
// and OAuth token replies; form covers OAuth request bodies and query strings.
var (
	jsonFields = fieldSet(
		"PASSWORD", "NEW_PASSWORD", "SECRET_HASH", "SecretHash", "SRP_A",
		"PASSWORD_CLAIM_SIGNATURE", "PASSWORD_CLAIM_SECRET_BLOCK", "SECRET_BLOCK",
		"ProposedPassword", "PreviousPassword", "TemporaryPassword", "Password",
		"AccessToken", "IdToken", "RefreshToken", "Token", "Session",
		"access_token", "id_token", "refresh_token", "client_secret",
		"code_verifier", "client_assertion", "assertion",
		"SecretCode", "UserCode", "ConfirmationCode", "ANSWER",
		"SMS_MFA_CODE", "SOFTWARE_TOKEN_MFA_CODE", "EMAIL_OTP_CODE", "DEVICE_PASSWORD",
		// AWS credentials: GetCredentialsForIdentity's reply, credential_process JSON.
		"SecretKey", "SecretAccessKey", "SessionToken",
	)
	formFields = fieldSet(
		"password", "client_secret", "refresh_token", "access_token", "id_token",
		"token", "code", "code_verifier", "client_assertion", "assertion",
		"secret_hash", "new_password",
	)
)

func fieldSet(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[strings.ToLower(n)] = true
	}
	return m
}

// The expressions are compiled on first use so that start-up of commands
// that never redact stays free.
var patterns = sync.OnceValue(func() *struct {
	jwt, jsonField, formField, authScheme, userinfo *regexp.Regexp
} {
	return &struct {
		jwt, jsonField, formField, authScheme, userinfo *regexp.Regexp
	}{
		// scheme://user:password@ in a URL anywhere in the text.
		userinfo: regexp.MustCompile(`\b([A-Za-z][A-Za-z0-9+.-]*://)[^/?#\s@"'<>]*@`),
		// eyJ is the base64 of `{"`: a JWT or JWE header. Up to four more
		// dot-separated segments (a JWE with "dir" has an empty one); a
		// truncated token with fewer segments is caught too.
		jwt: regexp.MustCompile(`eyJ[A-Za-z0-9_-]{8,}(?:\.[A-Za-z0-9_-]*){0,4}`),
		// "name" : "value" with JSON escapes inside the value.
		jsonField: regexp.MustCompile(`"([A-Za-z_][A-Za-z0-9_]*)"(\s*:\s*)"((?:[^"\\]|\\.)*)"`),
		// name=value in a form body or query string.
		formField: regexp.MustCompile(`(^|[?&;\s])([A-Za-z_][A-Za-z0-9_]*)=([^&;\s"]*)`),
		// Authorization values, with or without the header name.
		authScheme: regexp.MustCompile(`\b(Basic|Bearer|basic|bearer|BASIC|BEARER)([ \t]+)([A-Za-z0-9._~+/=-]+)`),
	}
})

// String returns s with every token, credential and given secret replaced:
// JWT/JWE-looking substrings (by Token), each of secrets that is at least four
// characters long (also in its URL- and JSON-escaped forms), Basic and Bearer
// credentials, and the values of JSON and form fields with sensitive names
// (PASSWORD, SECRET_HASH, client_secret, refresh_token, code, ...).
func String(s string, secrets ...string) string {
	s = redactSecrets(s, secrets)
	if s == "" {
		return s
	}
	p := patterns()
	if strings.Contains(s, "@") {
		s = URLUserinfo(s)
	}
	if strings.Contains(s, `"`) {
		s = replaceSubmatch(p.jsonField, s, func(s string, m []int) string {
			name, value := s[m[2]:m[3]], s[m[6]:m[7]]
			if !jsonFields[strings.ToLower(name)] || value == "" {
				return s[m[0]:m[1]]
			}
			return s[m[0]:m[6]] + valueMarker(value) + `"`
		})
	}
	if strings.Contains(s, "=") {
		s = replaceSubmatch(p.formField, s, func(s string, m []int) string {
			name, value := s[m[4]:m[5]], s[m[6]:m[7]]
			if !formFields[strings.ToLower(name)] || value == "" {
				return s[m[0]:m[1]]
			}
			return s[m[0]:m[6]] + valueMarker(value)
		})
	}
	s = replaceSubmatch(p.authScheme, s, func(s string, m []int) string {
		scheme, space, cred := s[m[2]:m[3]], s[m[4]:m[5]], s[m[6]:m[7]]
		if strings.HasPrefix(s[m[1]:], Marker) && isRedacted(cred+Marker) {
			return s[m[0]:m[1]] // already redacted (eyJhbG...[redacted])
		}
		if strings.EqualFold(scheme, "Basic") {
			if !isBasicCredential(cred) {
				return s[m[0]:m[1]]
			}
			return scheme + space + Marker
		}
		if isWord(cred) {
			return s[m[0]:m[1]] // prose ("bearer token"), not a credential
		}
		return scheme + space + Token(cred)
	})
	if strings.Contains(s, "eyJ") {
		s = p.jwt.ReplaceAllStringFunc(s, Token)
	}
	return s
}

// URLUserinfo replaces the userinfo (user:password@) of every URL in s by
// the marker.
func URLUserinfo(s string) string {
	return patterns().userinfo.ReplaceAllString(s, "${1}"+Marker+"@")
}

// valueMarker is what a sensitive field's value becomes: a token keeps its
// recognisable start, anything else (a password, a hash) shows nothing.
func valueMarker(v string) string {
	if isRedacted(v) {
		return v
	}
	if strings.HasPrefix(v, "eyJ") {
		return Token(v)
	}
	return Marker
}

// replaceSubmatch is ReplaceAllStringFunc with the submatch indexes, so that
// repl can look at what surrounds the match.
func replaceSubmatch(re *regexp.Regexp, s string, repl func(s string, m []int) string) string {
	all := re.FindAllStringSubmatchIndex(s, -1)
	if all == nil {
		return s
	}
	var b strings.Builder
	last := 0
	for _, m := range all {
		b.WriteString(s[last:m[0]])
		b.WriteString(repl(s, m))
		last = m[1]
	}
	b.WriteString(s[last:])
	return b.String()
}

// isBasicCredential reports whether cred is base64 of "user:password", so
// that the word after "Basic" in ordinary prose is left alone.
func isBasicCredential(cred string) bool {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding} {
		if b, err := enc.DecodeString(cred); err == nil {
			return bytes.IndexByte(b, ':') >= 0
		}
	}
	return false
}

func isWord(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

// isRedacted reports whether v is exactly what Token or a field redaction
// produces, so that a second pass keeps "eyJhbG...[redacted]" as it is.
func isRedacted(v string) bool {
	return v == Marker || (len(v) == keep+3+len(Marker) && strings.HasSuffix(v, "..."+Marker))
}

func redactSecrets(s string, secrets []string) string {
	if len(secrets) == 0 || s == "" {
		return s
	}
	var forms []string
	for _, sec := range secrets {
		if len(sec) < 4 {
			continue
		}
		forms = append(forms, sec)
		if q := url.QueryEscape(sec); q != sec {
			forms = append(forms, q)
		}
		if j := jsonEscape(sec); j != sec {
			forms = append(forms, j)
		}
	}
	// Longest first, so a secret that contains another is replaced whole.
	sort.Slice(forms, func(i, j int) bool { return len(forms[i]) > len(forms[j]) })
	for _, f := range forms {
		if strings.Contains(s, f) {
			s = strings.ReplaceAll(s, f, Marker)
		}
	}
	return s
}

func jsonEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20:
			const hex = "0123456789abcdef"
			b.WriteString(`\u00`)
			b.WriteByte(hex[r>>4])
			b.WriteByte(hex[r&0xf])
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
