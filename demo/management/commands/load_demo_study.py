from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from demo.services import DEMO_PASSWORD, DEMO_URL, DEMO_USERNAME, demo_study_load
from panels.models import Expert
from rounds.models import OpenQuestion


class Command(BaseCommand):
    help = (
        "Create the demo study (the seed study with fictional experts) and its researcher "
        "login, or add whatever of it is missing. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--quiet", action="store_true", help="Print only the demo researcher's login."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even though DEBUG is off. The demo password is public: "
            "do not use this on a server that others can reach.",
        )
        parser.add_argument(
            "--url",
            default=DEMO_URL,
            help="The address the site will be served at, printed with the login "
            "(make run passes its HOST and PORT).",
        )
        parser.add_argument(
            "--until-round",
            type=int,
            choices=(1, 2, 3, 4),
            default=4,
            help="Stop the story after this round: 1 leaves round 1's answers to be coded "
            "(for trying the content analysis), 3 leaves the qualified persons' confirmation "
            "to run, 4 (the default) is the whole study.",
        )

    def handle(self, *args, quiet: bool, force: bool, until_round: int, url: str, **options):
        # The demo login is printed by `make run` and written in the README; on a public
        # server it would let anyone in as a researcher.
        if not settings.DEBUG and not force:
            raise CommandError(
                _(
                    "DEBUG is off, so this may be a public server, and the demo password is "
                    "public. Run the command with --force if you really want the demo study here."
                )
            )
        try:
            result = demo_study_load(stdout=None if quiet else self.stdout, until_round=until_round)
        except ValidationError as error:
            raise CommandError(
                _("The demo study could not be completed: %(reason)s")
                % {"reason": " ".join(error.messages)}
            ) from error

        if not quiet:
            study = result.study
            if not result.created_anything:
                self.stdout.write(_("The demo study was already complete; nothing was added."))
            self.stdout.write(
                _(
                    "Demo study “%(title)s”: panels %(panels)s, experts %(experts)s, "
                    "domains %(domains)s, rounds %(rounds)s, round-1 questions %(questions)s."
                )
                % {
                    "title": study.title,
                    "panels": study.panels.count(),
                    "experts": Expert.objects.filter(panel__study=study).count(),
                    "domains": study.domains.count(),
                    "rounds": study.rounds.count(),
                    "questions": OpenQuestion.objects.filter(
                        delphi_round__study=study, delphi_round__number=1
                    ).count(),
                }
            )
            if not result.created["user"]:
                self.stdout.write(_("The demo researcher's password was reset to the one below."))
        self.stdout.write(
            _('Demo researcher: user name "%(username)s", password "%(password)s"')
            % {"username": DEMO_USERNAME, "password": DEMO_PASSWORD}
        )
        self.stdout.write(_("Address: %(url)s") % {"url": url})
