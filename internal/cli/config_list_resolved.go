package cli

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/decode"
)

// resolvedSetting is one row of `config list --resolved`.
type resolvedSetting struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Source string `json:"source"` // --flag, $VAR, profile NAME, derived, or "" when unset
}

// configListResolved shows each setting of the current profile as a
// command resolves it: flag > environment > profile > derived default.
func configListResolved(f *Factory, cmd *cobra.Command) error {
	s := f.Settings
	r := &resolver{cmd: cmd, getenv: f.Getenv, prof: s.file.Profile(s.Profile)}
	profileSrc := "profile " + s.Profile
	var rows []resolvedSetting
	add := func(name, val, src string) {
		if src == "profile" {
			src = profileSrc
		}
		if val == "" {
			src = ""
		}
		rows = append(rows, resolvedSetting{Name: name, Value: val, Source: src})
	}
	_, psrc := r.value("profile")
	if psrc == "" {
		psrc = "default"
	}
	rows = append(rows, resolvedSetting{Name: "profile", Value: s.Profile, Source: psrc})
	_, csrc := r.value("config")
	if csrc == "" {
		csrc = "default"
	}
	rows = append(rows, resolvedSetting{Name: "config", Value: s.ConfigPath, Source: csrc})

	derived := map[string]string{"region": s.Region, "domain": s.Domain, "token-url": s.TokenURL,
		"issuer": s.Issuer, "jwks-url": s.JWKSURL}
	for _, name := range []string{"region", "user-pool-id", "client-id", "domain", "token-url", "endpoint-url",
		"issuer", "jwks-url", "username", "timeout", "output"} {
		val, src := r.value(name)
		if val == "" {
			if d := derived[name]; d != "" {
				val, src = d, "derived"
			}
		} else if d, ok := derived[name]; ok && d != "" {
			val = d // as the command uses it (a domain prefix becomes its URL)
		}
		add(name, val, src)
	}
	// The secret itself is never shown: only where it would be read from.
	switch {
	case cmd.Flag("client-secret-file").Changed:
		add("client-secret", "file:"+cmd.Flag("client-secret-file").Value.String(), "--client-secret-file")
	case f.Getenv("COGTOOL_CLIENT_SECRET") != "":
		add("client-secret", "(set)", "$COGTOOL_CLIENT_SECRET")
	default:
		add("client-secret", r.prof.Secret, "profile")
	}
	add("scopes", strings.Join(s.Scopes, " "), "profile")
	add("flow", s.Flow, "profile")

	if f.outputMode() == "json" {
		return writeJSON(f.IO.Out, rows)
	}
	w := tabwriter.NewWriter(f.IO.Out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "NAME\tVALUE\tSOURCE")
	for _, row := range rows {
		val, src := row.Value, row.Source
		if val == "" {
			val, src = "-", "not set"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\n", row.Name, decode.Sanitize(val), src)
	}
	return w.Flush()
}
