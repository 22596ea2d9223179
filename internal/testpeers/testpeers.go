// Package testpeers starts and seeds the real servers that cogtool's tests,
// demo and benchmarks run against: moto's server (the user-pool API),
// cognito-local (user-pool API with honoured token validity, RevokeToken and
// a hosted-UI login form) and testdata/peers/oauth2-server.js (a
// client_credentials token endpoint shaped like Cognito's, built on
// oauth2-mock-server).
//
// Every peer listens on 127.0.0.1 on a free port and runs in its own process
// group, so Stop also ends the node or python children it spawned. The
// package never talks to anything but loopback and never fakes a peer: if a
// peer cannot start, the error says what to install (`npm ci --prefix
// testdata/peers`, or `pip install 'moto[server]'`).
//
// Seeding goes through the AWS SDK with the dummy credentials test/test in
// us-east-1 and BaseEndpoint set to the peer's URL.
package testpeers

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// ModulePath is the module whose root RepoRoot looks for.
const ModulePath = "github.com/cogtool/cogtool"

// defaultStartTimeout bounds a peer's start when the context has no deadline.
const defaultStartTimeout = 60 * time.Second

// Dummy AWS settings every peer and every seeding client uses.
const (
	AccessKeyID     = "test"
	SecretAccessKey = "test"
	Region          = "us-east-1"
)

// Peer is one running server. Stop it when done (Stop is safe to call twice
// and on a nil *Peer).
type Peer struct {
	Name string // "moto", "cognito-local" or "oauth2"
	URL  string // http://127.0.0.1:PORT, no trailing slash
	Dir  string // cognito-local: the folder holding .cognito/

	// Set for the oauth2 peer only.
	PoolID   string         // pool id in the issuer and JWKS path
	Issuer   string         // http://127.0.0.1:PORT/{pool}
	TokenURL string         // http://127.0.0.1:PORT/oauth2/token
	JWKSURL  string         // http://127.0.0.1:PORT/{pool}/.well-known/jwks.json
	Clients  []OAuth2Client // the clients it accepts

	// Ready is how long the peer took from exec to its first good answer.
	Ready time.Duration

	cmd      *exec.Cmd
	out      *tailBuffer
	done     chan struct{} // closed when the process has been reaped
	waitErr  error
	cleanup  func()
	stopOnce sync.Once
}

// Output returns the last few kilobytes the peer wrote to stdout and stderr.
func (p *Peer) Output() string {
	if p == nil || p.out == nil {
		return ""
	}
	return p.out.String()
}

// Stop ends the peer's whole process group (SIGTERM, then SIGKILL after a
// grace period), waits for it, and removes any state folder the package
// created.
func (p *Peer) Stop() {
	if p == nil {
		return
	}
	p.stopOnce.Do(func() {
		if p.cmd != nil && p.cmd.Process != nil {
			signalGroup(p.cmd, false)
			select {
			case <-p.done:
			case <-time.After(5 * time.Second):
				signalGroup(p.cmd, true)
				<-p.done
			}
			// Children that outlived the group leader.
			signalGroup(p.cmd, true)
		}
		if p.cleanup != nil {
			p.cleanup()
		}
	})
}

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	if err := l.Close(); err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	return port, nil
}

// RepoRoot walks up from the working directory to the folder whose go.mod
// declares ModulePath.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("find repository root: %w", err)
	}
	for {
		data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && declaresModule(data, ModulePath) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("find repository root: no go.mod for %s above the working directory", ModulePath)
		}
		dir = parent
	}
}

func declaresModule(gomod []byte, path string) bool {
	sc := bufio.NewScanner(bytes.NewReader(gomod))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 2 && f[0] == "module" {
			return strings.Trim(f[1], `"`) == path
		}
	}
	return false
}

// peersDir is <repo>/testdata/peers.
func peersDir() (string, error) {
	root, err := RepoRoot()
	if err != nil {
		return "", err
	}
	return filepath.Join(root, "testdata", "peers"), nil
}

// nodePackage finds what a Node peer needs: testdata/peers (dir), where
// the pinned npm package pkg must be installed, and node on PATH.
func nodePackage(pkg string) (dir, node string, err error) {
	if dir, err = peersDir(); err != nil {
		return "", "", err
	}
	node, err = nodePackageIn(dir, pkg)
	return dir, node, err
}

