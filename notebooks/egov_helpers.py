"""Small helpers shared by the worked-example notebooks.

The notebooks drive the `egov` command-line program and read what it writes (JSON, CSV, PNG).
This module finds the program, runs it, and keeps the printed output short and portable.

Where the program comes from, in this order:

1. the environment variable ``EGOV_BIN`` (a path to a built ``egov`` binary);
2. ``../target/debug/egov`` next to this folder (after ``cargo build -p egov``);
3. ``cargo run -q -p egov --`` from the repository (builds on first use; slow the first time).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import tomllib
from pathlib import Path

import pandas as pd

NOTEBOOKS = Path(__file__).resolve().parent
ROOT = NOTEBOOKS.parent
#: Scratch folder for files the notebooks ask `egov` to write (ignored by git).
WORK = NOTEBOOKS / "_work"
#: The bundled SYNTHETIC replica and its codebook.
REPLICA = ROOT / "fixtures" / "replica" / "kz_ict2021_SYNTHETIC_replica.parquet"
CODEBOOK = ROOT / "fixtures" / "replica" / "codebook.toml"


def egov_command() -> list[str]:
    """The command prefix that runs `egov` (see the module docs for the search order)."""
    from_env = os.environ.get("EGOV_BIN")
    if from_env:
        return [from_env]
    local = ROOT / "target" / "debug" / "egov"
    if local.exists():
        return [str(local)]
    return ["cargo", "run", "-q", "-p", "egov", "--"]


def _portable(text: str) -> str:
    """Shows paths inside the repository relative to it, so printed output reads the same anywhere.

    The bundled replica's path is compiled into the binary, so it names the checkout the binary
    was built in; it is shown relative to that checkout too.
    """
    text = text.replace(str(ROOT) + os.sep, "").replace(str(ROOT), ".")
    return re.sub(r"(?<![\w.])/\S*?/(?=(fixtures|docs)/)", "", text)


def _summarise_stderr(stderr: str, show_warnings: int) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    warnings = [line for line in lines if line.startswith("warning:")]
    others = [line for line in lines if not line.startswith("warning:")]
    kept = others + warnings[:show_warnings]
    hidden = len(warnings) - len(warnings[:show_warnings])
    if hidden:
        more = " more" if show_warnings else ""
        kept.append(f"({hidden}{more} warning line(s) not shown; `egov check` lists them all)")
    return "\n".join(_portable(line) for line in kept)


def egov(*args: str, show_warnings: int = 0, echo: bool = True) -> subprocess.CompletedProcess:
    """Runs ``egov ARGS...`` in the repository root and returns the finished process.

    The command line and a short summary of what `egov` said on stderr are printed, so a reader
    sees exactly what ran. A failing command raises ``RuntimeError`` with its full error text.
    """
    args = [str(a) for a in args]
    if echo:
        print("$ egov " + " ".join(shlex.quote(_portable(a)) for a in args))
    done = subprocess.run(
        egov_command() + args, cwd=ROOT, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"egov {' '.join(args)} failed with exit status {done.returncode}:\n"
            + _portable(done.stderr)
        )
    summary = _summarise_stderr(done.stderr, show_warnings)
    if echo and summary:
        print(summary)
    return done


def egov_json(*args: str, **kwargs) -> dict:
    """Runs ``egov ARGS... --format json`` and parses what it prints."""
    return json.loads(egov(*args, "--format", "json", **kwargs).stdout)


def work_dir(name: str) -> Path:
    """A fresh-or-existing scratch folder ``notebooks/_work/<name>`` for `egov` to write into."""
    path = WORK / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def codebook() -> dict:
    """The replica's codebook (TOML) as a dictionary."""
    with open(CODEBOOK, "rb") as f:
        return tomllib.load(f)


def replica_frame() -> pd.DataFrame:
    """The replica mapped through its codebook, in pandas, for checks independent of `egov`.

    Items and the outcome become 1.0 (yes), 0.0 (no) or NaN (missing: never 0); categorical
    variables become their level names (e.g. ``labour == "student"``), missing codes NaN. This
    re-implements the codebook mapping in a few lines so that the notebooks can check `egov`'s
    results against an independent computation; the toolkit itself does it in `egov-survey`.
    """
    cb = codebook()
    raw = pd.read_parquet(REPLICA)
    cols = cb["columns"]
    out = pd.DataFrame(
        {
            "respondent_id": raw[cols["respondent_id"]].astype(str),
            "household_id": raw[cols["household_id"]].astype(str),
            "weight": raw[cols["weight"]].astype(float),
        }
    )

    def binary(series: pd.Series, spec: dict) -> pd.Series:
        mapped = pd.Series(float("nan"), index=series.index)
        mapped[series.isin(spec["yes"])] = 1.0
        mapped[series.isin(spec["no"])] = 0.0
        return mapped

    for name, item in cb["items"].items():
        out[name] = binary(raw[item["column"]], {**cb["item_coding"], **item})
    out["egov"] = binary(raw[cb["outcome"]["column"]], cb["outcome"])
    out["age"] = raw[cb["age"]["column"]].astype(float)
    for var in ("sex", "education", "labour", "urban", "region"):
        spec = cb[var]
        codes: dict[int, str] = {}
        for level in spec["levels"]:
            codes[level["code"]] = level["name"]
            for also in level.get("also", []):
                codes[also] = level["name"]
        out[var] = raw[spec["column"]].map(codes)
    return out


def item_names() -> list[str]:
    """The 11 items in codebook order."""
    return list(codebook()["items"].keys())


def level_labels(variable: str, lang: str = "en") -> dict[str, str]:
    """Level name → label in English (``en``), Russian (``ru``) or Kazakh (``kk``)."""
    return {level["name"]: level[lang] for level in codebook()[variable]["levels"]}


def coefficients(model: dict, key: str = "coefficients") -> pd.DataFrame:
    """The coefficient list of an `egov lpm`/`regress` JSON result as a table indexed by term."""
    return pd.DataFrame(model[key]).set_index("term")
