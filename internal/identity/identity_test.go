package identity

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cogtool/cogtool/internal/cache"
	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/redact"
)

const pool = "us-east-1:0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"

// fakeAPI answers GetId and GetCredentialsForIdentity as the AWS API
// reference describes them (JSON 1.1, X-Amz-Target
// AWSCognitoIdentityService.*) and records what it was sent.
type fakeAPI struct {
	mu       sync.Mutex
	calls    []string
	bodies   []map[string]any
	auth     []string
	expires  time.Duration
	failCred string // an error name GetCredentialsForIdentity answers once
	serial   int
}

func (f *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	op := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "AWSCognitoIdentityService.")
	var body map[string]any
	_ = json.NewDecoder(r.Body).Decode(&body)
	f.calls = append(f.calls, op)
	f.bodies = append(f.bodies, body)
	f.auth = append(f.auth, r.Header.Get("Authorization"))
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	switch op {
	case "GetId":
		f.serial++
		fmt.Fprintf(w, `{"IdentityId":"us-east-1:id-%d"}`, f.serial)
	case "GetCredentialsForIdentity":
		if f.failCred != "" {
			w.WriteHeader(400)
			fmt.Fprintf(w, `{"__type":"%s","message":"no such identity"}`, f.failCred)
			f.failCred = ""
			return
		}
		exp := time.Now().Add(f.expires).Unix()
		fmt.Fprintf(w, `{"IdentityId":%q,"Credentials":{"AccessKeyId":"ASIAFAKE%d","SecretKey":"secret-%d","SessionToken":"session-%d","Expiration":%d}}`,
			body["IdentityId"], len(f.calls), len(f.calls), len(f.calls), exp)
	default:
		w.WriteHeader(400)
		fmt.Fprint(w, `{"__type":"UnknownOperationException"}`)
	}
}

func newFake(t *testing.T, expires time.Duration) (*fakeAPI, *Client) {
	t.Helper()
	f := &fakeAPI{expires: expires}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, NewClient("us-east-1", srv.URL, srv.Client())
}

func TestRegionOf(t *testing.T) {
	for id, want := range map[string]string{
		pool: "us-east-1",
		"ap-south-1:11111111-2222-3333-4444-555555555555":    "ap-south-1",
		"us-gov-west-1:11111111-2222-3333-4444-555555555555": "us-gov-west-1",
		"us-east-1_AbC123": "",
		"":                 "",
		"us-east-1:":       "",
		"US-EAST-1:11111111-2222-3333-4444-555555555555":      "",
		"us-east-1:11111111-2222-3333-4444-555555555555:more": "",
	} {
		got, err := RegionOf(id)
		if want == "" {
			if exit.CodeOf(err) != exit.Usage {
				t.Errorf("RegionOf(%q) = %q, %v; want a usage error", id, got, err)
			}
			continue
		}
		if err != nil || got != want {
			t.Errorf("RegionOf(%q) = %q, %v; want %q", id, got, err, want)
		}
	}
}

func TestLoginProvider(t *testing.T) {
	got, err := LoginProvider("eu-west-1_AbC123")
	if err != nil || got != "cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123" {
		t.Fatalf("LoginProvider = %q, %v", got, err)
	}
	for _, bad := range []string{"", "nounderscore", "_x", "eu-west-1_"} {
		if _, err := LoginProvider(bad); exit.CodeOf(err) != exit.Usage {
			t.Errorf("LoginProvider(%q): %v, want a usage error", bad, err)
		}
	}
}

