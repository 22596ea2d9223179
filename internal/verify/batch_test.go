package verify

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/cogtool/cogtool/internal/exit"
)

func TestVerifyBatch(t *testing.T) {
	pool, attacker, _ := keys(t)
	v := verifierFor(t, testKeySet(t))
	std := hdr("kid", testKid, "alg", "RS256")

	// 300 lines: valid tokens, forgeries, expired tokens, junk and blank
	// lines, each tagged by jti so order can be checked.
	var in strings.Builder
	type want struct {
		jti   string // "" for junk lines, which carry no claims
		valid bool
	}
	var wants []want
	for i := range 300 {
		jti := fmt.Sprintf("jti-%03d", i)
		switch i % 5 {
		case 0, 1:
			in.WriteString(sign(t, "RS256", pool, std, mustJSON(with(accessClaims(), "jti", jti))) + "\n")
			wants = append(wants, want{jti, true})
		case 2:
			in.WriteString("Bearer " + sign(t, "RS256", attacker, std, mustJSON(with(accessClaims(), "jti", jti))) + "\r\n")
			wants = append(wants, want{jti, false})
		case 3:
			in.WriteString(sign(t, "RS256", pool, std, mustJSON(with(accessClaims(), "jti", jti, "exp", testNow.Unix()-1))) + "\n\n  \n")
			wants = append(wants, want{jti, false}, want{"", false}, want{"", false}) // blank lines are answered too
		case 4:
			in.WriteString("not-a-token-" + jti + "\n")
			wants = append(wants, want{"", false})
		}
	}
	// An over-long line (no trailing newline at EOF) is a rejected line.
	in.WriteString(strings.Repeat("x", maxLine+10))
	wants = append(wants, want{"", false})

	var out strings.Builder
	rejected, err := v.VerifyBatch(context.Background(), strings.NewReader(in.String()), &out, 4)
	if err != nil {
		t.Fatal(err)
	}
	wantRejected := 0
	for _, w := range wants {
		if !w.valid {
			wantRejected++
		}
	}
	if rejected != wantRejected {
		t.Errorf("rejected = %d, want %d", rejected, wantRejected)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != len(wants) {
		t.Fatalf("%d output lines, want %d", len(lines), len(wants))
	}
	for i, line := range lines {
		var r struct {
			Line   int    `json:"line"`
			Valid  bool   `json:"valid"`
			Reason string `json:"reason"`
			Claims struct {
				JTI string `json:"jti"`
			} `json:"claims"`
		}
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("line %d is not JSON: %v: %s", i, err, line)
		}
		w := wants[i]
		if r.Line != i+1 {
			t.Errorf("output line %d has \"line\": %d, want %d", i+1, r.Line, i+1)
		}
		if r.Claims.JTI != w.jti || r.Valid != w.valid {
			t.Errorf("line %d: jti %q valid %v (%s), want jti %q valid %v", i, r.Claims.JTI, r.Valid, r.Reason, w.jti, w.valid)
		}
		if !r.Valid && r.Reason == "" {
			t.Errorf("line %d: rejected without a reason", i)
		}
	}
	if !strings.Contains(lines[len(lines)-1], "line over") {
		t.Errorf("long line: %s", lines[len(lines)-1])
	}
}

func TestVerifyBatchDefaultWorkersAndEmpty(t *testing.T) {
	v := verifierFor(t, testKeySet(t))
	var out strings.Builder
	rejected, err := v.VerifyBatch(context.Background(), strings.NewReader("\n \n\t\n"), &out, 0)
	want := `{"line":1,"valid":false,"reason":"empty line"}` + "\n" + `{"line":2,"valid":false,"reason":"empty line"}` + "\n" +
		`{"line":3,"valid":false,"reason":"empty line"}` + "\n"
	if err != nil || rejected != 3 || out.String() != want {
		t.Errorf("blank input: rejected %d err %v out %q; want 3 rejected lines", rejected, err, out.String())
	}
	out.Reset()
	rejected, err = v.VerifyBatch(context.Background(), strings.NewReader(goodToken(t)), &out, 0)
	if err != nil || rejected != 0 || !strings.HasPrefix(out.String(), `{"line":1,"valid":true,`) {
		t.Errorf("one token without newline: rejected %d err %v out %q", rejected, err, out.String())
	}
}

