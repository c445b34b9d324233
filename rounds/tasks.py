"""Work done outside the request, through Django's tasks framework.

With the default settings the tasks are stored in the database (django-tasks-db) and run by
`python manage.py db_worker`; see TASKS in delphi_site/settings.py.
"""

from django.tasks import task

from . import invitations


@task()
def invitation_email_send(*, invitation_pk: int, kind: str, base_url: str) -> str:
    """Send one expert's invitation or reminder e-mail and record how it went."""
    return invitations.invitation_email_deliver(
        invitation_pk=invitation_pk, kind=kind, base_url=base_url
    )
