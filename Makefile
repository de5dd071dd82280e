# Kakikomi: `make run` sets up .venv and opens the sample post; `make test` sets up and runs the tests.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.kakikomi-installed

# The UI translations: .qm files built from the .ts sources kept in git (app/ui/i18n.py).
QM := $(patsubst %.ts,%.qm,$(wildcard resources/translations/*.ts))

.PHONY: run test bench clean translations

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("Kakikomi needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

translations: $(QM)

resources/translations/%.qm: resources/translations/%.ts | $(STAMP)
	$(PY) -m app.ui.i18n build $<

run: $(STAMP) translations
	$(VENV)/bin/kakikomi

test: $(STAMP) translations
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

bench: $(STAMP)
	$(PY) -m benchmarks

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache $(QM)
