# cogtool — every target uses the pinned Go toolchain (fetched by the go
# command through the module proxy on first use).
export GOTOOLCHAIN := go1.27.3
export CGO_ENABLED ?= 0

GO       ?= go
BIN      ?= bin/cogtool
PKG      := github.com/cogtool/cogtool
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT   ?= $(shell git rev-parse HEAD 2>/dev/null || echo unknown)
DATE     ?= $(shell date -u +%Y-%m-%dT%H:%M:%SZ)
LDFLAGS  := -s -w -X $(PKG)/internal/build.Version=$(VERSION) -X $(PKG)/internal/build.Commit=$(COMMIT) -X $(PKG)/internal/build.Date=$(DATE)
PEERS    := testdata/peers

.PHONY: all build test peers lint fmt vet demo bench fuzz vulncheck release-snapshot clean

all: build

build:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/cogtool

## peers: install the pinned npm test peers and check moto's server is importable.
peers: $(PEERS)/node_modules/.installed
	@python3 -c 'import moto.server' 2>/dev/null || python3 -m pip install --quiet 'moto[server]==5.2.1'

$(PEERS)/node_modules/.installed: $(PEERS)/package.json $(PEERS)/package-lock.json
	npm ci --prefix $(PEERS) --no-audit --no-fund --loglevel=error
	@touch $@

## test: every test, unit and end-to-end against the real peers (started by the tests);
## a missing peer fails here, where elsewhere it skips.
test: peers
	COGTOOL_TEST_PEERS=required $(GO) test -count=1 ./...

STATICCHECK = $(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2

## lint: vet, gofmt and staticcheck, for the product and the bench module (bench/, its own go.mod).
lint: vet
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt -l:"; echo "$$out"; exit 1; fi
	$(STATICCHECK) ./...
	cd bench && $(STATICCHECK) ./...

vet:
	$(GO) vet ./...
	cd bench && $(GO) vet ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf bin dist dist-docs

## demo: replay the walkthrough against local peers (scripts/demo.sh).
demo: peers
	bash scripts/demo.sh

## bench: cogtool beside the awscli, curl and aws-jwt-verify, and the Go benchmarks; writes docs/benchmarks.md.
bench: peers
	bash scripts/bench.sh

## fuzz: every fuzz target for FUZZTIME each (CI runs scripts/fuzz.sh 15s).
FUZZTIME ?= 60s
fuzz:
	bash scripts/fuzz.sh $(FUZZTIME)

## vulncheck: govulncheck, offline, against a database built from a pinned golang.org/x/vulndb.
vulncheck:
	bash scripts/vulncheck.sh

# --- release: goreleaser v2.15.1 through the module proxy (built once, then cached) ---
GORELEASER = $(GO) run github.com/goreleaser/goreleaser/v2@v2.15.1
# goreleaser reads the commit it stamps into the binary only when the
# repository has a remote; without one it gets a stand-in URL that nothing contacts.
GORELEASER_ENV = $(if $(shell git remote 2>/dev/null),,GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=remote.origin.url GIT_CONFIG_VALUE_0=https://github.com/cogtool/cogtool.git)

.PHONY: release-ci release-check

## release-snapshot: every release artifact in dist/ (6 targets, archives, .deb/.rpm, checksums); publishes nothing.
release-snapshot:
	$(GORELEASER) check
	$(GORELEASER_ENV) $(GORELEASER) release --snapshot --clean --skip=publish,sign
	bash scripts/release-check.sh

## release-ci: the same for linux/amd64 only (archive, .deb, .rpm, checksums), then checks the .deb.
release-ci:
	$(GORELEASER) check
	$(GORELEASER_ENV) COGTOOL_RELEASE_CI=1 $(GORELEASER) release --snapshot --clean --skip=publish,sign
	bash scripts/release-check.sh

## release-check: check the .deb in dist/ (after release-snapshot or release-ci).
release-check:
	bash scripts/release-check.sh
