# Entry points for people and CI. `make test` is what .ci/run runs on a fresh
# clone; `make run` is the no-Docker demo.
SHELL := /usr/bin/env bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := test

MAGE  := go run github.com/magefile/mage
FAULT ?= oom

.PHONY: test run build package deps system-deps vet frontend backend go-test soak clean

## test: everything CI checks, in order: modules, system programs, go vet,
## frontend checks and build, backend build, Go tests with the race detector
## (including the plugin-host test and the demo end-to-end test).
test: deps system-deps vet frontend backend go-test

deps:
	go mod download

system-deps:
	bash scripts/system-deps.sh

vet:
	go vet ./...

frontend:
	@if [[ ! -f scripts/frontend-test.sh ]]; then \
		echo "make frontend: scripts/frontend-test.sh is missing; it runs npm ci, typecheck, lint, jest and the production build into dist/" >&2; \
		exit 1; \
	fi
	bash scripts/frontend-test.sh

# The four-platform build (`mage -v`, in `make build`) takes several minutes
# per platform on a cold cache; tests need only this machine's binaries.
backend:
	$(MAGE) -v buildHost

# CI=true makes tests that need a binary (prometheus, chromium, dist/) fail
# instead of skip. npm packages may ship Go files (flatted does), and ./...
# would build them as ours, so node_modules is left out.
go-test:
	CI=$${CI:-true} go test -race -timeout 20m $$(go list ./... | grep -v /node_modules/)

## soak: 30 minutes (SOAK=30m) of explanations and webhook deliveries against
## a scripted model and a real Prometheus; heap, goroutines and p99 checked.
## Not part of `make test`.
SOAK ?= 30m
soak: system-deps
	AIOPS_SOAK=$(SOAK) go test -run '^TestSoak$$' -count=1 -v -timeout 2h ./pkg/plugin/

## run: the no-Docker demo; FAULT=oom|errors|latency|dependency|crash
run:
	go run ./pkg/cmd/aiops demo --fault $(FAULT)

## build: frontend and both backends into dist/
build:
	npm ci
	npm run build
	$(MAGE) -v

## package: build/cloudobs-aiops-app-<version>.<os>_<arch>.zip, one per platform, each checked against the validator rules
package: build
	$(MAGE) -v package

clean:
	$(MAGE) clean
