"""Rounds: what a round is, its kind and status, and what its items are rated on."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from panels.models import Panel, Study

# The criterion of an ordinary rating round; confirmation rounds name their own.
DEFAULT_CRITERION = "rating"

# The criteria a model is usually certified on. Stored labels are plain text in the study's
# language (not translated at display time): the researcher may rename them, and the
# questionnaire must show exactly the words the researcher chose.
CONFIRMATION_CRITERIA = (
    ("appropriateness", "ความเหมาะสม", "Appropriateness"),
    ("usefulness", "ความเป็นประโยชน์", "Usefulness"),
    ("feasibility", "ความเป็นไปได้", "Feasibility"),
)


def default_confirmation_criteria(language: str) -> list[dict]:
    return [
        {"code": code, "label": english if language == "en" else thai}
        for code, thai, english in CONFIRMATION_CRITERIA
    ]


class ConfirmationStatistic(models.TextChoices):
    MEDIAN = "median", _("Median and interquartile range (consensus)")
    MEAN = "mean", _("Mean and standard deviation")


class Round(models.Model):
    class Kind(models.TextChoices):
        OPEN = "open", _("Open questions")
        RATING = "rating", _("Rating")
        CONFIRMATION = "confirmation", _("Confirmation")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    study = models.ForeignKey(
        Study, verbose_name=_("study"), on_delete=models.CASCADE, related_name="rounds"
    )
    # PROTECT: a panel that a round was sent to is part of the study's record.
    panel = models.ForeignKey(
        Panel, verbose_name=_("panel"), on_delete=models.PROTECT, related_name="rounds"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300, blank=True)
    instructions = models.TextField(_("instructions for experts"), blank=True)
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    previous_round = models.ForeignKey(
        "self",
        verbose_name=_("previous round"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_rounds",
    )
    # What experts see of the previous round (rating rounds built from another round).
    show_median = models.BooleanField(_("show the group's median"), default=True)
    show_iqr = models.BooleanField(_("show the interquartile range"), default=True)
    show_own_previous = models.BooleanField(
        _("show the expert's own previous answer"), default=True
    )
    show_distribution = models.BooleanField(_("show the distribution of answers"), default=True)
    require_reason_outside_iqr = models.BooleanField(
        _("ask for a reason when an answer moves outside the group's range"), default=False
    )
    # Off: an expert who keeps their own previous round's answer is not asked again why.
    require_reason_when_unchanged = models.BooleanField(
        _("ask for a reason even when the answer is unchanged from the expert's previous round"),
        default=False,
    )
    allow_cannot_judge = models.BooleanField(_("offer “cannot judge”"), default=False)
    # Confirmation rounds: what each item is rated on, [{"code": slug, "label": text}, …].
    # Empty means the one ordinary criterion (DEFAULT_CRITERION) of a rating round.
    criteria = models.JSONField(_("criteria"), default=list, blank=True)
    confirmation_statistic = models.CharField(
        _("statistic for the verdict"),
        max_length=6,
        choices=ConfirmationStatistic.choices,
        default=ConfirmationStatistic.MEDIAN,
    )
    # When the round was last closed (None while it is a draft or open): the real closing time,
    # which the deadline (`closes_at`) only plans.
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["study", "number"],
                name="unique_round_number",
                violation_error_message=_("This study already has a round with this number."),
            ),
            models.CheckConstraint(
                condition=models.Q(opens_at__isnull=True)
                | models.Q(closes_at__isnull=True)
                | models.Q(opens_at__lt=models.F("closes_at")),
                name="round_opens_before_deadline",
                violation_error_message=_("The round must open before its deadline."),
            ),
        ]

    def __str__(self) -> str:
        return self.display_title

    def get_absolute_url(self) -> str:
        return reverse(
            "rounds:round_detail", kwargs={"study_pk": self.study_id, "round_pk": self.pk}
        )

    @property
    def display_title(self) -> str:
        return self.title or str(_("Round %(number)s") % {"number": self.number})

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def rating_criteria(self) -> list[dict]:
        """What each item is rated on: [{"code", "label"}, …], never empty.

        A confirmation round whose researcher has not chosen yet rates on the three default
        criteria, labelled in the study's language (reads `self.study`); a rating round on
        the one ordinary criterion, which needs no label.
        """
        if self.criteria:
            return list(self.criteria)
        if self.kind == self.Kind.CONFIRMATION:
            return default_confirmation_criteria(self.study.language)
        return [{"code": DEFAULT_CRITERION, "label": ""}]

    @property
    def criterion_codes(self) -> list[str]:
        return [criterion["code"] for criterion in self.rating_criteria]
