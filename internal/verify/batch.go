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
	"strconv"
	"strings"
	"sync"

	"github.com/cogtool/cogtool/internal/decode"
	"github.com/cogtool/cogtool/internal/exit"
)

// BatchGCPercent is the GOGC a program running VerifyBatch should set
// for the batch when the user has not set one. A batch makes about 2.7
// KiB of garbage a token (half of it inside crypto/rsa, most of the rest
// the line itself) on a live heap of a few MiB; 150 keeps the collector
// to 1-2 % of the batch's time for 1-2 MiB of peak RSS (400 put verify
// --batch at 32 MiB, over the 25 MiB every command keeps to). The GC
// percentage belongs to the process, so VerifyBatch leaves it to its
// caller.
const BatchGCPercent = 150

// maxLine is the longest input line VerifyBatch reads whole: a token at
// the size limit plus room for "Authorization: Bearer " and white space.
const maxLine = decode.MaxTokenSize + 1024

// Chunks: the reader hands out lines in chunks, so workers and writer
// synchronise once per chunk rather than once per token. A chunk ends at
// chunkLines lines, at chunkBytes bytes, or when the next line has not
// arrived yet, so a slow producer's tokens are answered at once. Chunks
// are small so that the workers finish together: the last chunk of a
// batch runs on one core while the others wait.
const (
	chunkLines = 16
	chunkBytes = 64 << 10
)

// VerifyBatch reads one token a line from r and writes one Result as JSON
// a line to w, with "line" (from 1) added, in input order, verifying with
// workers goroutines (runtime.GOMAXPROCS(0) when workers <= 0). Lines go
// to the workers in chunks; at most 4 chunks per worker (64 lines a
// worker) are in memory at once, however long the input.
//
// A blank line is a rejected line ("empty line"), so output line N always
// answers input line N. rejected counts lines that were not valid tokens.
// err is set only for failures that stop the batch: no JWKS to be had
// (exit 5), a read or write error, or ctx being cancelled; the results of
// the lines before the failure are written first. A line longer than the
// token size limit is reported as a rejected line, not an error.
func (v *Verifier) VerifyBatch(ctx context.Context, r io.Reader, w io.Writer, workers int) (rejected int, err error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	type chunk struct {
		seq   int
		first int // the input line number of lines[0], from 1
		lines []string
		long  []bool
	}
	type output struct {
		seq      int
		data     []byte // the chunk's JSON lines, up to a failure
		rejected int
		err      error
	}
	// window bounds the chunks between reading and writing, so memory does
	// not grow with the input or with one slow token.
	window := workers * 4
	slots := make(chan struct{}, window)
	jobs := make(chan chunk, window)
	results := make(chan output, window) // never blocks: ≤ window chunks exist
	readErr := make(chan error, 1)

	go func() {
		defer close(jobs)
		br := bufio.NewReaderSize(r, 64<<10)
		newChunk := func(seq, first int) chunk {
			return chunk{seq: seq, first: first, lines: make([]string, 0, chunkLines), long: make([]bool, 0, chunkLines)}
		}
		c := newChunk(0, 1)
		size := 0
		send := func() bool {
			if len(c.lines) == 0 {
				return true
			}
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return false
			}
			jobs <- c
			c = newChunk(c.seq+1, c.first+len(c.lines))
			size = 0
			return true
		}
		for {
			line, long, err := readLine(br)
			// Every line is answered; only the empty rest after a final
			// newline is not a line.
			if long || line != "" || err == nil {
				c.lines = append(c.lines, line)
				c.long = append(c.long, long)
				size += len(line)
			}
			if err == nil && (len(c.lines) >= chunkLines || size >= chunkBytes || !lineBuffered(br)) {
				if !send() {
					readErr <- nil
					return
				}
			}
			if err != nil {
				if !send() {
					readErr <- nil
					return
				}
				if errors.Is(err, io.EOF) {
					err = nil
				}
				readErr <- err
				return
			}
		}
	}()

	// free returns result buffers from the writer to the workers: at most
	// window chunks exist, so at most window buffers are ever made.
	free := make(chan []byte, window)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			var sc scratch // this worker's memory, lent to token after token
			var res Result
			for c := range jobs {
				var buf []byte
				select {
				case buf = <-free:
				default:
					size := 0
					for _, line := range c.lines {
						size += len(line)
					}
					// A result line holds the decoded header and claims:
					// about as long as the token itself.
					buf = make([]byte, 0, size+len(c.lines)*64)
				}
				o := output{seq: c.seq}
				for i, line := range c.lines {
					if err := ctx.Err(); err != nil {
						o.err = err
						break
					}
					res = Result{}
					var verr error
					switch {
					case c.long[i]:
						verr = res.fail(exit.Usagef("not a JWT: line over %d bytes", maxLine))
					case strings.TrimSpace(line) == "":
						verr = res.fail(exit.Usagef("empty line"))
					default:
						verr = v.verify(ctx, line, &sc, &res)
					}
					if code := exit.CodeOf(verr); verr != nil && code != exit.Usage && code != exit.Rejected {
						o.err = verr
						break
					}
					// res points into sc until the next token: encode it now.
					var err error
					if buf, err = appendLine(buf, c.first+i, &res); err != nil {
						o.err = fmt.Errorf("encode result: %w", err)
						break
					}
					if verr != nil {
						o.rejected++
					}
				}
				o.data = buf
				results <- o
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
			if len(p.data) > 0 {
				if _, err := w.Write(p.data); err != nil {
					return rejected, fmt.Errorf("write result: %w", err)
				}
			}
			select { // a Writer does not keep what it was given
			case free <- p.data[:0]:
			default:
			}
			rejected += p.rejected
			if p.err != nil {
				return rejected, p.err // the deferred cancel stops reader and workers
			}
			<-slots
		}
	}
}

