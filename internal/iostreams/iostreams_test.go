package iostreams

import (
	"strings"
	"testing"
	"time"
)

func TestSpinnerOnlyOnATerminal(t *testing.T) {
	s, _, _, errOut := Test()
	stop := s.StartSpinner("working")
	time.Sleep(SpinnerDelay + 150*time.Millisecond)
	stop()
	if errOut.Len() != 0 {
		t.Fatalf("spinner wrote %q to a non-terminal stderr", errOut.String())
	}

	s.SetStderrTTY(true)
	stop = s.StartSpinner("working")
	stop()
	stop()
	if errOut.Len() != 0 {
		t.Fatalf("a quick operation showed the spinner: %q", errOut.String())
	}

	stop = s.StartSpinner("working")
	time.Sleep(SpinnerDelay + 250*time.Millisecond)
	stop()
	out := errOut.String()
	if !strings.Contains(out, "working") || !strings.HasSuffix(out, "\r\033[K") {
		t.Fatalf("spinner output %q: want the message, then a cleared line", out)
	}
}

func TestTestStreams(t *testing.T) {
	s, in, out, errOut := Test()
	if s.IsStdinTTY() || s.IsStdoutTTY() || s.stderrTTY || s.CanPrompt() || s.ColorEnabled() {
		t.Fatal("test streams claim a terminal")
	}
	in.WriteString("x")
	s.Out.Write([]byte("o"))
	s.ErrOut.Write([]byte("e"))
	if out.String() != "o" || errOut.String() != "e" {
		t.Fatal("buffers not wired")
	}
	s.SetStdoutTTY(true)
	if s.ColorEnabled() {
		t.Fatal("colour on although the test streams set no-colour")
	}
}
