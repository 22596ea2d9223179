// Package decode splits JWTs and JWEs and renders their header and claims
// for people and for machines. It never verifies a signature and never
// touches the network: that is package verify's job, and everything decode
// prints says the signature was not checked.
//
// Size guard: a token longer than MaxTokenSize (1 MiB) is refused with a
// usage error (exit code 2) before any decoding, so a hostile multi-megabyte
// input costs one length check, not a base64 and JSON pass. Real Cognito
// tokens are a few kilobytes; 1 MiB leaves room for huge group lists.
//
// All errors are *exit.Error with code exit.Usage: a string that is not a
// token is unreadable input, whatever the reason.
package decode

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/cogtool/cogtool/internal/exit"
)

// MaxTokenSize is the largest token, in bytes, that Parse accepts.
const MaxTokenSize = 1 << 20

// b64 is strict base64url without padding (RFC 7515 §2): padding and
// non-zero trailing bits are refused, so one token has one encoding.
var b64 = base64.RawURLEncoding.Strict()

// Token is a split JWS (three segments) or JWE (five segments). Header and
// Claims hold the decoded bytes exactly as the issuer wrote them, so output
// keeps the claim order.
type Token struct {
	Raw    string
	Header json.RawMessage
	// Claims is nil for a JWE: its payload is encrypted.
	Claims json.RawMessage
	// SigningInput is "<header>.<payload>" as it appears in Raw: the bytes
	// the signature covers. Empty for a JWE.
	SigningInput string
	Signature    []byte
	// Encrypted is true for a JWE, such as a Cognito refresh token.
	Encrypted bool
}

