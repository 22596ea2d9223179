package testpeers

import (
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
)

// StartMoto runs moto's server (`python3 -m moto.server`) on a free port of
// 127.0.0.1. It is ready when GET /moto-api/ answers. State lives in memory
// and ends with the process.
func StartMoto(ctx context.Context) (*Peer, error) {
	python, err := exec.LookPath("python3")
	if err != nil {
		return nil, fmt.Errorf("%w: python3 is not on PATH: install Python 3 and `pip install 'moto[server]'` (%v)", ErrNotInstalled, err)
	}
	p, err := startOnFreePort(ctx, func(port int) (spec, error) {
		return spec{
			name: "moto",
			path: python,
			args: []string{"-m", "moto.server", "-H", "127.0.0.1", "-p", strconv.Itoa(port)},
			env: []string{
				"AWS_ACCESS_KEY_ID=" + AccessKeyID,
				"AWS_SECRET_ACCESS_KEY=" + SecretAccessKey,
				"AWS_DEFAULT_REGION=" + Region,
				"PYTHONUNBUFFERED=1",
			},
			readyPath: "/moto-api/",
			hint:      motoHint,
		}, nil
	})
	if err != nil && motoHint(err.Error()) != "" {
		return nil, fmt.Errorf("%w: %w", ErrNotInstalled, err)
	}
	return p, err
}

func motoHint(out string) string {
	if strings.Contains(out, "No module named") {
		return "python3 lacks moto's server: `pip install 'moto[server]'`"
	}
	return ""
}
