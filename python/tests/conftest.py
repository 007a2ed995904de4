"""Shared fixtures: the repository's corpus/ and the CLI's records of it."""

from __future__ import annotations

import gzip
import json
import os
import pathlib
import shutil
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
CORPUS = REPO / "corpus"


def cli_binary() -> pathlib.Path:
    """The `gleaner` binary: $GLEANER_CLI, else target/release/gleaner (built if missing)."""
    given = os.environ.get("GLEANER_CLI")
    if given:
        return pathlib.Path(given)
    binary = REPO / "target" / "release" / "gleaner"
    if not binary.exists():
        cargo = shutil.which("cargo")
        if cargo is None:
            pytest.fail("the CLI is not built and cargo is not installed: set GLEANER_CLI")
        subprocess.run([cargo, "build", "--release", "-p", "gleaner-cli"], cwd=REPO, check=True)
    return binary


def read_page(source: str) -> bytes:
    data = (REPO / source).read_bytes()
    if source.endswith(".gz"):
        data = gzip.decompress(data)
    return data


@pytest.fixture(scope="session")
def cli_records() -> list:
    """`gleaner extract corpus/ --format jsonl`, one dict a page."""
    out = subprocess.run(
        [str(cli_binary()), "extract", "corpus/", "--format", "jsonl"],
        cwd=REPO,
        check=True,
        capture_output=True,
    ).stdout
    records = [json.loads(line) for line in out.splitlines() if line.strip()]
    assert len(records) >= 30, "the corpus should give dozens of records"
    return records


@pytest.fixture(scope="session")
def corpus_pages(cli_records) -> list:
    """The corpus pages' bytes, in the CLI's order."""
    return [read_page(r["source"]) for r in cli_records]
