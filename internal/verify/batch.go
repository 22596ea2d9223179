package verify

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"

	"github.com/cogtool/cogtool/internal/decode"
	"github.com/cogtool/cogtool/internal/exit"
)

// maxLine is the longest input line VerifyBatch reads whole: a token at
// the size limit plus room for "Authorization: Bearer " and white space.
const maxLine = decode.MaxTokenSize + 1024

// VerifyBatch reads one token a line from r (blank lines skipped) and
// writes one Result as JSON a line to w, in input order, verifying with
// workers goroutines (runtime.GOMAXPROCS(0) when workers <= 0). At most a few
// dozen lines per worker are in memory at once, however long the input.
//
// rejected counts tokens that were not valid, unreadable ones included.
// err is set only for failures that stop the batch: no JWKS to be had
// (exit 5), a read or write error, or ctx being cancelled. A line longer
// than the token size limit is reported as a rejected line, not an error.
func (v *Verifier) VerifyBatch(ctx context.Context, r io.Reader, w io.Writer, workers int) (rejected int, err error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	type job struct {
		seq  int
		line string
		long bool
	}
	type output struct {
		seq      int
		data     []byte
		rejected bool
		err      error
	}
	// window bounds the lines between reading and writing, so memory does
	// not grow with the input or with one slow token.
	window := workers * 32
	slots := make(chan struct{}, window)
	jobs := make(chan job, window)
	results := make(chan output, window) // never blocks: ≤ window jobs exist
	readErr := make(chan error, 1)

	go func() {
		defer close(jobs)
		br := bufio.NewReaderSize(r, 64<<10)
		for seq := 0; ; {
			line, long, err := readLine(br)
			if long || strings.TrimSpace(line) != "" {
				select {
				case slots <- struct{}{}:
				case <-ctx.Done():
					readErr <- nil
					return
				}
				jobs <- job{seq: seq, line: line, long: long}
				seq++
			}
			if err != nil {
				if errors.Is(err, io.EOF) {
					err = nil
				}
				readErr <- err
				return
			}
		}
	}()

	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			for j := range jobs {
				if ctx.Err() != nil {
					results <- output{seq: j.seq, err: ctx.Err()}
					continue
				}
				var res *Result
				var verr error
				if j.long {
					verr = exit.Usagef("not a JWT: line over %d bytes", maxLine)
					res = &Result{Reason: verr.Error()}
				} else {
					res, verr = v.Verify(ctx, j.line)
				}
				if code := exit.CodeOf(verr); verr != nil && code != exit.Usage && code != exit.Rejected {
					results <- output{seq: j.seq, err: verr}
					continue
				}
				buf.Reset()
				if err := enc.Encode(res); err != nil { // Encode adds the newline
					results <- output{seq: j.seq, err: fmt.Errorf("encode result: %w", err)}
					continue
				}
				results <- output{seq: j.seq, data: bytes.Clone(buf.Bytes()), rejected: verr != nil}
			}
		})
	}
	go func() {
		wg.Wait()
		close(results)
	}()

	pending := make(map[int]output, window)
	next := 0
	for {
		var o output
		select {
		case r, ok := <-results:
			if !ok {
				return rejected, finish(ctx, readErr)
			}
			o = r
		case <-ctx.Done():
			// The reader may be stuck in a Read that only returns at the
			// next line or EOF; do not wait for it.
			return rejected, ctx.Err()
		}
		pending[o.seq] = o
		for {
			p, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			if p.err != nil {
				return rejected, p.err // the deferred cancel stops reader and workers
			}
			if _, err := w.Write(p.data); err != nil {
				return rejected, fmt.Errorf("write result: %w", err)
			}
			if p.rejected {
				rejected++
			}
			<-slots
		}
	}
}

// finish reports why the input ended: cleanly, a read error, or ctx.
func finish(ctx context.Context, readErr <-chan error) error {
	if err := <-readErr; err != nil {
		return exit.Usagef("read tokens: %w", err)
	}
	return ctx.Err()
}

// readLine returns the next line without its newline. A line longer than
// maxLine is skipped to its end and reported as long. err is io.EOF after
// the last line.
func readLine(br *bufio.Reader) (line string, long bool, err error) {
	var buf []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if !long {
			if len(buf)+len(chunk) > maxLine {
				long, buf = true, nil
			} else {
				buf = append(buf, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return strings.TrimRight(string(buf), "\r\n"), long, err
	}
}
