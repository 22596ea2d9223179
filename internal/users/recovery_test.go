package users

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cogtool/cogtool/internal/cognito"
	"github.com/cogtool/cogtool/internal/exit"
)

// TestUnsignedCallsCarrySecretHash checks the request of each unsigned
// call: the client id, the user, and a SECRET_HASH exactly when the client
// has a secret. No emulator serves ResendConfirmationCode, and moto does
// not check SECRET_HASH on ForgotPassword, so the check is made here.
func TestUnsignedCallsCarrySecretHash(t *testing.T) {
	var got map[string]any
	var target string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		target = strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "AWSCognitoIdentityProviderService.")
		got = nil
		json.NewDecoder(r.Body).Decode(&got)
		if r.Header.Get("Authorization") != "" {
			t.Errorf("%s: signed request; these calls need no AWS credentials", target)
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		if got["Username"] == "nobody" {
			w.WriteHeader(400)
			w.Write([]byte(`{"__type":"UserNotFoundException","message":"Username/client id combination not found."}`))
			return
		}
		w.Write([]byte(`{"CodeDeliveryDetails":{"Destination":"a***@e***","DeliveryMedium":"EMAIL","AttributeName":"email"}}`))
	}))
	defer srv.Close()
	c, err := cognito.NewUnsigned(cognito.Config{Region: "us-east-1", EndpointURL: srv.URL, HTTPClient: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	for _, app := range []AppClient{{ID: "client1"}, {ID: "client1", Secret: "s3cr3t"}} {
		wantHash := ""
		if app.Secret != "" {
			wantHash = cognito.SecretHash(app.ID, app.Secret, "alice")
		}
		check := func(op string) {
			t.Helper()
			if target != op || got["ClientId"] != "client1" || got["Username"] != "alice" {
				t.Errorf("%s: sent %s %v", op, target, got)
			}
			if h, _ := got["SecretHash"].(string); h != wantHash {
				t.Errorf("%s with secret %q: SecretHash %q, want %q", op, app.Secret, h, wantHash)
			}
		}
		d, err := ResendCode(ctx, c, app, "alice")
		if err != nil || d.Medium != "EMAIL" || d.Destination != "a***@e***" || d.Attribute != "email" {
			t.Fatalf("ResendCode = %+v, %v", d, err)
		}
		check("ResendConfirmationCode")
		if _, err := ForgotPassword(ctx, c, app, "alice"); err != nil {
			t.Fatal(err)
		}
		check("ForgotPassword")
		if err := ConfirmForgotPassword(ctx, c, app, "alice", "123456", "N3w-Passw0rd!"); err != nil {
			t.Fatal(err)
		}
		check("ConfirmForgotPassword")
		if got["ConfirmationCode"] != "123456" || got["Password"] != "N3w-Passw0rd!" {
			t.Errorf("ConfirmForgotPassword sent %v", got)
		}
	}
	_, err = ResendCode(ctx, c, AppClient{ID: "client1"}, "nobody")
	if exit.CodeOf(err) != exit.Auth || exit.AWSErrorOf(err) != "UserNotFoundException" {
		t.Fatalf("unknown user: err = %v (code %d), want exit 4 UserNotFoundException", err, exit.CodeOf(err))
	}
}