// lineBuffered reports whether br holds a whole next line, so reading it
// will not wait for more input.
func lineBuffered(br *bufio.Reader) bool {
	b, _ := br.Peek(br.Buffered())
	return bytes.IndexByte(b, '\n') >= 0
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
	// The usual line fits the reader's buffer: one copy, into the string.
	chunk, err := br.ReadSlice('\n')
	if !errors.Is(err, bufio.ErrBufferFull) {
		if len(chunk) > maxLine {
			return "", true, err
		}
		return string(bytes.TrimRight(chunk, "\r\n")), false, err
	}
	buf := append([]byte(nil), chunk...)
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

// appendLine appends res as one JSON line with "line" first: the bytes
// encoding/json writes for struct{Line int; *Result} with HTML escaping
// off (TestAppendLineMatchesEncoder holds it to that), without its
// reflection, which cost a tenth of a batch's time. res.Header and
// res.Claims must be JSON, as verify leaves them (see appendCompact).
func appendLine(b []byte, line int, res *Result) ([]byte, error) {
	b = append(b, `{"line":`...)
	b = strconv.AppendInt(b, int64(line), 10)
	b = append(b, `,"valid":`...)
	b = strconv.AppendBool(b, res.Valid)
	var err error
	if res.Reason != "" {
		b = append(b, `,"reason":`...)
		b = appendString(b, res.Reason)
	}
	if res.TokenUse != "" {
		b = append(b, `,"token_use":`...)
		b = appendString(b, res.TokenUse)
	}
	if res.Encrypted {
		b = append(b, `,"encrypted":true`...)
	}
	if len(res.Header) > 0 {
		b = append(b, `,"header":`...)
		if b, err = appendCompact(b, res.Header); err != nil {
			return b, err
		}
	}
	if len(res.Claims) > 0 {
		b = append(b, `,"claims":`...)
		if b, err = appendCompact(b, res.Claims); err != nil {
			return b, err
		}
	}
	return append(b, "}\n"...), nil
}

// appendString appends s as a JSON string. Printable ASCII without '"'
// or a backslash is written as it is; anything else goes through
// encoding/json, for its escapes (control characters, U+2028, invalid
// UTF-8).
func appendString(b []byte, s string) []byte {
	plain := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			plain = false
			break
		}
	}
	if plain {
		b = append(b, '"')
		b = append(b, s...)
		return append(b, '"')
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return append(b, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...)
}

// appendCompact appends the raw JSON v without insignificant white space.
// v is JSON (verify hands on only a header and claims that decoded); when
// it has no byte at or below ' ' (Cognito's never do), it is already
// compact and is copied as it is, which is a quarter of the cost of
// json.Compact's scan. Bytes that are not JSON are an error only on the
// json.Compact path.
func appendCompact(b []byte, v json.RawMessage) ([]byte, error) {
	compact := true
	for _, c := range v {
		if c <= ' ' {
			compact = false
			break
		}
	}
	if compact {
		return append(b, v...), nil
	}
	buf := bytes.NewBuffer(b)
	if err := json.Compact(buf, v); err != nil {
		return b, err
	}
	return buf.Bytes(), nil
}
