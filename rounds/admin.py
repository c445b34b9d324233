from django.contrib import admin

from .models import (
    Domain,
    Invitation,
    ItemResult,
    OpenAnswer,
    OpenQuestion,
    Rating,
    Round,
    RoundItem,
    Statement,
    Submission,
)


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ["title", "study", "order"]
    list_select_related = ["study"]
    list_filter = ["study"]
    search_fields = ["title"]


class OpenQuestionInline(admin.StackedInline):
    model = OpenQuestion
    extra = 0


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["__str__", "study", "number", "kind", "panel", "status", "closes_at"]
    list_select_related = ["study", "panel"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "study__title"]
    inlines = [OpenQuestionInline]


@admin.register(OpenQuestion)
class OpenQuestionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "delphi_round", "domain", "order"]
    list_select_related = ["delphi_round", "domain"]
    search_fields = ["text"]


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    list_display = ["code", "__str__", "study", "domain", "status", "order"]
    list_select_related = ["study", "domain"]
    list_filter = ["status", "study"]
    search_fields = ["text"]


@admin.register(RoundItem)
class RoundItemAdmin(admin.ModelAdmin):
    list_display = ["__str__", "delphi_round", "order"]
    list_select_related = ["delphi_round", "statement"]
    search_fields = ["statement__text"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["expert", "delphi_round", "send_status", "sent_at", "reminders_sent"]
    list_select_related = ["expert", "delphi_round"]
    list_filter = ["send_status"]
    search_fields = ["expert__code", "expert__name"]


class OpenAnswerInline(admin.TabularInline):
    model = OpenAnswer
    extra = 0


class RatingInline(admin.TabularInline):
    model = Rating
    extra = 0
    raw_id_fields = ["item"]


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["expert", "delphi_round", "status", "channel", "submitted_at", "entered_by"]
    list_select_related = ["expert", "delphi_round", "entered_by"]
    list_filter = ["status", "channel"]
    search_fields = ["expert__code", "expert__name"]
    inlines = [OpenAnswerInline, RatingInline]


@admin.register(ItemResult)
class ItemResultAdmin(admin.ModelAdmin):
    list_display = ["item", "criterion", "n", "median", "iqr", "band", "consensus", "frozen_at"]
    list_select_related = ["item__statement"]
    list_filter = ["consensus", "band"]

    # Frozen results are what the committee saw: they change only by closing the round again.
    def has_change_permission(self, request, obj=None):
        return False
