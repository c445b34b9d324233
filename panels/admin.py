from django.contrib import admin

from .models import AuditEvent, Expert, Panel, Study, StudyMember


class StudyMemberInline(admin.TabularInline):
    model = StudyMember
    extra = 0
    autocomplete_fields = ["user"]


class PanelInline(admin.TabularInline):
    model = Panel
    extra = 0
    show_change_link = True


@admin.register(Study)
class StudyAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "status", "language", "created_at"]
    list_filter = ["status", "language"]
    search_fields = ["title", "title_en", "owner__username", "owner__email"]
    autocomplete_fields = ["owner"]
    inlines = [StudyMemberInline, PanelInline]
    date_hierarchy = "created_at"


class ExpertInline(admin.TabularInline):
    model = Expert
    extra = 0
    fields = ["code", "name", "email", "phone", "line_id", "organisation"]
    show_change_link = True


@admin.register(Panel)
class PanelAdmin(admin.ModelAdmin):
    list_display = ["name", "study", "code_prefix", "order"]
    list_select_related = ["study"]
    search_fields = ["name", "study__title"]
    inlines = [ExpertInline]


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "panel", "email", "organisation", "consent_given_at"]
    list_select_related = ["panel", "panel__study"]
    list_filter = ["panel__study"]
    search_fields = ["code", "name", "email", "organisation", "line_id"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "study", "actor", "action"]
    list_select_related = ["study", "actor"]
    list_filter = ["action"]
    search_fields = ["action", "study__title", "actor__username"]
    date_hierarchy = "created_at"

    # The audit trail is evidence: nobody edits or deletes it, not even a superuser.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
