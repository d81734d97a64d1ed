# mlguard — see README.md. Everything here installs what it needs through Go.
GO      ?= go
BIN     := bin/mlguard

STACKS  := stacks/aws-governance stacks/azure-ml

.PHONY: demo build policies test test-unit test-fuzz test-stacks test-examples test-integration test-schema e2e publish bench vet fmt-check docs schema mutation clean

# The main job: the reference stacks and the seed programs through the real
# Pulumi CLI, offline, with the pack. The first run compiles the demo program
# (it imports both stacks) and builds the CLI: minutes each, and it says so.
demo: build
	@echo "Compiling the demo program (it imports both reference stacks; the first run downloads"
	@echo "modules and compiles pulumi-aws and azure-native: a few minutes of 'go: downloading')."
	cd tests && $(GO) run ./cmd/demo

build:
	$(GO) build -o $(BIN) .

policies: build
	./$(BIN) --policies

# The test command of the README and of CI.
test: vet fmt-check test-unit test-schema test-fuzz test-stacks test-examples test-integration

# The pack: runtime, rule API, policies (with -race).
test-unit:
	$(GO) test -race -count=1 ./...

# Each fuzz target for a bounded time (FUZZTIME each), from the checked-in
# corpus in analyzer/testdata/fuzz. `make test-fuzz FUZZTIME=10m` for a long run.
# Minimizing each new input for up to a minute (go test's default) halved the
# executions per run; a crasher is still reported, only less minimized.
FUZZTIME ?= 30s
FUZZMINIMIZETIME ?= 2s
FUZZ_TARGETS := FuzzAnalyze FuzzAnalyzeStack FuzzConfigure
test-fuzz:
	@for f in $(FUZZ_TARGETS); do echo "== $$f ($(FUZZTIME))"; \
		$(GO) test -run '^$$' -fuzz "^$$f\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZETIME) ./analyzer || exit 1; done

# Each reference stack under Pulumi mocks (its own module).
test-stacks:
	@for s in $(STACKS); do echo "== $$s"; (cd $$s && $(GO) vet ./... && $(GO) test -count=1 ./...) || exit 1; done

# The example organization pack (its own module): its policy's spec.
test-examples:
	cd examples/org-pack && $(GO) vet ./... && $(GO) test -count=1 ./...

# The tests module: stacks through the built pack, config profiles through the CLI's validator.
# The first run builds the Pulumi CLI (minutes), hence the long timeout.
test-integration:
	cd tests && $(GO) vet ./... && $(GO) test -count=1 -timeout 60m ./...

# Only the end-to-end tests through the real CLI (part of test-integration).
e2e:
	cd tests && $(GO) test -count=1 -timeout 60m -run 'TestE2E' .

# Publish the pack to the Pulumi Cloud organization ORG (logged in: pulumi login): only the
# pack's source, staged by internal/packsource (54 KB), not the whole checkout (300 KB).
publish:
	@test -n "$(ORG)" || { echo "usage: make publish ORG=<organization>" >&2; exit 1; }
	dir=$$(mktemp -d) && $(GO) run ./internal/packsource -o $$dir/mlguard && cd $$dir/mlguard && pulumi policy publish $(ORG)

# One table: floor, mlguard and the @pulumi/policy peer, with ratios and targets.
# The first run installs the Node pack's dependencies from npm.
bench:
	$(GO) run ./bench/cmd/mlguard-bench

