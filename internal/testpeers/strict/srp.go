package strict

// The server side of Cognito's SRP-6a (USER_SRP_AUTH, then
// PASSWORD_VERIFIER). Cognito does not publish the server's arithmetic;
// its clients do (amazon-cognito-identity-js AuthenticationHelper), and the
// server must agree with them: SRP-6a (RFC 5054 §2.5, with the RFC 3526
// 3072-bit group) in the encoding those clients use. That arithmetic is
// package srp's, which cogtool's client uses too; both sides of it are
// checked against the reference vectors in testdata/srp, generated from
// AWS's client (TestSRPServerMatchesReferenceVectors here, and srp's own
// tests), so a mistake in it cannot pass for agreement between the fake
// and cogtool.

import (
	"crypto/rand"
	"math/big"

	"github.com/cogtool/cogtool/internal/srp"
)

// srpVerifier is v = g^x mod N for the user's current password. Cognito
// stores only a verifier; the fake keeps the password (it also serves
// USER_PASSWORD_AUTH) and derives v when a sign-in starts.
func srpVerifier(poolName, username, password string, salt []byte) *big.Int {
	return srp.Verifier(srp.X(new(big.Int).SetBytes(salt), poolName, username, password))
}

// srpServerB draws the server's secret b and returns b and
// B = (k·v + g^b) mod N, with B mod N ≠ 0 (RFC 5054 §2.5.3).
func srpServerB(v *big.Int) (b, B *big.Int) {
	buf := make([]byte, 128)
	for {
		_, _ = rand.Read(buf)
		b = new(big.Int).SetBytes(buf)
		B = srp.B(v, b)
		if b.Sign() > 0 && B.Sign() != 0 {
			return b, B
		}
	}
}

// srpKey is the 16-byte key the client must have derived:
// S = (A · v^u)^b mod N, then the HKDF round with u as salt.
func srpKey(st *srpState) []byte {
	u := srp.U(st.A, st.B)
	return srp.Key(srp.ServerS(st.A, st.v, u, st.b), u)
}
