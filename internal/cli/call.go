package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/fsutil"
	"github.com/cogtool/cogtool/internal/httpx"
	"github.com/cogtool/cogtool/internal/iostreams"
	"github.com/cogtool/cogtool/internal/redact"
	"github.com/cogtool/cogtool/internal/tokens"
)

// maxBody caps what call reads from -d @FILE or @- and from a response.
const maxBody = 64 << 20

type callOptions struct {
	IO *iostreams.IOStreams
	// HTTPClient is the API's client: plain http goes only to
	// allowHTTPHost, the host --allow-http let through ("" for none).
	HTTPClient func(allowHTTPHost string) *http.Client
	// SigV4HTTPClient is the client of a request signed with --sigv4.
	SigV4HTTPClient func() *http.Client
	// Sources gets the token of the profile's flow (without --token) and
	// the identity-pool credentials (--sigv4).
	Sources *tokenSources
	// AllowHTTPEnv is $COGTOOL_ALLOW_HTTP=1.
	AllowHTTPEnv bool
	// Secrets are the values that the response's status line and headers,
	// and the -v request trace, must not show.
	Secrets *redact.Set
	// BearerToken reads --token (- for stdin) and registers it.
	BearerToken func(v string) (string, error)
	Now         func() time.Time

	Method    string
	URL       string
	Headers   []string
	Data      string
	JSON      bool
	Token     string
	Which     string
	Expect    []string
	Request   string // -X
	AllowHTTP bool
	Include   bool
	Verbose   bool
	NoCache   bool
	MinTTL    time.Duration
	dataSet   bool
	tokenSet  bool
	expect    []statusRange
	auth      flowInput // the password inputs of the profile's flow

	// SigV4 is the service to sign for (--sigv4); sign, when set, signs
	// the request instead of the Bearer token.
	SigV4 string
	AWS   awsFlags
	sign  func(req *http.Request, body []byte) error
}

