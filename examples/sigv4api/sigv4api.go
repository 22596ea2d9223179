// Package sigv4api is a small API behind IAM-style authorization, as API
// Gateway puts one: every request must carry a Signature Version 4
// signature made with credentials the API knows. It checks the signature
// by signing the same request again with aws-sdk-go-v2's signer and
// comparing, so it accepts exactly what that signer produces. Anything
// else (no signature, another key, a request changed after signing, a
// stale date, a missing session token) is 403 with a JSON reason.
//
// It exists to test `cogtool call --sigv4`; it is not a complete SigV4
// verifier (no presigned URLs, no chunked payloads).
package sigv4api

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// Config says what the API trusts.
type Config struct {
	Service string // the signing name, e.g. execute-api
	Region  string
	// Credentials returns the credentials of an access key id, and whether
	// the key is known.
	Credentials func(accessKeyID string) (aws.Credentials, bool)
	// MaxSkew bounds the distance between X-Amz-Date and now (default 5m,
	// as AWS allows).
	MaxSkew time.Duration
	Now     func() time.Time
}

// maxBody caps the body the API reads to check its hash.
const maxBody = 1 << 20

// New returns the API: every path answers a signed GET or POST with
// {"ok":true,"access_key_id":...,"method":...,"path":...}.
func New(c Config) http.Handler {
	if c.MaxSkew == 0 {
		c.MaxSkew = 5 * time.Minute
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
		if err != nil || len(body) > maxBody {
			reply(w, http.StatusBadRequest, map[string]any{"message": "unreadable body"})
			return
		}
		key, err := c.verify(r, body)
		if err != nil {
			reply(w, http.StatusForbidden, map[string]any{"message": err.Error()})
			return
		}
		reply(w, http.StatusOK, map[string]any{"ok": true, "access_key_id": key, "method": r.Method, "path": r.URL.Path})
	})
}

func reply(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// authHeader is a parsed Authorization: AWS4-HMAC-SHA256 header.
type authHeader struct {
	accessKey, date, region, service string
	signedHeaders                    []string
	signature                        string
}

func parseAuth(v string) (*authHeader, error) {
	rest, ok := strings.CutPrefix(v, "AWS4-HMAC-SHA256 ")
	if !ok {
		return nil, fmt.Errorf("missing or non-SigV4 Authorization header")
	}
	a := &authHeader{}
	for _, part := range strings.Split(rest, ",") {
		k, val, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "Credential":
			f := strings.Split(val, "/")
			if len(f) != 5 || f[4] != "aws4_request" {
				return nil, fmt.Errorf("malformed Credential")
			}
			a.accessKey, a.date, a.region, a.service = f[0], f[1], f[2], f[3]
		case "SignedHeaders":
			a.signedHeaders = strings.Split(val, ";")
		case "Signature":
			a.signature = val
		}
	}
	if a.accessKey == "" || a.signature == "" || len(a.signedHeaders) == 0 {
		return nil, fmt.Errorf("incomplete Authorization header")
	}
	return a, nil
}

// verify returns the access key id of a correctly signed request.
func (c Config) verify(r *http.Request, body []byte) (string, error) {
	a, err := parseAuth(r.Header.Get("Authorization"))
	if err != nil {
		return "", err
	}
	if a.service != c.Service || a.region != c.Region {
		return "", fmt.Errorf("credential scope %s/%s, want %s/%s", a.region, a.service, c.Region, c.Service)
	}
	t, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
	if err != nil {
		return "", fmt.Errorf("missing or malformed X-Amz-Date")
	}
	if skew := c.Now().Sub(t); skew > c.MaxSkew || skew < -c.MaxSkew {
		return "", fmt.Errorf("signature date is %s away from now", skew.Round(time.Second))
	}
	if t.Format("20060102") != a.date {
		return "", fmt.Errorf("credential date does not match X-Amz-Date")
	}
	if !contains(a.signedHeaders, "host") || !contains(a.signedHeaders, "x-amz-date") {
		return "", fmt.Errorf("host and x-amz-date must be signed")
	}
	creds, ok := c.Credentials(a.accessKey)
	if !ok {
		return "", fmt.Errorf("unknown access key")
	}
	if creds.SessionToken != "" {
		if !contains(a.signedHeaders, "x-amz-security-token") ||
			!hmac.Equal([]byte(r.Header.Get("X-Amz-Security-Token")), []byte(creds.SessionToken)) {
			return "", fmt.Errorf("missing or wrong session token")
		}
	}

	// Sign the request as received again: the signed headers only, the
	// body's own hash (never the X-Amz-Content-Sha256 the client claims).
	u := *r.URL
	u.Scheme, u.Host = "http", r.Host
	again, err := http.NewRequest(r.Method, u.String(), bytes.NewReader(body))
	if err != nil {
		return "", fmt.Errorf("unparsable request")
	}
	again.Host = r.Host
	again.ContentLength = r.ContentLength
	for _, h := range a.signedHeaders {
		if h == "host" || h == "content-length" {
			continue
		}
		if v, ok := r.Header[http.CanonicalHeaderKey(h)]; ok {
			again.Header[http.CanonicalHeaderKey(h)] = v
		}
	}
	sum := sha256.Sum256(body)
	if err := v4.NewSigner().SignHTTP(r.Context(), creds, again, hex.EncodeToString(sum[:]), c.Service, c.Region, t); err != nil {
		return "", fmt.Errorf("cannot sign the request again")
	}
	want, err := parseAuth(again.Header.Get("Authorization"))
	if err != nil {
		return "", err
	}
	if strings.Join(want.signedHeaders, ";") != strings.Join(a.signedHeaders, ";") {
		return "", fmt.Errorf("signed headers do not match the request")
	}
	if !hmac.Equal([]byte(want.signature), []byte(a.signature)) {
		return "", fmt.Errorf("signature does not match")
	}
	return a.accessKey, nil
}

func contains(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}
