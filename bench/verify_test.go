package bench

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cogtool/cogtool/internal/verify"
)

// The Go benchmarks of verify, on the tokens Generate makes for the
// side-by-side rows. Run them with -cpu 1,2: BenchmarkVerify is the cost
// of one token, BenchmarkRSAFloor the part of it no RS256 verifier can
// avoid, and BenchmarkVerifyBatch the throughput of `verify --batch` with
// GOMAXPROCS workers (ns/token).

const (
	benchPool   = "us-east-1_BENCH0001"
	benchClient = "1example23456789benchclient"
	batchSize   = 1024
)

var (
	fixtureOnce sync.Once
	fixture     *Tokens
	fixtureErr  error
	// now is the benchmarks' clock: the tokens stay valid however long
	// a run takes.
	now = time.Now()
)

func tokens(tb testing.TB) *Tokens {
	tb.Helper()
	fixtureOnce.Do(func() { fixture, fixtureErr = Generate(batchSize, benchPool, benchClient, now, time.Hour) })
	if fixtureErr != nil {
		tb.Fatal(fixtureErr)
	}
	return fixture
}

// verifier is set up as `verify --batch --token-use access --client-id ID`
// is run.
func verifier(tb testing.TB) *verify.Verifier {
	tb.Helper()
	tok := tokens(tb)
	keys, err := verify.NewKeySet(tok.JWKS)
	if err != nil {
		tb.Fatal(err)
	}
	v, err := verify.New(keys, verify.Options{
		Issuers:   verify.CognitoIssuers("us-east-1", benchPool),
		TokenUse:  "access",
		ClientIDs: []string{benchClient},
		Now:       func() time.Time { return now },
	})
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

func TestGenerate(t *testing.T) {
	tok := tokens(t)
	if len(tok.Lines) != batchSize || tok.Issuer != "https://cognito-idp.us-east-1.amazonaws.com/"+benchPool {
		t.Fatalf("%d tokens from %s", len(tok.Lines), tok.Issuer)
	}
	v := verifier(t)
	seen := map[string]bool{}
	var in bytes.Buffer
	for _, line := range tok.Lines {
		if seen[line] {
			t.Fatal("two tokens are the same")
		}
		seen[line] = true
		in.WriteString(line + "\n")
	}
	for _, line := range tok.Lines[:4] {
		if res, err := v.Verify(context.Background(), line); err != nil || !res.Valid {
			t.Fatalf("a generated token does not verify: %v", err)
		}
	}
	var out bytes.Buffer
	rejected, err := v.VerifyBatch(context.Background(), &in, &out, 0)
	if err != nil || rejected != 0 || strings.Count(out.String(), `"valid":true`) != batchSize {
		t.Fatalf("VerifyBatch: %d rejected, %v", rejected, err)
	}
	if _, err := Generate(0, benchPool, benchClient, now, time.Hour); err == nil {
		t.Error("Generate(0) succeeded")
	}
	if _, err := Generate(1, "nopool", benchClient, now, time.Hour); err == nil {
		t.Error("Generate with a bad pool id succeeded")
	}
}

// BenchmarkVerify verifies one Cognito-shaped RS256 2048-bit access token,
// key already parsed, with the rules verify --batch is usually given.
func BenchmarkVerify(b *testing.B) {
	v := verifier(b)
	tok := tokens(b).Lines[0]
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(ctx, tok); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRSAFloor is the cost no verifier can avoid for the same token:
// sha256 of the signing input and one RSA PKCS#1 v1.5 verification.
func BenchmarkRSAFloor(b *testing.B) {
	floor := rsaFloor(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := floor(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRSAFloorParallel is BenchmarkRSAFloor on every core at once:
// how far the machine itself scales the floor, the ceiling for
// BenchmarkVerifyBatch's scaling.
func BenchmarkRSAFloorParallel(b *testing.B) {
	floor := rsaFloor(b)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := floor(); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// rsaFloor returns the floor's work for the first token: hash its signing
// input and verify its signature with the key that signed it.
func rsaFloor(b *testing.B) func() error {
	tok := tokens(b)
	line := tok.Lines[0]
	i := strings.LastIndexByte(line, '.')
	input := []byte(line[:i])
	sig, err := base64.RawURLEncoding.DecodeString(line[i+1:])
	if err != nil {
		b.Fatal(err)
	}
	pub := &tok.Keys[0].PublicKey // Lines[0] is signed by the first key
	return func() error {
		h := sha256.Sum256(input)
		return rsa.VerifyPKCS1v15(pub, crypto.SHA256, h[:], sig)
	}
}

// BenchmarkVerifyBatch is VerifyBatch's throughput on distinct tokens, one
// a line, JSON Lines out, with GOMAXPROCS workers (what verify --batch
// uses); ns/token is the figure, ns/op is per batch of 1024.
func BenchmarkVerifyBatch(b *testing.B) {
	if os.Getenv("GOGC") == "" { // as verify --batch does
		defer debug.SetGCPercent(debug.SetGCPercent(verify.BatchGCPercent))
	}
	v := verifier(b)
	var in bytes.Buffer
	for _, line := range tokens(b).Lines {
		in.WriteString(line + "\n")
	}
	data := in.Bytes()
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for b.Loop() {
		rejected, err := v.VerifyBatch(ctx, bytes.NewReader(data), io.Discard, 0)
		if err != nil || rejected != 0 {
			b.Fatalf("VerifyBatch: %d rejected, %v", rejected, err)
		}
		n += batchSize
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/token")
}
