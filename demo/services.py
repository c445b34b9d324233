"""The demo study: the seed study of SUMMARY.md with fictional people, loaded by
`python manage.py load_demo_study` (and so by `make run`).

What the study is made of (people, domains, questions, rounds, answers, ratings) is data, in
demo/data/ (read by `demo.content`); this module and the loaders it calls write it. E-mail
addresses are made here from the expert codes, in the reserved domain example.org, so that
nobody is ever mailed by accident.

Loading is additive: each piece is looked up by its natural key (panel by code prefix,
expert by code, domain and question by their order, round by number) and created only when
missing, so running it again neither duplicates anything nor undoes a researcher's edits.
Later features add their own pieces the same way: round 1's invitations and returned
questionnaires come from `demo.answers`; its content analysis (statements and their sources)
and rounds 2 and 3, answered, closed and frozen, from `demo.ratings`; round 4 from
`demo.confirmation`.
"""

from collections import Counter
from dataclasses import dataclass, field

from axes.utils import reset as axes_reset
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from panels.models import Expert, Panel, Study
from panels.services import audit
from rounds.models import Domain, OpenQuestion, Round

from .answers import round_one_answers_load
from .confirmation import confirmation_round_load
from .content import (
    CLOSING_QUESTION,
    COVER,
    DESCRIPTION,
    DOMAINS,
    PANELS,
    ROUNDS,
    SCALE_LABELS,
    TITLE,
    TITLE_EN,
)
from .ratings import rating_rounds_load, round_one_coding_load

DEMO_USERNAME = "demo"
# Published on purpose (README, `make run`): the demo account exists to be signed into.
DEMO_PASSWORD = "demo-delphi-2562"  # noqa: S105
DEMO_FIRST_NAME = "นักวิจัย"
DEMO_LAST_NAME = "ตัวอย่าง"
DEMO_EMAIL = "demo@example.org"
DEMO_URL = "http://127.0.0.1:8000/"


@dataclass
class DemoResult:
    study: Study
    user: AbstractUser
    # How many of each piece this load created: "user", "study", "panels", "experts",
    # "domains", "rounds", "questions", "invitations", "submissions", "answers". All zero
    # when the demo study was already complete.
    created: Counter = field(default_factory=Counter)

    @property
    def created_anything(self) -> bool:
        return any(self.created.values())


