package flows

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/httpx"
)

// OAuthRefresh trades a refresh token at the hosted domain's token
// endpoint (grant_type=refresh_token; developer guide, "The token issuer
// endpoint"). It needs the domain alone: no region and no user-pool API,
// which is how tokens from the hosted-UI login are refreshed. A client
// with a secret authenticates with HTTP Basic; client_id is in the form
// either way, as Cognito's examples send it. now is the clock the expiry is
// computed with (nil: time.Now).
func OAuthRefresh(ctx context.Context, hc *http.Client, tokenURL, clientID, clientSecret, refreshToken string, now func() time.Time) (*Tokens, error) {
	if _, err := httpx.CheckURL("token URL", tokenURL); err != nil {
		return nil, err
	}
	switch {
	case clientID == "":
		return nil, exit.Usagef("client id is not set")
	case refreshToken == "":
		return nil, exit.Usagef("refresh token is not set")
	}
	style := oauth2.AuthStyleInParams
	if clientSecret != "" {
		style = oauth2.AuthStyleInHeader
		if hc == nil {
			hc = http.DefaultClient
		}
		c := *hc
		c.Transport = withFormParam{base: hc.Transport, key: "client_id", value: clientID}
		hc = &c
	}
	cfg := oauth2.Config{ClientID: clientID, ClientSecret: clientSecret,
		Endpoint: oauth2.Endpoint{TokenURL: tokenURL, AuthStyle: style}}
	rec := &oauthRecorder{}
	// An expired token with only a refresh token makes the source refresh.
	tok, err := cfg.TokenSource(rec.context(ctx, hc), &oauth2.Token{RefreshToken: refreshToken, Expiry: time.Unix(1, 0)}).Token()
	if err != nil {
		return nil, oauthTokenError(tokenURL, rec, err)
	}
	t := oauthTokens(tok, now)
	if t.RefreshToken == "" {
		t.RefreshToken = refreshToken
	}
	return t, nil
}

// withFormParam adds one parameter to a form-encoded POST body.
type withFormParam struct {
	base       http.RoundTripper
	key, value string
}

func (w withFormParam) RoundTrip(r *http.Request) (*http.Response, error) {
	base := w.base
	if base == nil {
		base = http.DefaultTransport
	}
	if r.Method != http.MethodPost || r.Body == nil {
		return base.RoundTrip(r)
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
	_ = r.Body.Close()
	if err != nil {
		return nil, err
	}
	v, err := url.ParseQuery(string(b))
	if err != nil {
		return nil, err
	}
	if v.Get(w.key) == "" {
		v.Set(w.key, w.value)
	}
	body := v.Encode()
	r2 := r.Clone(r.Context())
	r2.Body = io.NopCloser(strings.NewReader(body))
	r2.ContentLength = int64(len(body))
	r2.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(body)), nil }
	return base.RoundTrip(r2)
}
