# Streamline: `make run` starts the app, `make test` checks everything, `make bundle` makes the
# Debian package. They install what they need on a fresh Debian/Ubuntu machine first (Debian
# packages with apt, cargo tools with cargo).

SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Building the app (Tauri 2 on WebKitGTK 4.1).
BUILD_PACKAGES := build-essential pkg-config libwebkit2gtk-4.1-dev
# Running the end-to-end tests: a virtual display, WebKit's WebDriver, screenshots; the report
# tests read PDFs with poppler's pdftotext, pdfinfo and pdffonts.
TEST_PACKAGES := xvfb xauth webkit2gtk-driver imagemagick poppler-utils
# Benchmarks measure our importer beside the sqlite3 shell.
BENCH_PACKAGES := sqlite3
# Making the Debian package: dpkg-shlibdeps (in dpkg-dev) works out its dependencies.
BUNDLE_PACKAGES := dpkg-dev

.PHONY: run test bench bundle deps test-deps bench-deps bundle-deps lint unit e2e app

run: deps
	cargo run --release -p streamline-app

test: deps test-deps lint unit e2e

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings

unit:
	cargo test --workspace

app:
	cargo build -p streamline-app

e2e: app
	xvfb-run -a --server-args="-screen 0 1280x800x24" cargo test --test e2e_app -- --ignored --test-threads=1 --skip bench_

# Benchmarks (not part of `make test`): each prints its figures beside a peer measured in the
# same run. About five minutes on two cores, most of it generating and importing a million rows.
bench: deps test-deps bench-deps
	cargo build --release -p streamline --bins
	./target/release/streamline-bench --rows 1000000 --dir target/bench
	rm -f target/bench/metrics.db target/bench/metrics.db-wal target/bench/metrics.db-shm
	./target/release/streamline-metrics-bench --items 1000000 --db target/bench/metrics.db
	./target/release/streamline-report-bench --db target/bench/metrics.db --out target/bench/report
	./target/release/streamline-chart-bench
	cargo build --release -p streamline-app
	STREAMLINE_APP_BIN=$(CURDIR)/target/release/streamline-app STREAMLINE_BENCH_DB=$(CURDIR)/target/bench/metrics.db \
		xvfb-run -a --server-args="-screen 0 1280x800x24" cargo test --test e2e_app -- --ignored --exact bench_dashboard_launch --nocapture

# The Debian package (not part of `make test`): the app and the command-line tool, the desktop entry
# and the icons, as [package.metadata.deb] in src-tauri/Cargo.toml lists them. cargo-deb packs the
# binaries built here (--no-build, as it would build the app's package only), strips them, names
# the packages of the libraries they link to as dependencies, and prints the .deb's path. The
# builds are those of `make run` and `make bench`, so after them little is compiled again.
bundle: deps bundle-deps
	cargo build --release -p streamline-app
	cargo build --release -p streamline --bin streamline
	@deb=$$(cargo deb -p streamline-app --no-build) && \
	echo "Debian package: $$deb" && echo "Install it with: sudo apt-get install $$deb"

deps:
	@$(call apt_install,$(BUILD_PACKAGES))
	@command -v cargo >/dev/null || { echo "Rust is needed: install it with rustup (https://rustup.rs)"; exit 1; }
	@rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt clippy || true

test-deps:
	@$(call apt_install,$(TEST_PACKAGES))
	@command -v tauri-driver >/dev/null || cargo install tauri-driver --locked

bench-deps:
	@$(call apt_install,$(BENCH_PACKAGES))

bundle-deps:
	@$(call apt_install,$(BUNDLE_PACKAGES))
	@command -v cargo-deb >/dev/null || cargo install cargo-deb --locked

# Installs the listed Debian packages that are missing, asking nothing.
define apt_install
	missing=""; for p in $(1); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef
