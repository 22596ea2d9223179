// Command gendocs writes cogtool's man pages and shell completions from the
// cobra command tree, so that they can never drift from the commands.
//
// The release build runs it as a goreleaser before hook:
//
//	go run ./internal/gendocs -out dist-docs -version 1.2.3 -date 2026-01-02T03:04:05Z
//
// and packs the output into the archives and the .deb/.rpm. The output is
// never committed. Layout of -out:
//
//	man/cogtool.1.gz, man/cogtool-token-password.1.gz, ...  (one page a command)
//	completions/cogtool.bash  completions/_cogtool  completions/cogtool.fish
package main

import (
	"bytes"
	"compress/gzip"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
	"github.com/spf13/pflag"

	"github.com/cogtool/cogtool/internal/build"
	"github.com/cogtool/cogtool/internal/cli"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

func run(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("gendocs", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "dist-docs", "output `dir`ectory (its man/ and completions/ are replaced)")
	version := fs.String("version", "", "version for the man pages' footer (default: the build's version)")
	date := fs.String("date", "", "RFC 3339 date for the man pages (default: $SOURCE_DATE_EPOCH, else now)")
	noGzip := fs.Bool("no-gzip", false, "write plain .1 man pages instead of .1.gz")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "gendocs: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	opts := Options{Dir: *out, Version: *version, Gzip: !*noGzip}
	if *date != "" {
		t, err := time.Parse(time.RFC3339, *date)
		if err != nil {
			fmt.Fprintf(stderr, "gendocs: -date: %v\n", err)
			return 2
		}
		opts.Date = &t
	}
	if err := Generate(cli.CommandTree(), opts); err != nil {
		fmt.Fprintf(stderr, "gendocs: %v\n", err)
		return 1
	}
	return 0
}

// Options says where and how Generate writes.
type Options struct {
	Dir     string     // output directory
	Version string     // shown as "<root name> <version>" in the man pages; "" = build.Get().Version
	Date    *time.Time // man page date; nil = $SOURCE_DATE_EPOCH or now (cobra's rule)
	Gzip    bool       // write man pages as .1.gz
}

// Generate writes the man pages of every command under root to Dir/man and
// the bash, zsh and fish completions to Dir/completions, replacing what a
// previous run left there (a removed command must not keep its page).
// It changes root's texts for the man pages: pass a tree made for it.
func Generate(root *cobra.Command, o Options) error {
	if o.Dir == "" {
		return errors.New("no output directory")
	}
	if o.Version == "" {
		o.Version = build.Get().Version
	}
	o.Version = strings.TrimPrefix(o.Version, "v")
	root.DisableAutoGenTag = true

	manDir := filepath.Join(o.Dir, "man")
	compDir := filepath.Join(o.Dir, "completions")
	for _, d := range []string{manDir, compDir} {
		if err := os.RemoveAll(d); err != nil {
			return fmt.Errorf("clean %s: %w", d, err)
		}
		if err := os.MkdirAll(d, 0o755); err != nil {
			return fmt.Errorf("create %s: %w", d, err)
		}
	}

	name := root.Name()
	// Completions first: they take Short and flag usages as they are, while
	// the man pages need them escaped (below).
	comps := []struct {
		file string
		gen  func(io.Writer) error
	}{
		{name + ".bash", func(w io.Writer) error { return root.GenBashCompletionV2(w, true) }},
		{"_" + name, root.GenZshCompletion},
		{name + ".fish", func(w io.Writer) error { return root.GenFishCompletion(w, true) }},
	}
	for _, c := range comps {
		var b bytes.Buffer
		if err := c.gen(&b); err != nil {
			return fmt.Errorf("completion %s: %w", c.file, err)
		}
		if err := os.WriteFile(filepath.Join(compDir, c.file), b.Bytes(), 0o644); err != nil {
			return fmt.Errorf("completion %s: %w", c.file, err)
		}
	}

	// cobra/doc feeds Use, Short, Long and flag usages to a Markdown renderer,
	// which would drop every <placeholder> as an HTML tag and reflow the
	// aligned tables of the help texts.
	escapeForMan(root)
	// `cogtool completion` is added when the CLI runs; give it a page too.
	root.InitDefaultCompletionCmd()

	header := &doc.GenManHeader{
		Section: "1",
		Source:  name + " " + o.Version,
		Manual:  name + " manual",
		Date:    o.Date,
	}
	if err := doc.GenManTree(root, header, manDir); err != nil {
		return fmt.Errorf("man pages: %w", err)
	}
	if o.Gzip {
		if err := gzipAll(manDir, ".1"); err != nil {
			return err
		}
	}

	return nil
}

// escapeForMan rewrites the texts of every command under root (and of their
// flags) so that the Markdown step of cobra/doc renders them as written.
// Examples need nothing: cobra puts them in a code block.
func escapeForMan(root *cobra.Command) {
	seen := map[*pflag.Flag]bool{}
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		c.Use = escapeMarkdown(c.Use)
		c.Short = escapeMarkdown(c.Short)
		c.Long = manText(c.Long)
		for _, fs := range []*pflag.FlagSet{c.LocalNonPersistentFlags(), c.PersistentFlags()} {
			fs.VisitAll(func(f *pflag.Flag) {
				if !seen[f] {
					seen[f] = true
					// pflag's `name` quotes mark the value's name; help drops them.
					f.Usage = escapeMarkdown(strings.ReplaceAll(f.Usage, "`", ""))
				}
			})
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", `*`, `\*`, `_`, `\_`, `<`, `\<`, `>`, `\>`,
)

// escapeMarkdown makes s literal text in Markdown. Brackets stay: cobra
// looks for "[flags]" in Use, and a lone [x] is no link.
func escapeMarkdown(s string) string {
	s = mdEscaper.Replace(s)
	if strings.HasPrefix(s, "#") {
		s = `\` + s
	}
	return s
}

// manText turns a help text into Markdown that renders as written: prose
// lines are escaped (and may be reflowed, like any man page), indented lines
// become literal blocks that keep their alignment.
func manText(s string) string {
	var b strings.Builder
	lines := strings.Split(s, "\n")
	prev := "" // "", "text" or "code": the kind of the last line written
	for _, l := range lines {
		switch {
		case strings.TrimSpace(l) == "":
			b.WriteString("\n")
			prev = ""
		case l[0] == ' ' || l[0] == '\t':
			if prev == "text" {
				b.WriteString("\n") // a literal block must follow a blank line
			}
			b.WriteString("    " + strings.ReplaceAll(l, "\t", "    ") + "\n")
			prev = "code"
		default:
			if prev == "code" {
				b.WriteString("\n")
			}
			b.WriteString(escapeMarkdown(strings.TrimRight(l, " ")) + "\n")
			prev = "text"
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

// gzipAll replaces every file in dir ending in ext with a .gz copy. The gzip
// header carries no name and no time, so a rebuild gives the same bytes.
func gzipAll(dir, ext string) error {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("read %s: %w", dir, err)
	}
	for _, e := range ents {
		if e.IsDir() || filepath.Ext(e.Name()) != ext {
			continue
		}
		p := filepath.Join(dir, e.Name())
		raw, err := os.ReadFile(p)
		if err != nil {
			return fmt.Errorf("read %s: %w", p, err)
		}
		var b bytes.Buffer
		zw, err := gzip.NewWriterLevel(&b, gzip.BestCompression)
		if err != nil {
			return fmt.Errorf("gzip %s: %w", p, err)
		}
		if _, err := zw.Write(raw); err != nil {
			return fmt.Errorf("gzip %s: %w", p, err)
		}
		if err := zw.Close(); err != nil {
			return fmt.Errorf("gzip %s: %w", p, err)
		}
		if err := os.WriteFile(p+".gz", b.Bytes(), 0o644); err != nil {
			return fmt.Errorf("write %s.gz: %w", p, err)
		}
		if err := os.Remove(p); err != nil {
			return fmt.Errorf("remove %s: %w", p, err)
		}
	}
	return nil
}
