from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from panels.models import Study
from transfer.exporting import study_export_bytes


class Command(BaseCommand):
    help = (
        "Write a whole study (settings, panels, experts, rounds, answers, statements, frozen "
        "results, audit log) to one JSON file that import_study reads on any installation."
    )

    def add_arguments(self, parser):
        parser.add_argument("study_id", type=int)
        parser.add_argument("-o", "--output", required=True, help="The file to write.")

    def handle(self, *args, study_id: int, output: str, **options):
        study = Study.objects.select_related("owner").filter(pk=study_id).first()
        if study is None:
            raise CommandError(_("There is no study %(id)s.") % {"id": study_id})
        path = Path(output)
        if not path.parent.is_dir():
            raise CommandError(_("The folder %(folder)s does not exist.") % {"folder": path.parent})
        content = study_export_bytes(study)
        path.write_bytes(content)
        self.stdout.write(
            _("Study %(id)s written to %(path)s (%(size)s bytes).")
            % {"id": study.pk, "path": path, "size": len(content)}
        )
