# The two commands of the README: `make demo` and `make test`.
# Python 3.12 where the machine has one (pyenv's counts), else python3. spaCy's wheels for
# Python 3.11 and older are compiled with Cython's profiling hooks, which make the parser and
# the NER take and drop the GIL at every step; its wheels for 3.12 are not: the same model
# parses about 1.7 times as fast (bench/PROFILE.md). Both work; `make PY=python3.11 ...` chooses.
PY ?= $(shell for p in python3.12 $(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python3.12) python3; do \
	$$p -c 'import sys; assert sys.version_info[:2] in ((3, 11), (3, 12))' 2>/dev/null && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test setup clean score

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	$(BIN)/python -m tadmor.geo.build_gazetteer
	@touch $(STAMP)

# tadmor's own modules compiled ahead, as pip compiles an installed package's: where
# PYTHONDONTWRITEBYTECODE is set (this machine and its CI set it), every process would
# otherwise compile them again, 0.3 s of each start. Quick when nothing changed.
setup: $(STAMP)
	$(BIN)/python -m compileall -q tadmor

demo: setup
	$(BIN)/tadmor demo --serve

# the browser tests drive Debian's chromium (never a downloaded browser)
CHROMIUM := /usr/bin/chromium

$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null

test: setup $(CHROMIUM)
	$(BIN)/python -m pytest

score: $(STAMP)
	TADMOR=$(BIN)/tadmor python3 ../shared/tools/score seeds | tail -n 1

clean:
	rm -rf $(VENV) .pytest_cache
