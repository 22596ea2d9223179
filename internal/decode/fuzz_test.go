package decode

import (
	"encoding/json"
	"io"
	"testing"
	"time"

	"github.com/cogtool/cogtool/internal/exit"
)

// FuzzParse checks that no input panics Parse or the renderers, that every
// failure is a usage error, and that accepted tokens marshal to valid JSON.
func FuzzParse(f *testing.F) {
	f.Add(jws(testHeader, testClaims))
	f.Add("Bearer " + jws(`{"alg":"none"}`, `{"exp":1e400}`))
	f.Add(seg(`{"alg":"RSA-OAEP","enc":"A256GCM"}`) + ".YQ.YQ.YQ.YQ")
	f.Add("a.b")
	f.Fuzz(func(t *testing.T, s string) {
		norm, err := Normalize(s)
		if err != nil {
			if exit.CodeOf(err) != exit.Usage {
				t.Fatalf("Normalize error with code %d: %v", exit.CodeOf(err), err)
			}
			return
		}
		tok, err := Parse(norm)
		if err != nil {
			if exit.CodeOf(err) != exit.Usage {
				t.Fatalf("Parse error with code %d: %v", exit.CodeOf(err), err)
			}
			return
		}
		out, err := json.Marshal(tok)
		if err != nil || !json.Valid(out) {
			t.Fatalf("MarshalJSON: %v %q", err, out)
		}
		if err := RenderText(io.Discard, tok, time.Unix(1700000000, 0), true); err != nil {
			t.Fatalf("RenderText: %v", err)
		}
	})
}
