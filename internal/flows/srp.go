package flows

// Cognito's SRP-6a variant, as AWS's own clients compute it
// (amazon-cognito-identity-js AuthenticationHelper). The details that
// differ from textbook SRP are the ones a port gets wrong, and each is
// pinned by the reference vectors in testdata/srp:
//
//   - integers are hashed as padHex strings: minimal hex, even length, and
//     a 00 byte in front when the top bit is set (Java's toByteArray); not
//     fixed width, so u and S may be shorter than their modulus;
//   - the salt is read as an integer and padded again, so leading zero
//     bytes vanish;
//   - the base of S is reduced to a non-negative value before exponentiation;
//   - the HKDF is one HMAC round with u as the salt and "Caldera Derived Key";
//   - SRP_A goes out as plain hex (odd length allowed);
//   - the timestamp's day of month is not padded.

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cogtool/cogtool/internal/exit"
)

// srpTimeLayout is the TIMESTAMP format: "Tue Mar 5 09:07:03 UTC 2024".
// time.UnixDate pads the day with a space, which Cognito refuses.
const srpTimeLayout = "Mon Jan 2 15:04:05 UTC 2006"

// srpNHex is the 3072-bit MODP prime of RFC 3526, the N of Cognito's SRP.
const srpNHex = "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1" +
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

var (
	srpN, _ = new(big.Int).SetString(srpNHex, 16)
	srpG    = big.NewInt(2)
	// srpK = H(padHex(N) ‖ padHex(g)).
	srpK = new(big.Int).SetBytes(hexHash(padHex(srpN) + padHex(srpG)))
)

// padHex renders a non-negative x as AWS's clients do before hashing:
// minimal lowercase hex, a leading 0 when the length is odd, and 00 in
// front when the first nibble is 8-f.
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

// hexHash is SHA-256 of the bytes a hex string spells.
func hexHash(h string) []byte {
	b, err := hex.DecodeString(h)
	if err != nil {
		panic("flows: hexHash of odd hex: " + h) // callers only pass padHex output
	}
	sum := sha256.Sum256(b)
	return sum[:]
}

// srpA is the client's public value A = g^a mod N.
func srpA(a *big.Int) *big.Int {
	return new(big.Int).Exp(srpG, a, srpN)
}

// srpU is u = H(padHex(A) ‖ padHex(B)).
func srpU(A, B *big.Int) *big.Int {
	return new(big.Int).SetBytes(hexHash(padHex(A) + padHex(B)))
}

// srpX is x = H(padHex(salt) ‖ hex(H(poolName ‖ userID ‖ ":" ‖ password))).
func srpX(salt *big.Int, poolName, userID, password string) *big.Int {
	inner := sha256.Sum256([]byte(poolName + userID + ":" + password))
	return new(big.Int).SetBytes(hexHash(padHex(salt) + hex.EncodeToString(inner[:])))
}

// srpS is the shared secret S = (B − k·g^x)^(a + u·x) mod N, the base
// reduced to [0, N) first.
func srpS(a, B, x, u *big.Int) *big.Int {
	gx := new(big.Int).Exp(srpG, x, srpN)
	base := new(big.Int).Mul(srpK, gx)
	base.Sub(B, base)
	base.Mod(base, srpN) // Go's Mod is Euclidean: never negative
	exp := new(big.Int).Mul(u, x)
	exp.Add(exp, a)
	return new(big.Int).Exp(base, exp, srpN)
}

// srpHKDF derives the 16-byte key: PRK = HMAC(padHex(u), padHex(S)), then
// HMAC(PRK, "Caldera Derived Key" ‖ 0x01) cut to 16 bytes.
func srpHKDF(S, u *big.Int) []byte {
	ikm, _ := hex.DecodeString(padHex(S))
	salt, _ := hex.DecodeString(padHex(u))
	prk := hmac.New(sha256.New, salt)
	prk.Write(ikm)
	okm := hmac.New(sha256.New, prk.Sum(nil))
	okm.Write([]byte("Caldera Derived Key\x01"))
	return okm.Sum(nil)[:16]
}

// errSRPReply marks challenge parameters no sane server sends.
var errSRPReply = errors.New("unusable PASSWORD_VERIFIER parameters")

