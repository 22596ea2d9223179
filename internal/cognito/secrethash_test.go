package cognito

import "testing"

func TestSecretHash(t *testing.T) {
	// Expected values computed independently with openssl:
	//   printf '%s' "$USERNAME$CLIENT_ID" | openssl dgst -sha256 -hmac "$CLIENT_SECRET" -binary | base64
	for _, tc := range []struct{ clientID, secret, username, want string }{
		{"4k2h3example0clientid", "c7v1secretexamplevalue0123456789abcdefghij", "alice@example.com",
			"RP+G8QYWP5NcKNT1iRXf0sPuAPIC2C/+DrnTnlJt2kU="},
		{"1example23456789", "shhh", "5b1f0d7e-2c44-4a0b-9e51-7d2f6a8c3b19",
			"H1ymckJAZ0m4CUWmy18FWUDEp/kXKE8lvurfBIBYgHg="},
	} {
		if got := SecretHash(tc.clientID, tc.secret, tc.username); got != tc.want {
			t.Errorf("SecretHash(%q, ..., %q) = %s, want %s", tc.clientID, tc.username, got, tc.want)
		}
	}
}

func TestAddSecretHashOnlyWithSecret(t *testing.T) {
	p := map[string]string{}
	AddSecretHash(p, "cid", "", "u")
	if _, ok := p["SECRET_HASH"]; ok {
		t.Fatal("SECRET_HASH added for a public client")
	}
	AddSecretHash(p, "cid", "s", "u")
	if p["SECRET_HASH"] != SecretHash("cid", "s", "u") {
		t.Fatalf("SECRET_HASH = %q", p["SECRET_HASH"])
	}
}
