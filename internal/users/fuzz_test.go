package users

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/cogtool/cogtool/internal/exit"
)

// FuzzParseAttribute checks ParseAttribute against a plain statement of
// its rule ("name=value" split at the first '=', a name of 1 to 32
// letters, marks, symbols, digits or punctuation), that what it accepts
// round-trips to the input, and
// that what it refuses is a one-line usage error (exit 2).
func FuzzParseAttribute(f *testing.F) {
	for _, s := range []string{
		"email=alice@example.com", "custom:dept=R&D", "email_verified=true",
		"given_name=Zoë", "phone_number=+15555550100", "x=", "email", "=x",
		"a=b=c", "custom:b64=aGVsbG8=", "na me=x", "", "custom:é=1", "email\n=x", "email=a\nb",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseAttribute(s)

		name, _, one := strings.Cut(s, "=")
		valid := one && name != "" && utf8.ValidString(name) && utf8.RuneCountInString(name) <= 32 &&
			strings.IndexFunc(name, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) || !unicode.IsGraphic(r) }) < 0
		if (err == nil) != valid {
			t.Fatalf("ParseAttribute(%q) = %+v, %v; the rule says valid=%v", s, a, err, valid)
		}
		if err != nil {
			if c := exit.CodeOf(err); c != exit.Usage {
				t.Fatalf("ParseAttribute(%q): exit code %d, want %d", s, c, exit.Usage)
			}
			if strings.ContainsAny(err.Error(), "\r\n") {
				t.Fatalf("ParseAttribute(%q): error spans lines: %q", s, err)
			}
			return
		}
		if a.Name+"="+a.Value != s {
			t.Fatalf("ParseAttribute(%q) = %+v: does not round-trip", s, a)
		}
	})
}
