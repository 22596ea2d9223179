package verify

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"testing"
	"time"
)

// BenchmarkVerify and BenchmarkRSAFloor (batch_test.go) compare Verify
// with the SHA-256 and RSA check that every RS256 verifier must do;
// scripts/bench.sh reports their ratio. These add the rules a real
// verifier is given and the batch pipeline around Verify.

func benchVerifier(b *testing.B) *Verifier {
	b.Helper()
	v, err := New(testKeySet(b), Options{
		Issuers:   []string{testIssuer},
		TokenUse:  "access",
		ClientIDs: []string{testClient},
		Now:       func() time.Time { return testNow },
	})
	if err != nil {
		b.Fatal(err)
	}
	return v
}

// BenchmarkVerifyBatch is VerifyBatch's throughput on distinct tokens,
// JSON Lines output included; ns/op is per token.
func BenchmarkVerifyBatch(b *testing.B) {
	v := benchVerifier(b)
	const n = 256
	var in bytes.Buffer
	for i := range n {
		fmt.Fprintln(&in, sign(b, "RS256", poolKey(), hdr("kid", testKid, "alg", "RS256"),
			mustJSON(with(accessClaims(), "jti", fmt.Sprintf("jti-%04d", i)))))
	}
	data := in.Bytes()
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	tokens := 0
	for b.Loop() {
		rejected, err := v.VerifyBatch(ctx, bytes.NewReader(data), io.Discard, 0)
		if err != nil || rejected != 0 {
			b.Fatalf("VerifyBatch: %d rejected, %v", rejected, err)
		}
		tokens += n
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(tokens), "ns/token")
}

// BenchmarkVerifyRules is BenchmarkVerify with token_use and client id
// rules set, as verify --batch is usually run.
func BenchmarkVerifyRules(b *testing.B) {
	v := benchVerifier(b)
	tok := goodToken(b)
	ctx := context.Background()
	if res, err := v.Verify(ctx, tok); err != nil || !res.Valid {
		b.Fatalf("Verify = %+v, %v", res, err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(ctx, tok); err != nil {
			b.Fatal(err)
		}
	}
}
