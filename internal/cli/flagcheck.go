package cli

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/cogtool/cogtool/internal/exit"
)

// durationError is a duration that did not parse, phrased for a person.
type durationError struct{ msg string }

func (e *durationError) Error() string { return e.msg }

// parseDuration is the one parser of --timeout, --min-ttl and --leeway (and
// their environment variables): a Go duration with a unit, never negative.
func parseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, &durationError{"empty, e.g. 30s"}
	}
	if strings.Trim(s, "0123456789.") == "" {
		return 0, &durationError{"missing unit, e.g. " + s + "s"}
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, &durationError{"not a duration, e.g. 30s, 2m or 1h30m"}
	}
	if d < 0 {
		return 0, &durationError{"must not be negative"}
	}
	return d, nil
}

// durationValue is a pflag.Value parsed by parseDuration.
type durationValue time.Duration

func newDurationValue(p *time.Duration, def time.Duration) *durationValue {
	*p = def
	return (*durationValue)(p)
}

func (d *durationValue) Set(s string) error {
	v, err := parseDuration(s)
	if err != nil {
		return err
	}
	*d = durationValue(v)
	return nil
}

func (d *durationValue) String() string { return time.Duration(*d).String() }
func (d *durationValue) Type() string   { return "duration" }

// addDuration registers a duration flag that uses parseDuration.
func addDuration(fs *pflag.FlagSet, p *time.Duration, name string, def time.Duration, usage string) {
	fs.Var(newDurationValue(p, def), name, usage)
}

// flagError turns a flag parsing error into a usage error: a bad duration
// reads "--leeway 30: missing unit, e.g. 30s", and an unknown flag names the
// flags that exist when one is close.
func flagError(cmd *cobra.Command, err error) error {
	var ive *pflag.InvalidValueError
	var de *durationError
	if errors.As(err, &ive) && errors.As(err, &de) {
		err = fmt.Errorf("--%s %s: %s", ive.GetFlag().Name, ive.GetValue(), de.msg)
	}
	var ne *pflag.NotExistError
	if errors.As(err, &ne) && ne.GetSpecifiedShortnames() == "" {
		if s := suggestFlags(cmd, ne.GetSpecifiedName()); len(s) > 0 {
			err = fmt.Errorf("%w; did you mean %s?", err, strings.Join(s, " or "))
		}
	}
	return &usageError{err: err, use: cmd.UseLine()}
}

// flagHints are the flags a user coming from other tools reaches for, and
// what cogtool has instead: secrets are never flag values.
var flagHints = map[string][2]string{
	"password":      {"password-stdin", "$COGTOOL_PASSWORD"},
	"client-secret": {"client-secret-file", "$COGTOOL_CLIENT_SECRET"},
	"secret":        {"client-secret-file", "$COGTOOL_CLIENT_SECRET"},
	"new-password":  {"new-password-file", "$COGTOOL_NEW_PASSWORD"},
}

// suggestFlags returns the flags of cmd close to name: a known hint when
// cmd has that flag, else flags that name is a prefix of or within two
// edits of.
func suggestFlags(cmd *cobra.Command, name string) []string {
	if h, ok := flagHints[name]; ok && cmd.Flags().Lookup(h[0]) != nil {
		return []string{"--" + h[0], h[1]}
	}
	var out []string
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if f.Hidden || f.Name == name || len(name) < 2 {
			return
		}
		if strings.HasPrefix(f.Name, name) || levenshtein(name, f.Name) <= 2 {
			out = append(out, "--"+f.Name)
		}
	})
	slices.Sort(out)
	if len(out) > 3 {
		out = out[:3]
	}
	return out
}

func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// usageDuration parses a duration setting that came from src (a flag or
// an environment variable) with the same message as a flag.
func usageDuration(src, v string) (time.Duration, error) {
	d, err := parseDuration(v)
	if err != nil {
		return 0, exit.Usagef("%s %s: %v", src, v, err)
	}
	return d, nil
}
