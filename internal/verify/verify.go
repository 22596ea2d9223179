// Package verify checks Amazon Cognito JWTs the way awslabs/aws-jwt-verify
// does, and stricter where it is cheap: an RS256 signature by a key chosen
// by kid from the pool's JWKS, then exp/nbf/iat, iss, token_use, client,
// scope and group rules.
//
// Trust comes only from the configured JWKS: the alg allow-list is RS256
// alone, the jku, x5u and jwk headers are never read, a crit header is a
// rejection, and the JWKS is never fetched over plain http except to a
// loopback address. The package knows nothing of flags or terminals.
//
// Errors: every rejection is an *exit.Error with code exit.Rejected (3)
// whose message is the reason ("expired 5m ago", "issuer mismatch: got X,
// want Y"); input that is not a JWT is exit.Usage (2); no JWKS to be had
// is exit.Network (5).
//
// Header and claims are decoded with encoding/json/v2: names match
// exactly ("EXP" is not "exp", so no later key can stand in for a claim),
// a name given twice is a rejection, and invalid UTF-8 is not a JWT.
package verify

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/json"
	"encoding/json/jsontext"
	jsonv2 "encoding/json/v2"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cogtool/cogtool/internal/decode"
	"github.com/cogtool/cogtool/internal/exit"
)

