// Package record is the results format that scripts/bench/pair writes and
// scripts/bench/report reads: one Record a line (JSON Lines).
package record

import "slices"

// Side is one command's record.
type Side struct {
	Label     string             `json:"label"`
	SamplesMS []float64          `json:"samples_ms"`
	MedianMS  float64            `json:"median_ms"`
	CPUMS     float64            `json:"cpu_ms"` // median user+sys CPU time
	MaxRSSKiB int64              `json:"max_rss_kib"`
	Metrics   map[string]float64 `json:"metrics,omitempty"`
}

// Record is one line of the results file.
type Record struct {
	Name    string `json:"name"`
	Target  string `json:"target,omitempty"`
	Measure string `json:"measure"`
	Items   int    `json:"items,omitempty"`
	RSS     bool   `json:"rss"`
	A       Side   `json:"a"`
	B       *Side  `json:"b,omitempty"`
	Error   string `json:"error,omitempty"`
}

// Median returns the median of xs, 0 for none.
func Median(xs []float64) float64 {
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
