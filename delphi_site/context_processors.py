from django.conf import settings


def site(request):
    return {"allow_signup": settings.DELPHI_ALLOW_SIGNUP}
