package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/cli"
)

func readGz(t *testing.T, p string) string {
	t.Helper()
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	return string(b)
}

// wantPages lists the man pages cobra must write: one per available,
// non-help-topic command, named after its command path.
func wantPages(c *cobra.Command, ext string) []string {
	var out []string
	if c.IsAvailableCommand() && !c.IsAdditionalHelpTopicCommand() || !c.HasParent() {
		out = append(out, strings.ReplaceAll(c.CommandPath(), " ", "-")+ext)
	}
	for _, s := range c.Commands() {
		if !s.IsAvailableCommand() || s.IsAdditionalHelpTopicCommand() {
			continue
		}
		out = append(out, wantPages(s, ext)...)
	}
	return out
}

func listDir(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

func TestGenerateRealTree(t *testing.T) {
	dir := t.TempDir()
	date := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	if err := Generate(cli.CommandTree(), Options{Dir: dir, Version: "v1.2.3", Date: &date, Gzip: true}); err != nil {
		t.Fatal(err)
	}

	tree := cli.CommandTree()
	tree.InitDefaultCompletionCmd() // added when the CLI runs; Generate adds it too
	want := wantPages(tree, ".1.gz")
	sort.Strings(want)
	got := listDir(t, filepath.Join(dir, "man"))
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("man pages:\n got %v\nwant %v", got, want)
	}
	for _, name := range []string{"cogtool.1.gz", "cogtool-version.1.gz", "cogtool-decode.1.gz", "cogtool-verify.1.gz", "cogtool-completion.1.gz"} {
		if _, err := os.Stat(filepath.Join(dir, "man", name)); err != nil {
			t.Errorf("missing man page %s", name)
		}
	}

	page := readGz(t, filepath.Join(dir, "man", "cogtool.1.gz"))
	for _, s := range []string{`.TH "COGTOOL" "1" "Mar 2026" "cogtool 1.2.3" "cogtool manual"`, "cogtool-version(1)"} {
		if !strings.Contains(page, s) {
			t.Errorf("cogtool.1 lacks %q; starts:\n%.400s", s, page)
		}
	}
	if strings.Contains(page, "Auto generated") {
		t.Error("cogtool.1 carries cobra's auto-generated tag")
	}

	comp := map[string]string{
		"cogtool.bash": "__start_cogtool",
		"_cogtool":     "#compdef cogtool",
		"cogtool.fish": "complete -c cogtool",
	}
	if got := listDir(t, filepath.Join(dir, "completions")); strings.Join(got, " ") != "_cogtool cogtool.bash cogtool.fish" {
		t.Fatalf("completions: %v", got)
	}
	for f, s := range comp {
		b, err := os.ReadFile(filepath.Join(dir, "completions", f))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), s) {
			t.Errorf("%s lacks %q", f, s)
		}
	}
}

