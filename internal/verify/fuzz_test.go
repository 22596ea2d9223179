package verify

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/cogtool/cogtool/internal/exit"
)

// FuzzVerify checks that no input panics Verify, that every failure is a
// usage error or a rejection whose reason is the Result's, that every
// Result marshals to valid JSON on one line, written by verify --batch
// exactly as encoding/json writes it, and that a scratch lent from input
// to input (as a batch worker does) gives the answer Verify gives alone.
func FuzzVerify(f *testing.F) {
	// A fixed key: generating one in a coverage-instrumented fuzz worker
	// takes longer than the fuzz run. It signs nothing outside this test.
	pool := fuzzKey(f)
	std := hdr("kid", testKid, "alg", "RS256")
	f.Add(sign(f, "RS256", pool, std, mustJSON(accessClaims())))
	f.Add("Bearer " + sign(f, "RS256", pool, std, mustJSON(idClaims())))
	f.Add(sign(f, "RS256", pool, hdr("kid", "other", "alg", "RS256"), mustJSON(accessClaims())))
	f.Add(sign(f, "HS256", []byte("secret"), hdr("kid", testKid, "alg", "HS256"), mustJSON(accessClaims())))
	f.Add(sign(f, "RS256", pool, hdr("kid", testKid, "alg", "RS256", "crit", []string{"b64"}), `{"exp":1e999,"aud":[1]}`))
	ks, err := NewKeySet(jwksOf(jwkJSON(testKid, &pool.PublicKey)))
	if err != nil {
		f.Fatal(err)
	}
	v, err := New(ks, Options{Issuers: []string{testIssuer}, ClientIDs: []string{testClient}, Groups: []string{"admin"}, Now: func() time.Time { return testNow }})
	if err != nil {
		f.Fatal(err)
	}
	// shared is lent to every input in turn, as a verify --batch worker
	// lends its scratch to line after line: nothing of one input may show
	// in the answer to the next.
	var shared scratch
	f.Fuzz(func(t *testing.T, s string) {
		var reused Result
		reusedErr := v.verify(context.Background(), s, &shared, &reused)
		reusedLine, reusedEncErr := appendLine(nil, 7, &reused)
		res, err := v.Verify(context.Background(), s)
		if (err == nil) != (reusedErr == nil) {
			t.Fatalf("with a lent scratch: %v; alone: %v", reusedErr, err)
		}
		if res == nil {
			t.Fatal("nil Result")
		}
		if (err == nil) != res.Valid {
			t.Fatalf("err %v but Valid %v", err, res.Valid)
		}
		if err != nil {
			if c := exit.CodeOf(err); c != exit.Usage && c != exit.Rejected {
				t.Fatalf("code %d: %v", c, err)
			}
			if res.Reason != err.Error() {
				t.Fatalf("reason %q, error %q", res.Reason, err)
			}
		}
		out, err := json.Marshal(res)
		if err != nil || !json.Valid(out) {
			t.Fatalf("marshal result: %v", err)
		}
		checkAppendLine(t, 7, res)
		line, encErr := appendLine(nil, 7, res)
		if string(line) != string(reusedLine) || (encErr == nil) != (reusedEncErr == nil) {
			t.Fatalf("with a lent scratch\n%s\nalone\n%s", reusedLine, line)
		}
	})
}

func fuzzKey(f *testing.F) *rsa.PrivateKey {
	b, err := os.ReadFile(filepath.Join("testdata", "fuzz-key.pem"))
	if err != nil {
		f.Fatal(err)
	}
	block, _ := pem.Decode(b)
	if block == nil {
		f.Fatal("testdata/fuzz-key.pem: no PEM block")
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		f.Fatal(err)
	}
	return k.(*rsa.PrivateKey)
}
