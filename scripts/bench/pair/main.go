// Command pair times two commands side by side for scripts/bench.sh: after
// -warmup rounds it runs them alternately (A B A B ...) -runs times each,
// and appends one JSON object to -out with every sample, the medians, the
// peak RSS of each side (the child's ru_maxrss) and the median of any
// "bench: key=value" numbers the commands print to stderr.
//
// Usage:
//
//	pair -name WHAT -target le:1.5 -out results.jsonl [flags] -- A-ARGV... [:: B-ARGV...]
//
// With no "::" only A is timed. Targets compare the median times a and b:
// le:X means a/b <= X, lt:X means a/b < X, ge:X means b/a >= X (A is X
// times faster). -measure gobench takes each sample from a Go benchmark's
// "ns/op" on stdout instead of the wall time. A command that fails is
// recorded as an error and pair exits 1; stdout goes to /dev/null unless
// it is needed.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/cogtool/cogtool/scripts/bench/record"
)

// Side and Record are the shared results format.
type (
	Side   = record.Side
	Record = record.Record
)

func main() {
	os.Exit(run())
}

func run() int {
	var (
		rec            Record
		aLabel, bLabel string
		aStdin, bStdin string
		runs, warmup   int
		out            string
		noRSS          bool
	)
	flag.StringVar(&rec.Name, "name", "", "what is measured (a row of the table)")
	flag.StringVar(&rec.Target, "target", "", "le:X, lt:X or ge:X (see the package comment)")
	flag.StringVar(&rec.Measure, "measure", "wall", "wall (process wall time) or gobench (ns/op on stdout)")
	flag.IntVar(&rec.Items, "items", 0, "items each run handles (adds a throughput column)")
	flag.StringVar(&aLabel, "a-label", "", "how the report names A")
	flag.StringVar(&bLabel, "b-label", "", "how the report names B")
	flag.StringVar(&aStdin, "a-stdin", "", "file to give A as stdin")
	flag.StringVar(&bStdin, "b-stdin", "", "file to give B as stdin")
	flag.IntVar(&runs, "runs", 10, "timed runs of each command")
	flag.IntVar(&warmup, "warmup", 2, "untimed runs of each command first")
	flag.StringVar(&out, "out", "results.jsonl", "append the record to this file")
	flag.BoolVar(&noRSS, "no-rss", false, "A's peak RSS is not a cogtool command's (left out of the RSS table)")
	flag.Parse()
	rec.RSS = !noRSS && rec.Measure == "wall"

	argv := flag.Args()
	var a, b []string
	if i := slices.Index(argv, "::"); i >= 0 {
		a, b = argv[:i], argv[i+1:]
	} else {
		a = argv
	}
	if rec.Name == "" || len(a) == 0 || (b != nil && len(b) == 0) || runs < 1 {
		fmt.Fprintln(os.Stderr, "usage: pair -name WHAT [flags] -- A-ARGV... [:: B-ARGV...]")
		return 2
	}
	if aLabel == "" {
		aLabel = strings.Join(a, " ")
	}
	rec.A.Label = aLabel
	sides := []*Side{&rec.A}
	cmds := [][]string{a}
	stdins := []string{aStdin}
	if b != nil {
		if bLabel == "" {
			bLabel = strings.Join(b, " ")
		}
		rec.B = &Side{Label: bLabel}
		sides = append(sides, rec.B)
		cmds = append(cmds, b)
		stdins = append(stdins, bStdin)
	}

	cpus := make([][]float64, len(sides))
	metrics := make([]map[string][]float64, len(sides))
	for i := range metrics {
		metrics[i] = map[string][]float64{}
	}
	fmt.Fprintf(os.Stderr, "pair: %s (%d warm-up + %d runs each)\n", rec.Name, warmup, runs)
	for round := range warmup + runs {
		for i, s := range sides {
			ms, cpu, rss, m, err := once(cmds[i], stdins[i], rec.Measure)
			if err != nil {
				rec.Error = fmt.Sprintf("%s: %v", s.Label, err)
				fmt.Fprintln(os.Stderr, "pair:", rec.Error)
				write(out, &rec)
				return 1
			}
			if round < warmup {
				continue
			}
			s.SamplesMS = append(s.SamplesMS, ms)
			cpus[i] = append(cpus[i], cpu)
			s.MaxRSSKiB = max(s.MaxRSSKiB, rss)
			for k, v := range m {
				metrics[i][k] = append(metrics[i][k], v)
			}
		}
	}
	for i, s := range sides {
		s.MedianMS = record.Median(s.SamplesMS)
		s.CPUMS = record.Median(cpus[i])
		for k, vs := range metrics[i] {
			if s.Metrics == nil {
				s.Metrics = map[string]float64{}
			}
			s.Metrics[k] = record.Median(vs)
		}
	}
	line := fmt.Sprintf("pair:   A %.2f ms (%d KiB)", rec.A.MedianMS, rec.A.MaxRSSKiB)
	if rec.B != nil {
		line += fmt.Sprintf(", B %.2f ms (%d KiB), A/B %.3f", rec.B.MedianMS, rec.B.MaxRSSKiB, rec.A.MedianMS/rec.B.MedianMS)
	}
	fmt.Fprintln(os.Stderr, line)
	if err := write(out, &rec); err != nil {
		fmt.Fprintln(os.Stderr, "pair:", err)
		return 1
	}
	return 0
}

