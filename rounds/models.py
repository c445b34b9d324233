from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from panels.models import Expert, Panel, Study


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
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["study", "number"], name="unique_round_number"),
            models.CheckConstraint(
                condition=models.Q(opens_at__isnull=True)
                | models.Q(closes_at__isnull=True)
                | models.Q(opens_at__lt=models.F("closes_at")),
                name="round_opens_before_deadline",
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
    text = models.TextField(_("statement"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
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

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["domain__order", "order", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


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
                fields=["delphi_round", "statement"], name="unique_statement_per_round"
            ),
        ]

    def __str__(self) -> str:
        return str(self.statement)


class DomainSuggestion(models.Model):
    """An expert's free-text suggestion about one domain of the model (confirmation rounds)."""

    submission = models.ForeignKey(
        "Submission",
        verbose_name=_("submission"),
        on_delete=models.CASCADE,
        related_name="suggestions",
    )
    domain = models.ForeignKey(
        Domain, verbose_name=_("domain"), on_delete=models.PROTECT, related_name="suggestions"
    )
    text = models.TextField(_("suggestion"))
    updated_at = models.DateTimeField(_("last change"), auto_now=True)

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "domain"], name="unique_suggestion_per_domain"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class Channel(models.TextChoices):
    WEB = "web", _("Web (personal link)")
    PAPER = "paper", _("Paper")
    EMAIL = "email", _("E-mail")
    LINE = "line", _("LINE")
    PHONE = "phone", _("Phone")
    INTERVIEW = "interview", _("Interview")


class Invitation(models.Model):
    """That an expert was asked to answer a round, and what became of the asking."""

    class SendStatus(models.TextChoices):
        NOT_SENT = "not_sent", _("Not sent")
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    delphi_round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="invitations"
    )
    expert = models.ForeignKey(
        Expert, verbose_name=_("expert"), on_delete=models.PROTECT, related_name="invitations"
    )
    send_status = models.CharField(
        _("e-mail"), max_length=10, choices=SendStatus.choices, default=SendStatus.NOT_SENT
    )
    send_error = models.TextField(_("sending error"), blank=True)
    sent_at = models.DateTimeField(_("invited"), null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    last_reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    opened_at = models.DateTimeField(_("first opened"), null=True, blank=True)
    deadline_override = models.DateTimeField(_("personal deadline"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["delphi_round", "expert"], name="unique_invitation_per_round"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delphi_round} → {self.expert.code}"


class Submission(models.Model):
    """An expert's answers to one round: a draft (autosaved) until submitted."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("In progress")
        SUBMITTED = "submitted", _("Submitted")

    delphi_round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.PROTECT, related_name="submissions"
    )
    expert = models.ForeignKey(
        Expert, verbose_name=_("expert"), on_delete=models.PROTECT, related_name="submissions"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.WEB
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The researcher who keyed in answers received on paper, by phone, …"),
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["delphi_round", "expert"], name="unique_submission_per_round"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delphi_round} · {self.expert.code}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class OpenAnswer(models.Model):
    """One free-text answer; an expert may give several to the same question."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        OpenQuestion, verbose_name=_("question"), on_delete=models.PROTECT, related_name="answers"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    text = models.TextField(_("answer"))
    # Content analysis: an answer becomes one or more statements (StatementSource), or is set
    # aside as out of scope with the researcher's reason.
    out_of_scope_reason = models.TextField(_("why it is out of scope"), blank=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)

    class Meta:
        verbose_name = _("open answer")
        verbose_name_plural = _("open answers")
        ordering = ["question__order", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "question", "position"], name="unique_open_answer_slot"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class StatementSource(models.Model):
    """That a statement was drawn from an expert's answer: the content-analysis trail."""

    statement = models.ForeignKey(
        Statement, verbose_name=_("statement"), on_delete=models.CASCADE, related_name="+"
    )
    answer = models.ForeignKey(
        OpenAnswer, verbose_name=_("answer"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("source of a statement")
        verbose_name_plural = _("sources of statements")
        constraints = [
            models.UniqueConstraint(fields=["statement", "answer"], name="unique_statement_source"),
        ]

    def __str__(self) -> str:
        return f"{self.statement_id} ← {self.answer_id}"


CANNOT_JUDGE = 0


class Rating(models.Model):
    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.CASCADE, related_name="ratings"
    )
    item = models.ForeignKey(
        RoundItem, verbose_name=_("statement"), on_delete=models.PROTECT, related_name="ratings"
    )
    criterion = models.CharField(_("criterion"), max_length=40, default=DEFAULT_CRITERION)
    # 1…points; 0 means "cannot judge" and is left out of every statistic.
    value = models.PositiveSmallIntegerField(_("rating"))
    comment = models.TextField(_("comment"), blank=True)
    reason = models.TextField(_("reason for moving outside the group's range"), blank=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "item", "criterion"], name="unique_rating_per_item"
            ),
            models.CheckConstraint(condition=models.Q(value__lte=10), name="rating_value_range"),
        ]

    def __str__(self) -> str:
        return f"{self.item} = {self.value}"


class ItemResult(models.Model):
    """Statistics of one item (and criterion), frozen when its round closed.

    Feedback to experts and every report read these rows, so a number never changes
    silently after the committee has seen it.
    """

    item = models.ForeignKey(
        RoundItem, verbose_name=_("statement"), on_delete=models.CASCADE, related_name="results"
    )
    criterion = models.CharField(_("criterion"), max_length=40, default=DEFAULT_CRITERION)
    n = models.PositiveIntegerField(_("answers"))
    counts = models.JSONField(_("answers per scale point"))
    median = models.DecimalField(_("median"), max_digits=4, decimal_places=2, null=True)
    q1 = models.DecimalField(_("first quartile"), max_digits=4, decimal_places=2, null=True)
    q3 = models.DecimalField(_("third quartile"), max_digits=4, decimal_places=2, null=True)
    iqr = models.DecimalField(_("interquartile range"), max_digits=4, decimal_places=2, null=True)
    band = models.CharField(_("band"), max_length=10, blank=True)
    consensus = models.BooleanField(_("consensus"), default=False)
    extra = models.JSONField(_("other measures"), default=dict, blank=True)
    method = models.CharField(_("method"), max_length=20, default="grouped")
    frozen_at = models.DateTimeField(_("frozen"), auto_now_add=True)

    class Meta:
        verbose_name = _("item result")
        verbose_name_plural = _("item results")
        constraints = [
            models.UniqueConstraint(fields=["item", "criterion"], name="unique_result_per_item"),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.median} / {self.iqr}"
