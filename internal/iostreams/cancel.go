package iostreams

import (
	"context"
	"io"

	"golang.org/x/term"
)

// WithContext makes every read of stdin, and the no-echo password prompt,
// end as soon as ctx ends (Ctrl-C, SIGTERM): a command waiting on stdin
// returns ctx.Err() at once instead of when the writer closes the pipe.
func (s *IOStreams) WithContext(ctx context.Context) {
	s.ctx = ctx
	if s.In != nil && ctx.Done() != nil {
		if _, ok := s.In.(*ctxReader); !ok {
			s.In = &ctxReader{ctx: ctx, r: s.In}
		}
	}
}

func (s *IOStreams) context() context.Context {
	if s.ctx != nil {
		return s.ctx
	}
	return context.Background()
}

// ctxReader is a reader whose Read returns ctx.Err() when ctx ends, even
// while the underlying Read blocks (a pipe or FIFO whose writer waits).
// The blocked Read is left behind: the process is about to exit.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

// readChunk bounds the copy each Read makes, so a large destination
// buffer is not allocated twice.
const readChunk = 32 << 10

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	if len(p) == 0 {
		return 0, nil
	}
	// The goroutine reads into its own buffer: after a cancel, p belongs to
	// the caller again and must not be written.
	buf := make([]byte, min(len(p), readChunk))
	type result struct {
		n   int
		err error
	}
	done := make(chan result, 1)
	go func() {
		n, err := c.r.Read(buf)
		done <- result{n, err}
	}()
	select {
	case r := <-done:
		return copy(p, buf[:r.n]), r.err
	case <-c.ctx.Done():
		return 0, c.ctx.Err()
	}
}

// readPassword reads a line without echo from the terminal fd. When ctx
// ends first, the terminal's state (echo on) is restored before returning.
func readPassword(ctx context.Context, fd int) ([]byte, error) {
	old, err := term.GetState(fd)
	if err != nil {
		return nil, err
	}
	type result struct {
		b   []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		b, err := term.ReadPassword(fd)
		done <- result{b, err}
	}()
	select {
	case r := <-done:
		return r.b, r.err
	case <-ctx.Done():
		_ = term.Restore(fd, old)
		return nil, ctx.Err()
	}
}
