# chiiki — two commands on a fresh Debian machine: `make demo` and `make test`.
# System libraries come from Debian (apt-get), Swift packages from SwiftPM.

APT_PACKAGES := libgeos-dev libproj-dev libgdal-dev coinor-libcbc-dev pkg-config libjs-leaflet
# The tests also render the demo's report in headless Chromium, with CJK fonts for the names,
# and open the run's GeoPackage in QGIS (PyQGIS, headless) to check its styles.
TEST_PACKAGES := chromium fonts-noto-cjk python3-qgis qgis-providers
SWIFT ?= swift

.PHONY: demo test deps test-deps apt build bench bench-quick clean postgis fuzz

# Installs the C libraries chiiki links against (and, for the tests, Chromium), only if some are missing.
deps:
	@$(MAKE) --no-print-directory apt PACKAGES="$(APT_PACKAGES)"

test-deps:
	@$(MAKE) --no-print-directory apt PACKAGES="$(APT_PACKAGES) $(TEST_PACKAGES)"

apt:
	@missing=""; for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build -c release --product chiiki

# The main job on the bundled Nagato sample; writes into notebooks-out/.
demo: build
	.build/release/chiiki demo --data geodata/nagato --out notebooks-out

# The whole suite, then again under AddressSanitizer and LeakSanitizer (own build folder, so
# neither rebuilds the other). XCTest is skipped there (no test uses it; its runner leaks 144
# bytes); Tests/lsan-suppressions.txt names the one leak outside chiiki that remains.
test: test-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	LSAN_OPTIONS=suppressions=$(CURDIR)/Tests/lsan-suppressions.txt $(SWIFT) test --sanitize=address --scratch-path .build-asan --disable-xctest

# Each reader chiiki writes itself under libFuzzer + AddressSanitizer (Tests/Hostile/fuzz.sh),
# FUZZ_SECONDS per target; CI runs it for 60 s each after the tests.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := census geojson councils scenario clock
fuzz: deps
	bash Tests/Hostile/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# The PostgreSQL + PostGIS server the database tests use (they are skipped without it).
postgis:
	bash Tests/start-postgis.sh

# Peer benchmarks (needs PyPI): GeoPandas, PySAL spopt (+CBC), OR-Tools; writes Benchmarks/RESULTS.md.
# About half an hour on 2 cores (slow peers run once, cut at PEER_TIMEOUT). Not part of `make test`.
bench: deps
	bash Benchmarks/run.sh

# The same sections at small sizes, one run each, peers cut at 30 s (about 5 minutes); writes
# Benchmarks/out/RESULTS-quick.md, never RESULTS.md.
bench-quick: deps
	QUICK=1 bash Benchmarks/run.sh

clean:
	rm -rf .build .build-asan .build-fuzz Benchmarks/out
