package testpeers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"time"
)

// OAuth2Client is a client the oauth2 peer accepts on client_credentials.
type OAuth2Client struct {
	ID     string   `json:"id"`
	Secret string   `json:"secret"`
	Scopes []string `json:"scopes"`
}

// Defaults of the oauth2 peer.
const (
	DefaultOAuth2PoolID = "us-east-1_ccpeer"
	DefaultCCClientID   = "cc-client"
	DefaultCCSecret     = "cc-secret"
)

// DefaultOAuth2Clients returns the client the oauth2 peer accepts when
// OAuth2Options.Clients is empty: cc-client / cc-secret with the scopes
// api/read and dotnet-demo/dotnet (the seed article's scope).
func DefaultOAuth2Clients() []OAuth2Client {
	return []OAuth2Client{{
		ID:     DefaultCCClientID,
		Secret: DefaultCCSecret,
		Scopes: []string{"api/read", "dotnet-demo/dotnet"},
	}}
}

// OAuth2Options configure the oauth2 peer. Zero values take the defaults.
type OAuth2Options struct {
	PoolID    string         // default DefaultOAuth2PoolID
	Clients   []OAuth2Client // default DefaultOAuth2Clients()
	ExpiresIn time.Duration  // access token lifetime, whole seconds; default 1h
}

// StartOAuth2 runs testdata/peers/oauth2-server.js on a free port of
// 127.0.0.1: POST /oauth2/token serves client_credentials the way Cognito
// does, keys are at /{pool}/.well-known/jwks.json and the issuer is
// http://127.0.0.1:PORT/{pool}. The signing key is new at every start. It is
// ready when GET /test/stats answers.
func StartOAuth2(ctx context.Context, opts OAuth2Options) (*Peer, error) {
	peers, node, err := nodePackage("oauth2-mock-server")
	if err != nil {
		return nil, err
	}
	if opts.PoolID == "" {
		opts.PoolID = DefaultOAuth2PoolID
	}
	if len(opts.Clients) == 0 {
		opts.Clients = DefaultOAuth2Clients()
	}
	if opts.ExpiresIn == 0 {
		opts.ExpiresIn = time.Hour
	}
	secs := int64(opts.ExpiresIn / time.Second)
	if secs < 1 || opts.ExpiresIn%time.Second != 0 {
		return nil, fmt.Errorf("oauth2 peer: expiry %v is not a positive whole number of seconds", opts.ExpiresIn)
	}
	clients, err := json.Marshal(opts.Clients)
	if err != nil {
		return nil, fmt.Errorf("oauth2 peer clients: %w", err)
	}
	p, err := startOnFreePort(ctx, func(port int) (spec, error) {
		return spec{
			name: "oauth2",
			path: node,
			args: []string{filepath.Join(peers, "oauth2-server.js"), strconv.Itoa(port)},
			env: []string{
				"POOL_ID=" + opts.PoolID,
				"CLIENTS=" + string(clients),
				"EXPIRES_IN=" + strconv.FormatInt(secs, 10),
			},
			dir:       peers,
			readyPath: "/test/stats",
		}, nil
	})
	if err != nil {
		return nil, err
	}
	p.PoolID = opts.PoolID
	p.Issuer = p.URL + "/" + opts.PoolID
	p.TokenURL = p.URL + "/oauth2/token"
	p.JWKSURL = p.URL + "/" + opts.PoolID + "/.well-known/jwks.json"
	p.Clients = opts.Clients
	return p, nil
}

// OAuth2Stats counts the oauth2 peer's POST /oauth2/token requests since it
// started.
type OAuth2Stats struct {
	TokenRequests int `json:"token_requests"` // all of them
	TokensIssued  int `json:"tokens_issued"`  // answered 200
	TokensRefused int `json:"tokens_refused"` // answered 400
}

// Stats asks the oauth2 peer for its counters.
func (p *Peer) Stats() (OAuth2Stats, error) {
	var st OAuth2Stats
	if p == nil || p.Name != "oauth2" {
		return st, errors.New("token statistics: only the oauth2 peer counts token requests")
	}
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get(p.URL + "/test/stats")
	if err != nil {
		return st, fmt.Errorf("token statistics: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	if err != nil {
		return st, fmt.Errorf("token statistics: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return st, fmt.Errorf("token statistics: GET /test/stats answered %s", resp.Status)
	}
	if err := json.Unmarshal(body, &st); err != nil {
		return st, fmt.Errorf("token statistics: %w", err)
	}
	return st, nil
}

// TokenRequests returns how many token requests (issued or refused) the
// oauth2 peer has answered since it started.
func (p *Peer) TokenRequests() (int, error) {
	st, err := p.Stats()
	return st.TokenRequests, err
}
