package redact

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

func TestSetSharedByReference(t *testing.T) {
	s := NewSet()
	held := s // what a component was given before the value was known
	s.Add("late-secret-value", "", "abc", "late-secret-value")
	if got := held.Redact(`x late-secret-value y {"a":"late-secret-value"} bGF0ZS1zZWNyZXQtdmFsdWU=`); strings.Contains(got, "late-secret-value") || strings.Contains(got, "bGF0ZS1zZWNyZXQtdmFsdWU") {
		t.Errorf("a value added later is not hidden through the shared set: %q", got)
	}
	if got := s.Values(); len(got) != 1 || got[0] != "late-secret-value" {
		t.Errorf("Values() = %q, want only late-secret-value (empty, short and repeated values skipped)", got)
	}
	if got := s.Redact("an abc stays"); got != "an abc stays" {
		t.Errorf("a value shorter than %d characters was added: %q", MinSecretLen, got)
	}
	if got := s.Redact("pw extra-secret", "extra-secret"); strings.Contains(got, "extra-secret") {
		t.Errorf("extra value not hidden: %q", got)
	}
	var none *Set
	none.Add("some-secret")
	if none.Values() != nil || none.Redact("some-secret") != "some-secret" {
		t.Error("a nil set must hold nothing")
	}
}

// A secret that contains another is replaced whole, whichever was added
// first.
func TestSetLongestFirst(t *testing.T) {
	s := NewSet()
	s.Add("secret")
	s.Add("secret-and-more")
	if got := s.Redact("a secret-and-more b"); got != "a "+Marker+" b" {
		t.Errorf("Redact = %q", got)
	}
}

// Set.Redact and String agree on every rule but the list of secrets.
func TestSetRedactIsString(t *testing.T) {
	s := NewSet()
	s.Add("client-secret-1", "Pa55word!")
	for _, in := range []string{
		`{"PASSWORD":"x1y2","ClientId":"abc"} Pa55word! client-secret-1`,
		"Authorization: Bearer " + jwt,
		"https://user:pw@host/path password=Pa55word%21",
		"",
	} {
		if got, want := s.Redact(in), String(in, "client-secret-1", "Pa55word!"); got != want {
			t.Errorf("Redact(%q) = %q, String = %q", in, got, want)
		}
	}
}

// Run with -race: Add and Redact from many goroutines, as the HTTP debug
// trace of parallel requests and the inputs of a run do.
func TestSetConcurrentUse(t *testing.T) {
	s := NewSet()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 50 {
				v := fmt.Sprintf("secret-%d-%02d", i, j)
				s.Add(v)
				if got := s.Redact("x " + v + " y"); strings.Contains(got, v) {
					t.Errorf("a value added before Redact is shown: %q", got)
					return
				}
				_ = s.Values()
			}
		})
	}
	wg.Wait()
	if n := len(s.Values()); n != 8*50 {
		t.Errorf("%d values, want %d", n, 8*50)
	}
}