func TestVerifyBatchNetworkFailureStops(t *testing.T) {
	srv := newJWKSServer(t, []byte("down"))
	srv.set(500, []byte("down"))
	v := verifierFor(t, newRemote(t, srv.url(), "", &clock{t: time.Now()}))
	in := strings.Repeat(goodToken(t)+"\n", 50)
	_, err := v.VerifyBatch(context.Background(), strings.NewReader(in), io.Discard, 2)
	if exit.CodeOf(err) != exit.Network {
		t.Errorf("err = %v, want code 5", err)
	}
	if n := srv.requests.Load(); n != 1 {
		t.Errorf("%d JWKS requests for a failing source, want 1", n)
	}
}

type failWriter struct{ n int }

func (w *failWriter) Write(p []byte) (int, error) {
	if w.n--; w.n < 0 {
		return 0, errors.New("broken pipe")
	}
	return len(p), nil
}

func TestVerifyBatchWriteError(t *testing.T) {
	v := verifierFor(t, testKeySet(t))
	in := strings.Repeat(goodToken(t)+"\n", 500)
	_, err := v.VerifyBatch(context.Background(), strings.NewReader(in), &failWriter{n: 3}, 2)
	if err == nil || !strings.Contains(err.Error(), "broken pipe") {
		t.Errorf("err = %v", err)
	}
}

func TestVerifyBatchCancel(t *testing.T) {
	v := verifierFor(t, testKeySet(t))
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	go func() {
		pw.Write([]byte(goodToken(t) + "\n"))
		cancel()
		// Keep the pipe open: the batch must return on cancel regardless.
	}()
	defer pw.Close()
	_, err := v.VerifyBatch(ctx, bufio.NewReader(pr), io.Discard, 2)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
}

// lineWriter passes each written chunk to a channel.
type lineWriter chan string

func (w lineWriter) Write(p []byte) (int, error) { w <- string(p); return len(p), nil }