func newCallCmd(f *Factory, runF func(*callOptions) error) *cobra.Command {
	opts := &callOptions{}
	cmd := &cobra.Command{
		Use:   "call [<method>] <url> [flags]",
		Short: "Call an API with Authorization: Bearer <token>, like curl",
		Long: `Send an HTTP request with Authorization: Bearer <token>. The token is --token
(or --token - for stdin), else one from the profile's flow (client-credentials,
password, srp or login) through the token cache. --which picks the access or ID
token. A 401 answered to a token read from the cache (not fetched in this run)
fetches a new token once and retries the request, unless 401 is an expected
status; no other request is ever retried. A URL without a scheme means https.
Plain http to a host other than loopback needs --allow-http (or
COGTOOL_ALLOW_HTTP=1), which warns each time.

The body goes to stdout (pretty JSON on a terminal); the status line and timing
go to stderr. Exits 0 when the status is expected (default: any 2xx; see
--expect-status), 6 otherwise, 5 when the API cannot be reached.`,
		Example: `  cogtool call https://api.example.com/weatherforecast
  cogtool call POST https://api.example.com/items --json -d '{"name":"x"}'
  cogtool call --token - https://api.example.com/me < token.txt
  cogtool call https://api.example.com/admin --expect-status 403
  cogtool call -X PATCH api.example.com/items/1 --json -d '{"done":true}' --expect-status 2xx`,
		Args: argsUsage(cobra.RangeArgs(1, 2)),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 2 {
				opts.Method, opts.URL = strings.ToUpper(args[0]), args[1]
			} else {
				opts.URL = args[0]
			}
			if x := strings.ToUpper(opts.Request); x != "" {
				if opts.Method != "" && opts.Method != x {
					return usagef(cmd, "method %s and -X %s disagree; give one", opts.Method, x)
				}
				opts.Method = x
			}
			opts.dataSet = cmd.Flags().Changed("data")
			opts.tokenSet = cmd.Flags().Changed("token")
			if opts.Method == "" {
				opts.Method = http.MethodGet
				if opts.dataSet {
					opts.Method = http.MethodPost
				}
			}
			if opts.Which != "access" && opts.Which != "id" {
				return usagef(cmd, "--which must be access or id, not %q", opts.Which)
			}
			for _, s := range opts.Expect {
				r, err := parseExpect(s)
				if err != nil {
					return usagef(cmd, "%v", err)
				}
				opts.expect = append(opts.expect, r...)
			}
			if opts.auth.PasswordStdin && (opts.Token == "-" || opts.Data == "@-") {
				return usagef(cmd, "--password-stdin cannot share stdin with --token - or -d @-")
			}
			opts.IO, opts.HTTPClient, opts.SigV4HTTPClient = f.IO, f.APIHTTPClient, f.OneShotHTTPClient
			opts.Sources, opts.Secrets, opts.BearerToken, opts.Now = f.tokenSources(), f.secrets, f.Input().bearerToken, f.now
			opts.AllowHTTPEnv = f.Getenv != nil && f.Getenv("COGTOOL_ALLOW_HTTP") == "1"
			if runF != nil {
				return runF(opts)
			}
			return callRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVarP(&opts.Headers, "header", "H", nil, "request header `'Name: value'` (repeatable)")
	fl.StringVarP(&opts.Data, "data", "d", "", "request body: `DATA`, @FILE, or @- for stdin")
	fl.BoolVar(&opts.JSON, "json", false, "send and accept application/json")
	fl.StringVar(&opts.Token, "token", "", "bearer `token`, or - to read it from stdin (default: the profile's flow)")
	fl.StringVar(&opts.Which, "which", "access", "token of the flow to send: `access` or id")
	fl.StringArrayVar(&opts.Expect, "expect-status", nil, "expected HTTP `status`: 404, 2xx or 200-299 (repeatable; default 2xx)")
	fl.StringVarP(&opts.Request, "request", "X", "", "HTTP `method` (default GET, or POST with -d)")
	fl.BoolVar(&opts.AllowHTTP, "allow-http", false, "allow plain http to a non-loopback host, e.g. a docker-compose network (or $COGTOOL_ALLOW_HTTP=1)")
	fl.BoolVarP(&opts.Include, "include", "i", false, "print the response headers before the body")
	fl.BoolVarP(&opts.Verbose, "verbose", "v", false, "print the request line and headers to stderr (Authorization redacted)")
	fl.BoolVar(&opts.NoCache, "no-cache", false, "neither read nor write the token cache")
	addDuration(fl, &opts.MinTTL, "min-ttl", 60*time.Second, "reuse a cached token only while it has this much time left")
	addStringSetting(fl, "domain")
	addStringSetting(fl, "token-url")
	addStringSetting(fl, "username")
	fl.StringVar(&opts.SigV4, "sigv4", "", "sign the request with SigV4 for `service` (execute-api, ...) with the identity pool's credentials, instead of a Bearer token")
	opts.AWS.register(cmd, nil, nil)
	// The password inputs of the token commands, for a password or srp flow.
	opts.auth.Answer = newAnswerer(f)
	fl.BoolVar(&opts.auth.PasswordStdin, "password-stdin", false, flagUsage("password-stdin"))
	opts.auth.Answer.register(fl)
	return cmd
}

// parseHeader parses "Name: value".
func parseHeader(h string) (string, string, error) {
	name, value, ok := strings.Cut(h, ":")
	name = strings.TrimSpace(name)
	if !ok || name == "" || strings.ContainsAny(name, " \t\r\n") {
		return "", "", exit.Usagef("header %q: want 'Name: value'", h)
	}
	if strings.ContainsAny(value, "\r\n") {
		return "", "", exit.Usagef("header %q: value holds a line break", name)
	}
	if strings.IndexFunc(name, func(r rune) bool { return !isTokenChar(r) }) >= 0 {
		return "", "", exit.Usagef("header name %q: only letters, digits and !#$%%&'*+-.^_`|~ are allowed", name)
	}
	value = strings.TrimSpace(value)
	if strings.IndexFunc(value, isCTL) >= 0 {
		return "", "", exit.Usagef("header %q: value holds a control character", name)
	}
	return name, value, nil
}

// isTokenChar reports whether r may appear in a header name (RFC 9110 tchar).
func isTokenChar(r rune) bool {
	return r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
		strings.ContainsRune("!#$%&'*+-.^_`|~", r))
}

// isCTL reports the control characters a header value may not hold.
func isCTL(r rune) bool { return r < 0x20 && r != '\t' || r == 0x7f }

