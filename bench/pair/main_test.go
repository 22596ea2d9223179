package main

import "testing"

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		in   []float64
		want float64
	}{{nil, 0}, {[]float64{3}, 3}, {[]float64{9, 1, 5}, 5}, {[]float64{4, 1, 3, 2}, 2.5}} {
		if got := median(c.in); got != c.want {
			t.Errorf("median(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestJudge(t *testing.T) {
	for _, c := range []struct {
		target string
		items  int
		a, b   float64
		ratio  string
		pass   bool
	}{
		{"ge:30", 0, 20, 900, "45.0× faster", true},
		{"ge:30", 0, 40, 900, "22.5× faster", false},
		{"le:1.5", 0, 15, 10, "1.50× its time", true},
		{"le:1.5", 0, 16, 10, "1.60× its time", false},
		{"lt:1", 0, 10, 10, "1.00× its time", false},
		{"lt:1", 0, 7, 12, "0.58× its time", true},
		{"ge:1.5", 10000, 500, 800, "1.60× its throughput", true},
		{"ge:0.8", 1, 30, 22.5, "0.75× its throughput", false},
	} {
		r := row{target: c.target, items: c.items, b: &side{}, a1: result{ms: c.a}, b1: result{ms: c.b}}
		ratio, pass, ok := judge(r)
		if !ok || ratio != c.ratio || pass != c.pass {
			t.Errorf("judge(%s, a=%v, b=%v) = %q, %v, %v; want %q, %v, true", c.target, c.a, c.b, ratio, pass, ok, c.ratio, c.pass)
		}
	}
	if _, _, ok := judge(row{b: &side{}, a1: result{ms: 1}, b1: result{ms: 2}}); ok {
		t.Error("a row without a target was judged")
	}
}

func TestParseGoBench(t *testing.T) {
	out := `goos: linux
BenchmarkVerify            	   20000	     57000 ns/op	    3344 B/op	      40 allocs/op
BenchmarkVerify            	   20000	     59000 ns/op	    3344 B/op	      40 allocs/op
BenchmarkVerify-2          	   20000	     58000 ns/op	    3344 B/op	      40 allocs/op
BenchmarkVerifyBatch-2     	      40	  30000000 ns/op	     29300 ns/token	  1 B/op
PASS
`
	got := parseGoBench(out)
	if v := got["BenchmarkVerify/1"]["ns/op"]; v != 58000 {
		t.Errorf("BenchmarkVerify/1 ns/op = %v, want the median 58000", v)
	}
	if v := got["BenchmarkVerify/2"]["ns/op"]; v != 58000 {
		t.Errorf("BenchmarkVerify/2 ns/op = %v", v)
	}
	if v := got["BenchmarkVerifyBatch/2"]["ns/token"]; v != 29300 {
		t.Errorf("BenchmarkVerifyBatch/2 ns/token = %v", v)
	}
}