var (
	metricRE  = regexp.MustCompile(`^bench: ([a-z_]+)=([0-9.]+)\s*$`)
	gobenchRE = regexp.MustCompile(`^Benchmark\S*\s+\d+\s+([0-9.]+) ns/op`)
)

// once runs argv and returns its time and its CPU time (user+sys) in ms,
// its peak RSS in KiB and the "bench:" metrics from its stderr.
func once(argv []string, stdin, measure string) (ms, cpuMS float64, rssKiB int64, metrics map[string]float64, err error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	if stdin != "" {
		f, err := os.Open(stdin)
		if err != nil {
			return 0, 0, 0, nil, err
		}
		defer f.Close()
		cmd.Stdin = f
	}
	var stdout, stderr bytes.Buffer
	if measure == "gobench" {
		cmd.Stdout = &stdout
	} else {
		null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
		if err != nil {
			return 0, 0, 0, nil, err
		}
		defer null.Close()
		cmd.Stdout = null
	}
	cmd.Stderr = &stderr
	start := time.Now()
	err = cmd.Run()
	elapsed := time.Since(start)
	if err != nil {
		return 0, 0, 0, nil, fmt.Errorf("%w: %s", err, lastLines(stderr.String(), 5))
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rssKiB = int64(ru.Maxrss) // KiB on Linux
		cpuMS = float64(time.Duration(ru.Utime.Nano()+ru.Stime.Nano()).Nanoseconds()) / 1e6
	}
	metrics = map[string]float64{}
	sc := bufio.NewScanner(&stderr)
	for sc.Scan() {
		if m := metricRE.FindStringSubmatch(sc.Text()); m != nil {
			if v, err := strconv.ParseFloat(m[2], 64); err == nil {
				metrics[m[1]] = v
			}
		}
	}
	ms = float64(elapsed.Nanoseconds()) / 1e6
	if measure == "gobench" {
		ms = -1
		sc := bufio.NewScanner(&stdout)
		for sc.Scan() {
			if m := gobenchRE.FindStringSubmatch(sc.Text()); m != nil {
				v, _ := strconv.ParseFloat(m[1], 64)
				ms = v / 1e6
			}
		}
		if ms < 0 {
			return 0, 0, 0, nil, fmt.Errorf("no ns/op line in the benchmark output: %s", lastLines(stdout.String(), 5))
		}
	}
	return ms, cpuMS, rssKiB, metrics, nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}

func write(path string, rec *Record) error {
	b, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(append(b, '\n')); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
