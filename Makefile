# The two commands of the README: `make demo` and `make test`.
PY ?= python3
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

setup: $(STAMP)

demo: $(STAMP)
	$(BIN)/tadmor demo --serve

# the browser tests drive Debian's chromium (never a downloaded browser)
CHROMIUM := /usr/bin/chromium

$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null

test: $(STAMP) $(CHROMIUM)
	$(BIN)/python -m pytest

score: $(STAMP)
	TADMOR=$(BIN)/tadmor python3 ../shared/tools/score seeds | tail -n 1

clean:
	rm -rf $(VENV) .pytest_cache
