"""Frozen results: the statistics of each item, written when its round closes
(`rounds.results`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .content import RoundItem
from .rounds import DEFAULT_CRITERION


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
    # The rule the row was frozen under (`rounds.results.frozen_rule`): the consensus statistic
    # and its threshold, the band cut-offs, the scale. A later protocol deviation changes the
    # study's rule, not this row's verdict; pages show the two side by side, labelled.
    rule = models.JSONField(_("rule when frozen"), default=dict, blank=True)
    frozen_at = models.DateTimeField(_("frozen"), auto_now_add=True)

    class Meta:
        verbose_name = _("item result")
        verbose_name_plural = _("item results")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "criterion"],
                name="unique_result_per_item",
                violation_error_message=_("This statement already has a result on this criterion."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.median} / {self.iqr}"
