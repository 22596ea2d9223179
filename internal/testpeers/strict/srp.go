package strict

// The server side of Cognito's SRP-6a (USER_SRP_AUTH, then
// PASSWORD_VERIFIER). Cognito does not publish the server's arithmetic;
// its clients do (amazon-cognito-identity-js AuthenticationHelper, the
// reference that the repository's testdata/srp vectors come from), and the
// server must agree with them, so this file follows SRP-6a (RFC 5054 §2.5,
// with the RFC 3526 3072-bit group) in the encoding those clients use:
//
//   - integers are hashed as "padHex": minimal lowercase hex, even length,
//     00 in front when the top bit is set;
//   - k = H(padHex(N) ‖ padHex(g)), u = H(padHex(A) ‖ padHex(B)),
//     x = H(padHex(salt) ‖ hex(H(poolName ‖ username ‖ ":" ‖ password)));
//   - the key is one HKDF round: HMAC(HMAC(padHex(u), padHex(S)),
//     "Caldera Derived Key" ‖ 0x01)[:16];
//   - PASSWORD_CLAIM_SIGNATURE = base64(HMAC(key, poolName ‖ username ‖
//     SECRET_BLOCK bytes ‖ TIMESTAMP)).
//
// The fake is written from the protocol, not from cogtool's client, so an
// error in one does not cancel out in the other.

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"math/big"
	"strings"
)

var (
	srpN = mustHex("FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
		"EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
		"EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
		"83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
		"E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510" +
		"15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7" +
		"ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C" +
		"BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF")
	srpG = big.NewInt(2)
	srpK = hashInts(srpN, srpG)
)

func mustHex(h string) *big.Int {
	n, ok := new(big.Int).SetString(h, 16)
	if !ok {
		panic("strict fake: bad SRP constant")
	}
	return n
}

func padHex(x *big.Int) string {
	h := x.Text(16)
	if len(h)%2 == 1 {
		h = "0" + h
	}
	if strings.IndexByte("89abcdef", h[0]) >= 0 {
		h = "00" + h
	}
	return h
}

// hashHex is SHA-256 over the bytes the concatenated hex strings spell.
func hashHex(parts ...string) *big.Int {
	b, err := hex.DecodeString(strings.Join(parts, ""))
	if err != nil {
		panic("strict fake: odd hex in SRP hash")
	}
	sum := sha256.Sum256(b)
	return new(big.Int).SetBytes(sum[:])
}

func hashInts(xs ...*big.Int) *big.Int {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = padHex(x)
	}
	return hashHex(parts...)
}

// srpVerifier is v = g^x mod N for the user's current password. Cognito
// stores only a verifier; the fake keeps the password (it also serves
// USER_PASSWORD_AUTH) and derives v when a sign-in starts.
func srpVerifier(poolName, username, password string, salt []byte) *big.Int {
	inner := sha256.Sum256([]byte(poolName + username + ":" + password))
	x := hashHex(padHex(new(big.Int).SetBytes(salt)), hex.EncodeToString(inner[:]))
	return new(big.Int).Exp(srpG, x, srpN)
}

// srpServerB draws the server's secret b and returns b and
// B = (k·v + g^b) mod N, with B mod N ≠ 0 (RFC 5054 §2.5.3).
func srpServerB(v *big.Int) (b, B *big.Int) {
	buf := make([]byte, 128)
	for {
		_, _ = rand.Read(buf)
		b = new(big.Int).SetBytes(buf)
		B = new(big.Int).Mul(srpK, v)
		B.Add(B, new(big.Int).Exp(srpG, b, srpN))
		B.Mod(B, srpN)
		if b.Sign() > 0 && B.Sign() != 0 {
			return b, B
		}
	}
}

// srpKey is the 16-byte key the client must have derived:
// S = (A · v^u)^b mod N, then the HKDF round with u as salt.
func srpKey(st *srpState) []byte {
	u := hashInts(st.A, st.B)
	S := new(big.Int).Exp(st.v, u, srpN)
	S.Mul(S, st.A)
	S.Mod(S, srpN)
	S.Exp(S, st.b, srpN)
	ikm, _ := hex.DecodeString(padHex(S))
	salt, _ := hex.DecodeString(padHex(u))
	prk := hmac.New(sha256.New, salt)
	prk.Write(ikm)
	okm := hmac.New(sha256.New, prk.Sum(nil))
	okm.Write([]byte("Caldera Derived Key\x01"))
	return okm.Sum(nil)[:16]
}

// srpSignature is the PASSWORD_CLAIM_SIGNATURE the client must send.
func srpSignature(key []byte, poolName, username string, block []byte, timestamp string) []byte {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(poolName))
	mac.Write([]byte(username))
	mac.Write(block)
	mac.Write([]byte(timestamp))
	return mac.Sum(nil)
}