// The two calls carry the pool, the Logins map and the role, unsigned.
func TestCredentialsRequests(t *testing.T) {
	f, c := newFake(t, time.Hour)
	logins := map[string]string{"cognito-idp.us-east-1.amazonaws.com/us-east-1_X": "id-token-value"}
	cr, err := c.Credentials(context.Background(), Params{PoolID: pool, Logins: logins, RoleARN: "arn:aws:iam::123456789012:role/r"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(f.calls, ",") != "GetId,GetCredentialsForIdentity" {
		t.Fatalf("calls %v", f.calls)
	}
	if f.bodies[0]["IdentityPoolId"] != pool {
		t.Errorf("GetId body %v", f.bodies[0])
	}
	for i, b := range f.bodies {
		l, _ := b["Logins"].(map[string]any)
		if l["cognito-idp.us-east-1.amazonaws.com/us-east-1_X"] != "id-token-value" {
			t.Errorf("call %d: Logins %v", i, b["Logins"])
		}
		if f.auth[i] != "" {
			t.Errorf("call %d is signed: %q", i, f.auth[i])
		}
	}
	if f.bodies[1]["CustomRoleArn"] != "arn:aws:iam::123456789012:role/r" || f.bodies[1]["IdentityId"] != "us-east-1:id-1" {
		t.Errorf("GetCredentialsForIdentity body %v", f.bodies[1])
	}
	if cr.IdentityID != "us-east-1:id-1" || cr.AccessKeyID != "ASIAFAKE2" || cr.SecretAccessKey != "secret-2" ||
		cr.SessionToken != "session-2" || time.Until(cr.Expiration) < 59*time.Minute {
		t.Errorf("credentials %+v", cr)
	}
}

// A guest sends no Logins at all.
func TestGuestSendsNoLogins(t *testing.T) {
	f, c := newFake(t, time.Hour)
	if _, err := c.Credentials(context.Background(), Params{PoolID: pool}); err != nil {
		t.Fatal(err)
	}
	for i, b := range f.bodies {
		if _, ok := b["Logins"]; ok {
			t.Errorf("call %d sent Logins: %v", i, b)
		}
	}
}

// Cached credentials are reused while they have more than MinTTL left;
// new ones keep the cached identity id (no second GetId).
func TestSourceCaches(t *testing.T) {
	f, c := newFake(t, 90*time.Second)
	dir := t.TempDir()
	now := time.Now()
	s := &Source{Client: c, Cache: cache.New(dir), MinTTL: 60 * time.Second, Now: func() time.Time { return now }, Secrets: redact.NewSet()}
	s.Cache.Now = s.Now
	who := Subject{UserPoolID: "us-east-1_X", ClientID: "client", User: "sub-1"}
	p := Params{PoolID: pool, Logins: map[string]string{"p": "tok"}}
	cr1, cached, err := s.Get(context.Background(), p, who)
	if err != nil || cached {
		t.Fatalf("first Get: %v, cached %v", err, cached)
	}
	cr2, cached, err := s.Get(context.Background(), p, who)
	if err != nil || !cached || cr2.AccessKeyID != cr1.AccessKeyID || cr2.SecretAccessKey != cr1.SecretAccessKey {
		t.Fatalf("second Get: %+v, cached %v, %v", cr2, cached, err)
	}
	if len(f.calls) != 2 {
		t.Fatalf("calls %v, want 2", f.calls)
	}
	// The secret parts are in the run's redaction set, also when cached.
	s.Secrets = redact.NewSet()
	if _, _, err := s.Get(context.Background(), p, who); err != nil {
		t.Fatal(err)
	}
	if got := s.Secrets.Values(); !slices.Contains(got, cr1.SecretAccessKey) || !slices.Contains(got, cr1.SessionToken) {
		t.Errorf("cached credentials not registered: %d values", len(got))
	}
	fi, err := os.Stat(s.Cache.Path(s.Key(p, who)))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("cache file: %v %v", fi, err)
	}

	// 31s later less than MinTTL is left: new credentials, same identity.
	now = now.Add(31 * time.Second)
	cr3, cached, err := s.Get(context.Background(), p, who)
	if err != nil || cached || cr3.AccessKeyID == cr1.AccessKeyID || cr3.IdentityID != cr1.IdentityID {
		t.Fatalf("third Get: %+v, cached %v, %v", cr3, cached, err)
	}
	if strings.Join(f.calls, ",") != "GetId,GetCredentialsForIdentity,GetCredentialsForIdentity" {
		t.Fatalf("calls %v", f.calls)
	}

	// Another user, a guest and another role each have their own entry.
	for _, k := range []cache.Key{
		s.Key(p, Subject{UserPoolID: "us-east-1_X", ClientID: "client", User: "sub-2"}),
		s.Key(Params{PoolID: pool}, Subject{}),
		s.Key(Params{PoolID: pool, RoleARN: "arn:aws:iam::1:role/x"}, who),
	} {
		if k.Name() == s.Key(p, who).Name() {
			t.Errorf("key %+v shares the user's entry", k)
		}
	}
}

// A cached identity the service no longer knows: GetId runs again.
func TestStaleIdentity(t *testing.T) {
	f, c := newFake(t, time.Hour)
	f.failCred = "ResourceNotFoundException"
	cr, err := c.Credentials(context.Background(), Params{PoolID: pool, IdentityID: "us-east-1:gone"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(f.calls, ",") != "GetCredentialsForIdentity,GetId,GetCredentialsForIdentity" || cr.IdentityID != "us-east-1:id-1" {
		t.Fatalf("calls %v, identity %q", f.calls, cr.IdentityID)
	}
}

// Refusals are exit 4 naming the AWS error, and never show the ID token;
// a server failure is exit 5; plain http to a remote host is exit 2.
func TestErrors(t *testing.T) {
	const tok = "eyJraWQiOiJrIiwiYWxnIjoiUlMyNTYifQ.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		if strings.HasSuffix(r.Header.Get("X-Amz-Target"), "GetId") {
			w.WriteHeader(400)
			fmt.Fprintf(w, `{"__type":"NotAuthorizedException","message":"Invalid login token. %s"}`, tok)
			return
		}
		w.WriteHeader(500)
	}))
	defer srv.Close()
	c := NewClient("us-east-1", srv.URL, srv.Client())
	_, err := c.Credentials(context.Background(), Params{PoolID: pool, Logins: map[string]string{"p": tok}})
	if exit.CodeOf(err) != exit.Auth || exit.AWSErrorOf(err) != "NotAuthorizedException" || strings.Contains(err.Error(), tok) {
		t.Errorf("GetId refused: %v (code %d)", err, exit.CodeOf(err))
	}
	_, err = c.Credentials(context.Background(), Params{PoolID: pool, IdentityID: "us-east-1:x"})
	if exit.CodeOf(err) != exit.Network {
		t.Errorf("500: %v (code %d)", err, exit.CodeOf(err))
	}
	c = NewClient("us-east-1", "http://192.0.2.1", nil)
	if _, err = c.Credentials(context.Background(), Params{PoolID: pool}); exit.CodeOf(err) != exit.Usage || !strings.Contains(err.Error(), "plain http") {
		t.Errorf("plain http: %v", err)
	}
}
