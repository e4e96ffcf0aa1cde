# Marquee: `make run` serves the bundled programme; `make test` runs every test.
BUILD ?= build
BUILD_TYPE ?= Release
FUZZ_SECONDS ?= 60
# ccache: paths under the checkout are hashed relative to it, so a clone in
# another folder (CI) reuses what this one compiled.
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1

.PHONY: setup configure build run test sanitize fuzz bench clean package

setup:
	bash scripts/setup.sh

configure: setup
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

build: configure
	cmake --build $(BUILD)

run: build
	$(BUILD)/marquee serve --db sqlite:///var/marquee.db --host 127.0.0.1 --port 8080

test: build
	bash scripts/with-postgres.sh ctest --test-dir $(BUILD) --output-on-failure --timeout 900 -j2

# A Debian package (CPack): build/package/marquee_<version>_<arch>.deb; see docs/deploying.md.
package: build
	cd $(BUILD) && cpack --config CPackConfig.cmake

# AddressSanitizer + UndefinedBehaviorSanitizer (unit and store suites) and
# ThreadSanitizer (registrations, imports, outbox, programme cache, analytics); clang, build-asan/ and build-tsan/.
sanitize: setup
	bash scripts/sanitize.sh

# libFuzzer on every parser, FUZZ_SECONDS each (build-asan/).
fuzz: setup
	bash scripts/fuzz.sh $(FUZZ_SECONDS)

# Every bench script: each prints its figures beside its baseline's, run in the same script.
bench: build
	bash bench/read.sh $(BUILD)/marquee
	THREADS=1 bash bench/read.sh $(BUILD)/marquee
	EVENTS=100000 DURATION=5s bash bench/read.sh $(BUILD)/marquee
	bash bench/flood.sh $(BUILD)/marquee
	bash bench/import.sh $(BUILD)/marquee
	bash bench/register.sh $(BUILD)/marquee
	bash bench/publish.sh $(BUILD)/marquee
	bash bench/pipeline.sh $(BUILD)/marquee
	bash bench/notify.sh $(BUILD)/marquee
	bash bench/messages.sh $(BUILD)/marquee
	bash bench/analytics.sh $(BUILD)/marquee
	bash bench/placements.sh $(BUILD)/marquee
	bash bench/checkin.sh $(BUILD)/marquee
	bash bench/launch.sh $(BUILD)/marquee

clean:
	rm -rf $(BUILD)
