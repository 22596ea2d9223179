// Command pair runs cogtool side by side with the tools people use today
// and writes docs/benchmarks.md. scripts/bench.sh (`make bench`) builds
// everything, starts the test peers and the example API, writes the
// request files, exports their locations (BENCH_*, and the peers' MOTO_*,
// TEST_* variables) and runs pair from the repository's root.
//
// Each row is a pair of commands, run alternately (A B A B ...) after
// -warmup untimed rounds, -runs times each: the figures are medians of the
// whole-process wall time, with the child's CPU time and peak RSS. The Go
// benchmarks of the bench module (-gobench, a test binary) run once with
// -test.cpu 1,N -test.count -gocount and give the per-token rows. Targets
// read le:X (A's time at most X times B's), lt:X, or ge:X (A at least X
// times faster, or X times B's throughput). A missed target is reported,
// not an error; pair exits 1 only when a row could not be measured.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/cogtool/cogtool/bench"
)

const (
	maxRSSMiB   = 25
	maxBinaryMB = 12
	benchPool   = "us-east-1_BENCH0001"
	benchClient = "1example23456789benchclient"
)

// side is one command of a row.
type side struct {
	label string
	argv  []string
	stdin string // file given as stdin
}

// row is one line of the results table. Measured rows fill a and b (the
// median per item in ms, smaller is better) and the texts shown.
type row struct {
	name, target string
	a            side
	b            *side
	items        int  // tokens each run handles: adds throughput
	rss          bool // A's peak RSS is a cogtool command's
	a1, b1       result
	err          string
}

// result is one side's medians.
type result struct {
	ms, cpuMS float64 // per run (or per op for Go benchmarks)
	rssKiB    int64
	metrics   map[string]float64
	text      string // how the table shows it
}

type metaFlag []string

func (m *metaFlag) String() string     { return strings.Join(*m, ", ") }
func (m *metaFlag) Set(s string) error { *m = append(*m, s); return nil }

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "pair:", err)
		os.Exit(1)
	}
}

func run() error {
	var (
		runs, warmup, n, goCount         int
		out, goBench, notes, loadAvg, wd string
		started                          int64
		meta                             metaFlag
	)
	flag.IntVar(&runs, "runs", 10, "timed runs of each command")
	flag.IntVar(&warmup, "warmup", 2, "untimed runs of each command first")
	flag.IntVar(&n, "tokens", 10000, "tokens for the verify --batch rows")
	flag.StringVar(&out, "out", "docs/benchmarks.md", "write the report here")
	flag.StringVar(&goBench, "gobench", "", "the bench module's test binary (go test -c)")
	flag.IntVar(&goCount, "gocount", 5, "-test.count of the Go benchmarks")
	flag.StringVar(&notes, "notes", "bench/notes.md", "markdown appended as the findings")
	flag.StringVar(&loadAvg, "loadavg", "", "load average when the run started")
	flag.StringVar(&wd, "work", "", "the run's work directory (request files; tokens are written here)")
	flag.Int64Var(&started, "started", 0, "Unix time the whole run started")
	flag.Var(&meta, "meta", "NAME=VALUE shown under the machine (repeatable)")
	flag.Parse()
	if wd == "" || goBench == "" || runs < 1 {
		return fmt.Errorf("usage: pair -work DIR -gobench FILE [flags] (see scripts/bench.sh)")
	}
	cog, err := env("BENCH_COGTOOL")
	if err != nil {
		return err
	}

	tok, err := bench.Generate(n, benchPool, benchClient, time.Now(), 2*time.Hour)
	if err != nil {
		return err
	}
	tokens, jwks := filepath.Join(wd, "tokens.txt"), filepath.Join(wd, "jwks.json")
	if err := os.WriteFile(tokens, []byte(strings.Join(tok.Lines, "\n")+"\n"), 0o600); err != nil {
		return err
	}
	if err := os.WriteFile(jwks, tok.JWKS, 0o600); err != nil {
		return err
	}

	rows, err := commandRows(cog, wd, tokens, jwks, tok.Issuer, n)
	if err != nil {
		return err
	}
	failed := false
	for i := range rows {
		measure(&rows[i], runs, warmup)
		failed = failed || rows[i].err != ""
	}
	goRows := goBenchRows(goBench, goCount)
	for _, r := range goRows {
		failed = failed || r.err != ""
	}
	startupRows := []row{
		{name: "`version` (start-up alone)", a: side{label: "cogtool version", argv: []string{cog, "version"}}, rss: true},
		{name: "`decode` one token", a: side{label: "cogtool decode -o json TOKEN", argv: []string{cog, "decode", "-o", "json", tok.Lines[0]}}, rss: true},
	}
	for i := range startupRows {
		measure(&startupRows[i], runs, warmup)
		failed = failed || startupRows[i].err != ""
	}
	rows = append(append(rows, goRows...), startupRows...)

	var b bytes.Buffer
	writeReport(&b, rows, cog, loadAvg, started, meta)
	if err := startup(&b, cog); err != nil {
		return err
	}
	if notes != "" {
		text, err := os.ReadFile(notes)
		if err != nil {
			return err
		}
		b.Write(text)
	}
	if err := os.WriteFile(out, b.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "pair: wrote %s\n", out)
	if failed {
		return fmt.Errorf("some rows could not be measured (see %s)", out)
	}
	return nil
}

