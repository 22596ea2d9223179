// Command report turns the results of scripts/bench.sh (JSON Lines written
// by scripts/bench/pair) into docs/benchmarks.md: the machine, a table with
// both medians, the ratio, the target and pass/miss for every row, the
// peak RSS of every cogtool command, the release binary's size, the
// start-up cost per package, and the notes that explain the figures.
//
// Usage:
//
//	report -results results.jsonl -binary cogtool -inittrace init.txt -notes notes.md \
//	    -meta "Node.js=v20" ... -out docs/benchmarks.md
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cogtool/cogtool/scripts/bench/record"
)

// Side and Record are the shared results format.
type (
	Side   = record.Side
	Record = record.Record
)

const (
	maxRSSMiB    = 25
	maxBinaryMB  = 12
	bytesPerMB   = 1_000_000
	passMark     = "pass"
	missMark     = "**miss**"
	noTargetMark = "—"
)

type metaFlag []string

func (m *metaFlag) String() string     { return strings.Join(*m, ", ") }
func (m *metaFlag) Set(s string) error { *m = append(*m, s); return nil }

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "report:", err)
		os.Exit(1)
	}
}

func run() error {
	var (
		results, out, binary, initTrace, notes, loadAvg string
		seconds                                         float64
		meta                                            metaFlag
	)
	flag.StringVar(&results, "results", "results.jsonl", "pair's results")
	flag.StringVar(&out, "out", "docs/benchmarks.md", "write the report here")
	flag.StringVar(&binary, "binary", "", "the release binary whose size is reported")
	flag.StringVar(&initTrace, "inittrace", "", "stderr of GODEBUG=inittrace=1 cogtool version")
	flag.StringVar(&notes, "notes", "", "markdown appended as the findings")
	flag.StringVar(&loadAvg, "loadavg", "", "load average when the run started")
	flag.Float64Var(&seconds, "seconds", 0, "how long the whole run took")
	flag.Var(&meta, "meta", "NAME=VALUE shown under the machine (repeatable)")
	flag.Parse()

	recs, err := readResults(results)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }

	p("# Benchmarks\n\n")
	p("Side-by-side figures written by `make bench` (`scripts/bench.sh`); do not edit by hand. ")
	p("Each pair ran alternately (A B A B ...) after a warm-up; the figures are medians of the timed runs. ")
	p("Times are whole-process wall times (start-up included) measured by `scripts/bench/pair`, ")
	p("peak RSS is the process's `ru_maxrss`. Every server is a local test peer on 127.0.0.1, ")
	p("so the network is loopback and the peer's own work is part of both sides of a row.\n\n")

	p("## Machine\n\n")
	p("| | |\n|---|---|\n")
	p("| date | %s |\n", time.Now().UTC().Format("2006-01-02 15:04 MST"))
	p("| CPU | %s |\n", cpuModel())
	p("| cores | %d |\n", runtime.NumCPU())
	p("| memory | %s |\n", memTotal())
	p("| Go | %s |\n", runtime.Version())
	if loadAvg != "" {
		p("| load average at start | %s |\n", loadAvg)
	}
	for _, m := range meta {
		k, v, _ := strings.Cut(m, "=")
		p("| %s | %s |\n", k, v)
	}
	if seconds > 0 {
		p("| whole bench run | %.0f s |\n", seconds)
	}
	p("\n")

	p("## Results\n\n")
	p("| what | cogtool (median) | compared with | its median | ratio | target | result |\n")
	p("|---|---|---|---|---|---|---|\n")
	misses := 0
	for _, r := range recs {
		if r.Error != "" {
			p("| %s | error | %s | | | %s | **error**: %s |\n", r.Name, label(r.B), targetText(r), cell(r.Error))
			misses++
			continue
		}
		ratio, pass, ok := judge(r)
		result := noTargetMark
		if ok {
			result = passMark
			if !pass {
				result = missMark
				misses++
			}
		}
		p("| %s | %s | %s | %s | %s | %s | %s |\n", r.Name, value(r, &r.A), label(r.B), value(r, r.B), ratio, targetText(r), result)
	}
	if binary != "" {
		fi, err := os.Stat(binary)
		if err != nil {
			return err
		}
		result := passMark
		if fi.Size() > maxBinaryMB*bytesPerMB {
			result = missMark
			misses++
		}
		p("| stripped release binary (linux/%s, `-trimpath -ldflags \"-s -w\"`, CGO_ENABLED=0) | %.2f MB (%d bytes) | — | | | ≤ %d MB | %s |\n",
			runtime.GOARCH, float64(fi.Size())/bytesPerMB, fi.Size(), maxBinaryMB, result)
	}
	p("\n")

	p("### Peak RSS\n\n")
	p("| command | cogtool peak RSS | compared with | its peak RSS | target | result |\n|---|---|---|---|---|---|\n")
	for _, r := range recs {
		if !r.RSS || r.Error != "" {
			continue
		}
		mib := float64(r.A.MaxRSSKiB) / 1024
		result := passMark
		if mib > maxRSSMiB {
			result = missMark
			misses++
		}
		other, otherRSS := "—", ""
		if r.B != nil {
			other, otherRSS = r.B.Label, fmt.Sprintf("%.1f MiB", float64(r.B.MaxRSSKiB)/1024)
		}
		p("| %s | %.1f MiB | %s | %s | ≤ %d MiB | %s |\n", cell(r.A.Label), mib, cell(other), otherRSS, maxRSSMiB, result)
	}
	p("\n")

	p("### Commands\n\n")
	p("| row | A (cogtool) | B |\n|---|---|---|\n")
	for _, r := range recs {
		p("| %s | `%s` | %s |\n", r.Name, cell(r.A.Label), code(label(r.B)))
	}
	p("\n")

	if initTrace != "" {
		if err := startup(&b, initTrace); err != nil {
			return err
		}
	}
	if notes != "" {
		n, err := os.ReadFile(notes)
		if err != nil {
			return err
		}
		b.Write(n)
	}
	if err := os.WriteFile(out, b.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "report: wrote %s (%d rows, %d missed)\n", out, len(recs), misses)
	return nil
}

