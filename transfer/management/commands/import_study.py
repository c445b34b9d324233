from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from transfer.importing import ImportRefused
from transfer.services import study_import


class Command(BaseCommand):
    help = (
        "Create a new study from a file written by export_study (here or on another "
        "installation), owned by the given researcher. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The export file (.json, or .json.gz).")
        parser.add_argument(
            "--owner", required=True, help="User name of the researcher who will own the study."
        )

    def handle(self, *args, path: str, owner: str, **options):
        user_model = get_user_model()
        user = user_model.objects.filter(**{user_model.USERNAME_FIELD: owner}).first()
        if user is None:
            raise CommandError(_("There is no user “%(name)s”.") % {"name": owner})
        try:
            content = Path(path).read_bytes()
        except OSError as error:
            raise CommandError(
                _("The file %(path)s cannot be read: %(reason)s")
                % {"path": path, "reason": error.strerror or error}
            ) from error
        try:
            result = study_import(content=content, owner=user)
        except ImportRefused as refused:
            raise CommandError(refused.message) from refused
        if result.same_title:
            self.stdout.write(
                _("%(name)s already had a study with this title; both are kept.") % {"name": owner}
            )
        self.stdout.write(
            _("Imported as study %(id)s: “%(title)s”.")
            % {"id": result.study.pk, "title": result.study.title}
        )