func env(name string) (string, error) {
	if v := os.Getenv(name); v != "" {
		return v, nil
	}
	return "", fmt.Errorf("$%s is not set: run scripts/bench.sh", name)
}

// commandRows are the side-by-side rows; the request files and the
// client_credentials profile "cc" are scripts/bench.sh's.
func commandRows(cog, wd, tokens, jwks, issuer string, n int) ([]row, error) {
	var v struct{ moto, client, pool, user, api, node, ajv string }
	for _, e := range []struct {
		dst  *string
		name string
	}{{&v.moto, "MOTO_URL"}, {&v.client, "MOTO_PUBLIC_CLIENT_ID"}, {&v.pool, "MOTO_POOL_ID"}, {&v.user, "TEST_USERNAME"},
		{&v.api, "BENCH_API"}, {&v.node, "BENCH_NODE_SCRIPT"}, {&v.ajv, "BENCH_AWS_JWT_VERIFY"}} {
		var err error
		if *e.dst, err = env(e.name); err != nil {
			return nil, err
		}
	}
	file := func(name string) string { return filepath.Join(wd, name) }
	aws := func(args ...string) []string {
		return append([]string{"python3", "-m", "awscli", "cognito-idp"}, append(args, "--endpoint-url", v.moto, "--region", "us-east-1")...)
	}
	password := side{label: "cogtool token password --no-cache -o token --password-stdin", stdin: file("password"),
		argv: []string{cog, "token", "password", "--endpoint-url", v.moto, "--region", "us-east-1", "--client-id", v.client,
			"--username", v.user, "--password-stdin", "--no-cache", "-o", "token"}}
	ccCurl := &side{label: "curl -u id:secret -d grant_type=client_credentials -d scope=api/read TOKEN_URL",
		argv: []string{"curl", "-K", file("client-credentials.curl")}}
	batch := []string{cog, "verify", "--batch", "--jwks-file", jwks, "--issuer", issuer, "--token-use", "access", "--client-id", benchClient}
	return []row{
		{name: "`token password` against moto", target: "ge:30", rss: true, a: password,
			b: &side{label: "python3 -m awscli cognito-idp initiate-auth --auth-flow USER_PASSWORD_AUTH",
				argv: aws("initiate-auth", "--cli-input-json", "file://"+file("initiate-auth.json"), "--output", "json")}},
		{name: "`token password` against moto", target: "le:1.5", rss: true, a: password,
			b: &side{label: "curl POST InitiateAuth (same JSON body)", argv: []string{"curl", "-K", file("initiate-auth.curl")}}},
		{name: "`token client-credentials --no-cache` against the oauth2 peer", target: "le:1.5", rss: true, b: ccCurl,
			a: side{label: "cogtool token client-credentials --profile cc --no-cache -o token",
				argv: []string{cog, "token", "client-credentials", "--profile", "cc", "--no-cache", "-o", "token"}}},
		{name: "`token client-credentials` from the cache", target: "lt:1", rss: true, b: ccCurl,
			a: side{label: "cogtool token client-credentials --profile cc -o token",
				argv: []string{cog, "token", "client-credentials", "--profile", "cc", "-o", "token"}}},
		{name: "`user set-password` against moto", target: "ge:30", rss: true,
			a: side{label: "cogtool user set-password --password-stdin", stdin: file("password"),
				argv: []string{cog, "user", "set-password", "--endpoint-url", v.moto, "--region", "us-east-1", "--user-pool-id", v.pool,
					"--username", v.user, "--password-stdin"}},
			b: &side{label: "python3 -m awscli cognito-idp admin-set-user-password --permanent",
				argv: aws("admin-set-user-password", "--cli-input-json", "file://"+file("set-password.json"))}},
		{name: "`call` the example API with a cached token", target: "le:1.5", rss: true,
			a: side{label: "cogtool call --profile cc API/weatherforecast", argv: []string{cog, "call", "--profile", "cc", v.api + "/weatherforecast"}},
			b: &side{label: `curl -H "Authorization: Bearer $TOKEN" API/weatherforecast`, argv: []string{"curl", "-K", file("call.curl")}}},
		{name: fmt.Sprintf("`verify --batch` of %d RS256 tokens (2 keys)", n), target: "ge:1.5", items: n, rss: true,
			a: side{label: "cogtool verify --batch --jwks-file jwks.json --issuer ISS --token-use access --client-id ID < tokens.txt", argv: batch, stdin: tokens},
			b: &side{label: "node verify.mjs (aws-jwt-verify " + v.ajv + ": cacheJwks, verifySync)",
				argv: []string{"node", v.node, tokens, jwks, benchPool, benchClient}}},
		// How much parallelism the machine really gave (other load shares the cores).
		{name: "`verify --batch`, all cores vs one (GOMAXPROCS=1)", items: n,
			a: side{label: "cogtool verify --batch ... (all cores)", argv: batch, stdin: tokens},
			b: &side{label: "GOMAXPROCS=1 cogtool verify --batch ...", argv: append([]string{"env", "GOMAXPROCS=1"}, batch...), stdin: tokens}},
	}, nil
}