// readBody resolves -d DATA, -d @FILE and -d @- (stdin).
func readBody(stdin io.Reader, data string) ([]byte, error) {
	if !strings.HasPrefix(data, "@") {
		return []byte(data), nil
	}
	r := stdin
	if name := data[1:]; name != "-" {
		fh, err := fsutil.Open(name)
		if err != nil {
			return nil, exit.Usagef("read body: %w", err)
		}
		defer fh.Close()
		r = fh
	}
	b, err := readAtMost(r, maxBody, "request body")
	if err != nil {
		return nil, err
	}
	return b, nil
}

func callRun(ctx context.Context, o *callOptions) error {
	u, err := callURL(o)
	if err != nil {
		return err
	}
	hdr := http.Header{}
	for _, h := range o.Headers {
		name, value, err := parseHeader(h)
		if err != nil {
			return err
		}
		hdr.Add(name, value)
	}
	if o.JSON {
		if hdr.Get("Content-Type") == "" {
			hdr.Set("Content-Type", "application/json")
		}
		if hdr.Get("Accept") == "" {
			hdr.Set("Accept", "application/json")
		}
	}
	var body []byte
	if o.dataSet {
		if o.Token == "-" && o.Data == "@-" {
			return exit.Usagef("--token - and -d @- cannot both read stdin")
		}
		if body, err = readBody(o.IO.In, o.Data); err != nil {
			return err
		}
	}
	if o.SigV4 != "" {
		return callSigV4(ctx, o, u, hdr, body)
	}

	// The token: given, or from the profile's flow through the cache.
	var (
		token     string
		fromCache bool
		refetch   func() (string, error)
	)
	switch {
	case o.tokenSet:
		if token, err = o.BearerToken(o.Token); err != nil {
			return err
		}
	default:
		tf := &tokenFlags{Which: o.Which, NoCache: o.NoCache, MinTTL: o.MinTTL}
		in := o.auth
		in.Flow = o.Sources.Settings.Flow
		src, err := o.Sources.forFlow(in, tf)
		if err != nil {
			return err
		}
		r, err := src.Get(ctx)
		if err != nil {
			return err
		}
		if token, err = callToken(r, o.Which); err != nil {
			return err
		}
		fromCache = r.Source == tokens.FromCache
		refetch = func() (string, error) {
			r, err := src.ForceRefetch(ctx)
			if err != nil {
				return "", err
			}
			return callToken(r, o.Which)
		}
	}
	if strings.IndexFunc(token, isCTL) >= 0 {
		return exit.Usagef("the token holds a control character")
	}

	allowHTTPHost := ""
	if u.Scheme == "http" {
		allowHTTPHost = u.Host // callURL allowed it (--allow-http), for this host only
	}
	client := o.HTTPClient(allowHTTPHost)
	resp, elapsed, err := doCall(ctx, client, o, u.String(), hdr, body, token)
	if err != nil {
		return err
	}
	// Only a token read from the cache may be stale; one fetched in this run
	// is as good as it gets, and an expected 401 is what the user asked for.
	if resp.StatusCode == http.StatusUnauthorized && fromCache && refetch != nil && !statusExpected(http.StatusUnauthorized, o.expect) {
		resp.Body.Close()
		fmt.Fprintln(o.IO.ErrOut, "401 with a cached token: fetching a new token and retrying once")
		if token, err = refetch(); err != nil {
			return err
		}
		if resp, elapsed, err = doCall(ctx, client, o, u.String(), hdr, body, token); err != nil {
			return err
		}
	}
	defer resp.Body.Close()
	return printResponse(o, resp, elapsed)
}

func callToken(e *tokens.Result, which string) (string, error) {
	t := e.AccessToken
	if which == "id" {
		t = e.IDToken
	}
	if t == "" {
		return "", exit.Usagef("the flow returned no %s token", which)
	}
	return t, nil
}

func doCall(ctx context.Context, client *http.Client, o *callOptions, url string, hdr http.Header, body []byte, token string) (*http.Response, time.Duration, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, o.Method, url, rd)
	if err != nil {
		return nil, 0, exit.Usagef("request: %w", err)
	}
	req.Header = hdr.Clone()
	if req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", userAgent())
	}
	if o.sign != nil {
		if err := o.sign(req, body); err != nil {
			return nil, 0, err
		}
	} else {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if o.Verbose {
		httpx.WriteRequestHead(o.IO.ErrOut, req, o.Secrets)
	}
	start := time.Now()
	stop := o.IO.StartSpinner(req.Method + " " + req.URL.Host)
	resp, err := client.Do(req)
	stop()
	if err != nil {
		if ctx.Err() != nil && ctx.Err() == context.Canceled {
			return nil, 0, ctx.Err()
		}
		return nil, 0, httpx.Describe("API "+httpx.URLString(req.URL), err)
	}
	return resp, time.Since(start), nil
}

