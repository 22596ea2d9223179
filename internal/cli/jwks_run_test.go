package cli

import (
	"testing"
	"time"
)

// TestJWKSRun: jwks prints the pool's key set, fetched from the strict
// fake, indented, on a terminal as on a pipe (it has no run function of its own yet: the command runs
// with a factory on test streams).
func TestJWKSRunTable(t *testing.T) {
	_, pool, norm := newStrictRun(t)
	for _, tt := range []struct{ name, url string }{
		{"pool", pool.JWKSURL},
		{"not-found", pool.JWKSURL + ".missing"},
		{"none", ""},
	} {
		for _, tty := range []bool{true, false} {
			name := tt.name + "-" + ttyName(tty)
			t.Run(name, func(t *testing.T) {
				r := newRunIO(tty)
				f := r.factory(&Settings{JWKSURL: tt.url, Timeout: 10 * time.Second})
				err := runCmd(newJWKSCmd(f, nil))
				r.assertJSON(t) // the key set is a JSON document wherever it goes
				r.assertGolden(t, "jwks/"+name, err, norm...)
			})
		}
	}
}
