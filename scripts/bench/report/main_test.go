package main

import "testing"

func TestJudge(t *testing.T) {
	side := func(ms float64) *Side { return &Side{MedianMS: ms} }
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
		{"ge:1.5", 10000, 600, 800, "1.33× its throughput", false},
	} {
		r := Record{Target: c.target, Items: c.items, A: *side(c.a), B: side(c.b)}
		ratio, pass, ok := judge(r)
		if !ok || ratio != c.ratio || pass != c.pass {
			t.Errorf("judge(%s, a=%v, b=%v) = %q, %v, %v; want %q, %v, true", c.target, c.a, c.b, ratio, pass, ok, c.ratio, c.pass)
		}
	}
	if _, _, ok := judge(Record{A: *side(1), B: side(2)}); ok {
		t.Error("a row without a target was judged")
	}
}
