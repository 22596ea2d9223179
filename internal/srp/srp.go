// Package srp is the arithmetic of Cognito's SRP-6a (USER_SRP_AUTH, then
// PASSWORD_VERIFIER), as AWS's own clients compute it
// (amazon-cognito-identity-js AuthenticationHelper): RFC 5054 §2.5 with
// the RFC 3526 3072-bit group, in the encoding those clients use. The
// sign-in flow (package flows) computes the client's side with it and the
// strict fake the server's, and both are checked against the reference
// vectors in testdata/srp, generated from AWS's client: a mistake here
// cannot pass for agreement between the two.
//
// The details that differ from textbook SRP are the ones a port gets wrong:
//
//   - integers are hashed as PadHex strings: minimal hex, even length, and
//     a 00 byte in front when the top bit is set (Java's toByteArray); not
//     fixed width, so u and S may be shorter than their modulus;
//   - the salt is read as an integer and padded again, so leading zero
//     bytes vanish;
//   - the base of the client's S is reduced to a non-negative value before
//     exponentiation;
//   - the key is one HKDF round with u as the salt and "Caldera Derived Key";
//   - SRP_A goes out as plain hex (odd length allowed);
//   - the timestamp's day of month is not padded (TimeLayout).
//
// The package does no I/O and draws no random numbers; it never sees a
// password it is not handed.
package srp

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"math/big"
	"strings"
)

// TimeLayout is the TIMESTAMP format: "Tue Mar 5 09:07:03 UTC 2024".
// time.UnixDate pads the day with a space, which Cognito refuses.
const TimeLayout = "Mon Jan 2 15:04:05 UTC 2006"

// nHex is the 3072-bit MODP prime of RFC 3526, the N of Cognito's SRP.
const nHex = "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1" +
	"29024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
	"EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245" +
	"E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
	"EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3D" +
	"C2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
	"83655D23DCA3AD961C62F356208552BB9ED529077096966D" +
	"670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
	"E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9" +
	"DE2BCBF6955817183995497CEA956AE515D2261898FA0510" +
	"15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64" +
	"ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7" +
	"ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6B" +
	"F12FFA06D98A0864D87602733EC86A64521F2B18177B200C" +
	"BBE117577A615D6C770988C0BAD946E208E24FA074E5AB31" +
	"43DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF"

// N, G and K are the group: the modulus, the generator 2, and the
// multiplier k = H(PadHex(N) ‖ PadHex(g)). Callers must not change them.
var (
	N, _ = new(big.Int).SetString(nHex, 16)
	G    = big.NewInt(2)
	K    = hashInts(N, G)
)

// PadHex renders a non-negative x as AWS's clients do before hashing:
// minimal lowercase hex, a leading 0 when the length is odd, and 00 in
// front when the first nibble is 8-f.
func PadHex(x *big.Int) string {
	h := x.Text(16)
	if len(h)%2 == 1 {
		h = "0" + h
	}
	if strings.IndexByte("89abcdef", h[0]) >= 0 {
		h = "00" + h
	}
	return h
}

// hashHex is SHA-256 over the bytes the concatenated hex strings spell, as
// an integer. Callers pass PadHex output and whole hex digests only.
func hashHex(parts ...string) *big.Int {
	b, err := hex.DecodeString(strings.Join(parts, ""))
	if err != nil {
		panic("srp: odd hex in a hash: " + err.Error())
	}
	sum := sha256.Sum256(b)
	return new(big.Int).SetBytes(sum[:])
}

// hashInts is H(PadHex(x1) ‖ PadHex(x2) ‖ ...).
func hashInts(xs ...*big.Int) *big.Int {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = PadHex(x)
	}
	return hashHex(parts...)
}

// A is the client's public value A = g^a mod N.
func A(a *big.Int) *big.Int { return new(big.Int).Exp(G, a, N) }

// U is u = H(PadHex(A) ‖ PadHex(B)).
func U(A, B *big.Int) *big.Int { return hashInts(A, B) }

// X is x = H(PadHex(salt) ‖ hex(H(poolName ‖ userID ‖ ":" ‖ password))).
func X(salt *big.Int, poolName, userID, password string) *big.Int {
	inner := sha256.Sum256([]byte(poolName + userID + ":" + password))
	return hashHex(PadHex(salt), hex.EncodeToString(inner[:]))
}

// Verifier is v = g^x mod N, what the server keeps of a password.
func Verifier(x *big.Int) *big.Int { return new(big.Int).Exp(G, x, N) }

// B is the server's public value B = (k·v + g^b) mod N.
func B(v, b *big.Int) *big.Int {
	B := new(big.Int).Mul(K, v)
	B.Add(B, new(big.Int).Exp(G, b, N))
	return B.Mod(B, N)
}

// ClientS is the client's shared secret S = (B − k·g^x)^(a + u·x) mod N,
// the base reduced to [0, N) first.
func ClientS(a, B, x, u *big.Int) *big.Int {
	base := new(big.Int).Mul(K, new(big.Int).Exp(G, x, N))
	base.Sub(B, base)
	base.Mod(base, N) // Go's Mod is Euclidean: never negative
	exp := new(big.Int).Mul(u, x)
	exp.Add(exp, a)
	return new(big.Int).Exp(base, exp, N)
}

// ServerS is the server's shared secret S = (A · v^u)^b mod N.
func ServerS(A, v, u, b *big.Int) *big.Int {
	S := new(big.Int).Exp(v, u, N)
	S.Mul(S, A)
	S.Mod(S, N)
	return S.Exp(S, b, N)
}

// Key derives the 16-byte key from S: PRK = HMAC(PadHex(u), PadHex(S)),
// then HMAC(PRK, "Caldera Derived Key" ‖ 0x01) cut to 16 bytes.
func Key(S, u *big.Int) []byte {
	ikm, _ := hex.DecodeString(PadHex(S))
	salt, _ := hex.DecodeString(PadHex(u))
	prk := hmac.New(sha256.New, salt)
	prk.Write(ikm)
	okm := hmac.New(sha256.New, prk.Sum(nil))
	okm.Write([]byte("Caldera Derived Key\x01"))
	return okm.Sum(nil)[:16]
}

// Signature is the PASSWORD_CLAIM_SIGNATURE before base64:
// HMAC(key, poolName ‖ userID ‖ secret block bytes ‖ timestamp).
func Signature(key []byte, poolName, userID string, block []byte, timestamp string) []byte {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(poolName))
	mac.Write([]byte(userID))
	mac.Write(block)
	mac.Write([]byte(timestamp))
	return mac.Sum(nil)
}