func readResults(path string) ([]Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var recs []Record
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var r Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		recs = append(recs, r)
	}
	return recs, sc.Err()
}

// judge returns the ratio as shown, whether the target is met, and whether
// there is a target at all.
func judge(r Record) (string, bool, bool) {
	if r.B == nil || r.B.MedianMS == 0 || r.A.MedianMS == 0 {
		return "", false, false
	}
	aOverB := r.A.MedianMS / r.B.MedianMS
	kind, xs, _ := strings.Cut(r.Target, ":")
	x, err := strconv.ParseFloat(xs, 64)
	if err != nil {
		return fmt.Sprintf("%.2f× its time", aOverB), false, false
	}
	switch kind {
	case "ge":
		if r.Items > 0 {
			return fmt.Sprintf("%.2f× its throughput", 1/aOverB), 1/aOverB >= x, true
		}
		return fmt.Sprintf("%.1f× faster", 1/aOverB), 1/aOverB >= x, true
	case "le":
		return fmt.Sprintf("%.2f× its time", aOverB), aOverB <= x, true
	case "lt":
		return fmt.Sprintf("%.2f× its time", aOverB), aOverB < x, true
	}
	return fmt.Sprintf("%.2f× its time", aOverB), false, false
}

func targetText(r Record) string {
	kind, x, _ := strings.Cut(r.Target, ":")
	switch kind {
	case "ge":
		if r.Items > 0 {
			return "≥ " + x + "× its throughput"
		}
		return "≥ " + x + "× faster"
	case "le":
		return "≤ " + x + "× its time"
	case "lt":
		if x == "1" {
			return "faster"
		}
		return "< " + x + "× its time"
	}
	return noTargetMark
}

