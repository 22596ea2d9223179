package cli

import (
	"testing"

	"github.com/cogtool/cogtool/internal/build"
)

// TestVersionRun: four lines for people, the build info as JSON on a pipe.
func TestVersionRunTable(t *testing.T) {
	info := build.Info{Version: "v1.4.0", Commit: "0123456789abcdef0123456789abcdef01234567", Date: "2030-01-01T00:00:00Z",
		GoVersion: "go1.27.3", Platform: "linux/amd64"}
	for _, tty := range []bool{true, false} {
		name := "release-" + ttyName(tty)
		t.Run(name, func(t *testing.T) {
			r := newRunIO(tty)
			err := versionRun(t.Context(), &versionOptions{IO: r.IO, Output: r.output("json"), Info: info})
			r.check(t, "version/"+name, err)
		})
	}
}
