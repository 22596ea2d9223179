package decode

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/cogtool/cogtool/internal/exit"
)

func seg(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// jws builds an unsigned-looking token from literal JSON, keeping its order.
func jws(header, claims string) string {
	return seg(header) + "." + seg(claims) + "." + seg("sig-bytes")
}

const (
	testHeader = `{"kid":"k1","alg":"RS256"}`
	testClaims = `{"sub":"abc","token_use":"access","exp":1700003600,"iat":1700000000,"scope":"a/b c"}`
)

func TestNormalize(t *testing.T) {
	tok := jws(testHeader, testClaims)
	for _, in := range []string{
		tok,
		"  " + tok + "\n",
		"Bearer " + tok,
		"bearer\t" + tok,
		"BEARER " + tok + "\r\n",
		"Authorization: Bearer " + tok,
		"authorization:bearer " + tok,
		"AUTHORIZATION:   BEARER   " + tok + "  ",
		`"` + tok + `"`,
	} {
		got, err := Normalize(in)
		if err != nil {
			t.Errorf("Normalize(%q): %v", in, err)
			continue
		}
		if got != tok {
			t.Errorf("Normalize(%q) = %q, want the bare token", in, got)
		}
	}
	for _, in := range []string{"", "   \n", "Bearer", "Bearer   ", "Authorization: Bearer ", `""`} {
		_, err := Normalize(in)
		if exit.CodeOf(err) != exit.Usage || !strings.Contains(err.Error(), "no token given") {
			t.Errorf("Normalize(%q) = %v, want code 2 no token given", in, err)
		}
	}
	// "Bearerx" is not the scheme: it stays (and later fails to parse).
	if got, _ := Normalize("Bearerx"); got != "Bearerx" {
		t.Errorf("Normalize(Bearerx) = %q", got)
	}
}

func TestParseJWS(t *testing.T) {
	raw := jws(testHeader, testClaims)
	tok, err := Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	if tok.Encrypted || tok.Raw != raw {
		t.Errorf("Encrypted=%v Raw equal=%v", tok.Encrypted, tok.Raw == raw)
	}
	if string(tok.Header) != testHeader || string(tok.Claims) != testClaims {
		t.Errorf("header %s claims %s", tok.Header, tok.Claims)
	}
	if want := raw[:strings.LastIndexByte(raw, '.')]; tok.SigningInput != want {
		t.Errorf("SigningInput = %q, want %q", tok.SigningInput, want)
	}
	if string(tok.Signature) != "sig-bytes" {
		t.Errorf("Signature = %q", tok.Signature)
	}
}

func TestParseErrors(t *testing.T) {
	h, c := seg(testHeader), seg(testClaims)
	big := strings.Repeat("A", 2<<20)
	for _, tc := range []struct {
		name, raw, want string
	}{
		{"one segment", "abc", "not a JWT: 1 segment, want 3"},
		{"two segments", h + "." + c, "not a JWT: 2 segments, want 3"},
		{"four segments", h + "." + c + ".x.y", "not a JWT: 4 segments, want 3"},
		{"six segments", "a.b.c.d.e.f", "not a JWT: 6 segments, want 3"},
		{"bad base64 header", "%%%." + c + ".", "bad base64 in header"},
		{"bad base64 payload", h + ".!!." + "", "bad base64 in payload"},
		{"bad base64 signature", h + "." + c + ".a*b", "bad base64 in signature"},
		{"padded header", h + "=." + c + ".", "bad base64 in header"},
		{"header not json", seg("hello") + "." + c + ".", "header is not a JSON object"},
		{"header array", seg("[1]") + "." + c + ".", "header is not a JSON object"},
		{"header null", seg("null") + "." + c + ".", "header is not a JSON object"},
		{"header broken json", seg(`{"alg":`) + "." + c + ".", "bad JSON in header"},
		{"header trailing junk", seg(`{"alg":"x"} x`) + "." + c + ".", "bad JSON in header"},
		{"empty header", "." + c + ".", "header is not a JSON object"},
		{"payload not json", h + "." + seg("plain text") + ".", "payload is not a JSON object"},
		{"payload string", h + "." + seg(`"s"`) + ".", "payload is not a JSON object"},
		{"empty", "", "not a JWT: 1 segment, want 3"},
		{"dots only", "..", "header is not a JSON object"},
		{"2 MiB", big + "." + c + ".", "over the 1048576 byte limit"},
		{"jwe bad base64", h + ".YQ.b!.YQ.YQ", "bad base64 in iv"},
		{"jwe header not json", seg("x") + ".YQ.YQ.YQ.YQ", "header is not a JSON object"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tok, err := Parse(tc.raw)
			if err == nil {
				t.Fatalf("Parse accepted it: %+v", tok)
			}
			var e *exit.Error
			if !errors.As(err, &e) || e.Code != exit.Usage {
				t.Errorf("error %v: want *exit.Error code 2", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not contain %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
		})
	}
}

func TestParseJWE(t *testing.T) {
	header := `{"cty":"JWT","enc":"A256GCM","alg":"RSA-OAEP"}`
	raw := seg(header) + "." + seg("key") + "." + seg("iv") + "." + seg("ciphertext") + "." + seg("tag")
	tok, err := Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	if !tok.Encrypted || tok.Claims != nil || tok.Signature != nil {
		t.Errorf("JWE: %+v", tok)
	}
	out, err := json.Marshal(tok)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"header":` + header + `,"encrypted":true}`; string(out) != want {
		t.Errorf("JSON = %s, want %s", out, want)
	}
	var buf bytes.Buffer
	if err := RenderText(&buf, tok, time.Now(), false); err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	for _, want := range []string{"encrypted token (JWE)", "refresh token", "enc  A256GCM", "RSA-OAEP"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "claims") {
		t.Errorf("JWE text shows claims:\n%s", text)
	}
}

func TestMarshalJSONKeepsOrder(t *testing.T) {
	tok, err := Parse(jws(testHeader, testClaims))
	if err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(tok)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"header":` + testHeader + `,"claims":` + testClaims + `}`
	if string(out) != want {
		t.Errorf("JSON = %s\nwant   %s", out, want)
	}
	if strings.Contains(string(out), seg("sig-bytes")) || strings.Contains(string(out), tok.Raw) {
		t.Error("JSON output carries the signature or raw token")
	}
}

func TestRenderText(t *testing.T) {
	claims := `{"sub":"abc","cognito:groups":["admin","dev"],"exp":1700003600,"iat":1700000000,"nbf":1699990000,"auth_time":1700000000.5,"evil":"\u001b[2Jx\u202e"}`
	tok, err := Parse(jws(testHeader, claims))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1700000060, 0)
	var buf bytes.Buffer
	if err := RenderText(&buf, tok, now, false); err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	lines := strings.Split(text, "\n")
	if !strings.Contains(lines[0], "NOT verified") {
		t.Errorf("first line %q does not say not verified", lines[0])
	}
	for _, want := range []string{
		"  kid  k1\n  alg  RS256\n", // header order kept, aligned
		"exp             2023-11-14T23:13:20Z (in 59m)",
		"iat             2023-11-14T22:13:20Z (1m ago)",
		"nbf             2023-11-14T19:26:40Z (2h ago)",
		"auth_time       2023-11-14T22:13:20Z (59s ago)",
		`cognito:groups  ["admin","dev"]`,
		`evil            \u001b[2Jx\u202e`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	if strings.ContainsRune(text, '\x1b') || strings.ContainsRune(text, '\u202e') {
		t.Error("control characters from the token reached the output")
	}
	if !regexp.MustCompile(`exp +\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ`).MatchString(text) {
		t.Error("exp is not RFC 3339")
	}
	// sub before exp: the issuer's order.
	if strings.Index(text, "sub ") > strings.Index(text, "exp ") {
		t.Error("claim order not kept")
	}

	buf.Reset()
	if err := RenderText(&buf, tok, now, true); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "\x1b[33m") || !strings.Contains(buf.String(), ansiCyan+"sub"+ansiReset) {
		t.Errorf("colour requested but not used:\n%q", buf.String())
	}
}

