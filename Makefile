PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test lint setup system system-test bench clean

## make demo: installe tout et construit le bureau de presse d'exemple dans build/
demo: setup
	$(BIN)/communiques build examples/daect --out build

## make test: lint, types, tests
test: setup system-test lint
	$(BIN)/pytest -q

lint: setup
	$(BIN)/ruff check communiques tests bench scripts
	$(BIN)/ruff format --check communiques tests bench scripts
	$(BIN)/mypy communiques

setup: system $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

system:
	@sh scripts/system-deps.sh

system-test:
	@sh scripts/system-deps.sh --test

bench: setup
	$(BIN)/python bench/run.py

clean:
	rm -rf build $(VENV)
