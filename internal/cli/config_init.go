package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cogtool/cogtool/internal/config"
	"github.com/cogtool/cogtool/internal/doctor"
	"github.com/cogtool/cogtool/internal/exit"
	"github.com/cogtool/cogtool/internal/iostreams"
)

type configInitOptions struct {
	IO     *iostreams.IOStreams
	Output string
	API    func(context.Context) (doctor.DiscoverAPI, error)
	// Ask reads one answer on a terminal; nil when none is attached, and
	// then nothing is asked.
	Ask func(prompt string) (string, error)

	File        *config.File
	Path        string
	Profile     string
	PoolID      string
	ClientID    string
	EndpointURL string // written when given as a flag (an emulator)
	SecretRef   string
	Flow        string
	Force       bool
}

func newConfigInitCmd(f *Factory, runF func(*configInitOptions) error) *cobra.Command {
	opts := &configInitOptions{}
	cmd := &cobra.Command{
		Use:   "init --user-pool-id <id> [--client-id <id>] [--secret-ref {env:NAME | file:PATH}] [--flow <flow>]",
		Short: "Write a profile from what the pool and app client say (region, domain, secret, flow, scopes)",
		Long: `Write a profile from the user pool and app client themselves: the region comes
from the pool id, the hosted domain from the pool, and from the client whether a
secret is needed, the flow (the first the client allows of client-credentials,
password, login, srp; or --flow) and its scopes.

Without --client-id, on a terminal, it lists the pool's app clients to pick one.
When the client has a secret, it asks where cogtool should read it from (env:NAME
or file:PATH) — never the secret itself; --secret-ref answers without asking.
Off a terminal it asks nothing: without --secret-ref the profile gets no
client_secret and it says how to add one. An existing profile is kept unless
--force. Needs AWS credentials (DescribeUserPool, DescribeUserPoolClient,
ListUserPoolClients).`,
		Example:     `  cogtool config init --user-pool-id eu-west-1_AbC123 --client-id 4k2h... --secret-ref env:DEMO_SECRET --profile demo`,
		Args:        argsUsage(cobra.NoArgs),
		Annotations: map[string]string{annotationNewProfile: "1"},
		RunE: func(cmd *cobra.Command, args []string) error {
			s := f.Settings
			if err := s.Need("user-pool-id"); err != nil {
				return err
			}
			if opts.SecretRef != "" {
				if err := config.CheckSecretRef(opts.SecretRef); err != nil {
					return usagef(cmd, "--secret-ref: %v", err)
				}
			}
			if opts.Flow != "" && !slices.Contains(config.Flows, opts.Flow) {
				return usagef(cmd, "--flow %q is not one of %s", opts.Flow, strings.Join(config.Flows, ", "))
			}
			opts.IO, opts.Output = f.IO, f.Output
			opts.File, opts.Path, opts.Profile = s.file, s.ConfigPath, s.Profile
			opts.PoolID, opts.ClientID = s.UserPoolID, s.ClientID
			if fl := cmd.Flag("endpoint-url"); fl != nil && fl.Changed {
				opts.EndpointURL = s.EndpointURL
			}
			opts.API = func(ctx context.Context) (doctor.DiscoverAPI, error) {
				a, err := newAdminClient(ctx, f)
				if err != nil {
					return nil, err
				}
				return a.API(), nil
			}
			if f.IO.CanPrompt() {
				in := bufio.NewReader(io.LimitReader(f.IO.In, 64<<10))
				opts.Ask = func(prompt string) (string, error) {
					f.IO.StopSpinner()
					fmt.Fprint(f.IO.ErrOut, prompt)
					line, err := in.ReadString('\n')
					if err != nil && line == "" {
						return "", exit.Usagef("no answer")
					}
					return strings.TrimSpace(line), nil
				}
			}
			if runF != nil {
				return runF(opts)
			}
			return configInitRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.SecretRef, "secret-ref", "", "where the client secret is read: `env:NAME or file:PATH` (never the secret)")
	cmd.Flags().StringVar(&opts.Flow, "flow", "", "the profile's flow, instead of the first the client allows")
	cmd.Flags().BoolVar(&opts.Force, "force", false, "replace an existing profile")
	return cmd
}

func configInitRun(ctx context.Context, opts *configInitOptions) error {
	if p, ok := opts.File.Profiles[opts.Profile]; ok && !opts.Force && len(opts.File.Map(opts.Profile)) > 0 && p != nil {
		return exit.Usagef("profile %s already exists in %s: add --force to replace it", opts.Profile, opts.Path)
	}
	api, err := opts.API(ctx)
	if err != nil {
		return err
	}
	if opts.ClientID == "" {
		if opts.Ask == nil {
			return exit.Usagef("missing app client id: set --client-id (on a terminal, config init lists the pool's clients)")
		}
		if opts.ClientID, err = pickClient(ctx, api, opts); err != nil {
			return err
		}
	}
	d, err := doctor.Discover(ctx, api, opts.PoolID, opts.ClientID)
	if err != nil {
		return err
	}
	flow := opts.Flow
	if flow == "" && len(d.Flows) > 0 && slices.Contains(config.Flows, d.Flows[0]) {
		flow = d.Flows[0]
	}
	if flow != "" && !slices.Contains(d.Flows, flow) {
		return exit.Usagef("the app client does not allow flow %s (it allows %s); run 'cogtool doctor --flow %s' for the fix", flow, orNone(d.Flows), flow)
	}
	ref := opts.SecretRef
	if d.HasSecret && ref == "" && opts.Ask != nil {
		answer, err := opts.Ask("The app client has a secret. Where should cogtool read it from (env:NAME or file:PATH)? ")
		if err != nil {
			return err
		}
		if err := config.CheckSecretRef(answer); err != nil {
			return exit.Usagef("%w", err)
		}
		ref = answer
	}
	if !d.HasSecret && ref != "" {
		return exit.Usagef("the app client has no secret: drop --secret-ref")
	}

	p := &config.Profile{}
	opts.File.Profiles[opts.Profile] = p
	set := func(k, v string) error {
		if v == "" {
			return nil
		}
		return opts.File.Set(opts.Profile, k, v)
	}
	scopes := ""
	switch flow {
	case "client-credentials":
		var custom []string
		for _, s := range d.Scopes {
			if strings.Contains(s, "/") {
				custom = append(custom, s)
			}
		}
		scopes = strings.Join(custom, " ")
	case "login":
		scopes = strings.Join(d.Scopes, " ")
	}
	for _, kv := range [][2]string{{"user_pool_id", opts.PoolID}, {"client_id", opts.ClientID}, {"client_secret", ref},
		{"domain", d.Domain}, {"endpoint_url", opts.EndpointURL}, {"flow", flow}, {"scopes", scopes}} {
		if err := set(kv[0], kv[1]); err != nil {
			return err
		}
	}
	if err := opts.File.Save(opts.Path); err != nil {
		return err
	}
	if opts.Output == "json" {
		return writeJSON(opts.IO.Out, map[string]any{"profile": opts.Profile, "path": opts.Path,
			"settings": opts.File.Map(opts.Profile), "flows": orEmpty(d.Flows), "secret_needed": d.HasSecret})
	}
	fmt.Fprintf(opts.IO.ErrOut, "wrote profile %s to %s (pool %s, client %s)\n", opts.Profile, opts.Path, d.PoolName, d.ClientName)
	printProfile(opts.IO, opts.File, opts.Profile)
	fmt.Fprintf(opts.IO.ErrOut, "the client allows: %s\n", orNone(d.Flows))
	if d.HasSecret && ref == "" {
		fmt.Fprintf(opts.IO.ErrOut, "the client has a secret: set $COGTOOL_CLIENT_SECRET, or 'cogtool config set client_secret env:NAME --profile %s'\n", opts.Profile)
	}
	if d.Domain == "" && (flow == "client-credentials" || flow == "login") {
		fmt.Fprintf(opts.IO.ErrOut, "the pool has no domain, which flow %s needs: create one, then 'cogtool config set domain PREFIX'\n", flow)
	}
	return nil
}

// pickClient lists the pool's app clients and asks for one.
func pickClient(ctx context.Context, api doctor.DiscoverAPI, opts *configInitOptions) (string, error) {
	list, err := doctor.ListClients(ctx, api, opts.PoolID)
	if err != nil {
		return "", err
	}
	if len(list) == 0 {
		return "", exit.Usagef("pool %s has no app clients", opts.PoolID)
	}
	for i, c := range list {
		fmt.Fprintf(opts.IO.ErrOut, "  %d) %s  %s\n", i+1, c.ID, c.Name)
	}
	answer, err := opts.Ask(fmt.Sprintf("App client [1-%d]: ", len(list)))
	if err != nil {
		return "", err
	}
	n, err := strconv.Atoi(answer)
	if err != nil || n < 1 || n > len(list) {
		return "", exit.Usagef("%q is not one of 1 to %d", answer, len(list))
	}
	return list[n-1].ID, nil
}

func orNone(list []string) string {
	if len(list) == 0 {
		return "none"
	}
	return strings.Join(list, ", ")
}

func orEmpty(list []string) []string {
	if list == nil {
		return []string{}
	}
	return list
}
