"""
WSGI config for delphi_site project.

It exposes the WSGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/6.1/howto/deployment/wsgi/
"""

import os

from django.core.wsgi import get_wsgi_application

from delphi_site.request_body import require_whole_body

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "delphi_site.settings")

# A body cut short by a lost connection is refused rather than half-saved (see the module).
application = require_whole_body(get_wsgi_application())
