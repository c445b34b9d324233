"""The Thai catalogue is complete: every marked string of the sources has a Thai entry."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "th" / "LC_MESSAGES" / "django.po"
SOURCES = (
    "delphi_site",
    "panels",
    "rounds",
    "analysis",
    "reports",
    "demo",
    "transfer",
    "templates",
)


def _msgids(po_file: Path) -> set[str]:
    """The msgids of a .po file (multi-line entries joined), without the header."""
    text = po_file.read_text(encoding="utf-8")
    ids = set()
    for block in re.findall(r'^msgid ((?:".*"\n)+)', text, flags=re.MULTILINE):
        ids.add("".join(re.findall(r'^"(.*)"$', block, flags=re.MULTILINE)))
    ids.discard("")
    return ids


def test_thai_catalogue_has_no_untranslated_or_fuzzy_entry():
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(CATALOGUE)],
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr, result.stderr
    assert "fuzzy" not in result.stderr, result.stderr


def test_thai_catalogue_is_up_to_date_with_the_sources(tmp_path):
    for name in (*SOURCES, "manage.py"):
        source = ROOT / name
        target = tmp_path / name
        if not source.exists():
            continue
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, target)
    (tmp_path / "locale").mkdir()
    # Run from the copy so the real catalogue is not rewritten by the test.
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "th", "--no-obsolete", "-v", "0"],
        cwd=tmp_path,
        check=True,
        env={"PATH": "/usr/bin:/bin"},
    )

    fresh = _msgids(tmp_path / "locale" / "th" / "LC_MESSAGES" / "django.po")
    missing = fresh - _msgids(CATALOGUE)
    assert not missing, f"run makemessages and translate: {sorted(missing)[:10]}"
