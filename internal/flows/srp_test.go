package flows

import (
	"encoding/hex"
	"encoding/json"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// srpVectors mirrors testdata/srp/vectors.json, written by gen-vectors.js
// from AWS's own client (amazon-cognito-identity-js).
type srpVectors struct {
	Generator string `json:"generator"`
	N, G, K   string
	Vectors   []struct {
		Name         string   `json:"name"`
		Edges        []string `json:"edges"`
		PoolID       string   `json:"pool_id"`
		PoolName     string   `json:"pool_name"`
		Username     string   `json:"username"`
		UserIDForSRP string   `json:"user_id_for_srp"`
		Password     string   `json:"password"`
		A            string   `json:"a"`
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
	} `json:"vectors"`
}

func loadSRPVectors(t *testing.T) srpVectors {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "testdata", "srp", "vectors.json"))
	if err != nil {
		t.Fatalf("read vectors: %v", err)
	}
	var v srpVectors
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("parse vectors: %v", err)
	}
	if len(v.Vectors) < 3 {
		t.Fatalf("want at least 3 vector sets, got %d", len(v.Vectors))
	}
	return v
}

func hexInt(t *testing.T, s string) *big.Int {
	t.Helper()
	n, ok := new(big.Int).SetString(s, 16)
	if !ok {
		t.Fatalf("bad hex %q", s)
	}
	return n
}

func TestSRPConstantsMatchReference(t *testing.T) {
	v := loadSRPVectors(t)
	if got := srpN.Text(16); got != v.N {
		t.Errorf("N differs from the reference")
	}
	if got := srpG.Text(16); got != v.G {
		t.Errorf("g = %s, want %s", got, v.G)
	}
	if got := srpK.Text(16); got != v.K {
		t.Errorf("k = %s, want %s", got, v.K)
	}
}

func TestSRPVectors(t *testing.T) {
	v := loadSRPVectors(t)
	t.Logf("vectors from %s", v.Generator)
	for _, tc := range v.Vectors {
		t.Run(tc.Name, func(t *testing.T) {
			a := hexInt(t, tc.A)
			when, err := time.Parse(time.RFC3339, tc.Time)
			if err != nil {
				t.Fatal(err)
			}
			ts := when.UTC().Format(srpTimeLayout)
			if ts != tc.Expect.Timestamp {
				t.Errorf("timestamp = %q, want %q", ts, tc.Expect.Timestamp)
			}
			if pn, err := poolName(tc.PoolID); err != nil || pn != tc.PoolName {
				t.Errorf("poolName(%q) = %q, %v; want %q", tc.PoolID, pn, err, tc.PoolName)
			}

			// Intermediate values, so a mismatch says where a port went wrong.
			A := srpA(a)
			B := hexInt(t, tc.SRPB)
			u := srpU(A, B)
			if got := u.Text(16); got != tc.Expect.U {
				t.Errorf("u = %s, want %s", got, tc.Expect.U)
			}
			if got := padHex(u); got != tc.Expect.PadU {
				t.Errorf("padHex(u) = %s, want %s", got, tc.Expect.PadU)
			}
			x := srpX(hexInt(t, tc.Salt), tc.PoolName, tc.UserIDForSRP, tc.Password)
			S := srpS(a, B, x, u)
			if got := S.Text(16); got != tc.Expect.S {
				t.Errorf("S differs from the reference")
			}
			if got := padHex(S); got != tc.Expect.PadS {
				t.Errorf("padHex(S) has %d digits, want %d", len(got), len(tc.Expect.PadS))
			}

			aHex, key, sig, err := passwordClaim(a, tc.PoolName, tc.UserIDForSRP, tc.Password,
				tc.Salt, tc.SRPB, tc.SecretBlock, tc.Expect.Timestamp)
			if err != nil {
				t.Fatalf("passwordClaim: %v", err)
			}
			if aHex != tc.Expect.SRPA {
				t.Errorf("SRP_A differs: got %d hex digits, want %d", len(aHex), len(tc.Expect.SRPA))
			}
			if got := hex.EncodeToString(key); got != tc.Expect.HKDF {
				t.Errorf("hkdf = %s, want %s", got, tc.Expect.HKDF)
			}
			if sig != tc.Expect.Signature {
				t.Errorf("signature = %s, want %s", sig, tc.Expect.Signature)
			}
			if tc.Expect.ResponseUsername != tc.UserIDForSRP {
				t.Errorf("reference answered as %q; vectors assume USER_ID_FOR_SRP %q", tc.Expect.ResponseUsername, tc.UserIDForSRP)
			}
		})
	}
}

// The vectors must keep exercising the edges they were searched for; a
// regenerated file that lost them would make TestSRPVectors weaker.
func TestSRPVectorsCoverEdges(t *testing.T) {
	v := loadSRPVectors(t)
	var oddA, shortU, shortS, zeroSalt, highSalt, alias bool
	for _, tc := range v.Vectors {
		oddA = oddA || len(tc.Expect.SRPA)%2 == 1
		shortU = shortU || len(tc.Expect.PadU) < 64
		shortS = shortS || len(tc.Expect.PadS) < 768
		zeroSalt = zeroSalt || tc.Salt[:2] == "00"
		highSalt = highSalt || tc.Salt[0] >= '8'
		alias = alias || tc.Username != tc.UserIDForSRP
	}
	for name, ok := range map[string]bool{
		"odd-length A": oddA, "short u": shortU, "short S": shortS,
		"salt with leading zero byte": zeroSalt, "salt with top bit set": highSalt,
		"alias username": alias,
	} {
		if !ok {
			t.Errorf("no vector covers %s", name)
		}
	}
}

func TestPadHex(t *testing.T) {
	for _, tc := range []struct {
		in   int64
		want string
	}{
		{0x14, "14"},
		{0x38, "38"},
		{0xec, "00ec"},
		{0xc8, "00c8"},
		{0x1, "01"},
		{0x123, "0123"},
		{0x823, "0823"},
		{0x8123, "008123"},
		{0x7fff, "7fff"},
	} {
		if got := padHex(big.NewInt(tc.in)); got != tc.want {
			t.Errorf("padHex(%#x) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestPasswordClaimRefusesBadParameters(t *testing.T) {
	a := big.NewInt(12345)
	good := "0123456789abcdef"
	block := "c2VjcmV0LWJsb2Nr"
	for _, tc := range []struct{ name, salt, b, block string }{
		{"B zero", good, "0", block},
		{"B equal to N", good, srpNHex, block},
		{"B not hex", good, "xyz", block},
		{"B empty", good, "", block},
		{"salt not hex", "salt!", good, block},
		{"block not base64", good, good, "%%%"},
		{"block empty", good, good, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, _, _, err := passwordClaim(a, "pool", "user", "pw", tc.salt, tc.b, tc.block, "ts"); err == nil {
				t.Fatal("want an error")
			}
		})
	}
}

func TestRandomA(t *testing.T) {
	a1, err := randomA()
	if err != nil {
		t.Fatal(err)
	}
	a2, err := randomA()
	if err != nil {
		t.Fatal(err)
	}
	if a1.Cmp(a2) == 0 {
		t.Fatal("two draws of a are equal")
	}
	if a1.BitLen() > 1024 || a1.BitLen() < 900 {
		t.Fatalf("a has %d bits, want about 1024", a1.BitLen())
	}
}
