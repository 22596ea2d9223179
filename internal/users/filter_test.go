package users

import (
	"strings"
	"testing"

	"github.com/cogtool/cogtool/internal/exit"
)

func TestCheckFilter(t *testing.T) {
	for _, tc := range []struct {
		filter, err string
	}{
		{"", ""},
		{`email = "a@b.c"`, ""},
		{`email="a@b.c"`, ""},
		{`username ^= "al"`, ""},
		{`cognito:user_status = "CONFIRMED"`, ""},
		{`status = "Enabled"`, ""},
		{`family_name = "O\"Brien"`, ""},
		{`name = ""`, ""},
		{`email = a@b.c`, "double quotes"},
		{`email == "a"`, "double quotes"},
		{`email != "a"`, "operator must be"},
		{`email ~ "a"`, "operator must be"},
		{`custom:dept = "R&D"`, "cannot be searched"},
		{`email = "a`, "no closing quote"},
		{`email = "a" and name = "b"`, "after the closing quote"},
		{`email`, "no operator"},
		{`= "x"`, "no operator"},
	} {
		err := CheckFilter(tc.filter)
		if tc.err == "" {
			if err != nil {
				t.Errorf("CheckFilter(%q) = %v, want nil", tc.filter, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("CheckFilter(%q) = %v, want an error with %q", tc.filter, err, tc.err)
			continue
		}
		if exit.CodeOf(err) != exit.Usage {
			t.Errorf("CheckFilter(%q): exit code %d, want 2", tc.filter, exit.CodeOf(err))
		}
	}
}

func TestParseAttributeSplitsAtFirstEquals(t *testing.T) {
	a, err := ParseAttribute("custom:b64=aGVsbG8=")
	if err != nil || a.Name != "custom:b64" || a.Value != "aGVsbG8=" {
		t.Fatalf("ParseAttribute = %+v, %v", a, err)
	}
	for _, bad := range []string{"na me=x", "=x", strings.Repeat("a", 33) + "=x", "a\tb=x"} {
		if _, err := ParseAttribute(bad); err == nil {
			t.Errorf("ParseAttribute(%q) accepted", bad)
		}
	}
}
