"""A count in a sentence goes through ngettext: never "1 answers were set aside"."""

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# A `{% blocktranslate with … %}` (no `count`) in which a variable is followed by a plural noun.
UNCOUNTED = re.compile(
    r"\{% blocktranslate (?![^%]*\bcount\b)(?:(?!%\}).)*%\}((?:(?!\{% endblocktranslate).)*?"
    r"\{\{ \w+ \}\} (?:invited |further |more )?(?:answers|statements|experts|rounds|rows)\b)",
    re.S,
)


def test_every_counted_noun_in_a_template_has_a_singular():
    found = [
        f"{path.relative_to(TEMPLATES)}: {match.group(1)[-80:]}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for match in UNCOUNTED.finditer(path.read_text(encoding="utf-8"))
    ]

    assert found == []