// Options are the claim rules. Issuers is required.
type Options struct {
	// Issuers are the accepted iss values (CognitoIssuers gives both forms
	// of a pool's). A token from any other issuer is rejected before its
	// key is looked up.
	Issuers []string
	// TokenUse is "access", "id" or "any" (also ""): the token_use claim
	// must be that, or with "any" either access or id.
	TokenUse string
	// ClientIDs, when set, must contain the token's client_id (access
	// tokens) or one of its aud values (ID tokens).
	ClientIDs []string
	// Scopes must all be in the space-separated scope claim.
	Scopes []string
	// Groups: at least one must be in cognito:groups.
	Groups []string
	// Leeway allows for clock skew in exp, nbf and iat.
	Leeway time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Result is what verify reports for one token, as JSON. Header and Claims
// are the token's own bytes (claim order kept); they are filled whenever
// the token could be decoded, even when it was rejected.
type Result struct {
	Valid     bool            `json:"valid"`
	Reason    string          `json:"reason,omitempty"`
	TokenUse  string          `json:"token_use,omitempty"`
	Encrypted bool            `json:"encrypted,omitempty"`
	Header    json.RawMessage `json:"header,omitempty"`
	Claims    json.RawMessage `json:"claims,omitempty"`
}

// Verifier checks tokens against a key source and fixed rules. It is safe
// for concurrent use.
type Verifier struct {
	keys      map[string]KeySource // by accepted issuer
	issuers   []string
	tokenUse  string
	clientIDs []string
	scopes    []string
	groups    []string
	leeway    time.Duration
	now       func() time.Time
}

// New returns a Verifier that takes the keys of every accepted issuer
// from keys (a JWKS file, or one JWKS URL). Bad options are usage errors
// (exit 2).
func New(keys KeySource, opts Options) (*Verifier, error) {
	if keys == nil {
		return nil, exit.New(exit.Unexpected, "verify: no key source")
	}
	byIssuer := make(map[string]KeySource, len(opts.Issuers))
	for _, iss := range opts.Issuers {
		byIssuer[iss] = keys
	}
	return NewByIssuer(byIssuer, opts)
}

// NewByIssuer returns a Verifier whose keys follow the token's issuer:
// keys[iss] for each accepted issuer (the JWKS at that issuer's URL).
func NewByIssuer(keys map[string]KeySource, opts Options) (*Verifier, error) {
	if len(opts.Issuers) == 0 {
		return nil, exit.Usagef("no issuer given")
	}
	for _, iss := range opts.Issuers {
		if iss == "" {
			return nil, exit.Usagef("empty issuer")
		}
		if keys[iss] == nil {
			return nil, exit.New(exit.Unexpected, "verify: no key source for issuer %s", iss)
		}
	}
	use := opts.TokenUse
	switch use {
	case "":
		use = "any"
	case "access", "id", "any":
	default:
		return nil, exit.Usagef("token use %q: want access, id or any", use)
	}
	if opts.Leeway < 0 {
		return nil, exit.Usagef("leeway %s is negative", opts.Leeway)
	}
	for _, l := range []struct {
		what string
		list []string
	}{{"client id", opts.ClientIDs}, {"scope", opts.Scopes}, {"group", opts.Groups}} {
		if slices.Contains(l.list, "") {
			return nil, exit.Usagef("empty %s", l.what)
		}
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	return &Verifier{
		keys:      keys,
		issuers:   slices.Clone(opts.Issuers),
		tokenUse:  use,
		clientIDs: slices.Clone(opts.ClientIDs),
		scopes:    slices.Clone(opts.Scopes),
		groups:    slices.Clone(opts.Groups),
		leeway:    opts.Leeway,
		now:       now,
	}, nil
}

// header holds the only header fields that matter. jku, x5u and jwk are
// deliberately absent: a token does not get to choose its own key.
type header struct {
	Alg  string         `json:"alg"`
	Kid  string         `json:"kid"`
	Crit jsontext.Value `json:"crit"`
}

type claims struct {
	Iss      *string  `json:"iss"`
	Exp      *float64 `json:"exp"`
	Nbf      *float64 `json:"nbf"`
	Iat      *float64 `json:"iat"`
	TokenUse string   `json:"token_use"`
	ClientID *string  `json:"client_id"`
	Aud      audience `json:"aud"`
	Scope    string   `json:"scope"`
	Groups   []string `json:"cognito:groups"`
}

// audience is the aud claim: a string (Cognito) or an array of strings.
type audience []string

func (a *audience) UnmarshalJSON(b []byte) error {
	errAud := errors.New("aud is not a string or an array of strings")
	switch {
	case string(b) == "null":
		return nil
	case len(b) > 0 && b[0] == '[':
		var list []string
		if err := jsonv2.Unmarshal(b, &list); err != nil {
			return errAud
		}
		*a = list
		return nil
	}
	var s string
	if err := jsonv2.Unmarshal(b, &s); err != nil {
		return errAud
	}
	*a = audience{s}
	return nil
}

// Verify checks one token (bare, "Bearer x" or "Authorization: Bearer x").
// The Result is always non-nil; err is nil exactly when Result.Valid.
func (v *Verifier) Verify(ctx context.Context, raw string) (*Result, error) {
	res := &Result{}
	var sc scratch
	return res, v.verify(ctx, raw, &sc, res)
}

// scratch is the memory verify works in for one token: a batch worker
// keeps one and lends it to token after token, so that verifying does not
// allocate what the last token already had. What verify leaves in the
// Result (Header, Claims) points into parts, and is only good until the
// scratch is lent again.
type scratch struct {
	tok    decode.Token
	parts  []byte // the decoded header, claims and signature
	input  []byte // the signing input, copied once to be hashed
	header header
	claims claims
}

// verify is Verify into res, with sc's memory.
func (v *Verifier) verify(ctx context.Context, raw string, sc *scratch, res *Result) error {
	s, err := decode.Normalize(raw)
	if err != nil {
		return res.fail(err)
	}
	tok := &sc.tok
	if sc.parts, err = tok.SplitInto(s, sc.parts); err != nil {
		return res.fail(err)
	}
	h := &sc.header
	*h = header{}
	if err := unmarshalObject("header", tok.Header, h); err != nil {
		return res.fail(err)
	}
	res.Header = tok.Header
	if tok.Encrypted {
		res.Encrypted = true
		return res.fail(rejectf("encrypted token (JWE), e.g. a Cognito refresh token: it cannot be verified; verify an access or ID token"))
	}
	c := &sc.claims
	*c = claims{}
	claimsErr := unmarshalObject("payload", tok.Claims, c)
	if exit.CodeOf(claimsErr) == exit.Usage {
		return res.fail(claimsErr)
	}
	res.Claims = tok.Claims
	res.TokenUse = c.TokenUse

	// The issuer decides which keys can sign: a token from another pool is
	// told so before its kid is looked up (where it would only be
	// "unknown"). Rejecting on unverified claims widens no trust.
	iss := c.Iss
	if claimsErr != nil { // some claim did not decode: read iss alone
		var only struct {
			Iss *string `json:"iss"`
		}
		if err := unmarshalObject("payload", tok.Claims, &only); err != nil {
			return res.fail(err)
		}
		iss = only.Iss
	}
	keys, err := v.keysFor(iss)
	if err != nil {
		return res.fail(err)
	}

	if len(h.Crit) > 0 {
		return res.fail(rejectf("crit header present: no critical extensions are supported"))
	}
	if h.Alg != "RS256" {
		if h.Alg == "" {
			return res.fail(rejectf("missing alg"))
		}
		return res.fail(rejectf("alg %s not allowed: only RS256", quote(h.Alg)))
	}
	if h.Kid == "" {
		return res.fail(rejectf("missing kid"))
	}
	key, err := keys.Key(ctx, h.Kid)
	if err != nil {
		return res.fail(err)
	}
	if len(tok.Signature) == 0 {
		return res.fail(rejectf("missing signature"))
	}
	if len(tok.Signature) != key.Size() {
		return res.fail(rejectf("bad signature: %d bytes, want %d", len(tok.Signature), key.Size()))
	}
	// Hashing the string would copy it to the heap anyway (the hash's
	// assembly may not be proven read-only); the scratch copy is reused.
	sc.input = append(sc.input[:0], tok.SigningInput...)
	digest := sha256.Sum256(sc.input)
	if rsa.VerifyPKCS1v15(key, crypto.SHA256, digest[:], tok.Signature) != nil {
		return res.fail(rejectf("bad signature"))
	}
	if claimsErr != nil {
		return res.fail(claimsErr)
	}
	if err := v.checkClaims(c); err != nil {
		return res.fail(err)
	}
	res.Valid = true
	return nil
}

func (r *Result) fail(err error) error {
	r.Valid = false
	r.Reason = err.Error()
	return err
}

// unmarshalObject decodes a header or payload, matching names exactly.
// Bytes that are not a JSON object are unreadable input (exit 2); a name
// given twice, or a claim of the wrong type in a well-formed object, is a
// rejection (exit 3).
func unmarshalObject(part string, b []byte, dst any) error {
	if !isObject(b) {
		return exit.Usagef("not a JWT: %s is not a JSON object", part)
	}
	err := jsonv2.Unmarshal(b, dst)
	if err == nil {
		return nil // Unmarshal read the whole object: its syntax is good
	}
	// Syntax first: jsonv2 may report a field of the wrong type before it
	// reaches a syntax error further on, and bytes that are not JSON must
	// never be handed on as a Result's raw header or claims.
	if !json.Valid(b) {
		return exit.Usagef("not a JWT: bad JSON in %s", part)
	}
	if errors.Is(err, jsontext.ErrDuplicateName) {
		var se *jsontext.SyntacticError
		errors.As(err, &se)
		return rejectf("bad %s: field %s given twice", part, quote(pointerField(se.JSONPointer)))
	}
	var se *jsonv2.SemanticError
	if errors.As(err, &se) {
		field := quote(pointerField(se.JSONPointer))
		if se.Err != nil { // out of range, or a field's own decoder refused it (aud)
			return rejectf("bad %s field %s: %s", part, field, decode.Sanitize(se.Err.Error()))
		}
		want := "string"
		if se.GoType != nil {
			want = jsonKind(se.GoType.String())
		}
		return rejectf("bad %s field %s: JSON %s, want %s", part, field, kindName(se.JSONKind), want)
	}
	return exit.Usagef("not a JWT: bad JSON in %s: %s", part, decode.Sanitize(err.Error()))
}

// pointerField is the top-level name in a JSON pointer ("/cognito:groups/0").
func pointerField(p jsontext.Pointer) string {
	for name := range p.Tokens() {
		return name
	}
	return ""
}

func kindName(k jsontext.Kind) string {
	switch k {
	case '"':
		return "string"
	case '0':
		return "number"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	case '{':
		return "object"
	case '[':
		return "array"
	}
	return "value"
}

func jsonKind(goType string) string {
	switch {
	case strings.Contains(goType, "float"):
		return "number"
	case strings.Contains(goType, "[]"):
		return "array of strings"
	default:
		return "string"
	}
}

func isObject(b []byte) bool { return decode.IsObject(b) }

func (v *Verifier) checkClaims(c *claims) error {
	now := v.now()
	if c.Exp == nil {
		return rejectf("missing exp")
	}
	if exp := numericDate(*c.Exp); !now.Before(exp.Add(v.leeway)) {
		return rejectf("expired %s", decode.Relative(exp.Sub(now)))
	}
	if c.Nbf != nil {
		if nbf := numericDate(*c.Nbf); now.Add(v.leeway).Before(nbf) {
			return rejectf("not valid yet: nbf %s", decode.Relative(nbf.Sub(now)))
		}
	}
	if c.Iat != nil {
		if iat := numericDate(*c.Iat); now.Add(v.leeway).Before(iat) {
			return rejectf("issued in the future: iat %s", decode.Relative(iat.Sub(now)))
		}
	}
	switch {
	case c.TokenUse == "":
		return rejectf("missing token_use, want %s", v.wantUse())
	case v.tokenUse == "any" && c.TokenUse != "access" && c.TokenUse != "id":
		return rejectf("token_use mismatch: got %s, want access or id", clean(c.TokenUse))
	case v.tokenUse != "any" && c.TokenUse != v.tokenUse:
		return rejectf("token_use mismatch: got %s, want %s", clean(c.TokenUse), v.tokenUse)
	}
	if len(v.clientIDs) > 0 {
		if c.TokenUse == "id" {
			if len(c.Aud) == 0 {
				return rejectf("missing aud, want %s", oneOf(v.clientIDs))
			}
			if !slices.ContainsFunc(c.Aud, func(a string) bool { return slices.Contains(v.clientIDs, a) }) {
				return rejectf("aud mismatch: got %s, want %s", clean(strings.Join(c.Aud, ", ")), oneOf(v.clientIDs))
			}
		} else {
			if c.ClientID == nil {
				return rejectf("missing client_id, want %s", oneOf(v.clientIDs))
			}
			if !slices.Contains(v.clientIDs, *c.ClientID) {
				return rejectf("client_id mismatch: got %s, want %s", clean(*c.ClientID), oneOf(v.clientIDs))
			}
		}
	}
	if len(v.scopes) > 0 {
		have := strings.Fields(c.Scope)
		for _, s := range v.scopes {
			if !slices.Contains(have, s) {
				if c.TokenUse == "id" {
					return rejectf("missing scope %s: an id token carries no scopes, use the access token", s)
				}
				return rejectf("missing scope %s", s)
			}
		}
	}
	if len(v.groups) > 0 {
		if len(c.Groups) == 0 {
			return rejectf("missing cognito:groups, want %s", oneOf(v.groups))
		}
		if !slices.ContainsFunc(c.Groups, func(g string) bool { return slices.Contains(v.groups, g) }) {
			return rejectf("group mismatch: got %s, want %s", clean(strings.Join(c.Groups, ", ")), oneOf(v.groups))
		}
	}
	return nil
}

func (v *Verifier) wantUse() string {
	if v.tokenUse == "any" {
		return "access or id"
	}
	return v.tokenUse
}

func oneOf(list []string) string {
	if len(list) == 1 {
		return list[0]
	}
	return "one of " + strings.Join(list, ", ")
}

// numericDate turns JWT seconds into a time, clamped to years 1..9999 so
// absurd values neither overflow nor wrap.
func numericDate(f float64) time.Time {
	f = math.Max(-62135596800, math.Min(f, 253402300799))
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9))
}

