"""What the demo study is made of, read from the data files in demo/data/.

study.json holds the study as the researcher sets it up: its titles and scale, the two panels
with their people, the domains with the round-1 questions, and the four rounds. The answers
and ratings are in answers.json, ratings.json and confirmation.json, read by the modules that
load them (`demo.answers`, `demo.ratings`, `demo.confirmation`).

Titles, domains, scale wording and dates are those of the Thai paper
(delphi_study_paper_th.txt); every person, e-mail address, phone number and LINE id is
invented. Values are turned into the tuples below once, when the module is imported, so the
loaders work with plain Python values and a typo in a file fails at import, not halfway
through a load.
"""

import datetime
import json
from importlib.resources import files
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from rounds.models import Round

BANGKOK = ZoneInfo("Asia/Bangkok")


def read_data(name: str) -> Any:
    """The parsed JSON file `name` of demo/data/."""
    return json.loads((files("demo") / "data" / name).read_text(encoding="utf-8"))


def local_time(text: str) -> datetime.datetime:
    """A Bangkok wall-clock time written without an offset ("2019-01-22T09:00")."""
    return datetime.datetime.fromisoformat(text).replace(tzinfo=BANGKOK)


class DemoPerson(NamedTuple):
    name: str
    position: str
    organisation: str
    qualification: str
    line_id: str = ""


class DemoPanel(NamedTuple):
    code_prefix: str
    name: str
    purpose: str
    phone_prefix: str
    people: tuple[DemoPerson, ...]


class DemoDomain(NamedTuple):
    title: str
    description: str
    questions: tuple[str, ...]


class DemoRound(NamedTuple):
    number: int
    kind: str
    code_prefix: str
    title: str
    instructions: str
    opens_at: datetime.datetime | None
    closes_at: datetime.datetime | None


def _opens(day: str | None) -> datetime.datetime | None:
    # A round opens at nine in the morning of its first day, Bangkok time.
    if day is None:
        return None
    return datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(9, 0), BANGKOK)


def _closes(day: str | None) -> datetime.datetime | None:
    # ...and closes at the end of its last day.
    if day is None:
        return None
    return datetime.datetime.combine(
        datetime.date.fromisoformat(day), datetime.time(23, 59), BANGKOK
    )


_STUDY = read_data("study.json")

TITLE: str = _STUDY["title"]
TITLE_EN: str = _STUDY["title_en"]
DESCRIPTION: str = _STUDY["description"]
# Researcher, institution, degree and advisor (fictitious, like the experts' contacts).
COVER: dict[str, str] = _STUDY["cover"]
# The paper's 5-point likelihood scale (Likert), from 1 to 5.
SCALE_LABELS: list[str] = _STUDY["scale_labels"]

PANELS = tuple(
    DemoPanel(
        panel["code_prefix"],
        panel["name"],
        panel["purpose"],
        panel["phone_prefix"],
        tuple(DemoPerson(**person) for person in panel["people"]),
    )
    for panel in _STUDY["panels"]
)
_PEOPLE = {panel.code_prefix: panel.people for panel in PANELS}
# The 21 specialists answer rounds 1 to 3; the 7 qualified persons certify the model.
SPECIALISTS = _PEOPLE["E"]
QUALIFIED_PERSONS = _PEOPLE["Q"]

# The paper's order: the model rests on its underlying concepts (abstract), then the
# process, the components and the scope of cooperative administration (discussion).
DOMAINS = tuple(
    DemoDomain(domain["title"], domain["description"], tuple(domain["questions"]))
    for domain in _STUDY["domains"]
)
# Asked last in round 1, under no domain: what the domains above do not cover.
CLOSING_QUESTION: str = _STUDY["closing_question"]

# Dates of the paper (B.E. 2562 = 2019); the confirmation round has none.
ROUNDS = tuple(
    DemoRound(
        spec["number"],
        Round.Kind(spec["kind"]),
        spec["panel"],
        spec["title"],
        spec["instructions"],
        _opens(spec["opens_on"]),
        _closes(spec["closes_on"]),
    )
    for spec in _STUDY["rounds"]
)