func TestGenerateIsReproducibleAndDropsStalePages(t *testing.T) {
	dir := t.TempDir()
	date := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	opts := Options{Dir: dir, Version: "0.9.0", Date: &date, Gzip: true}
	stale := filepath.Join(dir, "man", "cogtool-gone.1.gz")
	if err := os.MkdirAll(filepath.Dir(stale), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(stale, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Generate(cli.CommandTree(), opts); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("stale page survived: %v", err)
	}
	first, err := os.ReadFile(filepath.Join(dir, "man", "cogtool.1.gz"))
	if err != nil {
		t.Fatal(err)
	}
	if err := Generate(cli.CommandTree(), opts); err != nil {
		t.Fatal(err)
	}
	second, err := os.ReadFile(filepath.Join(dir, "man", "cogtool.1.gz"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, second) {
		t.Error("two runs with the same inputs wrote different cogtool.1.gz")
	}
}

func TestGeneratePlainPagesSmallTree(t *testing.T) {
	root := &cobra.Command{Use: "demo", Short: "demo tool"}
	root.AddCommand(&cobra.Command{Use: "run", Short: "run it", Run: func(*cobra.Command, []string) {}})
	root.AddCommand(&cobra.Command{Use: "secret", Hidden: true, Run: func(*cobra.Command, []string) {}})
	dir := t.TempDir()
	if err := Generate(root, Options{Dir: dir, Version: "2.0.0"}); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(listDir(t, filepath.Join(dir, "man")), " "); got != "demo-completion-bash.1 demo-completion-fish.1 demo-completion-powershell.1 demo-completion-zsh.1 demo-completion.1 demo-run.1 demo.1" {
		t.Errorf("man pages: %s", got)
	}
	if got := strings.Join(listDir(t, filepath.Join(dir, "completions")), " "); got != "_demo demo.bash demo.fish" {
		t.Errorf("completions: %s", got)
	}
	b, err := os.ReadFile(filepath.Join(dir, "man", "demo-run.1"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"demo 2.0.0"`) {
		t.Errorf("demo-run.1 lacks the source line:\n%.300s", b)
	}
}

// cobra/doc renders through Markdown: placeholders must survive, tables must
// keep their lines, and completions must keep the texts unescaped.
func TestManPagesKeepHelpTextAsWritten(t *testing.T) {
	root := &cobra.Command{Use: "demo <command>", Short: "demo tool"}
	var file string
	sub := &cobra.Command{
		Use:   "send [<method>] <url>",
		Short: "send with Bearer <token>",
		Long: "Send a *request* with token_use set.\n" +
			"EXIT STATUS\n" +
			"  0    sent\n" +
			"  6    refused <status>\n" +
			"Done.",
		Run: func(*cobra.Command, []string) {},
	}
	sub.Flags().StringVar(&file, "data-file", "", "read the body from `file` (<path>)")
	root.AddCommand(sub)
	dir := t.TempDir()
	if err := Generate(root, Options{Dir: dir, Version: "1.0.0"}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "man", "demo-send.1"))
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	for _, want := range []string{
		`\fBdemo send [<method>] <url> [flags]\fP`,
		`demo-send - send with Bearer <token>`,
		"Send a *request* with token_use set.",
		".EX\n  0    sent\n  6    refused <status>\n.EE",
		"Done.",
		"read the body from file (<path>)",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("demo-send.1 lacks %q:\n%s", want, page)
		}
	}
	if strings.Contains(page, "[flags] [flags]") {
		t.Errorf("demo-send.1 doubles [flags]:\n%s", page)
	}
	fish, err := os.ReadFile(filepath.Join(dir, "completions", "demo.fish"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(fish), `\\<`) || strings.Contains(string(fish), `\<`) {
		t.Errorf("completion texts were escaped:\n%s", fish)
	}
}

func TestRunFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"-date", "yesterday", "-out", t.TempDir()}, 2, "-date"},
		{[]string{"-out", t.TempDir(), "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"-nope"}, 2, "flag provided but not defined"},
		{[]string{"-out", ""}, 1, "no output directory"},
	} {
		var stderr bytes.Buffer
		if code := run(tc.args, &stderr); code != tc.code || !strings.Contains(stderr.String(), tc.msg) {
			t.Errorf("run(%q) = %d, stderr %q; want %d and %q", tc.args, code, stderr.String(), tc.code, tc.msg)
		}
	}
	dir := t.TempDir()
	var stderr bytes.Buffer
	if code := run([]string{"-out", dir, "-version", "3.1.4", "-date", "2026-02-03T00:00:00Z", "-no-gzip"}, &stderr); code != 0 {
		t.Fatalf("run = %d: %s", code, stderr.String())
	}
	b, err := os.ReadFile(filepath.Join(dir, "man", "cogtool.1"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"Feb 2026" "cogtool 3.1.4"`) {
		t.Errorf("cogtool.1 header: %.200s", b)
	}
}
