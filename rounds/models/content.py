"""The content of a study: domains, open questions, statements and the items of a round."""

from django.db import models, transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from panels.models import Study

from .rounds import Round


class Domain(models.Model):
    """A theme the statements are grouped under, e.g. "Process of building the network"."""

    study = models.ForeignKey(
        Study, verbose_name=_("study"), on_delete=models.CASCADE, related_name="domains"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title


class OpenQuestion(models.Model):
    """A free-text question of an open (round 1) questionnaire."""

    delphi_round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="questions"
    )
    domain = models.ForeignKey(
        Domain,
        verbose_name=_("domain"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questions",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.TextField(_("question"))

    class Meta:
        verbose_name = _("open question")
        verbose_name_plural = _("open questions")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class Statement(models.Model):
    """A statement experts rate; it keeps its identity across rounds, so stability is measurable."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        MERGED = "merged", _("Merged into another statement")
        OUT_OF_SCOPE = "out_of_scope", _("Out of scope")

    class Origin(models.TextChoices):
        ANSWERS = "answers", _("From experts' answers")
        RESEARCHER = "researcher", _("Added by the researcher")
        COMMENT = "comment", _("Suggested in an expert's comment")

    study = models.ForeignKey(
        Study, verbose_name=_("study"), on_delete=models.CASCADE, related_name="statements"
    )
    domain = models.ForeignKey(
        Domain,
        verbose_name=_("domain"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statements",
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    # The statement's number in its study (shown as its code, S01, S02, …): given once when
    # the statement is created, in creation order, and never changed, so the same statement
    # carries the same code on every page, report and round.
    number = models.PositiveIntegerField(_("number"), blank=True, editable=False)
    text = models.TextField(_("statement"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    out_of_scope_reason = models.TextField(_("why it is out of scope"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_statements",
    )
    origin = models.CharField(
        _("origin"), max_length=12, choices=Origin.choices, default=Origin.ANSWERS
    )
    sources = models.ManyToManyField(
        "OpenAnswer",
        verbose_name=_("answers it came from"),
        through="StatementSource",
        related_name="statements",
        blank=True,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Counts the changes of the wording and domain (what the edit form holds), so a form
    # opened before a colleague's save is recognised as stale instead of overwriting it.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["domain__order", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["study", "number"], name="unique_statement_number_per_study"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def save(self, *args, **kwargs):
        """A new statement takes the next free number of its study, the study row locked so
        that two statements created at once never get the same number."""
        if self.number is None:
            with transaction.atomic():
                self.number = next_statement_numbers(self.study_id, 1)[0]
                super().save(*args, **kwargs)
            return
        super().save(*args, **kwargs)

    @property
    def code(self) -> str:
        """S01, S02, …: the statement's label wherever a person reads it."""
        return statement_code(self.number)


def statement_code(number: int | None) -> str:
    return f"S{number:02d}" if number is not None else ""


def next_statement_numbers(study_id: int, count: int) -> list[int]:
    """The next `count` free statement numbers of a study, for statements about to be created
    (bulk_create does not call save()). Locks the study row: call inside a transaction."""
    Study.objects.select_for_update().filter(pk=study_id).values_list("pk", flat=True).first()
    highest = Statement.objects.filter(study_id=study_id).aggregate(top=Max("number"))["top"]
    start = (highest or 0) + 1
    return list(range(start, start + count))


class RoundItem(models.Model):
    """A statement as it appears in one rating or confirmation round."""

    delphi_round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="items"
    )
    statement = models.ForeignKey(
        Statement, verbose_name=_("statement"), on_delete=models.PROTECT, related_name="items"
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("round item")
        verbose_name_plural = _("round items")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["delphi_round", "statement"],
                name="unique_statement_per_round",
                violation_error_message=_("This statement is already in this round."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.statement)