// passwordClaim computes what the PASSWORD_VERIFIER response needs from the
// client's secret a and the server's challenge parameters: A as sent in
// SRP_A (plain hex), the HKDF key, and PASSWORD_CLAIM_SIGNATURE =
// base64(HMAC(key, poolName ‖ userIDForSRP ‖ secret block bytes ‖ timestamp)).
func passwordClaim(a *big.Int, poolName, userIDForSRP, password, saltHex, srpBHex, secretBlockB64, timestamp string) (aHex string, key []byte, sig string, err error) {
	A := srpA(a)
	B, ok := new(big.Int).SetString(srpBHex, 16)
	if !ok || srpBHex == "" {
		return "", nil, "", fmt.Errorf("%w: SRP_B is not hex", errSRPReply)
	}
	if new(big.Int).Mod(B, srpN).Sign() == 0 {
		return "", nil, "", fmt.Errorf("%w: SRP_B mod N is 0", errSRPReply)
	}
	salt, ok := new(big.Int).SetString(saltHex, 16)
	if !ok || saltHex == "" {
		return "", nil, "", fmt.Errorf("%w: SALT is not hex", errSRPReply)
	}
	block := lenientBase64(secretBlockB64)
	if len(block) == 0 {
		return "", nil, "", fmt.Errorf("%w: SECRET_BLOCK is empty or not base64", errSRPReply)
	}
	u := srpU(A, B)
	if u.Sign() == 0 {
		return "", nil, "", fmt.Errorf("%w: u is 0", errSRPReply)
	}
	x := srpX(salt, poolName, userIDForSRP, password)
	key = srpHKDF(srpS(a, B, x, u), u)

	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(poolName))
	mac.Write([]byte(userIDForSRP))
	mac.Write(block)
	mac.Write([]byte(timestamp))
	return A.Text(16), key, base64.StdEncoding.EncodeToString(mac.Sum(nil)), nil
}

// lenientBase64 decodes SECRET_BLOCK as AWS's JavaScript client does
// (Node's Buffer.from(s, "base64")): both the standard and the URL-safe
// alphabet, other characters skipped, decoding stops at the first "=", a
// dangling sixth of a byte dropped. Cognito's blocks are plain base64 either
// way; emulators send other strings (moto: a UUID) and still expect an answer.
func lenientBase64(s string) []byte {
	var bits, n uint
	out := make([]byte, 0, len(s)*3/4)
	for i := 0; i < len(s); i++ {
		var v byte
		switch ch := s[i]; {
		case ch >= 'A' && ch <= 'Z':
			v = ch - 'A'
		case ch >= 'a' && ch <= 'z':
			v = ch - 'a' + 26
		case ch >= '0' && ch <= '9':
			v = ch - '0' + 52
		case ch == '+' || ch == '-':
			v = 62
		case ch == '/' || ch == '_':
			v = 63
		case ch == '=':
			return out
		default:
			continue
		}
		bits = bits<<6 | uint(v)
		n += 6
		if n >= 8 {
			n -= 8
			out = append(out, byte(bits>>n))
			bits &= 1<<n - 1
		}
	}
	return out
}

// randomA draws the client's secret a: 128 random bytes, as AWS's clients
// do, such that A mod N is not 0.
func randomA() (*big.Int, error) {
	b := make([]byte, 128)
	for {
		if _, err := rand.Read(b); err != nil {
			return nil, fmt.Errorf("srp: random a: %w", err)
		}
		a := new(big.Int).SetBytes(b)
		if a.Sign() > 0 && srpA(a).Sign() != 0 {
			return a, nil
		}
	}
}

// poolName is the part of a user pool id after the region: p7GD1CkXO in
// ap-south-1_p7GD1CkXO.
func poolName(poolID string) (string, error) {
	_, name, ok := strings.Cut(poolID, "_")
	if !ok || name == "" {
		return "", exit.Usagef("user pool id %q is not of the form region_id (like us-east-1_AbCdEf123)", poolID)
	}
	return name, nil
}

// SRP signs in with USER_SRP_AUTH, or USER_AUTH with PREFERRED_CHALLENGE
// PASSWORD_SRP: the password never leaves the machine, only a proof of it
// (PASSWORD_VERIFIER). Challenges that follow are answered through p.Answer.
func (c *Client) SRP(ctx context.Context, p AuthParams) (*Tokens, error) {
	if err := p.check(true, true); err != nil {
		return nil, err
	}
	if _, err := poolName(p.PoolID); err != nil {
		return nil, err
	}
	st, err := c.newState(p)
	if err != nil {
		return nil, err
	}
	if st.srpA, err = c.randA(); err != nil {
		return nil, err
	}
	params := map[string]string{"USERNAME": p.Username, "SRP_A": srpA(st.srpA).Text(16)}
	if p.UserAuth {
		st.preferred = types.ChallengeNameTypePasswordSrp
		params["PREFERRED_CHALLENGE"] = string(st.preferred)
		return c.initiate(ctx, st, types.AuthFlowTypeUserAuth, params)
	}
	return c.initiate(ctx, st, types.AuthFlowTypeUserSrpAuth, params)
}