func sortedKeys(h http.Header) []string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func printResponse(o *callOptions, resp *http.Response, elapsed time.Duration) error {
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return httpx.Describe("API "+httpx.URLString(resp.Request.URL), err)
	}
	// The reason phrase and the headers come from the server: one
	// printable line each, and secrets cogtool knows are hidden.
	status := redact.Line(o.Secrets.Redact(resp.Status))
	// With -i the status line is on stdout already: stderr keeps the timing.
	if o.Include {
		fmt.Fprintf(o.IO.ErrOut, "(%s)\n", elapsed.Round(time.Millisecond))
	} else {
		fmt.Fprintf(o.IO.ErrOut, "%s %s (%s)\n", redact.Line(resp.Proto), status, elapsed.Round(time.Millisecond))
	}
	if o.Include {
		fmt.Fprintf(o.IO.Out, "%s %s\n", redact.Line(resp.Proto), status)
		for _, k := range sortedKeys(resp.Header) {
			for _, v := range resp.Header[k] {
				fmt.Fprintf(o.IO.Out, "%s: %s\n", redact.Line(k), redact.Line(o.Secrets.Redact(v)))
			}
		}
		fmt.Fprintln(o.IO.Out)
	}
	if o.IO.IsStdoutTTY() && json.Valid(b) && len(b) > 0 {
		var buf bytes.Buffer
		if json.Indent(&buf, b, "", "  ") == nil {
			b = append(buf.Bytes(), '\n')
		}
	}
	o.IO.Out.Write(b)
	if !statusExpected(resp.StatusCode, o.expect) {
		want := "a 2xx status"
		if len(o.Expect) > 0 {
			want = strings.Join(o.Expect, " or ")
		}
		e := exit.New(exit.Status, "%s %s answered %s, expected %s", o.Method, httpx.URLString(resp.Request.URL), status, want)
		e.HTTPStatus = resp.StatusCode
		return e
	}
	return nil
}

// statusRange is an inclusive range of HTTP statuses.
type statusRange struct{ lo, hi int }

// parseExpect parses an --expect-status value: 404, 2xx, 200-299, or a
// comma-separated list of those.
func parseExpect(v string) ([]statusRange, error) {
	var out []statusRange
	for _, part := range strings.Split(v, ",") {
		p := strings.ToLower(strings.TrimSpace(part))
		var r statusRange
		var err1, err2 error
		switch {
		case len(p) == 3 && p[1:] == "xx" && p[0] >= '1' && p[0] <= '5':
			r.lo = int(p[0]-'0') * 100
			r.hi = r.lo + 99
		case strings.Contains(p, "-"):
			a, b, _ := strings.Cut(p, "-")
			r.lo, err1 = strconv.Atoi(a)
			r.hi, err2 = strconv.Atoi(b)
		default:
			r.lo, err1 = strconv.Atoi(p)
			r.hi = r.lo
		}
		if err1 != nil || err2 != nil || r.lo < 100 || r.hi > 599 || r.lo > r.hi {
			return nil, fmt.Errorf("--expect-status %s is not an HTTP status (want e.g. 404, 2xx or 200-299)", v)
		}
		out = append(out, r)
	}
	return out, nil
}

func statusExpected(code int, expect []statusRange) bool {
	if len(expect) == 0 {
		return code >= 200 && code < 300
	}
	return slices.ContainsFunc(expect, func(r statusRange) bool { return code >= r.lo && code <= r.hi })
}

// callURL checks the API URL: a URL without a scheme means https, and plain
// http to a non-loopback host needs --allow-http or $COGTOOL_ALLOW_HTTP=1
// (never a profile key: a config file must not lower the guard unseen).
func callURL(o *callOptions) (*url.URL, error) {
	raw := o.URL
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := httpx.CheckURL("URL", raw)
	if err == nil {
		return u, nil
	}
	allow := o.AllowHTTP || o.AllowHTTPEnv
	if u2, perr := url.Parse(raw); allow && perr == nil && u2.Scheme == "http" && u2.Host != "" {
		warn(o.IO, fmt.Sprintf("warning: sending the token to %s over plain http (--allow-http)", u2.Host))
		return u2, nil
	}
	return nil, err
}
