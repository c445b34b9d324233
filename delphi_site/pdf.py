"""PDF rendering shared by the invitation letters (rounds.lifecycle.letters) and the reports
(reports.pdf).

Every PDF embeds the vendored Sarabun font, and WeasyPrint is given a fetcher that reads only
those font files and inline data, so rendering a document never makes the server contact another
host nor read another local file, whatever the text in it says.
"""

from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.contrib.staticfiles import finders
from weasyprint import HTML, Document
from weasyprint.urls import URLFetcher

FONT_DIR = "vendor/fonts/sarabun"
FONT_FILES = {
    "regular": "Sarabun-Regular.ttf",
    "bold": "Sarabun-Bold.ttf",
    "italic": "Sarabun-Italic.ttf",
}


def font_dir() -> Path:
    found = finders.find(f"{FONT_DIR}/{FONT_FILES['regular']}")
    if not found:
        raise FileNotFoundError(f"The vendored font is missing from static/{FONT_DIR}/.")
    return Path(found).resolve().parent


class LocalOnlyFetcher(URLFetcher):
    """Fetch `data:` URLs and files inside one folder; refuse everything else.

    Refusing remote URLs keeps rendering from waiting on (or leaking to) another host; limiting
    `file:` to the font folder keeps text in a letter from ever pulling in another local file.
    """

    def __init__(self, allowed_dir: Path):
        super().__init__(allowed_protocols=("file", "data"))
        self.allowed_dir = allowed_dir.resolve()

    def fetch(self, url: str, headers=None):
        scheme = url.split(":", 1)[0].lower()
        if scheme == "file":
            path = Path(url2pathname(urlsplit(url).path)).resolve()
            if not path.is_relative_to(self.allowed_dir):
                raise ValueError(f"Refused to read a file outside the font folder: {url}")
        elif scheme != "data":
            raise ValueError(f"Refused to fetch a resource from outside: {url}")
        return super().fetch(url, headers)


def render_document(html: str) -> Document:
    """Lay the HTML out on pages (letters and reports are A4), reading nothing but the vendored
    fonts."""
    directory = font_dir()
    return HTML(
        string=html,
        base_url=directory.as_uri() + "/",
        url_fetcher=LocalOnlyFetcher(directory),
    ).render()


def render_pdf(html: str) -> bytes:
    return render_document(html).write_pdf()
