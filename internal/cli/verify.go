package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/config"
	"github.com/cogtool/cogtool/internal/decode"
	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/iostreams"
	"github.com/cogtool/cogtool/internal/verify"
)

type verifyOptions struct {
	IO       *iostreams.IOStreams
	Output   string // text or json
	Settings *Settings
	// Now is the clock of the checks; nil means time.Now.
	Now func() time.Time
	// HTTPClient fetches a JWKS; CacheDir is where it is kept between
	// runs ("": in memory only).
	HTTPClient func() *http.Client
	CacheDir   func() string
	// ReadToken reads the token argument, or stdin, and registers it.
	ReadToken func(args []string) (string, error)

	Args      []string
	TokenUse  string
	ClientIDs []string
	Scopes    []string
	Groups    []string
	Leeway    time.Duration
	JWKSFile  string
	Batch     bool
}

func newVerifyCmd(f *Factory, runF func(*verifyOptions) error) *cobra.Command {
	opts := &verifyOptions{}
	cmd := &cobra.Command{
		Use:   "verify [<token> | -] [flags]",
		Short: "Verify a token's signature and claims against the user pool's keys",
		Long: `Verify a token offline against the user pool's JWKS and Cognito's claim rules:
iss must be an accepted issuer (checked first), RS256 only, key by kid, exp
required, nbf and iat not in the future (--leeway for clock skew), token_use,
client (client_id for access tokens, aud for ID tokens), all --scope values,
any --group. Claim names match exactly; a name given twice is a rejection.

With --user-pool-id both of Cognito's issuer forms are accepted,
https://cognito-idp.{region}.amazonaws.com/{pool} and the updated
https://issuer-cognito-idp.{region}.amazonaws.com/{pool}; --issuer (repeatable)
accepts exactly the ones given. The JWKS comes from the token's issuer
({issuer}/.well-known/jwks.json) unless --jwks-url or --jwks-file is given.
It is fetched over https (plain http only to loopback) and cached on disk; an
unknown kid refetches it at most once per 10s. RSA keys under 2048 bits are
refused. --jwks-file uses a saved JWKS ('cogtool jwks > jwks.json') with no
network at all.

--batch reads one token a line from stdin and prints one JSON object a line, in
input order, using every core.`,
		Example: `  cogtool verify --user-pool-id us-east-1_AbC123 --client-id 4k2h... "$TOKEN"
  cogtool verify --jwks-file jwks.json --issuer https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123 - < token
  cogtool verify --batch --jwks-file jwks.json --issuer ... < tokens.txt`,
		Args: argsUsage(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Args = args
			if opts.Batch && len(args) == 1 && args[0] != "-" {
				return usagef(cmd, "--batch reads tokens from stdin; give no token argument")
			}
			opts.IO, opts.Output, opts.Settings, opts.Now = f.IO, f.Output, f.Settings, f.Now
			opts.HTTPClient, opts.CacheDir, opts.ReadToken = f.RetryingHTTPClient, f.cacheDir, f.Input().readTokenArg
			if runF != nil {
				return runF(opts)
			}
			return verifyRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.TokenUse, "token-use", "any", "accept `access`, id or any token")
	fl.StringArrayVar(&opts.ClientIDs, "client-id", nil, "accepted app client id (repeatable; default: --client-id setting if any)")
	fl.StringArrayVar(&opts.Scopes, "scope", nil, "required scopes, separated by white space (repeatable, all required; access tokens)")
	fl.StringArrayVar(&opts.Groups, "group", nil, "accepted group in cognito:groups (repeatable, any of)")
	addDuration(fl, &opts.Leeway, "leeway", 0, "allowed clock skew for exp, nbf and iat")
	fl.StringVar(&opts.JWKSFile, "jwks-file", "", "verify with the JWKS in `file`, no network")
	fl.BoolVar(&opts.Batch, "batch", false, "read one token a line from stdin, print JSON Lines")
	fl.StringArray("issuer", nil, flagUsage("issuer"))
	addStringSetting(fl, "jwks-url")
	return cmd
}

// keySources returns the keys of each accepted issuer: --jwks-file for
// all, or each issuer's JWKS URL (one --jwks-url for all) with its disk
// cache.
func keySources(o *verifyOptions, issuers []string) (map[string]verify.KeySource, error) {
	jwksFile := o.JWKSFile
	keys := make(map[string]verify.KeySource, len(issuers))
	if jwksFile != "" {
		set, err := verify.LoadKeySetFile(jwksFile)
		if err != nil {
			return nil, err
		}
		for _, iss := range issuers {
			keys[iss] = set
		}
		return keys, nil
	}
	if err := o.Settings.Need("jwks-url"); err != nil {
		return nil, exit.Usagef("no JWKS: set --user-pool-id (and region), --jwks-url, or --jwks-file")
	}
	// No cache directory: the JWKS is kept in memory for this run.
	dir := o.CacheDir()
	byURL := map[string]verify.KeySource{}
	for _, iss := range issuers {
		u := o.Settings.JWKSURLFor(iss)
		if byURL[u] == nil {
			r, err := verify.NewRemote(u, o.HTTPClient(), dir)
			if err != nil {
				return nil, err
			}
			r.Warn = func(msg string) { warn(o.IO, "warning: "+msg) }
			byURL[u] = r
		}
		keys[iss] = byURL[u]
	}
	return keys, nil
}

func verifyRun(ctx context.Context, o *verifyOptions) error {
	s := o.Settings
	if len(s.Issuers) == 0 {
		return exit.Usagef("missing issuer: set --issuer or --user-pool-id (with a region)")
	}
	clients := o.ClientIDs
	if len(clients) == 0 && s.ClientID != "" {
		clients = []string{s.ClientID}
	}
	scopes, err := config.SplitScopes("--scope", o.Scopes...)
	if err != nil {
		return err
	}
	keys, err := keySources(o, s.Issuers)
	if err != nil {
		return err
	}
	v, err := verify.NewByIssuer(keys, verify.Options{Issuers: s.Issuers, TokenUse: o.TokenUse, ClientIDs: clients,
		Scopes: scopes, Groups: o.Groups, Leeway: o.Leeway, Now: o.Now})
	if err != nil {
		return err
	}
	if o.Batch {
		if o.IO.IsStdinTTY() {
			return exit.Usagef("--batch reads tokens from stdin; pipe them in")
		}
		if os.Getenv("GOGC") == "" { // the runtime's own setting, so the real environment
			defer debug.SetGCPercent(debug.SetGCPercent(verify.BatchGCPercent))
		}
		n, err := v.VerifyBatch(ctx, o.IO.In, o.IO.Out, 0)
		if err != nil {
			return err
		}
		if n == 1 {
			return exit.Rejectedf("1 line rejected")
		}
		if n > 0 {
			return exit.Rejectedf("%d lines rejected", n)
		}
		return nil
	}
	raw, err := o.ReadToken(o.Args)
	if err != nil {
		return err
	}
	res, verr := v.Verify(ctx, raw)
	if res != nil && (verr == nil || exit.CodeOf(verr) == exit.Rejected) {
		printVerifyResult(o, res)
	}
	if verr != nil {
		if exit.CodeOf(verr) == exit.Rejected {
			return exit.Rejectedf("token rejected: %s", res.Reason)
		}
		return verr
	}
	return nil
}

func printVerifyResult(o *verifyOptions, r *verify.Result) {
	w := o.IO.Out
	if o.Output == "json" {
		b, _ := json.Marshal(r)
		fmt.Fprintln(w, string(b))
		return
	}
	if !r.Valid {
		// On a terminal the error line on stderr already says why; a
		// second copy on stdout would show the rejection twice.
		if !o.IO.IsStdoutTTY() {
			fmt.Fprintf(w, "INVALID: %s\n", r.Reason)
		}
		return
	}
	c := summaryClaimsOf(r.Claims)
	fmt.Fprintf(w, "valid %s token", r.TokenUse)
	if who := c.subject(); who != "" {
		fmt.Fprintf(w, " for %s", decode.Sanitize(who))
	}
	if c.Exp > 0 {
		now := time.Now()
		if o.Now != nil {
			now = o.Now()
		}
		fmt.Fprintf(w, ", expires %s", decode.Relative(time.Unix(c.Exp, 0).Sub(now)))
	}
	fmt.Fprintln(w)
	if c.Scope != "" {
		fmt.Fprintf(w, "scopes: %s\n", strings.Join(strings.Fields(decode.Sanitize(c.Scope)), ", "))
	}
}

// summaryClaims are the claims a summary of a token shows.
type summaryClaims struct {
	Sub      string `json:"sub"`
	Username string `json:"username"`
	CogUser  string `json:"cognito:username"` // ID tokens
	ClientID string `json:"client_id"`
	Scope    string `json:"scope"`
	Exp      int64  `json:"exp"`
}

// summaryClaimsOf reads the summary claims of a claims object; what is
// not there, or not of its type, stays empty.
func summaryClaimsOf(claims []byte) summaryClaims {
	var c summaryClaims
	_ = json.Unmarshal(claims, &c)
	return c
}

// subject names whom the token is for: the user's name, else the subject.
func (c summaryClaims) subject() string { return firstNonEmpty(c.Username, c.CogUser, c.Sub) }
