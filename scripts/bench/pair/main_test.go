package main

import (
	"testing"

	"github.com/cogtool/cogtool/scripts/bench/record"
)

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		in   []float64
		want float64
	}{
		{nil, 0},
		{[]float64{3}, 3},
		{[]float64{9, 1, 5}, 5},
		{[]float64{4, 1, 3, 2}, 2.5},
	} {
		if got := record.Median(c.in); got != c.want {
			t.Errorf("record.Median(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestOnceGoBench(t *testing.T) {
	ms, _, _, _, err := once([]string{"sh", "-c", `echo "BenchmarkX-2   2000   51234 ns/op   3344 B/op"; echo "bench: loop_ms=12.5" >&2`}, "", "gobench")
	if err != nil {
		t.Fatal(err)
	}
	if ms != 0.051234 {
		t.Errorf("ms = %v, want 0.051234", ms)
	}
	_, _, _, metrics, err := once([]string{"sh", "-c", `echo "bench: loop_ms=12.5" >&2`}, "", "wall")
	if err != nil || metrics["loop_ms"] != 12.5 {
		t.Errorf("metrics = %v, %v; want loop_ms 12.5", metrics, err)
	}
	if _, _, _, _, err := once([]string{"sh", "-c", "exit 3"}, "", "wall"); err == nil {
		t.Error("a failing command was not an error")
	}
}
