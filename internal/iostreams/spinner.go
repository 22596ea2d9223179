package iostreams

import (
	"fmt"
	"sync"
	"time"
)

// SpinnerDelay is how long an operation runs before the spinner shows.
const SpinnerDelay = 300 * time.Millisecond

// StartSpinner shows msg with a spinner on stderr when stderr is a
// terminal and the operation outlasts SpinnerDelay. The returned func
// stops it and clears the line; it is safe to call more than once. There
// is one spinner at a time: a new one stops the one running.
func (s *IOStreams) StartSpinner(msg string) (stop func()) {
	s.StopSpinner()
	if !s.stderrTTY {
		return func() {}
	}
	stop = s.spin(msg)
	s.spinMu.Lock()
	s.spinStop = stop
	s.spinMu.Unlock()
	return stop
}

// StopSpinner stops the running spinner, if any, and clears its line:
// before a prompt or a line on stderr that the spinner would overwrite.
func (s *IOStreams) StopSpinner() {
	s.spinMu.Lock()
	stop := s.spinStop
	s.spinStop = nil
	s.spinMu.Unlock()
	if stop != nil {
		stop()
	}
}

func (s *IOStreams) spin(msg string) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		select {
		case <-done:
			return
		case <-time.After(SpinnerDelay):
		}
		frames := `|/-\`
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for i := 0; ; i++ {
			fmt.Fprintf(s.ErrOut, "\r%c %s", frames[i%len(frames)], msg)
			select {
			case <-done:
				fmt.Fprintf(s.ErrOut, "\r\033[K")
				return
			case <-t.C:
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() { close(done); wg.Wait() })
	}
}