func rejectf(format string, args ...any) error {
	return &exit.Error{Code: exit.Rejected, Err: fmt.Errorf(format, args...)}
}

// quote prints an untrusted header value (read before the signature is
// checked): quoted, escaped, and cut to 64 bytes.
func quote(s string) string {
	if len(s) > 64 {
		return strconv.Quote(s[:64]) + "..."
	}
	return strconv.Quote(s)
}

// clean keeps a claim value on one line and free of terminal escapes, and
// caps its length.
func clean(s string) string {
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return decode.Sanitize(s)
}

// DefaultJWKSURL is the JWKS URL Cognito serves for an issuer.
func DefaultJWKSURL(issuer string) string {
	return strings.TrimRight(issuer, "/") + "/.well-known/jwks.json"
}

// keysFor returns the key source of an accepted issuer, or the rejection
// of a token from any other: "issuer mismatch: token from X, want Y".
func (v *Verifier) keysFor(iss *string) (KeySource, error) {
	if iss == nil {
		return nil, rejectf("missing iss, want %s", orList(v.issuers))
	}
	if keys, ok := v.keys[*iss]; ok {
		return keys, nil
	}
	return nil, rejectf("issuer mismatch: token from %s, want %s%s", clean(*iss), orList(v.issuers), v.mismatchHint(*iss))
}

