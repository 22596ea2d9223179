package flows

// The client's side of Cognito's SRP (USER_SRP_AUTH, PASSWORD_VERIFIER):
// the arithmetic is package srp's, pinned by the reference vectors in
// testdata/srp; this file checks what the server sent and words the reply.

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/srp"
)

// errSRPReply marks challenge parameters no sane server sends.
var errSRPReply = errors.New("unusable PASSWORD_VERIFIER parameters")

// passwordClaim computes what the PASSWORD_VERIFIER response needs from the
// client's secret a and the server's challenge parameters: A as sent in
// SRP_A (plain hex), the HKDF key, and PASSWORD_CLAIM_SIGNATURE =
// base64(HMAC(key, poolName ‖ userIDForSRP ‖ secret block bytes ‖ timestamp)).
func passwordClaim(a *big.Int, poolName, userIDForSRP, password, saltHex, srpBHex, secretBlockB64, timestamp string) (aHex string, key []byte, sig string, err error) {
	A := srp.A(a)
	B, ok := new(big.Int).SetString(srpBHex, 16)
	if !ok || srpBHex == "" {
		return "", nil, "", fmt.Errorf("%w: SRP_B is not hex", errSRPReply)
	}
	if new(big.Int).Mod(B, srp.N).Sign() == 0 {
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
	u := srp.U(A, B)
	if u.Sign() == 0 {
		return "", nil, "", fmt.Errorf("%w: u is 0", errSRPReply)
	}
	x := srp.X(salt, poolName, userIDForSRP, password)
	key = srp.Key(srp.ClientS(a, B, x, u), u)
	sig = base64.StdEncoding.EncodeToString(srp.Signature(key, poolName, userIDForSRP, block, timestamp))
	return A.Text(16), key, sig, nil
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
		if a.Sign() > 0 && srp.A(a).Sign() != 0 {
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
	params := map[string]string{"USERNAME": p.Username, "SRP_A": srp.A(st.srpA).Text(16)}
	if p.UserAuth {
		st.preferred = types.ChallengeNameTypePasswordSrp
		params["PREFERRED_CHALLENGE"] = string(st.preferred)
		return c.initiate(ctx, st, types.AuthFlowTypeUserAuth, params)
	}
	return c.initiate(ctx, st, types.AuthFlowTypeUserSrpAuth, params)
}
