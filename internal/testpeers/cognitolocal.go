package testpeers

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// CognitoLocalCode is the confirmation code cognito-local accepts (its CODE
// variable): sign-up confirmation, forgot-password and the like.
const CognitoLocalCode = "123456"

// StartCognitoLocal runs cognito-local 5.3.0 from testdata/peers/node_modules
// on a free port of 127.0.0.1, with dir as its working folder: its state
// lives in dir/.cognito and is kept across restarts. An empty dir means a
// fresh temporary folder that Stop removes. The package writes
// dir/.cognito/config.json so that usernames are plain (not emails) and the
// tokens' iss is the peer's own URL. It is ready when GET /health answers.
func StartCognitoLocal(ctx context.Context, dir string) (*Peer, error) {
	peers, node, err := nodePackage("cognito-local")
	if err != nil {
		return nil, err
	}
	var cleanup func()
	if dir == "" {
		tmp, err := os.MkdirTemp("", "cognito-local-")
		if err != nil {
			return nil, fmt.Errorf("cognito-local state folder: %w", err)
		}
		dir = tmp
		cleanup = func() { _ = os.RemoveAll(tmp) }
	} else if dir, err = filepath.Abs(dir); err != nil {
		return nil, fmt.Errorf("cognito-local state folder: %w", err)
	}
	script := filepath.Join(peers, "node_modules", "cognito-local", "lib", "bin", "start.js")
	p, err := startOnFreePort(ctx, func(port int) (spec, error) {
		if err := writeCognitoLocalConfig(dir, port); err != nil {
			return spec{}, err
		}
		return spec{
			name: "cognito-local",
			path: node,
			args: []string{script},
			env: []string{
				"HOST=127.0.0.1",
				"PORT=" + strconv.Itoa(port),
				"CODE=" + CognitoLocalCode,
			},
			dir:       dir,
			readyPath: "/health",
		}, nil
	})
	if err != nil {
		if cleanup != nil {
			cleanup()
		}
		return nil, err
	}
	p.Dir = dir
	p.cleanup = cleanup
	return p, nil
}

// writeCognitoLocalConfig writes dir/.cognito/config.json, keeping any other
// settings already there.
func writeCognitoLocalConfig(dir string, port int) error {
	path := filepath.Join(dir, ".cognito", "config.json")
	cfg := map[string]any{}
	if data, err := os.ReadFile(path); err == nil {
		if err := json.Unmarshal(data, &cfg); err != nil {
			return fmt.Errorf("cognito-local config %s: %w", path, err)
		}
	}
	defaults, _ := cfg["UserPoolDefaults"].(map[string]any)
	if defaults == nil {
		defaults = map[string]any{}
	}
	defaults["UsernameAttributes"] = []string{}
	cfg["UserPoolDefaults"] = defaults
	tokens, _ := cfg["TokenConfig"].(map[string]any)
	if tokens == nil {
		tokens = map[string]any{}
	}
	tokens["IssuerDomain"] = fmt.Sprintf("http://127.0.0.1:%d", port)
	cfg["TokenConfig"] = tokens
	data, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		return fmt.Errorf("cognito-local config: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("cognito-local config: %w", err)
	}
	if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("cognito-local config: %w", err)
	}
	return nil
}
