# appealdesk — the README's two commands are `make run` and `make test`.
# Each installs what it needs (scripts/setup.sh: Debian packages) first.

GO        ?= go
BIN       ?= ./appealdesk
INBOX     ?= ./inbox
DATA      ?= ./data
STATICCHECK_VERSION ?= v0.8.2

.PHONY: all setup build run test lint fmt vet bench fuzz corpus clean

all: build

setup: ## install the Debian packages the build, the OCR and the tests need
	@bash scripts/setup.sh

build: setup ## build ./appealdesk
	$(GO) build -o $(BIN) ./cmd/appealdesk

run: build ## run the pipeline on the embedded NATS default, watching ./inbox (seeded with samples on first run)
	@bash scripts/seed-inbox.sh $(INBOX)
	$(BIN) run --inbox $(INBOX) --data $(DATA)

test: setup lint ## every test, with the race detector (what CI runs)
	$(GO) test -race -timeout 30m ./...

lint: fmt vet ## gofmt, go vet, staticcheck, go mod tidy leaves no diff
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./...
	@cp go.mod /tmp/appealdesk-go.mod.bak && cp go.sum /tmp/appealdesk-go.sum.bak; \
	 $(GO) mod tidy && git diff --quiet -- go.mod go.sum || { echo "go mod tidy changes go.mod/go.sum"; git --no-pager diff -- go.mod go.sum; exit 1; }

fmt:
	@out=$$(gofmt -l $$(git ls-files '*.go')); [ -z "$$out" ] || { echo "gofmt needed:"; echo "$$out"; exit 1; }

vet:
	$(GO) vet ./...

fuzz: ## every fuzz target for FUZZTIME each (default 5m; ONLY=regexp, JOBS=n); crashers land in testdata/fuzz
	@bash scripts/setup.sh
	bash scripts/fuzz.sh

bench: ## side-by-side benchmark against tesseract, ocrmypdf and pdftotext; writes BENCHMARKS.md
	@bash scripts/setup.sh bench
	bash bench/run.sh

corpus: setup ## regenerate the labelled corpus under testdata/corpus
	$(GO) run ./scripts/gencorpus

clean:
	rm -f $(BIN)
