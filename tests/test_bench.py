"""The benchmark runs (CI checks only this, on the 100-document corpus: numbers are not
tested, the machine is shared and noisy)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from careersite.bench import REPO, find_shared

SHARED = REPO.parent / "shared" / "bench"


@pytest.mark.skipif(not (SHARED / "make_corpus.py").is_file(),
                    reason="the shared bench folder (../shared/bench) is not beside the repo")
def test_quick_benchmark_runs_on_the_100_document_corpus(tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    proc = subprocess.run(
        [sys.executable, "-m", "careersite.bench", "--quick", "--no-peers", "--work",
         str(tmp_path / "work"), "--out", str(out)],
        capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    report = out.read_text(encoding="utf-8")
    assert report == proc.stdout.rstrip("\n") + "\n"
    rows = [line for line in report.splitlines() if re.match(r"\| 101 \|", line)]
    clean = rows[0].split("|")
    assert re.fullmatch(r" \d+\.\d{3} \(\d+\.\d{3}-\d+\.\d{3}\) ", clean[2]), rows[0]
    assert int(clean[3]) > 0  # peak memory, MiB
    served = {row.split("|")[2].strip(): row for row in rows}
    assert {"goal progress", "review body", "template (goal.html)"} <= served.keys()
    assert (tmp_path / "work/c100/plans/vision.md").is_file()


def test_shared_folder_is_found_beside_the_repo_or_given(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="--shared"):
        find_shared(tmp_path)
    (tmp_path / "make_corpus.py").write_text("")
    assert find_shared(tmp_path) == tmp_path.resolve()
