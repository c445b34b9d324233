import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# The seed study's 5-point likelihood scale (SUMMARY.md); a study may reword it.
DEFAULT_SCALE_LABELS = [
    "น้อยที่สุด",
    "น้อย",
    "ปานกลาง",
    "มาก",
    "มากที่สุด",
]
DEFAULT_BAND_CUTOFFS = (Decimal("1.49"), Decimal("2.49"), Decimal("3.49"), Decimal("4.49"))
DEFAULT_CONSENSUS_IQR = Decimal("1.50")


def new_link_key() -> str:
    return secrets.token_hex(16)


def default_scale_labels() -> list[str]:
    return list(DEFAULT_SCALE_LABELS)


class ConsensusRule(models.TextChoices):
    IQR = "iqr", _("Interquartile range only")
    IQR_AND_AGREEMENT = "iqr_and_agreement", _("Interquartile range and percent agreement")


def _percent_field(default: Decimal, verbose_name) -> models.DecimalField:
    return models.DecimalField(
        verbose_name,
        max_digits=5,
        decimal_places=2,
        default=default,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )


def _score_field(default: Decimal, verbose_name) -> models.DecimalField:
    return models.DecimalField(
        verbose_name,
        max_digits=3,
        decimal_places=2,
        default=default,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("5"))],
    )


