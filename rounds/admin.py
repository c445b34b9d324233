from django.contrib import admin

from .models import Domain, OpenQuestion, Round


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