// measure runs a row's commands alternately and fills its results.
func measure(r *row, runs, warmup int) {
	sides := []*side{&r.a}
	results := []*result{&r.a1}
	if r.b != nil {
		sides, results = append(sides, r.b), append(results, &r.b1)
	}
	fmt.Fprintf(os.Stderr, "pair: %s (%d warm-up + %d runs each)\n", r.name, warmup, runs)
	ms := make([][]float64, len(sides))
	cpu := make([][]float64, len(sides))
	metrics := make([]map[string][]float64, len(sides))
	for round := range warmup + runs {
		for i, s := range sides {
			t, c, rss, m, err := once(s)
			if err != nil {
				r.err = fmt.Sprintf("%s: %v", s.label, err)
				fmt.Fprintln(os.Stderr, "pair:", r.err)
				return
			}
			if round < warmup {
				continue
			}
			ms[i], cpu[i] = append(ms[i], t), append(cpu[i], c)
			results[i].rssKiB = max(results[i].rssKiB, rss)
			if metrics[i] == nil {
				metrics[i] = map[string][]float64{}
			}
			for k, v := range m {
				metrics[i][k] = append(metrics[i][k], v)
			}
		}
	}
	for i, res := range results {
		res.ms, res.cpuMS = median(ms[i]), median(cpu[i])
		res.metrics = map[string]float64{}
		for k, vs := range metrics[i] {
			res.metrics[k] = median(vs)
		}
		res.text = wallText(*res, r.items)
	}
}

var metricRE = regexp.MustCompile(`^bench: ([a-z_]+)=([0-9.]+)\s*$`)

