package flows

import (
	"encoding/hex"
	"encoding/json"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/cogtool/cogtool/internal/cognito"
	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/srp"
	"github.com/cogtool/cogtool/internal/srp/srptest"
)

func TestSRPVectors(t *testing.T) {
	v := srptest.Load(t)
	t.Logf("vectors from %s", v.Generator)
	for _, tc := range v.Vectors {
		t.Run(tc.Name, func(t *testing.T) {
			a := srptest.Hex(t, tc.A)
			when, err := time.Parse(time.RFC3339, tc.Time)
			if err != nil {
				t.Fatal(err)
			}
			ts := when.UTC().Format(srp.TimeLayout)
			if ts != tc.Expect.Timestamp {
				t.Errorf("timestamp = %q, want %q", ts, tc.Expect.Timestamp)
			}
			if pn, err := poolName(tc.PoolID); err != nil || pn != tc.PoolName {
				t.Errorf("poolName(%q) = %q, %v; want %q", tc.PoolID, pn, err, tc.PoolName)
			}

			// The intermediate values (u, x, S and their padding) are
			// package srp's TestVectorsBothSides; here, what flows builds
			// from them.
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
	v := srptest.Load(t)
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

func TestPasswordClaimRefusesBadParameters(t *testing.T) {
	a := big.NewInt(12345)
	good := "0123456789abcdef"
	block := "c2VjcmV0LWJsb2Nr"
	for _, tc := range []struct{ name, salt, b, block string }{
		{"B zero", good, "0", block},
		{"B equal to N", good, srp.N.Text(16), block},
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

// The whole SRP exchange through the SDK against a fake server that serves
// a reference vector's challenge: SRP_A, TIMESTAMP and the signature on the
// wire must be AWS's client's, byte for byte, and the responses must name
// the user as USER_ID_FOR_SRP (the alias vector), SECRET_HASH included.
func TestSRPMessagesOnTheWire(t *testing.T) {
	v := srptest.Load(t)
	for _, tc := range v.Vectors {
		t.Run(tc.Name, func(t *testing.T) {
			f := newFakeIDP(t, func(n int, c fakeCall) fakeReply {
				if n == 1 {
					return challenge("PASSWORD_VERIFIER", "srp-session", map[string]string{
						"SALT": tc.Salt, "SRP_B": tc.SRPB, "SECRET_BLOCK": tc.SecretBlock,
						"USER_ID_FOR_SRP": tc.UserIDForSRP, "USERNAME": tc.UserIDForSRP,
					})
				}
				return fakeReply{body: authResult(map[string]any{"username": tc.UserIDForSRP}, 3600)}
			})
			c := fastClient(f.srv.URL)
			when, _ := time.Parse(time.RFC3339, tc.Time)
			c.now = func() time.Time { return when.In(time.FixedZone("elsewhere", 5*3600+1800)) }
			c.randA = func() (*big.Int, error) { return srptest.Hex(t, tc.A), nil }
			tok, err := c.SRP(testCtx(t), AuthParams{PoolID: tc.PoolID, ClientID: "cid", ClientSecret: "shh", Username: tc.Username, Password: tc.Password})
			if err != nil {
				t.Fatal(err)
			}
			if tok.Username != tc.UserIDForSRP {
				t.Errorf("Username = %q", tok.Username)
			}
			calls := f.Calls()
			if len(calls) != 2 {
				t.Fatalf("%d calls", len(calls))
			}
			if calls[0].Body["AuthFlow"] != "USER_SRP_AUTH" {
				t.Errorf("AuthFlow %v", calls[0].Body["AuthFlow"])
			}
			init := strMap(calls[0].Body["AuthParameters"])
			if init["SRP_A"] != tc.Expect.SRPA {
				t.Error("SRP_A on the wire differs from the reference")
			}
			if init["USERNAME"] != tc.Username || init["SECRET_HASH"] != cognito.SecretHash("cid", "shh", tc.Username) {
				t.Errorf("InitiateAuth USERNAME/SECRET_HASH: %v", init)
			}
			if _, ok := init["PASSWORD"]; ok {
				t.Error("the password was sent")
			}
			if calls[1].Body["ChallengeName"] != "PASSWORD_VERIFIER" || calls[1].Body["Session"] != "srp-session" {
				t.Errorf("RespondToAuthChallenge %v", calls[1].Body)
			}
			r := strMap(calls[1].Body["ChallengeResponses"])
			if r["TIMESTAMP"] != tc.Expect.Timestamp {
				t.Errorf("TIMESTAMP %q, want %q", r["TIMESTAMP"], tc.Expect.Timestamp)
			}
			if r["PASSWORD_CLAIM_SIGNATURE"] != tc.Expect.Signature {
				t.Errorf("signature %s, want %s", r["PASSWORD_CLAIM_SIGNATURE"], tc.Expect.Signature)
			}
			if r["PASSWORD_CLAIM_SECRET_BLOCK"] != tc.Expect.ResponseSecretBlock {
				t.Error("secret block not echoed")
			}
			if r["USERNAME"] != tc.Expect.ResponseUsername {
				t.Errorf("USERNAME %q, want %q", r["USERNAME"], tc.Expect.ResponseUsername)
			}
			if r["SECRET_HASH"] != cognito.SecretHash("cid", "shh", tc.UserIDForSRP) {
				t.Error("SECRET_HASH not computed from USER_ID_FOR_SRP")
			}
			for _, c := range calls {
				if c.Header.Get("Authorization") != "" {
					t.Error("request was signed")
				}
				raw, _ := json.Marshal(c.Body)
				if strings.Contains(string(raw), tc.Password) {
					t.Error("the password went over the wire")
				}
			}
		})
	}
}

func TestSRPMalformedChallenge(t *testing.T) {
	for name, params := range map[string]map[string]string{
		"no USER_ID_FOR_SRP": {"SALT": "ab", "SRP_B": "cd", "SECRET_BLOCK": "ZQ=="},
		"B is zero":          {"SALT": "ab", "SRP_B": "0", "SECRET_BLOCK": "ZQ==", "USER_ID_FOR_SRP": "u"},
		"salt not hex":       {"SALT": "zz", "SRP_B": "cd", "SECRET_BLOCK": "ZQ==", "USER_ID_FOR_SRP": "u"},
	} {
		t.Run(name, func(t *testing.T) {
			f := newFakeIDP(t, func(int, fakeCall) fakeReply { return challenge("PASSWORD_VERIFIER", "s", params) })
			_, err := fastClient(f.srv.URL).SRP(testCtx(t), AuthParams{PoolID: "us-east-1_abc", ClientID: "cid", Username: "u", Password: "pw"})
			ee := wantCode(t, err, exit.Network)
			if !strings.Contains(ee.Error(), "malformed reply") {
				t.Errorf("message %q", ee.Error())
			}
			if n := len(f.Calls()); n != 1 {
				t.Errorf("%d calls; no response should follow a bad challenge", n)
			}
		})
	}
}

// moto runs the message flow (it accepts any signature) and checks
// SECRET_HASH on USER_SRP_AUTH and on refresh.
func TestSRPOnMoto(t *testing.T) {
	pool := motoPool(t)
	createUser(t, pool, "sid", "Passw0rd!Sid", true)
	c := testClient("us-east-1", pool.URL, nil)
	ctx := testCtx(t)

	t.Run("public client", func(t *testing.T) {
		tok, err := c.SRP(ctx, AuthParams{PoolID: pool.ID, ClientID: pool.PublicClientID, Username: "sid", Password: "Passw0rd!Sid"})
		if err != nil {
			t.Fatal(err)
		}
		checkTokens(t, tok, "sid")
	})
	t.Run("secret client, then refresh", func(t *testing.T) {
		tok, err := c.SRP(ctx, AuthParams{PoolID: pool.ID, ClientID: pool.SecretClientID, ClientSecret: pool.SecretClientSecret, Username: "sid", Password: "Passw0rd!Sid"})
		if err != nil {
			t.Fatal(err)
		}
		checkTokens(t, tok, "sid")
		if _, err := c.Refresh(ctx, RefreshParams{PoolID: pool.ID, ClientID: pool.SecretClientID, ClientSecret: pool.SecretClientSecret, Username: tok.Username, RefreshToken: tok.RefreshToken}); err != nil {
			t.Fatalf("refresh after SRP: %v", err)
		}
	})
	t.Run("wrong secret", func(t *testing.T) {
		_, err := c.SRP(ctx, AuthParams{PoolID: pool.ID, ClientID: pool.SecretClientID, ClientSecret: "wrong", Username: "sid", Password: "Passw0rd!Sid"})
		if ee := wantCode(t, err, exit.Auth); ee.AWSError != "NotAuthorizedException" {
			t.Errorf("AWSError %q", ee.AWSError)
		}
	})
	t.Run("unknown user", func(t *testing.T) {
		_, err := c.SRP(ctx, AuthParams{PoolID: pool.ID, ClientID: pool.PublicClientID, Username: "nobody", Password: "Passw0rd!Sid"})
		if ee := wantCode(t, err, exit.Auth); ee.AWSError != "UserNotFoundException" {
			t.Errorf("AWSError %q", ee.AWSError)
		}
	})
	t.Run("new password required", func(t *testing.T) {
		createUser(t, pool, "fresh", "Temp0rary!Fresh", false)
		p := AuthParams{PoolID: pool.ID, ClientID: pool.SecretClientID, ClientSecret: pool.SecretClientSecret, Username: "fresh", Password: "Temp0rary!Fresh"}
		_, err := c.SRP(ctx, p)
		if ee := wantCode(t, err, exit.Challenge); !strings.Contains(ee.Error(), "NEW_PASSWORD_REQUIRED") {
			t.Errorf("message %q", ee.Error())
		}
		p.Answer = &answers{newPassword: "Fresh-N3w-Passw0rd!"}
		tok, err := c.SRP(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		checkTokens(t, tok, "fresh")
	})
}

func TestLenientBase64MatchesNode(t *testing.T) {
	// Expected bytes printed by Node 20: Buffer.from(s, 'base64').toString('hex').
	for _, tc := range []struct{ in, want string }{
		{"9f0c1e2a-7b3d-4e5f-8a9b-0c1d2e3f4a5b", "f5fd1cd5ed9afbb6f777ee1ee5ffbc6bd6fed1cd5dd9eddfe1ae5b"},
		{"ab_c-d+e/f==", "69bfdcf9df9efd"},
		{"YWJj ZGVm\nZ2hp", "616263646566676869"},
		{"YWJjZA", "61626364"},
		{"YWJjZ", "616263"},
		{"a!b*c", "69b7"},
		{"YW=Jj", "61"},
	} {
		if got := hex.EncodeToString(lenientBase64(tc.in)); got != tc.want {
			t.Errorf("lenientBase64(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}
