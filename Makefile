# BetCity. A newcomer needs two commands: `make run` and `make test`.
SHELL := /bin/bash
GO ?= go
VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)
BIN := bin/betcity
DEV_ENV := BETCITY_DATA_DIR=$(CURDIR)/data BETCITY_ADMIN_EMAIL=operator@betcity.localhost BETCITY_ADMIN_PASSWORD=operator-password

.PHONY: run run-web build web test test-go test-web lint bench bundle ha-test clean

## run: build everything and start on the embedded default (SQLite + local uploads) with demo data
run: web build
	@$(DEV_ENV) ./$(BIN) demo
	@echo
	@echo "  Operator console: http://localhost:5000        operator@betcity.localhost / operator-password"
	@echo "  Demo company:     http://demo.localhost:5000   (demo accounts printed above)"
	@echo
	@$(DEV_ENV) ./$(BIN) serve

## run-web: Vite dev server with hot reload, proxying /api and /media to `make run`'s port 5000
run-web:
	cd web && npm install && npm run dev

## build: the single binary, with the SPA and migrations embedded
build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) ./server/cmd/betcity

## web: build the SPA into web/dist (skipped with a note when Node is missing)
web:
	@if command -v npm >/dev/null 2>&1; then cd web && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npm run build; \
	else echo "npm not found: serving the placeholder page (install Node.js 20+ for the real UI)"; fi

## test: the one test command (Go on SQLite and MySQL with -race, EB offline check, web unit + e2e)
test:
	@bash scripts/test.sh

test-go:
	@bash scripts/test.sh go

test-web:
	@bash scripts/web-test.sh

## lint: vet, gofmt
lint:
	$(GO) vet ./...
	@test -z "$$(gofmt -l server migrations web/embed.go)" || (gofmt -l server migrations web/embed.go; exit 1)

## bench: the performance figures (ratios against baselines measured in the same run)
bench:
	@bash scripts/bench.sh

## bundle: the Elastic Beanstalk source bundle (linux/amd64 static binary + Procfile + .ebextensions + .platform)
bundle:
	@bash scripts/bundle.sh

## ha-test: the high-availability rehearsal (MariaDB, three instances, haproxy, load)
ha-test:
	@bash scripts/ha-test.sh

clean:
	rm -rf bin dist
