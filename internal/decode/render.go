package decode

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cogtool/cogtool/internal/redact"
)

// timeClaims are shown as RFC 3339 plus a relative time.
var timeClaims = map[string]bool{"exp": true, "iat": true, "nbf": true, "auth_time": true}

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiYellow = "\x1b[33m"
	ansiRed    = "\x1b[31m"
	ansiCyan   = "\x1b[36m"
	ansiDim    = "\x1b[2m"
)

// RenderText writes t for people: a line saying the signature was not
// verified (or that the token is encrypted), then header and claims as
// aligned "key  value" lines in the issuer's order. Every string from the
// token is printed with control and bidi characters escaped, so a hostile
// token cannot drive the terminal.
func RenderText(w io.Writer, t *Token, now time.Time, color bool) error {
	p := &printer{w: w, color: color}
	if t.Encrypted {
		p.line(ansiYellow, "encrypted token (JWE), e.g. a Cognito refresh token: its payload is opaque and cannot be decoded or verified")
	} else {
		p.line(ansiYellow, "signature NOT verified: decode only reads the token; use `cogtool verify` to check it")
	}
	p.printf("\n")
	p.line(ansiBold, "header")
	p.object(t.Header, now)
	if !t.Encrypted {
		p.printf("\n")
		p.line(ansiBold, "claims")
		p.object(t.Claims, now)
	}
	return p.err
}

type printer struct {
	w     io.Writer
	color bool
	err   error
}

func (p *printer) printf(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}

func (p *printer) paint(style, s string) string {
	if !p.color {
		return s
	}
	return style + s + ansiReset
}

func (p *printer) line(style, s string) { p.printf("%s\n", p.paint(style, s)) }

type member struct {
	key   string
	value json.RawMessage
}

// object prints the members of a JSON object in their original order.
func (p *printer) object(raw json.RawMessage, now time.Time) {
	members, err := members(raw)
	if err != nil {
		// Parse has validated the object; this is a caller handing us junk.
		p.printf("  %s\n", Sanitize(string(raw)))
		return
	}
	width := 0
	for _, m := range members {
		width = max(width, utf8.RuneCountInString(Sanitize(m.key)))
	}
	width = min(width, 24)
	for _, m := range members {
		key := Sanitize(m.key)
		pad := max(0, width-utf8.RuneCountInString(key))
		p.printf("  %s%s  %s\n", p.paint(ansiCyan, key), strings.Repeat(" ", pad), p.value(m.key, m.value, now))
	}
}

func members(raw json.RawMessage) ([]member, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, fmt.Errorf("not a JSON object")
	}
	var out []member
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := tok.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		out = append(out, member{key, v})
	}
	return out, nil
}

func (p *printer) value(key string, v json.RawMessage, now time.Time) string {
	v = bytes.TrimSpace(v)
	if len(v) > 0 && v[0] == '"' {
		var s string
		if json.Unmarshal(v, &s) == nil {
			return Sanitize(s)
		}
	}
	if timeClaims[key] {
		if t, ok := NumericDate(v); ok {
			rel := Relative(t.Sub(now))
			s := fmt.Sprintf("%s %s", t.UTC().Format(time.RFC3339), p.paint(ansiDim, "("+rel+")"))
			if key == "exp" && !t.After(now) {
				s += " " + p.paint(ansiRed, "EXPIRED")
			}
			return s
		}
	}
	var buf bytes.Buffer
	if json.Compact(&buf, v) == nil {
		return Sanitize(buf.String())
	}
	return Sanitize(string(v))
}

// NumericDate converts a JWT NumericDate (seconds since the epoch, maybe
// fractional) to a time. It reports false for anything else, including
// numbers outside years 0001..9999.
func NumericDate(v json.RawMessage) (time.Time, bool) {
	f, err := strconv.ParseFloat(string(bytes.TrimSpace(v)), 64)
	if err != nil || math.IsNaN(f) || f < -62135596800 || f > 253402300799 {
		return time.Time{}, false
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)), true
}

// Relative says how far d lies from now in one unit: "in 59m", "3h ago",
// "in 12s", "2d ago", or "just now" within a second. Units truncate, so a
// token with 59m59s left is "in 59m".
func Relative(d time.Duration) string {
	if d > -time.Second && d < time.Second {
		return "just now"
	}
	if d > 0 {
		return "in " + span(d)
	}
	if d == math.MinInt64 {
		d++
	}
	return span(-d) + " ago"
}

func span(d time.Duration) string {
	switch {
	case d < time.Minute:
		return strconv.FormatInt(int64(d/time.Second), 10) + "s"
	case d < time.Hour:
		return strconv.FormatInt(int64(d/time.Minute), 10) + "m"
	case d < 48*time.Hour:
		return strconv.FormatInt(int64(d/time.Hour), 10) + "h"
	default:
		return strconv.FormatInt(int64(d/(24*time.Hour)), 10) + "d"
	}
}

// Sanitize escapes control characters, bidi controls and invalid UTF-8 in
// s as \uXXXX (or \xXX), so token contents are safe to print to a
// terminal (redact.Escape).
func Sanitize(s string) string { return redact.Escape(s) }
