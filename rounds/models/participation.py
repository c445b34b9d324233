"""Participation: who was asked to answer a round, their submissions and everything they
answered (open answers, ratings, suggestions per domain), and the content-analysis trail from
an open answer to the statements drawn from it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from panels.models import Expert

from .content import Domain, OpenQuestion, RoundItem, Statement
from .rounds import DEFAULT_CRITERION, Round


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
                fields=["submission", "domain"],
                name="unique_suggestion_per_domain",
                violation_error_message=_(
                    "This answer sheet already has a suggestion for this domain."
                ),
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
                fields=["delphi_round", "expert"],
                name="unique_invitation_per_round",
                violation_error_message=_("This expert is already invited to this round."),
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
                fields=["delphi_round", "expert"],
                name="unique_submission_per_round",
                violation_error_message=_("This expert already has an answer sheet in this round."),
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
                fields=["submission", "question", "position"],
                name="unique_open_answer_slot",
                violation_error_message=_("This answer box is already filled in."),
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
            models.UniqueConstraint(
                fields=["statement", "answer"],
                name="unique_statement_source",
                violation_error_message=_("This answer is already a source of this statement."),
            ),
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
                fields=["submission", "item", "criterion"],
                name="unique_rating_per_item",
                violation_error_message=_("This statement is already rated on this criterion."),
            ),
            models.CheckConstraint(
                condition=models.Q(value__lte=10),
                name="rating_value_range",
                violation_error_message=_("A rating is at most 10."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} = {self.value}"
