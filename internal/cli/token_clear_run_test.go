package cli

import (
	"testing"
)

// TestTokenClearRun: what token clear removes and says: a count on stderr
// for people, {"removed":[ids]} on a pipe; an id that matches nothing is
// exit 2 and removes nothing.
func TestTokenClearRunTable(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts tokenClearOptions
		left int // entries left of the two
	}{
		{"all", tokenClearOptions{All: true}, 0},
		{"expired", tokenClearOptions{Expired: true}, 1},
		{"user", tokenClearOptions{User: "alice", Flow: "password"}, 1},
		{"client-no-match", tokenClearOptions{Client: "nobody"}, 2},
		{"unknown-id", tokenClearOptions{IDs: []string{"0000ffff"}}, 2},
	} {
		for _, tty := range []bool{true, false} {
			name := tt.name + "-" + ttyName(tty)
			t.Run(name, func(t *testing.T) {
				r := newRunIO(tty)
				opts := tt.opts
				opts.IO, opts.Output, opts.Now, opts.Cache = r.IO, r.output("json"), fixedNow, runCache(t)
				err := tokenClearRun(t.Context(), &opts)
				r.check(t, "token-clear/"+name, err)
				c, _ := opts.Cache()
				list, lerr := c.List()
				if lerr != nil || len(list) != tt.left {
					t.Errorf("%d entries left (%v), want %d", len(list), lerr, tt.left)
				}
			})
		}
	}
}