// once runs a command with stdout discarded and returns its wall and CPU
// time (ms), peak RSS (KiB) and the "bench: key=value" lines of its stderr.
func once(s *side) (ms, cpuMS float64, rssKiB int64, metrics map[string]float64, err error) {
	cmd := exec.Command(s.argv[0], s.argv[1:]...)
	if s.stdin != "" {
		f, err := os.Open(s.stdin)
		if err != nil {
			return 0, 0, 0, nil, err
		}
		defer f.Close()
		cmd.Stdin = f
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	err = cmd.Run()
	elapsed := time.Since(start)
	if err != nil {
		return 0, 0, 0, nil, fmt.Errorf("%w: %s", err, lastLines(stderr.String(), 5))
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rssKiB = int64(ru.Maxrss) // KiB on Linux
		cpuMS = float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e6
	}
	metrics = map[string]float64{}
	for line := range strings.SplitSeq(stderr.String(), "\n") {
		if m := metricRE.FindStringSubmatch(line); m != nil {
			if v, err := strconv.ParseFloat(m[2], 64); err == nil {
				metrics[m[1]] = v
			}
		}
	}
	return float64(elapsed.Nanoseconds()) / 1e6, cpuMS, rssKiB, metrics, nil
}

// goBenchLine is one line of `go test -bench` output: name, GOMAXPROCS
// suffix, iterations, then value-unit pairs.
var goBenchLine = regexp.MustCompile(`^(Benchmark\w+?)(?:-(\d+))?\s+\d+\s+(.*)$`)

// parseGoBench returns the medians of each benchmark's unit at each
// GOMAXPROCS: key "BenchmarkX/2", unit "ns/op".
func parseGoBench(output string) map[string]map[string]float64 {
	samples := map[string]map[string][]float64{}
	sc := bufio.NewScanner(strings.NewReader(output))
	for sc.Scan() {
		m := goBenchLine.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		procs := m[2]
		if procs == "" {
			procs = "1"
		}
		key := m[1] + "/" + procs
		if samples[key] == nil {
			samples[key] = map[string][]float64{}
		}
		f := strings.Fields(m[3])
		for i := 0; i+1 < len(f); i += 2 {
			if v, err := strconv.ParseFloat(f[i], 64); err == nil {
				samples[key][f[i+1]] = append(samples[key][f[i+1]], v)
			}
		}
	}
	out := map[string]map[string]float64{}
	for k, units := range samples {
		out[k] = map[string]float64{}
		for u, vs := range units {
			out[k][u] = median(vs)
		}
	}
	return out
}

// goBenchRows runs the Go benchmarks at -cpu 1,N and turns them into rows:
// Verify against the floor, the batch against N cores' worth of floor, and
// the batch's scaling from one core to N.
func goBenchRows(testBin string, count int) []row {
	cores := runtime.NumCPU()
	rows := []row{
		{name: "`BenchmarkVerify` per token (-cpu 1)", target: "le:1.3",
			a: side{label: "go test -bench ^BenchmarkVerify$ ./bench (rules: token_use, client id)"},
			b: &side{label: "go test -bench ^BenchmarkRSAFloor$ (sha256 + rsa.VerifyPKCS1v15)"}},
		{name: fmt.Sprintf("`BenchmarkVerifyBatch` on %d cores vs %d × the floor's rate", cores, cores), target: "ge:0.8", items: 1,
			a: side{label: fmt.Sprintf("go test -bench ^BenchmarkVerifyBatch$ -cpu %d ./bench", cores)},
			b: &side{label: fmt.Sprintf("%d × BenchmarkRSAFloor's rate (-cpu 1)", cores)}},
		{name: fmt.Sprintf("`BenchmarkVerifyBatch` scaling, -cpu %d vs -cpu 1", cores), items: 1,
			a: side{label: fmt.Sprintf("BenchmarkVerifyBatch -cpu %d", cores)},
			b: &side{label: "BenchmarkVerifyBatch -cpu 1"}},
	}
	args := []string{"-test.run", "^$", "-test.bench", "^Benchmark(Verify|RSAFloor|VerifyBatch)$",
		"-test.cpu", fmt.Sprintf("1,%d", cores), "-test.count", strconv.Itoa(count), "-test.benchtime", "1s"}
	fmt.Fprintf(os.Stderr, "pair: Go benchmarks (%s)\n", strings.Join(args, " "))
	cmd := exec.Command(testBin, args...)
	cmd.Dir = filepath.Dir(testBin)
	outb, err := cmd.CombinedOutput()
	res := parseGoBench(string(outb))
	get := func(name string, procs int, unit string) float64 {
		return res[fmt.Sprintf("%s/%d", name, procs)][unit] / 1e6
	}
	verify1, floor1 := get("BenchmarkVerify", 1, "ns/op"), get("BenchmarkRSAFloor", 1, "ns/op")
	batch1, batchN := get("BenchmarkVerifyBatch", 1, "ns/token"), get("BenchmarkVerifyBatch", cores, "ns/token")
	if err != nil || verify1 == 0 || floor1 == 0 || batch1 == 0 || batchN == 0 {
		for i := range rows {
			rows[i].err = fmt.Sprintf("Go benchmarks: %v: %s", err, lastLines(string(outb), 5))
		}
		return rows
	}
	perToken := func(ms float64) result {
		return result{ms: ms, text: fmt.Sprintf("%.1f µs/token = %.0f tokens/s", ms*1000, 1000/ms)}
	}
	rows[0].a1 = result{ms: verify1, text: fmt.Sprintf("%.1f µs/op", verify1*1000)}
	rows[0].b1 = result{ms: floor1, text: fmt.Sprintf("%.1f µs/op", floor1*1000)}
	rows[1].a1, rows[1].b1 = perToken(batchN), perToken(floor1/float64(cores))
	rows[2].a1, rows[2].b1 = perToken(batchN), perToken(batch1)
	return rows
}

func wallText(r result, items int) string {
	v := fmt.Sprintf("%.1f ms", r.ms)
	if r.ms >= 1000 {
		v = fmt.Sprintf("%.2f s", r.ms/1000)
	}
	if items > 1 && r.ms > 0 {
		v += fmt.Sprintf(" = %.0f tokens/s", float64(items)/(r.ms/1000))
		if r.cpuMS > 0 {
			v += fmt.Sprintf("; CPU %.0f ms = %.0f µs/token", r.cpuMS, r.cpuMS*1000/float64(items))
		}
		if loop := r.metrics["loop_ms"]; loop > 0 {
			v += fmt.Sprintf("; verification loop alone %.0f ms = %.0f tokens/s", loop, float64(items)/(loop/1000))
		}
	}
	return v
}

// judge returns the ratio as shown and, when the row has a target, whether
// it is met.
func judge(r row) (ratio string, pass, hasTarget bool) {
	if r.b == nil || r.a1.ms == 0 || r.b1.ms == 0 {
		return "", false, false
	}
	aOverB := r.a1.ms / r.b1.ms
	ratio = fmt.Sprintf("%.2f× its time", aOverB)
	if r.items > 0 {
		ratio = fmt.Sprintf("%.2f× its throughput", 1/aOverB)
	} else if strings.HasPrefix(r.target, "ge:") {
		ratio = fmt.Sprintf("%.1f× faster", 1/aOverB)
	}
	kind, xs, _ := strings.Cut(r.target, ":")
	x, err := strconv.ParseFloat(xs, 64)
	if err != nil {
		return ratio, false, false
	}
	switch kind {
	case "ge":
		return ratio, 1/aOverB >= x, true
	case "le":
		return ratio, aOverB <= x, true
	case "lt":
		return ratio, aOverB < x, true
	}
	return ratio, false, false
}

func targetText(r row) string {
	kind, x, _ := strings.Cut(r.target, ":")
	switch {
	case kind == "ge" && r.items > 0:
		return "≥ " + x + "× its throughput"
	case kind == "ge":
		return "≥ " + x + "× faster"
	case kind == "le":
		return "≤ " + x + "× its time"
	case kind == "lt" && x == "1":
		return "faster"
	case kind == "lt":
		return "< " + x + "× its time"
	}
	return "—"
}

func writeReport(b *bytes.Buffer, rows []row, cog, loadAvg string, started int64, meta []string) {
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	p("# Benchmarks\n\n")
	p("Side-by-side figures written by `make bench` (`scripts/bench.sh`, then `bench/pair`); do not edit by hand. ")
	p("Each pair ran alternately (A B A B ...) after a warm-up; the figures are medians of the timed runs. ")
	p("Times are whole-process wall times (start-up included), peak RSS is the process's `ru_maxrss`. ")
	p("Every server is a local test peer on 127.0.0.1, so the network is loopback and the peer's own work is part of both sides of a row. ")
	p("The `Benchmark...` rows are the Go benchmarks of the `bench` module (`cd bench && go test -bench . -cpu 1,%d`), medians of their runs.\n\n", runtime.NumCPU())

	p("## Machine\n\n| | |\n|---|---|\n")
	p("| date | %s |\n", time.Now().UTC().Format("2006-01-02 15:04 MST"))
	p("| CPU | %s |\n| cores | %d |\n| memory | %s |\n| Go | %s |\n", cpuModel(), runtime.NumCPU(), memTotal(), runtime.Version())
	if loadAvg != "" {
		p("| load average at start | %s |\n", loadAvg)
	}
	for _, m := range meta {
		k, v, _ := strings.Cut(m, "=")
		p("| %s | %s |\n", k, v)
	}
	if started > 0 {
		p("| whole bench run | %d s |\n", time.Now().Unix()-started)
	}

	p("\n## Results\n\n| what | cogtool (median) | compared with | its median | ratio | target | result |\n|---|---|---|---|---|---|---|\n")
	for _, r := range rows {
		other, otherText := "—", ""
		if r.b != nil {
			other, otherText = r.b.label, r.b1.text
		}
		if r.err != "" {
			p("| %s | error | %s | | | %s | **error**: %s |\n", r.name, cell(other), targetText(r), cell(r.err))
			continue
		}
		ratio, pass, ok := judge(r)
		p("| %s | %s | %s | %s | %s | %s | %s |\n", r.name, r.a1.text, cell(other), otherText, ratio, targetText(r), mark(pass, ok))
	}
	if fi, err := os.Stat(cog); err == nil {
		p("| stripped release binary (linux/%s, `-trimpath -ldflags \"-s -w\"`, CGO_ENABLED=0) | %.2f MB (%d bytes) | — | | | ≤ %d MB | %s |\n",
			runtime.GOARCH, float64(fi.Size())/1e6, fi.Size(), maxBinaryMB, mark(fi.Size() <= maxBinaryMB*1e6, true))
	}

	p("\n### Peak RSS\n\n| command | cogtool peak RSS | compared with | its peak RSS | target | result |\n|---|---|---|---|---|---|\n")
	for _, r := range rows {
		if !r.rss || r.err != "" {
			continue
		}
		mib := float64(r.a1.rssKiB) / 1024
		other, otherRSS := "—", ""
		if r.b != nil {
			other, otherRSS = r.b.label, fmt.Sprintf("%.1f MiB", float64(r.b1.rssKiB)/1024)
		}
		p("| %s | %.1f MiB | %s | %s | ≤ %d MiB | %s |\n", cell(r.a.label), mib, cell(other), otherRSS, maxRSSMiB, mark(mib <= maxRSSMiB, true))
	}

	p("\n### Commands\n\n| row | A (cogtool) | B |\n|---|---|---|\n")
	for _, r := range rows {
		other := "—"
		if r.b != nil {
			other = "`" + cell(r.b.label) + "`"
		}
		p("| %s | `%s` | %s |\n", r.name, cell(r.a.label), other)
	}
	p("\n")
}

func mark(pass, hasTarget bool) string {
	switch {
	case !hasTarget:
		return "—"
	case pass:
		return "pass"
	}
	return "**miss**"
}

func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

var initRE = regexp.MustCompile(`^init (\S+) @([0-9.]+) ms, ([0-9.]+) ms clock, (\d+) bytes, (\d+) allocs`)

// startup runs `cogtool version` 15 times with GODEBUG=inittrace=1 and
// summarises the package initialisers: per-package medians (one run on a
// busy machine can be descheduled in the middle of any package).
func startup(b *bytes.Buffer, cog string) error {
	const runs = 15
	clocks := map[string][]float64{}
	allocs := map[string]int64{}
	var ends []float64
	for range runs {
		cmd := exec.Command(cog, "version")
		cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("cogtool version: %w", err)
		}
		end := 0.0
		for line := range strings.SplitSeq(stderr.String(), "\n") {
			m := initRE.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			at, _ := strconv.ParseFloat(m[2], 64)
			ms, _ := strconv.ParseFloat(m[3], 64)
			clocks[m[1]] = append(clocks[m[1]], ms)
			allocs[m[1]], _ = strconv.ParseInt(m[4], 10, 64)
			end = max(end, at+ms)
		}
		ends = append(ends, end)
	}
	type pkg struct {
		name string
		ms   float64
	}
	var pkgs []pkg
	var total, aws, jwx float64
	for name, v := range clocks {
		p := pkg{name, median(v)}
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
		if c := -cmpFloat(x.ms, y.ms); c != 0 {
			return c
		}
		return strings.Compare(x.name, y.name)
	})
	fmt.Fprintf(b, "## Start-up (`GODEBUG=inittrace=1 cogtool version`, medians of %d runs)\n\n", runs)
	fmt.Fprintf(b, "%d packages initialise in %.2f ms of clock (the last one ends %.1f ms after the process starts); ", len(pkgs), total, median(ends))
	fmt.Fprintf(b, "the AWS SDK and smithy packages take %.2f ms of it, jwx %.2f ms. The costliest:\n\n", aws, jwx)
	fmt.Fprintf(b, "| package | init clock | allocated |\n|---|---|---|\n")
	for _, p := range pkgs[:min(8, len(pkgs))] {
		fmt.Fprintf(b, "| %s | %.3f ms | %d KiB |\n", p.name, p.ms, allocs[p.name]/1024)
	}
	fmt.Fprintf(b, "\n")
	return nil
}

func cmpFloat(x, y float64) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// median returns the median of xs, 0 for none.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], " | ")
}

func cpuModel() string {
	data, _ := os.ReadFile("/proc/cpuinfo")
	for line := range strings.SplitSeq(string(data), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}

func memTotal() string {
	data, _ := os.ReadFile("/proc/meminfo")
	for line := range strings.SplitSeq(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "MemTotal:"); ok {
			if kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64); err == nil {
				return fmt.Sprintf("%.0f GiB", float64(kb)/(1<<20))
			}
		}
	}
	return "?"
}