func value(r Record, s *Side) string {
	if s == nil {
		return ""
	}
	var v string
	switch {
	case r.Measure == "gobench":
		v = fmt.Sprintf("%.1f µs/op", s.MedianMS*1000)
	case s.MedianMS >= 1000:
		v = fmt.Sprintf("%.2f s", s.MedianMS/1000)
	default:
		v = fmt.Sprintf("%.1f ms", s.MedianMS)
	}
	if r.Items > 0 && s.MedianMS > 0 {
		v += fmt.Sprintf(" = %.0f tokens/s", float64(r.Items)/(s.MedianMS/1000))
		if s.CPUMS > 0 {
			v += fmt.Sprintf("; CPU %.0f ms = %.0f µs/token", s.CPUMS, s.CPUMS*1000/float64(r.Items))
		}
		if loop, ok := s.Metrics["loop_ms"]; ok && loop > 0 {
			v += fmt.Sprintf("; verification loop alone %.0f ms = %.0f tokens/s", loop, float64(r.Items)/(loop/1000))
		}
	}
	return v
}

func label(s *Side) string {
	if s == nil {
		return "—"
	}
	return s.Label
}

func code(s string) string {
	if s == "—" {
		return s
	}
	return "`" + cell(s) + "`"
}

func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

var initRE = regexp.MustCompile(`^init (\S+) @([0-9.]+) ms, ([0-9.]+) ms clock, (\d+) bytes, (\d+) allocs`)

// startup summarises GODEBUG=inittrace=1 output of several runs (each
// ended by a "--- run" line): per-package medians of the init clock, their
// total, and the costliest packages.
func startup(b *bytes.Buffer, path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	clocks := map[string][]float64{}
	allocs := map[string]int64{}
	var ends []float64
	runs, end := 0, 0.0
	for line := range strings.SplitSeq(string(data)+"\n--- run", "\n") {
		if line == "--- run" {
			if end > 0 {
				runs++
				ends = append(ends, end)
			}
			end = 0
			continue
		}
		m := initRE.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		ms, _ := strconv.ParseFloat(m[3], 64)
		at, _ := strconv.ParseFloat(m[2], 64)
		by, _ := strconv.ParseInt(m[4], 10, 64)
		clocks[m[1]] = append(clocks[m[1]], ms)
		allocs[m[1]] = by
		end = max(end, at+ms)
	}
	type pkg struct {
		name string
		ms   float64
	}
	var pkgs []pkg
	var total, aws, jwx float64
	for name, v := range clocks {
		p := pkg{name, record.Median(v)}
		pkgs = append(pkgs, p)
		total += p.ms
		switch {
		case strings.HasPrefix(name, "github.com/aws/"):
			aws += p.ms
		case strings.HasPrefix(name, "github.com/lestrrat-go/"):
			jwx += p.ms
		}
	}
	slices.SortFunc(pkgs, func(x, y pkg) int {
		switch {
		case x.ms > y.ms:
			return -1
		case x.ms < y.ms:
			return 1
		}
		return strings.Compare(x.name, y.name)
	})
	fmt.Fprintf(b, "## Start-up (`GODEBUG=inittrace=1 cogtool version`, medians of %d runs)\n\n", runs)
	fmt.Fprintf(b, "%d packages initialise in %.2f ms of clock (the last one ends %.1f ms after the process starts); ", len(pkgs), total, record.Median(ends))
	fmt.Fprintf(b, "the AWS SDK and smithy packages take %.2f ms of it, jwx %.2f ms. The costliest:\n\n", aws, jwx)
	fmt.Fprintf(b, "| package | init clock | allocated |\n|---|---|---|\n")
	for _, p := range pkgs[:min(8, len(pkgs))] {
		fmt.Fprintf(b, "| %s | %.3f ms | %d KiB |\n", p.name, p.ms, allocs[p.name]/1024)
	}
	fmt.Fprintf(b, "\n")
	return nil
}

func cpuModel() string {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}

func memTotal() string {
	data, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return "?"
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "MemTotal:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err == nil {
				return fmt.Sprintf("%.0f GiB", float64(kb)/(1<<20))
			}
		}
	}
	return "?"
}
