package identity

import (
	"context"
	"time"

	"github.com/cogtool/cogtool/internal/cache"
	"github.com/cogtool/cogtool/internal/redact"
)

// Source hands out credentials through the cache.
type Source struct {
	Client *Client
	// Cache is where credentials are kept; nil reads and writes nothing.
	Cache *cache.Cache
	// MinTTL: cached credentials are reused only while they have more than
	// this left.
	MinTTL time.Duration
	// Endpoint names the identity API in the cache key ("" = the SDK's
	// regional endpoint).
	Endpoint string
	Now      func() time.Time
	// Secrets is the run's redaction set, shared: the secret parts of
	// every credentials Get returns (cached or new) are added to it. Nil
	// adds nothing.
	Secrets *redact.Set
}

// Subject says whose credentials a request is for: the user (user pool,
// app client and the ID token's sub), or a guest when User is "".
type Subject struct {
	UserPoolID string
	ClientID   string
	User       string
}

// Key is the cache key of p's credentials for subject.
func (s *Source) Key(p Params, who Subject) cache.Key {
	endpoint := s.Endpoint
	if endpoint == "" {
		region, _ := RegionOf(p.PoolID)
		endpoint = "cognito-identity." + region
	}
	flow, user := "identity-pool-guest", ""
	if who.User != "" {
		flow = "identity-pool"
		user = who.UserPoolID + "/" + who.User
	}
	return cache.Key{Endpoint: endpoint, Pool: p.PoolID, Client: who.ClientID, Flow: flow, Username: user, Role: p.RoleARN}
}

// Get returns credentials for p: cached ones with more than MinTTL left
// (fromCache true), or new ones, reusing the cached identity id.
func (s *Source) Get(ctx context.Context, p Params, who Subject) (cr *Credentials, fromCache bool, err error) {
	key := s.Key(p, who)
	e, fromCache, err := s.Cache.Fetch(ctx, key, s.MinTTL, func(ctx context.Context, stale *cache.Entry) (*cache.Entry, error) {
		q := p
		if stale != nil && stale.AWS != nil && q.IdentityID == "" {
			q.IdentityID = stale.AWS.IdentityID
		}
		cr, err := s.Client.Credentials(ctx, q)
		if err != nil {
			return nil, err
		}
		return &cache.Entry{
			Flow:      key.Flow,
			ClientID:  who.ClientID,
			ExpiresAt: cr.Expiration,
			AWS: &cache.AWSCredentials{
				IdentityID: cr.IdentityID, AccessKeyID: cr.AccessKeyID,
				SecretAccessKey: cr.SecretAccessKey, SessionToken: cr.SessionToken,
			},
			ObtainedAt: s.now().UTC(),
		}, nil
	})
	if err != nil {
		return nil, false, err
	}
	if e.AWS == nil {
		// A token entry under this key cannot happen (the flow names
		// differ); refuse it rather than hand out nothing.
		return nil, false, errNotCredentials
	}
	s.Secrets.Add(e.AWS.SecretAccessKey, e.AWS.SessionToken)
	return &Credentials{
		IdentityID: e.AWS.IdentityID, AccessKeyID: e.AWS.AccessKeyID,
		SecretAccessKey: e.AWS.SecretAccessKey, SessionToken: e.AWS.SessionToken,
		Expiration: e.ExpiresAt,
	}, fromCache, nil
}

func (s *Source) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}
