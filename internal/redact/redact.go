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
	"strings"
	"sync"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
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
		"ClientSecret", "secret_access_key", "session_token", "password",
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
// JWT/JWE-looking substrings (by Token), each of secrets whatever its
// length, also in the forms a server may echo it in (JSON-escaped, with
// or without \u escapes for non-ASCII, percent-encoded, base64), Basic and
// Bearer credentials, the userinfo of URLs, and the values of JSON and form
// fields with sensitive names (PASSWORD, SECRET_HASH, ClientSecret,
// client_secret, refresh_token, code, ...). Secrets of 1 to 3 characters
// would match ordinary text: cogtool refuses them at input.
func String(s string, secrets ...string) string {
	if len(secrets) == 0 || s == "" {
		return redactPatterns(s)
	}
	return redactPatterns(replaceForms(s, longestFirst(formsOf(secrets))))
}

// redactPatterns is String's rules that need no list of secrets: URL
// userinfo, sensitive JSON and form fields, Basic and Bearer credentials,
// JWT-shaped text.
func redactPatterns(s string) string {
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
		if strings.HasSuffix(cred, "=") && m[1] < len(s) && s[m[1]] == '"' {
			// An auth-param of a challenge (WWW-Authenticate: Bearer
			// realm="api"), not a token68 credential.
			return s[m[0]:m[1]]
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

// Forms returns sec and the other spellings a server, a trace or a
// log may give it: percent-encoded (query and path style, hex in either
// case), JSON-escaped (minimal, with \u escapes for everything outside
// printable ASCII, with "/" escaped; hex in either case), and base64
// (standard and URL alphabets, padded or not).
func Forms(sec string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(f string) {
		if f != "" && !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	add(sec)
	for _, f := range []string{url.QueryEscape(sec), url.PathEscape(sec)} {
		add(f)
		add(lowerPercentHex(f))
	}
	for _, f := range []string{jsonEscape(sec), jsonEscapeASCII(sec, false, true), jsonEscapeASCII(sec, true, true),
		jsonEscapeASCII(sec, false, false), jsonEscapeASCII(sec, true, false)} {
		add(f)
		add(strings.ReplaceAll(f, "/", `\/`))
	}
	if len(sec) >= 3 {
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
			add(enc.EncodeToString([]byte(sec)))
		}
	}
	return out
}

// lowerPercentHex turns the hex digits of %XX escapes to lower case.
func lowerPercentHex(s string) string {
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			for j := i + 1; j <= i+2; j++ {
				if b[j] >= 'A' && b[j] <= 'F' {
					b[j] += 'a' - 'A'
				}
			}
		}
	}
	return string(b)
}

// jsonEscapeASCII is s as a JSON string body with <, >, & and ' (which
// some encoders escape), control characters and, when nonASCII is set,
// every character outside ASCII written as \uXXXX (surrogate pairs above
// U+FFFF).
func jsonEscapeASCII(s string, upper, nonASCII bool) string {
	hex := "0123456789abcdef"
	if upper {
		hex = "0123456789ABCDEF"
	}
	var b strings.Builder
	u := func(r rune) {
		b.WriteString(`\u`)
		for shift := 12; shift >= 0; shift -= 4 {
			b.WriteByte(hex[(r>>shift)&0xf])
		}
	}
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f || nonASCII && r > 0x7e || r == '<' || r == '>' || r == '&' || r == '\'' || r == '\u2028' || r == '\u2029':
			if r > 0xffff {
				r1, r2 := utf16.EncodeRune(r)
				u(r1)
				u(r2)
			} else {
				u(r)
			}
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
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

// unsafeRune reports the characters that must not reach a terminal from a
// server: control characters (an escape sequence can retitle or rewrite
// the terminal), bidirectional overrides, line and paragraph separators,
// and invalid UTF-8.
func unsafeRune(r rune) bool {
	return r == utf8.RuneError || unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) ||
		r == '\u2028' || r == '\u2029'
}

// Line makes text that came from a server safe to print on one line: every
// control character, bidirectional override or line separator becomes a
// space, and runs of spaces become one. It is the one sanitizer for
// server-originated strings (error messages, reason phrases, error codes).
func Line(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unsafeRune(r) }), " ")
}

// Printable keeps s's lines and tabs but writes every other unsafe
// character as a visible \u escape, for multi-line text from a server
// (a --debug body).
func Printable(s string) string { return escape(s, "\n\t") }

// Escape writes every unsafe character of s (control characters, bidi
// controls, line separators, invalid UTF-8) as a visible \uXXXX or \xXX,
// for one-line text from a token or a server.
func Escape(s string) string { return escape(s, "") }

// escape writes every unsafe character of s but those in keep as \uXXXX,
// and a byte that is not UTF-8 as \xXX.
func escape(s, keep string) string {
	unsafe := func(r rune) bool { return unsafeRune(r) && !strings.ContainsRune(keep, r) }
	if strings.IndexFunc(s, unsafe) < 0 {
		return s
	}
	const digits = "0123456789abcdef"
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			b.WriteString(`\x`)
			b.WriteByte(digits[s[i]>>4])
			b.WriteByte(digits[s[i]&0xf])
		case unsafe(r):
			b.WriteString(`\u`)
			for shift := 12; shift >= 0; shift -= 4 {
				b.WriteByte(digits[(r>>shift)&0xf])
			}
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// Shorten is Line, then String with secrets, then a cut to at most n
// characters: redacting first means a cut can never leave the start of a
// secret behind.
func Shorten(s string, n int, secrets ...string) string {
	s = String(Line(s), secrets...)
	if r := []rune(s); len(r) > n {
		s = string(r[:n]) + "..."
	}
	return s
}
