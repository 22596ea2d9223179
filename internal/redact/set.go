package redact

import (
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// MinSecretLen is the length below which a value is not a secret that can
// be hidden: one to three characters occur in ordinary text, so replacing
// them would garble every message without hiding anything. cogtool refuses
// passwords and client secrets that short at input.
const MinSecretLen = 4

// Set is the values one run must never print: client secrets, passwords,
// codes, tokens and what is derived from them (SECRET_HASH, HTTP Basic
// credentials). One Set is made per run and shared by reference, so a
// value added after a component (the --debug trace, a user-pool client)
// was given the set is hidden by that component too. It is safe for
// concurrent use. A nil *Set holds nothing.
type Set struct {
	mu    sync.RWMutex
	vals  []string
	forms []string // Forms of every value, longest first
}

// NewSet returns an empty set.
func NewSet() *Set { return &Set{} }

// Add adds values to the set, with the forms a server or a trace may give
// them in (see Forms). Empty values, values shorter than MinSecretLen and
// values already in the set are skipped.
func (s *Set) Add(values ...string) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var forms []string
	for _, v := range values {
		if utf8.RuneCountInString(v) < MinSecretLen || slices.Contains(s.vals, v) {
			continue
		}
		s.vals = append(s.vals, v)
		forms = append(forms, Forms(v)...)
	}
	if forms != nil {
		// A new slice: readers keep the one they took (snapshot).
		s.forms = longestFirst(append(slices.Clip(s.forms), forms...))
	}
}

// Values returns a copy of the values in the set, in the order added.
func (s *Set) Values() []string {
	if s == nil {
		return nil
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return slices.Clone(s.vals)
}

// Redact is String with the set's values, and extra ones, as secrets.
func (s *Set) Redact(text string, extra ...string) string {
	forms := s.snapshot()
	if len(extra) > 0 {
		forms = longestFirst(append(forms, formsOf(extra)...))
	}
	return redactPatterns(replaceForms(text, forms))
}

// snapshot returns the set's forms. Add never writes a slice it has
// handed out, so the caller reads it without the lock.
func (s *Set) snapshot() []string {
	if s == nil {
		return nil
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return slices.Clip(s.forms)
}

// longestFirst sorts forms longest first, without duplicates, into a new
// slice, so that a secret that contains another is replaced whole.
func longestFirst(forms []string) []string {
	seen := make(map[string]bool, len(forms))
	out := make([]string, 0, len(forms))
	for _, f := range forms {
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	slices.SortStableFunc(out, func(a, b string) int { return len(b) - len(a) })
	return slices.Clip(out)
}

func formsOf(secrets []string) []string {
	var forms []string
	for _, sec := range secrets {
		if sec != "" {
			forms = append(forms, Forms(sec)...)
		}
	}
	return forms
}

func replaceForms(s string, forms []string) string {
	for _, f := range forms {
		if s == "" {
			break
		}
		if strings.Contains(s, f) {
			s = strings.ReplaceAll(s, f, Marker)
		}
	}
	return s
}