vet:
	$(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "not gofmt-formatted:"; echo "$$out"; exit 1; fi

# docs/policies.md is generated from the pack's own metadata; a test fails when it is stale.
docs:
	$(GO) run ./internal/gendocs > docs/policies.md

# The provider schema index (providers/schema/index/) and providers/taggable_gen.go,
# from the npm packages pinned in internal/genschema/pins.go (fetched with npm
# into .cache/npm, or $$MLGUARD_CACHE/npm, on first use).
schema:
	$(GO) run ./internal/genschema/cmd/genschema -cache $(or $(MLGUARD_CACHE),.cache)/npm -root .

# The schema index and taggable_gen.go are what the pinned npm packages say
# (regenerated and compared; fetches the packages on first use, skipped without npm).
test-schema:
	$(GO) test -count=1 -run 'TestGenerated' ./providers/schema

# Mutation testing with gremlins (from the module proxy), one package at a
# time: each mutant of a package's code is run against that package's tests.
# Prints the mutants that lived, sat in code no test of the package runs, or
# timed out, then a table per package: efficacy is killed / (killed + lived),
# mutant coverage (killed + lived) / (killed + lived + not covered). Minutes
# per package, so not part of `make test`. On a quiet machine
# MUTATION_WORKERS=2; the timeout coefficient multiplies the time of the
# package's own test run, and is high so that a busy machine does not turn a
# slow run into a timed-out mutant. providers/schema is left out of
# providers (the schema index has tests of its own kind: make test-schema).
MUTATION_PKGS    ?= policy analyzer providers results policypack
MUTATION_WORKERS ?= 1
MUTATION_TIMEOUT ?= 10
MUTATION_OUT     ?= $(or $(MLGUARD_CACHE),.cache)/mutation
GREMLINS         ?= $(GO) run github.com/go-gremlins/gremlins/cmd/gremlins@v0.6.0
mutation:
	@mkdir -p $(MUTATION_OUT)
	@for p in $(MUTATION_PKGS); do echo "== $$p"; ex=; [ $$p = providers ] && ex='^schema/'; \
		{ $(GREMLINS) unleash --workers $(MUTATION_WORKERS) --timeout-coefficient $(MUTATION_TIMEOUT) \
			-S lct $${ex:+-E "$$ex"} ./$$p 2>&1; echo $$? > $(MUTATION_OUT)/$$p.rc; } | tee $(MUTATION_OUT)/$$p.txt; \
		[ "$$(cat $(MUTATION_OUT)/$$p.rc)" = 0 ] || exit 1; done
	@scratch=$$(mktemp -d); trap 'rm -rf $$scratch' EXIT; tar --exclude=./.cache --exclude=./bin -cf - . | tar -xf - -C $$scratch; \
		for p in $(MUTATION_PKGS); do echo "== $$p: the mutants gremlins could not place in coverage"; \
		$(GO) run ./internal/mutcover -dir $$scratch -pkg $$p < $(MUTATION_OUT)/$$p.txt | tee $(MUTATION_OUT)/$$p.cover.txt || exit 1; done
	@printf '\n%-11s %7s %6s %12s %10s %9s %15s\n' package killed lived "not covered" "timed out" efficacy "mutant coverage"
	@for p in $(MUTATION_PKGS); do awk -v p=$$p -F '[:,%] *' \
		'/^Killed:/ {k=$$2; l=$$4; n=$$6} /^Timed out:/ {t=$$2} /^Test efficacy:/ {e=$$2} /^Mutator coverage:/ {c=$$2} \
		END {printf "%-11s %7s %6s %12s %10s %8s%% %14s%%\n", p, k, l, n, t, e, c}' $(MUTATION_OUT)/$$p.txt; done
	@printf '\nWith the mutants gremlins could not place in coverage run as well (internal/mutcover):\n%-11s %7s %6s %12s %14s %11s %9s %15s\n' package killed lived "not covered" "package-level" "not viable" efficacy "mutant coverage"
	@for p in $(MUTATION_PKGS); do cat $(MUTATION_OUT)/$$p.txt $(MUTATION_OUT)/$$p.cover.txt | awk -v p=$$p -F '[:,%] *' \
		'/^Killed:/ {k=$$2; l=$$4; n=$$6} /^Timed out:/ {t=$$2} /^Uncovered run:/ {split($$0, a, /[^0-9]+/); ck=a[2]; cl=a[3]; pl=a[4]; nv=a[5]} \
		END {K=k+t+ck; L=l+cl; N=n-ck-cl-pl-nv; printf "%-11s %7d %6d %12d %14d %11d %8.2f%% %14.2f%%\n", p, K, L, N, pl, nv, 100*K/(K+L), 100*(K+L)/(K+L+N)}'; done

clean:
	rm -rf bin
