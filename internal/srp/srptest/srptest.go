// Package srptest reads the SRP reference vectors in testdata/srp, for the
// tests of package srp (the arithmetic) and of package flows (the messages
// on the wire). It is imported by tests only.
package srptest

import (
	"encoding/json"
	"math/big"
	"os"
	"path/filepath"
	"testing"
)

// Vectors mirrors testdata/srp/vectors.json, written by gen-vectors.js
// from AWS's own client (amazon-cognito-identity-js).
type Vectors struct {
	Generator string `json:"generator"`
	N, G, K   string
	Vectors   []Vector `json:"vectors"`
}

// Vector is one reference exchange. B, the server's secret, is given only
// where the server's side can be checked too.
type Vector struct {
	Name         string   `json:"name"`
	Edges        []string `json:"edges"`
	PoolID       string   `json:"pool_id"`
	PoolName     string   `json:"pool_name"`
	Username     string   `json:"username"`
	UserIDForSRP string   `json:"user_id_for_srp"`
	Password     string   `json:"password"`
	A            string   `json:"a"`
	B            string   `json:"b"`
	Salt         string   `json:"salt"`
	SRPB         string   `json:"srp_b"`
	SecretBlock  string   `json:"secret_block"`
	Time         string   `json:"time"`
	Expect       struct {
		SRPA                string `json:"srp_a"`
		U                   string `json:"u"`
		PadU                string `json:"pad_u"`
		S                   string `json:"s"`
		PadS                string `json:"pad_s"`
		HKDF                string `json:"hkdf"`
		Timestamp           string `json:"timestamp"`
		Signature           string `json:"signature"`
		ResponseUsername    string `json:"response_username"`
		ResponseSecretBlock string `json:"response_secret_block"`
	} `json:"expect"`
}

// Load reads the vectors from testdata/srp at the module root (a test
// runs in its package's folder, so the root is the nearest folder above
// it that has the file), failing tb unless there are at least three sets.
func Load(tb testing.TB) Vectors {
	tb.Helper()
	path := filepath.Join("testdata", "srp", "vectors.json")
	for range 4 {
		if _, err := os.Stat(path); err == nil {
			break
		}
		path = filepath.Join("..", path)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("read vectors: %v", err)
	}
	var v Vectors
	if err := json.Unmarshal(raw, &v); err != nil {
		tb.Fatalf("parse vectors: %v", err)
	}
	if len(v.Vectors) < 3 {
		tb.Fatalf("want at least 3 vector sets, got %d", len(v.Vectors))
	}
	return v
}

// Hex parses a vector's hexadecimal number, failing tb if it is not one.
func Hex(tb testing.TB, s string) *big.Int {
	tb.Helper()
	n, ok := new(big.Int).SetString(s, 16)
	if !ok {
		tb.Fatalf("bad hex %q", s)
	}
	return n
}
