"""Thai never shows as empty boxes: every font stack ends in the vendored Sarabun, so code,
form controls and the rest draw Thai with it even where the system has no Thai font."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from demo.services import DEMO_PASSWORD, DEMO_USERNAME, demo_study_load
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(settings.BASE_DIR)
STACK = re.compile(
    r"(?<![\w-])(?:font-family|--bs-font-sans-serif|--bs-font-monospace|--bs-body-font-family)"
    r"\s*:\s*([^;}]+)"
)


def test_code_and_form_controls_in_the_import_help_fall_back_to_sarabun(page, live_server):
    study = demo_study_load().study
    panel = study.panels.first()
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "th", "url": live_server.url}]
    )
    sign_in(page, DEMO_USERNAME, DEMO_PASSWORD)
    page.goto(reverse("panels:expert_import", args=[study.pk, panel.pk]))
    page.locator("code").first.wait_for(state="attached")

    families = page.evaluate(
        "Array.from(document.querySelectorAll(CONTROLS))"
        ".map(e => e.tagName + ': ' + getComputedStyle(e).fontFamily)".replace(
            "CONTROLS", '"code, pre, kbd, samp, input, select, textarea, button, body"'
        )
    )

    assert any(family.startswith("CODE") for family in families)
    assert [family for family in families if "Sarabun" not in family] == []


def test_every_font_stack_in_the_style_sheets_names_sarabun():
    sheets = [
        ROOT / "static/css/site.css",
        ROOT / "templates/reports/report.css",
        ROOT / "templates/rounds/letters/letters.html",
        ROOT / "templates/500.html",
    ]
    stacks = [
        (sheet.name, stack.strip())
        for sheet in sheets
        for stack in STACK.findall(sheet.read_text())
    ]

    assert stacks
    assert [
        (name, stack) for name, stack in stacks if "Sarabun" not in stack and stack != "inherit"
    ] == []