class Study(models.Model):
    class Status(models.TextChoices):
        SETUP = "setup", _("Being set up")
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")
        ARCHIVED = "archived", _("Archived")

    class Language(models.TextChoices):
        THAI = "th", _("Thai")
        ENGLISH = "en", _("English")

    title = models.CharField(_("title"), max_length=300)
    title_en = models.CharField(_("title in English"), max_length=300, blank=True)
    description = models.TextField(_("purpose of the study"), blank=True)
    # Who runs the study and where: the cover of the reports, the letterhead and signature
    # of the invitation letters, and the methods text a thesis chapter needs.
    researcher_name = models.CharField(_("researcher's name"), max_length=200, blank=True)
    researcher_position = models.CharField(
        _("researcher's position"),
        max_length=200,
        blank=True,
        help_text=_("For example: doctoral student, Educational Administration."),
    )
    institution = models.CharField(
        _("institution"),
        max_length=300,
        blank=True,
        help_text=_("Faculty and university, printed at the head of letters and reports."),
    )
    institution_address = models.TextField(
        _("address of the institution"), max_length=500, blank=True
    )
    degree = models.CharField(
        _("degree"),
        max_length=300,
        blank=True,
        help_text=_("The degree the study is part of, if any, e.g. Doctor of Philosophy."),
    )
    advisor_name = models.CharField(_("advisor's name"), max_length=200, blank=True)
    language = models.CharField(
        _("language of the questionnaires"),
        max_length=2,
        choices=Language.choices,
        default=Language.THAI,
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="owned_studies",
    )
    collaborators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("collaborators"),
        through="StudyMember",
        related_name="shared_studies",
        blank=True,
    )
    scale_labels = models.JSONField(
        _("labels of the scale points"),
        default=default_scale_labels,
        help_text=_("One label per point, from 1 (lowest) to 5 (highest)."),
    )
    band_cutoff_1 = _score_field(DEFAULT_BAND_CUTOFFS[0], _("upper limit of the 'least' band"))
    band_cutoff_2 = _score_field(DEFAULT_BAND_CUTOFFS[1], _("upper limit of the 'low' band"))
    band_cutoff_3 = _score_field(DEFAULT_BAND_CUTOFFS[2], _("upper limit of the 'moderate' band"))
    band_cutoff_4 = _score_field(DEFAULT_BAND_CUTOFFS[3], _("upper limit of the 'high' band"))
    consensus_iqr_threshold = _score_field(
        DEFAULT_CONSENSUS_IQR, _("consensus when the interquartile range is at most")
    )
    consensus_rule = models.CharField(
        _("consensus rule"),
        max_length=20,
        choices=ConsensusRule.choices,
        default=ConsensusRule.IQR,
    )
    agreement_threshold = _percent_field(
        Decimal("70"), _("agreement needed: share of answers in the top two points (%)")
    )
    stopping_consensus_share = _percent_field(
        Decimal("80"), _("stop when at least this share of statements has consensus (%)")
    )
    stopping_requires_stability = models.BooleanField(
        _("and only when answers are stable between rounds"), default=True
    )
    stability_max_change = _percent_field(
        Decimal("15"), _("answers are stable when at most this share of experts changed (%)")
    )
    # Set when the first rating round opens: the rules above are then the protocol, and any
    # later change is a deviation that needs a reason and is reported.
    rules_locked_at = models.DateTimeField(_("rules fixed"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SETUP
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("study")
        verbose_name_plural = _("studies")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(band_cutoff_1__lt=models.F("band_cutoff_2"))
                & models.Q(band_cutoff_2__lt=models.F("band_cutoff_3"))
                & models.Q(band_cutoff_3__lt=models.F("band_cutoff_4")),
                name="study_band_cutoffs_increasing",
                violation_error_message=_(
                    "The cut-offs of the bands must rise from the lowest band to the highest."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("panels:study_detail", kwargs={"study_pk": self.pk})

    # The status a reader sees is derived from the rounds (`phase`); the stored `status` only
    # keeps what the researcher decides: finished or archived (set up and running both mean
    # "follow the rounds").
    PHASE_HELP = _(
        "Being set up until the first round is sent to experts; running from then on; "
        "finished once the qualified persons' confirmation round is closed and no other round "
        "is waiting, or when you mark it finished here and no round is open. Archived studies "
        "are kept as they are."
    )

    @property
    def phase(self) -> str:
        """The study's status as shown: set up → running → finished, from its rounds.

        Set up while no round has been sent (every round a draft, or none); running once one
        has; finished when a confirmation round (the qualified persons' certification, which
        ends a Delphi study) is closed and no round is a draft or open, or when the researcher
        marked it finished and no round is open (reopening a round makes it running again).
        Archived stays archived. Reads the annotations of `panels.selectors.with_phase` when
        present, else one query. The round states are compared as the strings `rounds`
        stores, so that panels need not import rounds.
        """
        if self.status == self.Status.ARCHIVED:
            return self.Status.ARCHIVED
        if hasattr(self, "rounds_sent"):
            sent, running = bool(self.rounds_sent), bool(self.rounds_open)
            waiting, certified = bool(self.rounds_waiting), bool(self.rounds_certified)
        else:
            rounds = set(self.rounds.values_list("status", "kind").distinct())
            statuses = {status for status, _kind in rounds}
            sent, running = bool(statuses - {"draft"}), "open" in statuses
            waiting = bool(statuses & {"draft", "open"})
            certified = ("closed", "confirmation") in rounds
        if running:
            return self.Status.RUNNING
        if self.status == self.Status.FINISHED or (certified and not waiting):
            return self.Status.FINISHED
        return self.Status.RUNNING if sent else self.Status.SETUP

    @property
    def phase_label(self) -> str:
        return str(self.Status(self.phase).label)

    @property
    def band_cutoffs(self) -> tuple[Decimal, Decimal, Decimal, Decimal]:
        return (self.band_cutoff_1, self.band_cutoff_2, self.band_cutoff_3, self.band_cutoff_4)

    @property
    def rules_locked(self) -> bool:
        return self.rules_locked_at is not None

    @property
    def scale_points(self) -> int:
        return len(self.scale_labels)


class StudyMember(models.Model):
    """A researcher other than the owner who may see (viewer) or also change (editor) a study."""

    class Role(models.TextChoices):
        EDITOR = "editor", _("Editor")
        VIEWER = "viewer", _("Viewer")

    study = models.ForeignKey(
        Study, verbose_name=_("study"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("researcher"),
        on_delete=models.CASCADE,
        related_name="study_memberships",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.VIEWER)
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("collaborator")
        verbose_name_plural = _("collaborators")
        constraints = [
            models.UniqueConstraint(
                fields=["study", "user"],
                name="unique_study_member",
                violation_error_message=_("This person is already a member of this study."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class Panel(models.Model):
    study = models.ForeignKey(
        Study, verbose_name=_("study"), on_delete=models.CASCADE, related_name="panels"
    )
    name = models.CharField(_("name"), max_length=200)
    purpose = models.TextField(_("purpose"), blank=True)
    code_prefix = models.CharField(
        _("prefix of expert codes"),
        max_length=3,
        default="E",
        help_text=_("Experts are shown in results as this prefix and a number, e.g. E01."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("panel")
        verbose_name_plural = _("panels")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["study", "code_prefix"],
                name="unique_panel_code_prefix_per_study",
                violation_error_message=_(
                    "Another panel of this study already uses this code prefix."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "panels:panel_detail", kwargs={"study_pk": self.study_id, "panel_pk": self.pk}
        )


class Expert(models.Model):
    panel = models.ForeignKey(
        Panel, verbose_name=_("panel"), on_delete=models.CASCADE, related_name="experts"
    )
    code = models.CharField(
        _("code"),
        max_length=10,
        help_text=_("Shown instead of the name in every anonymised output."),
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    line_id = models.CharField(_("LINE ID"), max_length=100, blank=True)
    organisation = models.CharField(_("organisation"), max_length=300, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    qualification = models.TextField(_("qualification"), blank=True)
    consent_given_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    # Half of the personal link's secret: the link also carries an HMAC made with the site's
    # SECRET_KEY, so a copy of the database alone cannot produce a working link.
    link_key = models.CharField(_("link key"), max_length=32, default=new_link_key, editable=False)
    link_revoked_at = models.DateTimeField(_("link revoked"), null=True, blank=True)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "code"],
                name="unique_expert_code_per_panel",
                violation_error_message=_("Another expert of this panel already has this code."),
            ),
            models.UniqueConstraint(
                Lower("email"),
                "panel",
                condition=~models.Q(email=""),
                name="unique_expert_email_per_panel",
                violation_error_message=_(
                    "Another expert of this panel already has this e-mail address."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class AuditEvent(models.Model):
    """Who did what to a study, kept for the committee and for protocol deviations."""

    study = models.ForeignKey(
        Study, verbose_name=_("study"), on_delete=models.CASCADE, related_name="audit_events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=60)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    # In a study imported from another site, the detail key naming who did it there.
    IMPORTED_ACTOR = "imported_actor"

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"

    @property
    def actor_name(self) -> str:
        """Who did it: the account's name, or for a study imported from another site the name
        the event had there (accounts do not travel; see transfer.tables)."""
        if self.actor is not None:
            return self.actor.get_full_name() or self.actor.get_username()
        return str(self.detail.get(self.IMPORTED_ACTOR, ""))
