package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/decode"
	"github.com/cogtool/cogtool/internal/doctor"
	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/flows"
	"github.com/cogtool/cogtool/internal/httpx"
	"github.com/cogtool/cogtool/internal/iostreams"
)

type doctorOptions struct {
	IO      *iostreams.IOStreams
	Output  string // "text" or "json", resolved
	Profile doctor.Profile
	// API returns the signed user-pool API client.
	API       func(context.Context) (doctor.API, error)
	FetchJWKS func(ctx context.Context, url string) (int, error)

	flow   string
	scopes []string
}

func newDoctorCmd(f *Factory, runF func(*doctorOptions) error) *cobra.Command {
	opts := &doctorOptions{}
	cmd := &cobra.Command{
		Use:   "doctor [--flow <flow>] [--scope <scope>]...",
		Short: "Check the pool, app client and domain against the profile; the fix for each problem",
		Long: `Read the user pool, the app client, the pool's domain and its resource servers
(DescribeUserPool, DescribeUserPoolClient, DescribeUserPoolDomain,
ListResourceServers) and check that the current profile can work with them:

  - the profile's flow is enabled on the client (ALLOW_USER_PASSWORD_AUTH,
    ALLOW_USER_SRP_AUTH, ALLOW_USER_AUTH, ALLOW_REFRESH_TOKEN_AUTH, or the OAuth
    grants client_credentials and code);
  - a secret is configured exactly when the client has one;
  - each scope exists on a resource server and is allowed on the client, and a
    client-credentials client allows at least one custom scope;
  - the login redirect URI is among the client's callback URLs;
  - the domain exists, belongs to the pool and is active;
  - the region agrees with the pool id; the JWKS is reachable.

It also reports, without judging, the issuer form, refresh-token rotation, device
tracking, revocation and token validity. A Describe call the credentials may
not make is a failed check naming the IAM action to grant. It never changes the
pool. -o json prints {"ok":...,"checks":[{"id","status","message","fix"}...]}.
Needs AWS credentials, like the admin commands.`,
		Example: `  cogtool doctor
  cogtool doctor --flow client-credentials --scope api/read -o json`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			s := f.Settings
			if err := s.Need("user-pool-id"); err != nil {
				return err
			}
			secret, err := f.Input().clientSecret()
			if err != nil {
				return err
			}
			flow := s.Flow
			if opts.flow != "" {
				flow = opts.flow
			}
			scopes := s.Scopes
			if len(opts.scopes) > 0 {
				scopes = opts.scopes
			}
			opts.IO, opts.Output = f.IO, f.Output
			opts.Profile = doctor.Profile{Region: s.Region, PoolID: s.UserPoolID, ClientID: s.ClientID,
				HasSecret: secret != "", Flow: flow, Scopes: scopes, Domain: s.Domain,
				RedirectURI: s.RedirectURI, Port: opts.Profile.Port, JWKSURL: s.JWKSURL}
			opts.API = func(ctx context.Context) (doctor.API, error) {
				a, err := newAdminClient(ctx, f)
				if err != nil {
					return nil, err
				}
				return a.API(), nil
			}
			opts.FetchJWKS = func(ctx context.Context, u string) (int, error) { return countJWKS(ctx, f.RetryingHTTPClient(), u) }
			if runF != nil {
				return runF(opts)
			}
			return doctorRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.flow, "flow", "", "check this `flow` instead of the profile's: client-credentials, password, srp, login or otp")
	cmd.Flags().StringArrayVar(&opts.scopes, "scope", nil, "check this `scope` instead of the profile's (repeatable)")
	addStringSetting(cmd.Flags(), "redirect-uri")
	cmd.Flags().IntVar(&opts.Profile.Port, "port", flows.DefaultLoginPort, "the login callback port to check (of http://localhost:<port>/callback)")
	addStringSetting(cmd.Flags(), "domain")
	addStringSetting(cmd.Flags(), "jwks-url")
	return cmd
}

// doctorFailed is the exit code when a check fails: 4, the code the token
// commands give when Cognito refuses the profile for the same reasons.
const doctorFailed = exit.Auth

func doctorRun(ctx context.Context, opts *doctorOptions) error {
	api, err := opts.API(ctx)
	if err != nil {
		return err
	}
	rep, err := doctor.Run(ctx, doctor.Input{Profile: opts.Profile, API: api, FetchJWKS: opts.FetchJWKS})
	if err != nil {
		return err
	}
	if opts.Output == "json" {
		if err := writeJSON(opts.IO.Out, rep); err != nil {
			return err
		}
	} else {
		printDoctor(opts.IO, rep)
	}
	if n := rep.Failed(); n > 0 {
		return exit.New(doctorFailed, "doctor: %d of %d checks failed", n, len(rep.Checks))
	}
	return nil
}

func printDoctor(ios *iostreams.IOStreams, rep *doctor.Report) {
	mark := map[string]string{doctor.Pass: "✓", doctor.Fail: "✗", doctor.Info: "·"}
	color := map[string]string{doctor.Pass: "\x1b[32m", doctor.Fail: "\x1b[31m", doctor.Info: "\x1b[2m"}
	w := ios.Out
	for _, c := range rep.Checks {
		m := mark[c.Status]
		if ios.ColorEnabled() {
			m = color[c.Status] + m + "\x1b[0m"
		}
		fmt.Fprintf(w, "%s %-16s %s\n", m, c.ID, decode.Sanitize(c.Message))
		if c.Fix != "" {
			fmt.Fprintf(w, "  %-16s fix: %s\n", "", decode.Sanitize(c.Fix))
		}
	}
}

// countJWKS fetches a JWKS and counts its keys.
func countJWKS(ctx context.Context, hc *http.Client, u string) (int, error) {
	if _, err := httpx.CheckURL("JWKS URL", u); err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	var set struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&set); err != nil {
		return 0, fmt.Errorf("not a JWKS: %w", err)
	}
	return len(set.Keys), nil
}
