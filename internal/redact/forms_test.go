package redact

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
)

// TestSecretEchoForms: a secret a server quotes back is hidden in each
// form it may take in a reply or a trace.
func TestSecretEchoForms(t *testing.T) {
	const sec = "Pässw0rd/+&<x> y"
	ascii, _ := json.Marshal(sec) // Go escapes <, >, & as \u003c...
	forms := map[string]string{
		"raw":             sec,
		"query":           url.QueryEscape(sec),
		"path":            url.PathEscape(sec),
		"query lowercase": lowerPercentHex(url.QueryEscape(sec)),
		"json (Go)":       strings.Trim(string(ascii), `"`),
		"json \\u00e4":    `P\u00e4ssw0rd/+\u0026\u003cx\u003e y`,
		"json \\u00E4":    `P\u00E4ssw0rd/+\u0026\u003Cx\u003E y`,
		"json \\/":        `P\u00e4ssw0rd\/+\u0026\u003cx\u003e y`,
		"base64":          base64.StdEncoding.EncodeToString([]byte(sec)),
		"base64url raw":   base64.RawURLEncoding.EncodeToString([]byte(sec)),
	}
	for name, f := range forms {
		got := String(`{"error_description":"bad value `+f+` here"}`, sec)
		if strings.Contains(got, f) || !strings.Contains(got, Marker) {
			t.Errorf("%s: %q -> %q", name, f, got)
		}
	}
}

func TestShortenRedactsFirst(t *testing.T) {
	const sec = "s3cr3t-client-secret-value"
	desc := strings.Repeat("x", 290) + " " + sec
	got := Shorten(desc, 300, sec)
	if strings.Contains(got, sec[:5]) {
		t.Errorf("a prefix of the secret survived the cut: %q", got[280:])
	}
}

func TestLineAndPrintable(t *testing.T) {
	in := "bad\x1b]0;pwned\x07 \x1b[2Jthing\u202eevil\r\nnext\x9b"
	has := func(s string, bad ...string) bool {
		for _, b := range bad {
			if strings.Contains(s, b) {
				return true
			}
		}
		return false
	}
	if got := Line(in); has(got, "\x1b", "\x07", "\r", "\n", "\u202e", "\x9b") {
		t.Errorf("Line kept a control character: %q", got)
	}
	if got := Printable(in); has(got, "\x1b", "\x07", "\r", "\u202e", "\x9b") || !strings.Contains(got, "\n") {
		t.Errorf("Printable = %q", got)
	}
}

func TestURLUserinfo(t *testing.T) {
	got := String("GET https://alice:hunter2-secret@api.example.com/x failed; see ftp://u@h/")
	if strings.Contains(got, "hunter2") || strings.Contains(got, "alice") || strings.Contains(got, "u@h") {
		t.Errorf("String = %q", got)
	}
}

func TestClientSecretField(t *testing.T) {
	got := String(`{"UserPoolClient":{"ClientId":"abc","ClientSecret":"1example23456789secretvalue"}}`)
	if strings.Contains(got, "1example23456789secretvalue") {
		t.Errorf("String = %q", got)
	}
}