def _write(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(message + "\n")


def _demo_user(created: Counter) -> AbstractUser:
    user_model = get_user_model()
    user, user_created = user_model.objects.get_or_create(
        username=DEMO_USERNAME,
        defaults={
            "first_name": DEMO_FIRST_NAME,
            "last_name": DEMO_LAST_NAME,
            "email": DEMO_EMAIL,
        },
    )
    created["user"] += int(user_created)
    # The password is public, so the account must never carry more than a researcher's
    # rights, and the printed login must always work: reset both, and lift any lockout.
    user.set_password(DEMO_PASSWORD)
    user.is_active = True
    user.is_staff = False
    user.is_superuser = False
    user.save()
    axes_reset(username=DEMO_USERNAME)
    return user


def _ensure(model, created: Counter, counter: str, lookup: dict, defaults: dict):
    """The row matching `lookup`, created (validated) from `defaults` when missing."""
    obj = model.objects.filter(**lookup).order_by("pk").first()
    if obj is None:
        obj = model(**lookup, **defaults)
        obj.full_clean()
        obj.save()
        created[counter] += 1
    return obj


def _ensure_questions(delphi_round: Round, domains: list[Domain], created: Counter) -> None:
    # Experts may already be answering once round 1 is open: never change its questionnaire.
    if not delphi_round.is_draft:
        return
    questions = [
        (domain, text)
        for domain, demo_domain in zip(domains, DOMAINS, strict=True)
        for text in demo_domain.questions
    ]
    questions.append((None, CLOSING_QUESTION))
    for order, (domain, text) in enumerate(questions, start=1):
        _ensure(
            OpenQuestion,
            created,
            "questions",
            {"delphi_round": delphi_round, "order": order},
            {"domain": domain, "text": text},
        )


@transaction.atomic
def demo_study_load(*, stdout=None, until_round: int = 4) -> DemoResult:
    """Create whatever of the demo study is missing, and reset the demo login.

    The study is the demo user's study with the Thai title; panels, experts, domains,
    rounds and round-1 questions are each created only when absent, never changed when
    present. Round 1 then gets its invitations and 18 returned questionnaires and is closed,
    as in the paper (only while it is still an untouched draft). With `until_round` >= 2
    (the default is the whole story, 4) round 1's answers are coded into statements and
    round 2 is answered, closed and frozen; with 3, round 3 too; with 4 the qualified persons
    certify round 3's final model in round 4 (demo.confirmation). `until_round=1` stops after
    round 1's answers, leaving the content analysis to do (as a walkthrough needs). Writes
    progress lines to `stdout` when given. Raises ValidationError when an existing row
    blocks a missing one (e.g. an expert edited to use a demo e-mail address).
    """
    created: Counter = Counter()
    user = _demo_user(created)
    # Two loads at once (two `make run`s on one database) would both find no study and
    # create two; locking the owner's row makes the second wait and then find the first's.
    get_user_model().objects.select_for_update().get(pk=user.pk)
    if created["user"]:
        _write(
            stdout,
            _("Created the demo researcher “%(username)s”.") % {"username": user.get_username()},
        )

    study = _ensure(
        Study,
        created,
        "study",
        {"owner": user, "title": TITLE},
        {
            "title_en": TITLE_EN,
            "description": DESCRIPTION,
            "scale_labels": list(SCALE_LABELS),
            **COVER,
        },
    )
    if created["study"]:
        _write(stdout, _("Created the study “%(title)s”.") % {"title": study.title})

    panels = {}
    for order, demo_panel in enumerate(PANELS, start=1):
        panel = _ensure(
            Panel,
            created,
            "panels",
            {"study": study, "code_prefix": demo_panel.code_prefix},
            {"name": demo_panel.name, "purpose": demo_panel.purpose, "order": order},
        )
        panels[demo_panel.code_prefix] = panel
        before = created["experts"]
        for number, person in enumerate(demo_panel.people, start=1):
            code = f"{demo_panel.code_prefix}{number:02d}"
            _ensure(
                Expert,
                created,
                "experts",
                {"panel": panel, "code": code},
                {
                    **person._asdict(),
                    "email": f"{code.lower()}@example.org",
                    "phone": f"{demo_panel.phone_prefix}{number:02d}",
                },
            )
        added = created["experts"] - before
        if added:
            _write(
                stdout,
                ngettext(
                    "Added %(count)s expert to the panel “%(panel)s”.",
                    "Added %(count)s experts to the panel “%(panel)s”.",
                    added,
                )
                % {"count": added, "panel": panel.name},
            )

    domains = [
        _ensure(
            Domain,
            created,
            "domains",
            {"study": study, "order": order},
            {"title": demo_domain.title, "description": demo_domain.description},
        )
        for order, demo_domain in enumerate(DOMAINS, start=1)
    ]

    rounds: dict[int, Round] = {}
    for demo_round in ROUNDS:
        rounds[demo_round.number] = _ensure(
            Round,
            created,
            "rounds",
            {"study": study, "number": demo_round.number},
            {
                "panel": panels[demo_round.code_prefix],
                "kind": demo_round.kind,
                "title": demo_round.title,
                "instructions": demo_round.instructions,
                "opens_at": demo_round.opens_at,
                "closes_at": demo_round.closes_at,
                # Round 4 certifies the model built from round 3's statements.
                "previous_round": rounds.get(demo_round.number - 1),
            },
        )

    _ensure_questions(rounds[1], domains, created)
    round_one_answers_load(delphi_round=rounds[1], user=user, created=created)
    if until_round >= 2:
        round_one_coding_load(study=study, round_one=rounds[1], domains=domains, created=created)
        later = {n: r for n, r in rounds.items() if n <= until_round}
        rating_rounds_load(study=study, rounds=later, user=user, created=created)
    if until_round >= 4:
        confirmation_round_load(
            round_three=rounds.get(3), round_four=rounds.get(4), user=user, created=created
        )

    if created["domains"] or created["rounds"] or created["questions"]:
        _write(
            stdout,
            _("Added: domains %(domains)s, rounds %(rounds)s, round-1 questions %(questions)s.")
            % {
                "domains": created["domains"],
                "rounds": created["rounds"],
                "questions": created["questions"],
            },
        )
    if created["submissions"]:
        _write(
            stdout,
            _(
                "Round 1: invited %(invited)s specialists, added %(returned)s returned "
                "questionnaires (%(answers)s answers) and closed the round."
            )
            % {
                "invited": created["invitations"],
                "returned": created["submissions"],
                "answers": created["answers"],
            },
        )
    if created["statements"]:
        _write(
            stdout,
            _(
                "Round 1 coded: %(statements)s statements from the answers (%(merged)s of them "
                "duplicates merged into others), %(out_of_scope)s answers set aside as out of "
                "scope."
            )
            % {
                "statements": created["statements"],
                "merged": created["merged"],
                "out_of_scope": created["out_of_scope"],
            },
        )
    if created["rating_submissions"]:
        _write(
            stdout,
            _(
                "Rating rounds: added %(returned)s returned questionnaires with %(ratings)s "
                "ratings, closed the rounds and froze %(results)s results."
            )
            % {
                "returned": created["rating_submissions"],
                "ratings": created["ratings"],
                "results": created["results"],
            },
        )
    if created["confirmation_submissions"]:
        _write(
            stdout,
            _(
                "Round 4: %(returned)s qualified persons rated the %(items)s components of the "
                "final model on every criterion; the round was closed and %(results)s results "
                "frozen."
            )
            % {
                "returned": created["confirmation_submissions"],
                "items": created["confirmation_items"],
                "results": created["confirmation_results"],
            },
        )
    if any(created.values()):
        audit(study=study, actor=user, action="demo.load", created=dict(created))
    return DemoResult(study=study, user=user, created=created)
