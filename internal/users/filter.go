package users

import (
	"slices"
	"strings"

	"github.com/cogtool/cogtool/internal/exit"
)

// searchable are the attributes ListUsers can filter on, from the
// Filter parameter of ListUsers in the Amazon Cognito API reference;
// custom attributes are not searchable.
var searchable = []string{
	"username", "email", "phone_number", "name", "given_name", "family_name",
	"preferred_username", "cognito:user_status", "status", "sub",
}

// CheckFilter checks a ListUsers filter before it is sent: an empty
// filter, or `name = "value"` / `name ^= "value"` where name is a
// searchable attribute and a quote inside the value is escaped with a
// backslash. Cognito answers a malformed filter with a terse
// InvalidParameterException; this says what is wrong.
func CheckFilter(f string) error {
	if strings.TrimSpace(f) == "" {
		return nil
	}
	bad := func(why string) error {
		return exit.Usagef("filter %q: %s (want name = \"value\" or name ^= \"value\")", f, why)
	}
	s := strings.TrimLeft(f, " ")
	i := strings.IndexAny(s, " =^")
	if i <= 0 {
		return bad("no operator")
	}
	name := s[:i]
	if !slices.Contains(searchable, name) {
		return exit.Usagef("filter %q: %q cannot be searched; searchable: %s", f, name, strings.Join(searchable, ", "))
	}
	s = strings.TrimLeft(s[i:], " ")
	switch {
	case strings.HasPrefix(s, "^="):
		s = s[2:]
	case strings.HasPrefix(s, "="):
		s = s[1:]
	default:
		return bad("the operator must be = or ^=")
	}
	s = strings.TrimLeft(s, " ")
	if !strings.HasPrefix(s, `"`) {
		return bad("the value must be in double quotes")
	}
	s = s[1:]
	for j := 0; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case '"':
			if strings.TrimSpace(s[j+1:]) != "" {
				return bad("text after the closing quote (one attribute at a time)")
			}
			return nil
		}
	}
	return bad("no closing quote")
}
