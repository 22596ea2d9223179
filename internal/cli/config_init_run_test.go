package cli

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cogtool/cogtool/internal/config"
	"github.com/cogtool/cogtool/internal/doctor"
	"github.com/cogtool/cogtool/internal/exit"
)

// TestConfigInitRun: config init reads the pool and client through the
// API and writes the profile; on a terminal it offers the clients and
// asks where the secret is read from, on a pipe it asks nothing and
// prints JSON. The golden file keeps the config file it wrote.
func TestConfigInitRunTable(t *testing.T) {
	clients := `{"UserPoolClients":[{"ClientId":"cliclient","UserPoolId":"us-east-1_RunTables","ClientName":"cli"},` +
		`{"ClientId":"runclient","UserPoolId":"us-east-1_RunTables","ClientName":"api"}]}`
	replies := map[string]string{"DescribeUserPool": runPoolReply, "DescribeUserPoolClient": runClientReply, "ListUserPoolClients": clients}
	tests := []struct {
		name     string
		opts     configInitOptions
		answers  string // typed on the terminal; "" = no terminal to ask on
		existing string // the config file before
		tty      bool
	}{
		{name: "picked-on-terminal", answers: "2\nenv:RUN_SECRET\n", tty: true},
		{name: "flags", opts: configInitOptions{ClientID: "runclient", SecretRef: "env:RUN_SECRET"}},
		{name: "flags", opts: configInitOptions{ClientID: "runclient", SecretRef: "env:RUN_SECRET"}, tty: true},
		{name: "no-secret-ref", opts: configInitOptions{ClientID: "runclient"}},
		{name: "no-client-id", opts: configInitOptions{}},
		{name: "flow-not-allowed", opts: configInitOptions{ClientID: "runclient", Flow: "password"}},
		{name: "literal-secret-answer", opts: configInitOptions{ClientID: "runclient"}, answers: "s3cr3t-client-value\n", tty: true},
		{name: "profile-exists", opts: configInitOptions{ClientID: "runclient"}, existing: "[profiles.run]\nregion = \"us-east-1\"\n"},
	}
	for _, tt := range tests {
		name := tt.name + "-" + ttyName(tt.tty)
		t.Run(name, func(t *testing.T) {
			stub := newAPIStub(t, replies)
			r := newRunIO(tt.tty)
			dir := t.TempDir()
			path := filepath.Join(dir, "config.toml")
			if tt.existing != "" {
				if err := os.WriteFile(path, []byte(tt.existing), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			file, err := config.Load(path)
			if err != nil {
				t.Fatal(err)
			}
			opts := tt.opts
			opts.IO, opts.Output, opts.File, opts.Path, opts.Profile, opts.PoolID = r.IO, r.output("json"), file, path, "run", "us-east-1_RunTables"
			opts.API = func(context.Context) (doctor.DiscoverAPI, error) { return testAdminClient(t, stub.URL).API, nil }
			if tt.answers != "" {
				in := bufio.NewReader(strings.NewReader(tt.answers))
				opts.Ask = func(prompt string) (string, error) {
					r.ErrOut.WriteString(prompt)
					line, err := in.ReadString('\n')
					if err != nil {
						return "", exit.Usagef("no answer")
					}
					r.ErrOut.WriteString("\n") // where the terminal echoes the answer
					return strings.TrimSpace(line), nil
				}
			}
			err = configInitRun(t.Context(), &opts)
			b, rerr := os.ReadFile(path)
			if rerr != nil && !os.IsNotExist(rerr) {
				t.Fatal(rerr)
			}
			if strings.Contains(r.Out.String()+r.ErrOut.String()+string(b), runSecret) {
				t.Error("the client secret was printed or written")
			}
			r.record("config.toml", string(b))
			r.record("requests", stub.log())
			r.check(t, "config-init/"+name, err, dir, "$DIR")
		})
	}
}
