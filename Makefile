PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test lint setup system system-test bench fuzz clean catalogs schema pictures captures

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

## make catalogs: extrait les chaînes des modèles, met à jour et compile les traductions
## (communiques/locale/ ; le .mo compilé est versionné, un test vérifie qu'il suit le .po)
catalogs: setup
	$(BIN)/pybabel extract -F babel.cfg --no-wrap --sort-by-file --project communiques \
		-o communiques/locale/messages.pot .
	$(BIN)/pybabel update -i communiques/locale/messages.pot -d communiques/locale --no-wrap --previous
	$(BIN)/pybabel compile -d communiques/locale --statistics
	$(BIN)/pybabel compile -D click -d communiques/locale --statistics

## make schema: réécrit communiques/communique.schema.json à partir du modèle (un test vérifie
## qu'il le suit)
schema: setup
	$(BIN)/python -c "from communiques.model import schema_text; print(schema_text(), end='')" \
		> communiques/communique.schema.json

## make pictures: réécrit les images de référence des pages (tests/pictures/, et celles de
## l'exemple dans docs/pages/) ; à lancer après un changement de mise en page voulu, en
## regardant les images
pictures: setup system-test
	$(BIN)/python tests/pictures.py

## make captures: refait les captures d'écran du studio et du site gardées dans docs/
captures: setup system-test
	COMMUNIQUES_CAPTURES=1 $(BIN)/pytest -q tests/test_studio_browser.py tests/test_site_browser.py

setup: system $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev,studio]'
	touch $@

system:
	@sh scripts/system-deps.sh

system-test:
	@sh scripts/system-deps.sh --test

bench: setup
	$(BIN)/python bench/run.py

## make fuzz: 2 000 exemples aléatoires de l'essai Hypothesis (20, reproductibles, dans make test)
fuzz: setup system-test
	HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest -q -p no:logging --hypothesis-show-statistics tests/test_fuzz.py

clean:
	rm -rf build $(VENV)