func TestRenderTextMarksExpired(t *testing.T) {
	tok, err := Parse(jws(testHeader, `{"sub":"abc","exp":1700003600,"iat":1700000000}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		now  int64
		want bool
	}{{1700000060, false}, {1700003600, true}, {1700007200, true}} {
		var buf bytes.Buffer
		if err := RenderText(&buf, tok, time.Unix(tc.now, 0), false); err != nil {
			t.Fatal(err)
		}
		got := regexp.MustCompile(`(?m)^  exp .*EXPIRED$`).MatchString(buf.String())
		if got != tc.want || strings.Count(buf.String(), "EXPIRED") > 1 {
			t.Errorf("now %d: EXPIRED shown %v, want %v:\n%s", tc.now, got, tc.want, buf.String())
		}
	}
}

func TestRenderTextNonNumericTime(t *testing.T) {
	tok, err := Parse(jws(testHeader, `{"exp":"tomorrow","iat":1e300}`))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := RenderText(&buf, tok, time.Unix(0, 0), false); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "exp  tomorrow") || !strings.Contains(buf.String(), "iat  1e300") {
		t.Errorf("odd time claims not shown as is:\n%s", buf.String())
	}
}

func TestRelative(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{0, "just now"},
		{999 * time.Millisecond, "just now"},
		{-999 * time.Millisecond, "just now"},
		{time.Second, "in 1s"},
		{-42 * time.Second, "42s ago"},
		{59*time.Minute + 59*time.Second, "in 59m"},
		{-5 * time.Minute, "5m ago"},
		{-3*time.Hour - 20*time.Minute, "3h ago"},
		{47 * time.Hour, "in 47h"},
		{-72 * time.Hour, "3d ago"},
		{time.Duration(-1 << 63), "106751d ago"},
	} {
		if got := Relative(tc.d); got != tc.want {
			t.Errorf("Relative(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

func TestSanitize(t *testing.T) {
	for in, want := range map[string]string{
		"plain ü 漢字":      "plain ü 漢字",
		"a\nb":            `a\u000ab`,
		"\x1b[31m":        `\u001b[31m`,
		"x\u202ey":        `x\u202ey`,
		"bad\xffutf8":     `bad\xffutf8`,
		"c1\u009bcontrol": `c1\u009bcontrol`,
	} {
		if got := Sanitize(in); got != want {
			t.Errorf("Sanitize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseInvalidUTF8(t *testing.T) {
	raw := jws(testHeader, "{\"sub\":\"a\xffb\",\"exp\":1}")
	tok, err := Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(tok)
	if err != nil {
		t.Fatal(err)
	}
	if !utf8.Valid(out) || !strings.Contains(string(out), `"sub":"a`+"\uFFFD"+`b"`) {
		t.Errorf("JSON output %q", out)
	}
	if tok.SigningInput != raw[:strings.LastIndexByte(raw, '.')] {
		t.Error("signing input changed")
	}
}

func TestPeek(t *testing.T) {
	var c struct {
		Sub string `json:"sub"`
		Exp int64  `json:"exp"`
	}
	if !Peek(jws(testHeader, testClaims), &c) || c.Sub != "abc" || c.Exp != 1700003600 {
		t.Errorf("Peek = %+v", c)
	}
	jwe := seg(`{"alg":"RSA-OAEP","enc":"A256GCM"}`) + "." + seg("k") + "." + seg("iv") + "." + seg("ct") + "." + seg("tag")
	for name, tok := range map[string]string{
		"JWE":           jwe,
		"not a token":   "hello",
		"claims array":  jws(testHeader, `[1]`),
		"header junk":   seg("x") + "." + seg(testClaims) + "." + seg("s"),
		"padded base64": jws(testHeader, testClaims) + "==",
	} {
		var v map[string]any
		if Peek(tok, &v) {
			t.Errorf("%s: Peek read %v", name, v)
		}
	}
	// A claim of another type: false, and the claims that did decode are kept.
	c.Sub, c.Exp = "", 0
	if Peek(jws(testHeader, `{"sub":"abc","exp":"soon"}`), &c) || c.Sub != "abc" {
		t.Errorf("type error: Peek = %+v", c)
	}
}