// Normalize extracts the token from what a user is likely to paste: the
// bare token, "Bearer <token>" or "Authorization: Bearer <token>" (names
// matched without regard to case), with surrounding whitespace, or the
// token in double quotes as `jq` prints it without -r.
func Normalize(s string) (string, error) {
	s = strings.TrimSpace(s)
	if hasPrefixFold(s, "authorization:") {
		s = strings.TrimSpace(s[len("authorization:"):])
	}
	if hasPrefixFold(s, "bearer") && (len(s) == len("bearer") || isSpace(s[len("bearer")])) {
		s = strings.TrimSpace(s[len("bearer"):])
	}
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	if s == "" {
		return "", exit.Usagef("no token given")
	}
	return s, nil
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' }

// Parse splits raw (already normalized) and checks that the header, and for
// a JWS the claims, are JSON objects.
func Parse(raw string) (*Token, error) {
	t, err := Split(raw)
	if err != nil {
		return nil, err
	}
	if err := checkObject("header", t.Header); err != nil {
		return nil, err
	}
	if !t.Encrypted {
		if err := checkObject("payload", t.Claims); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// Peek reads the claims of a JWS into v without verifying anything: for
// callers that label or look up tokens they already hold (the expiry of a
// cached token, whose tokens a cache entry holds), never to trust one. It
// reports whether tok parsed and its claims decoded into v whole; v may be
// partly filled when they did not.
func Peek(tok string, v any) bool {
	t, err := Parse(tok)
	if err != nil || t.Encrypted {
		return false
	}
	return json.Unmarshal(t.Claims, v) == nil
}

// Split is Parse without the JSON checks, for callers that decode header
// and claims themselves and would otherwise scan them twice (verify).
// Callers must then treat Header and Claims as untrusted bytes.
func Split(raw string) (*Token, error) {
	t := new(Token)
	if _, err := t.SplitInto(raw, nil); err != nil {
		return nil, err
	}
	return t, nil
}

// SplitInto is Split into t, decoding a JWS's three parts into buf when it
// is large enough (a new buffer when not). It returns the buffer used, so
// a caller verifying token after token can hand it back once it is done
// with t's Header, Claims and Signature, which point into it.
func (t *Token) SplitInto(raw string, buf []byte) ([]byte, error) {
	*t = Token{}
	if len(raw) > MaxTokenSize {
		return buf, exit.Usagef("not a JWT: %d bytes, over the %d byte limit", len(raw), MaxTokenSize)
	}
	var parts [5]string
	n := 0
	rest := raw
	for {
		i := strings.IndexByte(rest, '.')
		if i < 0 {
			if n < len(parts) {
				parts[n] = rest
			}
			n++
			break
		}
		if n < len(parts) {
			parts[n] = rest[:i]
		}
		n++
		rest = rest[i+1:]
	}
	switch n {
	case 3:
		*t = Token{Raw: raw, SigningInput: raw[:len(parts[0])+1+len(parts[1])]}
		// One buffer for all three parts; each slice is capped so an
		// append to one cannot overwrite the next.
		need := b64.DecodedLen(len(parts[0])) + b64.DecodedLen(len(parts[1])) + b64.DecodedLen(len(parts[2]))
		if cap(buf) < need {
			buf = make([]byte, need)
		}
		rest := buf[:need]
		var err error
		if t.Header, rest, err = decodeInto(rest, "header", parts[0], true); err != nil {
			return buf, err
		}
		if t.Claims, rest, err = decodeInto(rest, "payload", parts[1], true); err != nil {
			return buf, err
		}
		if t.Signature, _, err = decodeInto(rest, "signature", parts[2], false); err != nil {
			return buf, err
		}
		return buf, nil
	case 5:
		// JWE compact form: header.encrypted_key.iv.ciphertext.tag. Only the
		// header is readable; the rest is checked for base64 so that junk
		// with four dots is not called a JWE.
		*t = Token{Raw: raw, Encrypted: true}
		var err error
		if t.Header, err = decodeText("header", parts[0]); err != nil {
			return buf, err
		}
		for i, name := range []string{"encrypted key", "iv", "ciphertext", "tag"} {
			if _, err := decodeSegment(name, parts[i+1]); err != nil {
				return buf, err
			}
		}
		return buf, nil
	default:
		unit := "segments"
		if n == 1 {
			unit = "segment"
		}
		return buf, exit.Usagef("not a JWT: %d %s, want 3", n, unit)
	}
}

func decodeSegment(name, s string) ([]byte, error) {
	b, err := b64.DecodeString(s)
	if err != nil {
		return nil, exit.Usagef("not a JWT: bad base64 in %s: %w", name, err)
	}
	return b, nil
}

// decodeInto decodes s into the front of buf and returns the decoded part
// and the rest of buf. Text parts get decodeText's UTF-8 repair.
func decodeInto(buf []byte, name, s string, text bool) (part, rest []byte, err error) {
	n, err := b64.Decode(buf, []byte(s))
	if err != nil {
		return nil, nil, exit.Usagef("not a JWT: bad base64 in %s: %w", name, err)
	}
	part, rest = buf[:n:n], buf[n:]
	if text && !utf8.Valid(part) {
		part = bytes.ToValidUTF8(part, []byte("\uFFFD"))
	}
	return part, rest, nil
}

// decodeText decodes a header or payload. Invalid UTF-8 is replaced by
// U+FFFD so that JSON output stays valid UTF-8; outside strings such bytes
// are a syntax error anyway. The signature covers SigningInput, not these
// bytes, so verification is unaffected.
func decodeText(name, s string) ([]byte, error) {
	b, err := decodeSegment(name, s)
	if err == nil && !utf8.Valid(b) {
		b = bytes.ToValidUTF8(b, []byte("\uFFFD"))
	}
	return b, err
}

// checkObject reports whether b is one JSON object.
func checkObject(name string, b []byte) error {
	if !IsObject(b) {
		return exit.Usagef("not a JWT: %s is not a JSON object", name)
	}
	if !json.Valid(b) {
		// Unmarshal says where the syntax breaks; Valid does not.
		var v struct{}
		err := json.Unmarshal(b, &v)
		if err == nil {
			err = fmt.Errorf("invalid JSON")
		}
		return exit.Usagef("not a JWT: bad JSON in %s: %w", name, err)
	}
	return nil
}

// IsObject reports whether b starts, after white space, with '{'. It does
// not validate the rest: json.Unmarshal into a struct does that, but it
// silently accepts "null", which this catches.
func IsObject(b []byte) bool {
	b = bytes.TrimLeft(b, " \t\r\n")
	return len(b) > 0 && b[0] == '{'
}

// MarshalJSON gives {"header":{...},"claims":{...}} for a JWS and
// {"header":{...},"encrypted":true} for a JWE. Signature and raw token are
// left out: output must never reproduce a whole token.
func (t *Token) MarshalJSON() ([]byte, error) {
	if t.Encrypted {
		return json.Marshal(struct {
			Header    json.RawMessage `json:"header"`
			Encrypted bool            `json:"encrypted"`
		}{t.Header, true})
	}
	return json.Marshal(struct {
		Header json.RawMessage `json:"header"`
		Claims json.RawMessage `json:"claims"`
	}{t.Header, t.Claims})
}