// nodePackageIn is nodePackage for the peers folder dir. A missing package
// or node fails with ErrNotInstalled and the way to install it.
func nodePackageIn(dir, pkg string) (node string, err error) {
	if _, err := os.Stat(filepath.Join(dir, "node_modules", pkg, "package.json")); err != nil {
		return "", fmt.Errorf("%w: npm package %s is not in testdata/peers/node_modules: run `npm ci --prefix testdata/peers` (or `make test`)", ErrNotInstalled, pkg)
	}
	if node, err = exec.LookPath("node"); err != nil {
		return "", fmt.Errorf("%w: node is not on PATH: install Node.js 20 or later (%v)", ErrNotInstalled, err)
	}
	return node, nil
}

// spec describes how to run one peer on a given port.
type spec struct {
	name      string
	path      string
	args      []string
	env       []string // added to os.Environ()
	dir       string
	readyPath string                  // GET path that answers 200 once the peer serves
	hint      func(out string) string // extra advice when the peer dies early, or ""
}

// errPortTaken marks a start that lost its port to another process.
var errPortTaken = errors.New("port already in use")

// startOnFreePort picks a free port, builds the spec for it and starts the
// peer, trying again on another port if the first was taken in between.
func startOnFreePort(ctx context.Context, build func(port int) (spec, error)) (*Peer, error) {
	var lastErr error
	for range 3 {
		port, err := FreePort()
		if err != nil {
			return nil, err
		}
		s, err := build(port)
		if err != nil {
			return nil, err
		}
		p, err := start(ctx, s, port)
		if err == nil {
			return p, nil
		}
		lastErr = err
		if !errors.Is(err, errPortTaken) {
			return nil, err
		}
	}
	return nil, lastErr
}

// start runs s and waits until GET readyPath answers 200. The context bounds
// the start only, not the peer's life.
func start(ctx context.Context, s spec, port int) (*Peer, error) {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, defaultStartTimeout)
		defer cancel()
	}
	p := &Peer{
		Name: s.name,
		URL:  fmt.Sprintf("http://127.0.0.1:%d", port),
		out:  &tailBuffer{max: 16 << 10},
		done: make(chan struct{}),
	}
	cmd := exec.Command(s.path, s.args...)
	cmd.Dir = s.dir
	cmd.Env = append(os.Environ(), s.env...)
	cmd.Stdout = p.out
	cmd.Stderr = p.out
	cmd.WaitDelay = 2 * time.Second
	setProcAttr(cmd)
	began := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", s.name, err)
	}
	p.cmd = cmd
	go func() {
		p.waitErr = cmd.Wait()
		close(p.done)
	}()

	client := &http.Client{Timeout: 2 * time.Second}
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		if ready(ctx, client, p.URL+s.readyPath) {
			p.Ready = time.Since(began)
			return p, nil
		}
		select {
		case <-p.done:
			out := p.Output()
			msg := fmt.Sprintf("%s exited before it was ready (%v)", s.name, p.waitErr)
			if s.hint != nil {
				if h := s.hint(out); h != "" {
					msg += ": " + h
				}
			}
			err := fmt.Errorf("%s; output: %s", msg, lastLines(out, 8))
			p.Stop()
			if isAddrInUse(out) {
				return nil, fmt.Errorf("%w: %w", errPortTaken, err)
			}
			return nil, err
		case <-ctx.Done():
			p.Stop()
			return nil, fmt.Errorf("%s did not answer GET %s in time: %w; output: %s",
				s.name, s.readyPath, ctx.Err(), lastLines(p.Output(), 8))
		case <-tick.C:
		}
	}
}

func ready(ctx context.Context, client *http.Client, url string) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return false
	}
	resp, err := client.Do(req)
	if err != nil {
		return false
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

func isAddrInUse(out string) bool {
	return strings.Contains(out, "EADDRINUSE") || strings.Contains(strings.ToLower(out), "address already in use")
}

// lastLines returns the last n non-empty lines of s, joined with " | ", so
// a peer's complaint fits in a one-line error.
func lastLines(s string, n int) string {
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	if len(lines) == 0 {
		return "(none)"
	}
	return strings.Join(lines, " | ")
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if over := len(b.buf) - b.max; over > 0 {
		b.buf = append(b.buf[:0], b.buf[over:]...)
	}
	return len(p), nil
}

func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.buf)
}
