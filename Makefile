# Marquee: `make run` serves the bundled programme; `make test` runs every test.
BUILD ?= build
BUILD_TYPE ?= Release

.PHONY: setup configure build run test bench clean

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

bench: build
	bash bench/read.sh $(BUILD)/marquee
	bash bench/register.sh $(BUILD)/marquee
	bash bench/publish.sh $(BUILD)/marquee
	bash bench/pipeline.sh $(BUILD)/marquee
	bash bench/notify.sh $(BUILD)/marquee

clean:
	rm -rf $(BUILD)
