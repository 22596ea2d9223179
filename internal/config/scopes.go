package config

import (
	"strings"

	"github.com/cogtool/cogtool/internal/exit"
)

// SplitScopes splits scope lists separated by white space, wherever they
// come from (--scope, $COGTOOL_SCOPE, the profile's scopes), and checks
// each scope against RFC 6749 section 3.3: printable ASCII other than the
// double quote and the backslash. A comma is refused too: it is always a
// list written the wrong way ("a,b"), never part of a real scope name.
// src names where the values came from, for the one error message.
func SplitScopes(src string, values ...string) ([]string, error) {
	var out []string
	for _, v := range values {
		for _, s := range strings.Fields(v) {
			if strings.IndexFunc(s, badScopeRune) >= 0 {
				return nil, exit.Usagef("%s: %q is not a scope: scopes are separated by white space, each printable ASCII without quotes, backslashes or commas", src, s)
			}
			out = append(out, s)
		}
	}
	return out, nil
}

func badScopeRune(r rune) bool {
	return r <= 0x20 || r >= 0x7f || r == '"' || r == '\\' || r == ','
}