// mismatchHint guesses why a Cognito issuer was not accepted.
func (v *Verifier) mismatchHint(iss string) string {
	pool, ok := cognitoPool(iss)
	if !ok {
		return ""
	}
	for _, want := range v.issuers {
		if p, ok := cognitoPool(want); ok && p == pool {
			return " — the pool's other issuer format; accept it with --issuer " + clean(iss)
		}
	}
	return " — another pool?"
}

func orList(list []string) string {
	if len(list) <= 2 {
		return strings.Join(list, " or ")
	}
	return "one of " + strings.Join(list, ", ")
}

// Cognito issues tokens under either of two issuer forms for a pool (the
// pool's IssuerConfiguration picks which): the original
// https://cognito-idp.{region}.amazonaws.com/{pool} and the updated
// https://issuer-cognito-idp.{region}.amazonaws.com/{pool}.
const (
	cognitoIssuerHost        = "cognito-idp."
	cognitoUpdatedIssuerHost = "issuer-cognito-idp."
)

// CognitoIssuers returns both issuer forms of a user pool in region, the
// original first. The region of a pool id is cognito.PoolRegion's to say.
func CognitoIssuers(region, pool string) []string {
	suffix := region + ".amazonaws.com/" + pool
	return []string{"https://" + cognitoIssuerHost + suffix, "https://" + cognitoUpdatedIssuerHost + suffix}
}

// cognitoPool returns the pool id of an issuer of either Cognito form.
func cognitoPool(iss string) (string, bool) {
	rest, ok := strings.CutPrefix(iss, "https://")
	if !ok {
		return "", false
	}
	if r, ok := strings.CutPrefix(rest, cognitoUpdatedIssuerHost); ok {
		rest = r
	} else if r, ok := strings.CutPrefix(rest, cognitoIssuerHost); ok {
		rest = r
	} else {
		return "", false
	}
	host, pool, ok := strings.Cut(rest, "/")
	region, ok2 := strings.CutSuffix(host, ".amazonaws.com")
	if !ok || !ok2 || region == "" || pool == "" || strings.Contains(pool, "/") {
		return "", false
	}
	return pool, true
}
