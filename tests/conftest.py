"""Shared fixtures: the real pipeline (real spaCy model, real gazetteer), loaded once per session."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
SAMPLES = ROOT / "tadmor" / "demo" / "samples"
TADMOR = [sys.executable, "-m", "tadmor"]


def seed_files() -> list[Path]:
    return sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []


def sample_files() -> list[Path]:
    return sorted(p for p in SAMPLES.iterdir() if p.is_file() and p.name != "README.md")


@pytest.fixture(scope="session")
def pipeline():
    from tadmor.pipeline import Pipeline

    return Pipeline().warm_up()


def run_cli(*args: str, stdin: bytes | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run(TADMOR + list(args), input=stdin, capture_output=True, timeout=timeout, env=env, cwd=ROOT)


def json_lines(out: bytes) -> list[dict]:
    return [json.loads(line) for line in out.decode("utf-8").split("\n") if line.strip()]
