package cli

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/config"
	"github.com/cogtool/cogtool/internal/decode"
	"github.com/cogtool/cogtool/internal/iostreams"
)

type configListOptions struct {
	IO      *iostreams.IOStreams
	Output  string // "text" or "json", resolved
	File    *config.File
	Path    string
	Profile string
	// Resolved, with --resolved, holds each setting as a command would use
	// it and where it came from; nil lists the file as it is.
	Resolved []resolvedSetting
}

// resolvedSetting is one row of `config list --resolved`.
type resolvedSetting struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Source string `json:"source"` // --flag, $VAR, profile NAME, derived, or "" when unset
}

func newConfigListCmd(f *Factory, runF func(*configListOptions) error) *cobra.Command {
	opts := &configListOptions{}
	var resolved bool
	cmd := &cobra.Command{
		Use:   "list [--resolved]",
		Short: "List the settings of the profile (all profiles with -o json)",
		Long: `List the settings of the profile as the config file holds them; -o json prints
every profile, with the file's key names.

--resolved shows instead each setting as a command would use it, and where its
value came from: a flag, which environment variable, the profile, or derived
(the region from the pool id, the token URL from the domain...), like
'aws configure list'. A client secret is shown only as its reference.`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			s := f.Settings
			opts.IO, opts.Output, opts.File, opts.Path, opts.Profile = f.IO, f.Output, s.file, s.ConfigPath, s.Profile
			if resolved {
				opts.Resolved = resolvedSettings(cmd, f.Getenv, s)
			}
			if runF != nil {
				return runF(opts)
			}
			return configListRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&resolved, "resolved", false, "show each setting's value and where it came from")
	return cmd
}

func configListRun(_ context.Context, opts *configListOptions) error {
	if opts.Resolved != nil {
		return printResolved(opts)
	}
	if opts.Output == "json" {
		profiles := map[string]any{}
		for _, name := range opts.File.ProfileNames() {
			profiles[name] = opts.File.Map(name)
		}
		return writeJSON(opts.IO.Out, map[string]any{"profiles": profiles})
	}
	fmt.Fprintf(opts.IO.ErrOut, "# %s, profile %s\n", opts.Path, opts.Profile)
	printProfile(opts.IO, opts.File, opts.Profile)
	return nil
}

// printProfile prints the keys that profile sets, one a line.
func printProfile(ios *iostreams.IOStreams, file *config.File, profile string) {
	for _, k := range config.Keys {
		if v, _ := file.Get(profile, k); v != "" {
			fmt.Fprintf(ios.Out, "%-14s %s\n", k, v)
		}
	}
}

func printResolved(opts *configListOptions) error {
	if opts.Output == "json" {
		return writeJSON(opts.IO.Out, opts.Resolved)
	}
	w := tabwriter.NewWriter(opts.IO.Out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "NAME\tVALUE\tSOURCE")
	for _, row := range opts.Resolved {
		val, src := row.Value, row.Source
		if val == "" {
			val, src = "-", "not set"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\n", row.Name, decode.Sanitize(val), src)
	}
	return w.Flush()
}

// resolvedSettings is each setting of the current profile as a command
// resolves it: flag > environment > profile > derived default.
func resolvedSettings(cmd *cobra.Command, getenv func(string) string, s *Settings) []resolvedSetting {
	r := &resolver{cmd: cmd, getenv: getenv, prof: s.file.Profile(s.Profile)}
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
	case getenv("COGTOOL_CLIENT_SECRET") != "":
		add("client-secret", "(set)", "$COGTOOL_CLIENT_SECRET")
	default:
		add("client-secret", r.prof.Secret, "profile")
	}
	add("scopes", strings.Join(s.Scopes, " "), "profile")
	add("flow", s.Flow, "profile")
	return rows
}