// TestVerifyBatchAnswersEachLine: a token is answered when its line is in,
// without waiting for a chunk to fill (tail -f | cogtool verify --batch).
func TestVerifyBatchAnswersEachLine(t *testing.T) {
	v := verifierFor(t, testKeySet(t))
	pr, pw := io.Pipe()
	out := make(lineWriter, 4)
	done := make(chan error, 1)
	go func() {
		_, err := v.VerifyBatch(context.Background(), pr, out, 2)
		done <- err
	}()
	for i := range 3 {
		if _, err := pw.Write([]byte(goodToken(t) + "\n")); err != nil {
			t.Fatal(err)
		}
		select {
		case got := <-out:
			if want := fmt.Sprintf(`{"line":%d,"valid":true`, i+1); !strings.HasPrefix(got, want) || strings.Count(got, "\n") != 1 {
				t.Fatalf("answer %d: %q", i, got)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("line %d not answered while the input stays open", i)
		}
	}
	pw.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// TestVerifyBatchChunks: more lines than a chunk holds, in bursts, come out
// complete and in order.
func TestVerifyBatchChunks(t *testing.T) {
	pool, _, _ := keys(t)
	v := verifierFor(t, testKeySet(t))
	std := hdr("kid", testKid, "alg", "RS256")
	const n = 3*chunkLines + 7
	var in strings.Builder
	for i := range n {
		in.WriteString(sign(t, "RS256", pool, std, mustJSON(with(accessClaims(), "jti", fmt.Sprintf("jti-%04d", i)))) + "\n")
	}
	var out strings.Builder
	rejected, err := v.VerifyBatch(context.Background(), iotest(in.String()), &out, 3)
	if err != nil || rejected != 0 {
		t.Fatalf("rejected %d, err %v", rejected, err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != n {
		t.Fatalf("%d lines, want %d", len(lines), n)
	}
	for i, line := range lines {
		if !strings.Contains(line, fmt.Sprintf(`"jti":"jti-%04d"`, i)) {
			t.Fatalf("line %d out of order: %.80s", i, line)
		}
	}
}

// iotest reads s in uneven pieces, so chunks end both at their size and
// where the input pauses.
func iotest(s string) io.Reader {
	pr, pw := io.Pipe()
	go func() {
		for i := 0; len(s) > 0; i++ {
			k := min(len(s), 1+(i*7919)%5000)
			pw.Write([]byte(s[:k]))
			s = s[k:]
		}
		pw.Close()
	}()
	return pr
}

// checkAppendLine fails t unless appendLine writes res as encoding/json
// writes struct{Line; *Result} with HTML escaping off.
func checkAppendLine(t *testing.T, line int, res *Result) {
	t.Helper()
	var want bytes.Buffer
	enc := json.NewEncoder(&want)
	enc.SetEscapeHTML(false)
	wantErr := enc.Encode(struct {
		Line int `json:"line"`
		*Result
	}{line, res})
	got, err := appendLine([]byte("prefix"), line, res)
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("appendLine error %v, encoding/json error %v", err, wantErr)
	}
	if err == nil && string(got) != "prefix"+want.String() {
		t.Fatalf("appendLine wrote\n%s\nencoding/json\n%s", got[len("prefix"):], want.Bytes())
	}
}

func TestAppendLineMatchesEncoder(t *testing.T) {
	for _, res := range []*Result{
		{},
		{Valid: true, TokenUse: "access", Header: json.RawMessage(`{"kid":"k","alg":"RS256"}`), Claims: json.RawMessage(`{"sub":"a","exp":1}`)},
		{Reason: `bad signature`, Header: json.RawMessage(" {\n \"kid\" : \"k\" }\t"), Claims: json.RawMessage(`{"a" : [ 1 , 2 ], "b":{ }}`)},
		{Reason: "quote \" backslash \\ tab \t nl \n ctl \x01 del \x7f html <&> ls \u2028 ps \u2029 bad \xff é"},
		{TokenUse: "<script>\u2028", Encrypted: true, Header: json.RawMessage(`{"enc":"A256GCM","s":"\u00e9\u2028<&>\\/"}`)},
		{Claims: json.RawMessage(`{"s":"é unescaped", "n":1e999, "t":true,"z":null}`)},
		{Claims: json.RawMessage(`{"broken": `)}, // not JSON: reachable only by hand, never from verify
	} {
		checkAppendLine(t, 12, res)
	}
}

// TestVerifyBatchMatchesVerify holds the batch, whose workers lend one
// scratch to token after token, to the answer Verify gives each line
// alone: no header, claim or reason may carry over from the line before,
// whether the next token is longer, shorter, broken in another place, or
// not a JWT at all.
func TestVerifyBatchMatchesVerify(t *testing.T) {
	pool, attacker, _ := keys(t)
	v := verifierFor(t, testKeySet(t))
	std := hdr("kid", testKid, "alg", "RS256")
	long := with(accessClaims(), "jti", strings.Repeat("j", 3000), "cognito:groups", []string{"admin", "dev"})
	good := sign(t, "RS256", pool, std, mustJSON(long))
	cut := good[:strings.LastIndexByte(good, '.')]
	lines := []string{
		good,
		sign(t, "RS256", pool, std, mustJSON(accessClaims())),                   // shorter
		sign(t, "RS256", pool, std, mustJSON(with(accessClaims(), "exp", nil))), // no exp after one with exp
		sign(t, "RS256", pool, std, `{"iss":"`+testIssuer+`","exp":"soon"}`),    // a claim of the wrong type
		good,
		sign(t, "RS256", pool, hdr("alg", "RS256"), mustJSON(accessClaims())), // no kid after one with a kid
		sign(t, "RS256", pool, hdr("kid", testKid, "alg", "RS256", "crit", []string{"exp"}), mustJSON(long)),
		"Bearer " + sign(t, "RS256", attacker, std, mustJSON(idClaims())), // a forgery
		cut + ".!!!",                     // bad base64 in the signature only
		cut + "." + b64([]byte("short")), // a short signature
		sign(t, "RS256", pool, std, " {\n\"iss\": \""+testIssuer+"\" }"),                           // white space in the claims
		b64([]byte(`{"alg":"RSA-OAEP","enc":"A256GCM"}`)) + ".a.b.c.d",                             // a JWE
		b64([]byte(`{"alg":"RS256","kid":"`+testKid+`"}`)) + "." + b64([]byte("\xff{}")) + ".c2ln", // not UTF-8, not JSON
		"",
		good,
	}
	var want strings.Builder
	for i, line := range lines {
		var res *Result
		if strings.TrimSpace(line) == "" {
			res = &Result{Reason: "empty line"}
		} else {
			res, _ = v.Verify(context.Background(), line)
		}
		b, err := appendLine(nil, i+1, res)
		if err != nil {
			t.Fatal(err)
		}
		want.Write(b)
	}
	for _, workers := range []int{1, 3} {
		var out strings.Builder
		if _, err := v.VerifyBatch(context.Background(), strings.NewReader(strings.Join(lines, "\n")+"\n"), &out, workers); err != nil {
			t.Fatal(err)
		}
		if out.String() != want.String() {
			t.Errorf("%d workers: batch wrote\n%s\nVerify gives\n%s", workers, out.String(), want.String())
		}
	}
}
