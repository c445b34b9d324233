import datetime
import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.forms.utils import from_current_timezone
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from delphi_site.templatetags.thaidate import BUDDHIST_ERA_OFFSET

# Phones capitalise the first letter of a text field; a user name typed as "Somchai" instead
# of "somchai" fails, and five such failures lock the account for a while.
USERNAME_INPUT_ATTRS = {"autocapitalize": "none", "autocorrect": "off", "spellcheck": "false"}


class SignInForm(AuthenticationForm):
    """Django's sign-in form, laid out by crispy inside the page's own <form>.

    The template writes the <form> tag itself so that the `next` target travels with the POST.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(USERNAME_INPUT_ATTRS)
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class SignupForm(UserCreationForm):
    error_messages = {
        **UserCreationForm.error_messages,
        "email_taken": _(
            "An account with this e-mail address exists already. "
            "Sign in, or ask for a new password if you have forgotten it."
        ),
    }
    email = forms.EmailField(
        label=_("E-mail"),
        help_text=_("Used to reset a lost password."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email", "first_name", "last_name")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(USERNAME_INPUT_ATTRS)
        self.helper = FormHelper(self)
        self.helper.add_input(Submit("submit", _("Create account"), css_class="w-100"))

    def clean_email(self) -> str:
        # Password reset looks accounts up by e-mail; two accounts sharing one address would
        # both receive the link, so an address belongs to one account only, whatever its case.
        email = get_user_model().objects.normalize_email(self.cleaned_data["email"].strip())
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(self.error_messages["email_taken"], code="email_taken")
        return email


class CrispyFormMixin:
    """Bootstrap layout with one primary submit button."""

    submit_label = _("Save")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No layout bound to the fields now: subclasses may still add or drop fields, and
        # crispy then renders whatever the form holds, in order.
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", self.submit_label))


# A year typed in a date field: Buddhist-era years are 543 above the Common Era's, so the two
# eras never overlap for the years a study runs in. A year on the wrong side of this line is
# refused with a message naming the era to use, never read 543 years off.
ERA_LINE = 2300
DATE_FORMAT_HINT = _("dd/mm/yyyy hh:mm, e.g. 20/12/2026 17:00")
DATE_PLACEHOLDER = _("dd/mm/yyyy hh:mm")
_DATE_TIME = re.compile(r"^(\d{1,2})\D+(\d{1,2})\D+(\d{4})\D+(\d{1,2})\D+(\d{2})$")
_ISO_DATE_TIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::\d{2})?)?$")


def _buddhist_era() -> bool:
    return translation.get_language() == "th"


def common_era_year(year: int, error_messages) -> int:
    """The Common-Era year of a typed year, read in the active language's era; a year of the
    other era is refused with the message naming the era to use."""
    if _buddhist_era():
        if year < ERA_LINE:
            raise forms.ValidationError(
                error_messages["buddhist_year"],
                code="buddhist_year",
                params={"year": year, "be_year": year + BUDDHIST_ERA_OFFSET},
            )
        return year - BUDDHIST_ERA_OFFSET
    if year >= ERA_LINE:
        raise forms.ValidationError(
            error_messages["common_year"],
            code="common_year",
            params={"year": year, "ce_year": year - BUDDHIST_ERA_OFFSET},
        )
    return year


class LocalDateTimeInput(forms.TextInput):
    """A date and time typed as day/month/year hours:minutes, with the year in the reader's era.

    Thai readers see and type the Buddhist-era year (20/12/2569 17:00), as on every other page;
    English readers the Common Era (20/12/2026 17:00). The browser's own picker
    (type=datetime-local) would show Gregorian years to everyone.
    """

    def __init__(self, attrs=None):
        defaults = {"inputmode": "decimal", "autocomplete": "off", "class": "local-datetime"}
        super().__init__(attrs={**defaults, **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].setdefault("placeholder", str(DATE_PLACEHOLDER))
        return context

    def format_value(self, value):
        if isinstance(value, datetime.datetime):
            if timezone.is_aware(value):
                value = timezone.localtime(value)
            year = value.year + (BUDDHIST_ERA_OFFSET if _buddhist_era() else 0)
            return f"{value.day:02d}/{value.month:02d}/{year} {value.hour:02d}:{value.minute:02d}"
        return super().format_value(value)


class LocalDateTimeField(forms.DateTimeField):
    """Reads what LocalDateTimeInput shows: dd/mm/yyyy hh:mm in the active language's era.

    Any non-digit separates the numbers (20.12.2569 17.00 from a phone's number pad reads the
    same). The time is required: "20/12/2569" alone would be that day's first minute. The ISO
    form a browser or a script posts (2026-12-20T17:00) is read in the Common Era always.
    """

    widget = LocalDateTimeInput
    default_error_messages = {
        "invalid": _("Enter a date and time as dd/mm/yyyy hh:mm, e.g. 20/12/2026 17:00."),
        "buddhist_year": _(
            "Type the year in the Buddhist era (พ.ศ.): %(year)s is a year of the Common Era, "
            "which would be %(be_year)s."
        ),
        "common_year": _(
            "Type the year in the Common Era: %(year)s looks like a Buddhist-era year, "
            "which would be %(ce_year)s."
        ),
    }

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if not self.help_text:
            self.help_text = DATE_FORMAT_HINT

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
            if value:
                return from_current_timezone(self._parse(value))
        return super().to_python(value)

    def _parse(self, text: str) -> datetime.datetime:
        iso = _ISO_DATE_TIME.match(text)
        if iso:
            year, month, day, hour, minute = iso.groups()
            year = int(year)
            if year >= ERA_LINE:
                raise forms.ValidationError(
                    self.error_messages["common_year"],
                    code="common_year",
                    params={"year": year, "ce_year": year - BUDDHIST_ERA_OFFSET},
                )
        else:
            match = _DATE_TIME.match(text)
            if not match:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            day, month, year, hour, minute = match.groups()
            year = self._common_era(int(year))
        try:
            return datetime.datetime(year, int(month), int(day), int(hour or 0), int(minute or 0))
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None

    def _common_era(self, year: int) -> int:
        return common_era_year(year, self.error_messages)


DATE_ONLY_HINT = _("dd/mm/yyyy, e.g. 20/12/2026")
DATE_ONLY_PLACEHOLDER = _("dd/mm/yyyy")
_DATE = re.compile(r"^(\d{1,2})\D+(\d{1,2})\D+(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


class LocalDateInput(LocalDateTimeInput):
    """A day typed as day/month/year, the year in the reader's era (see LocalDateTimeInput)."""

    def get_context(self, name, value, attrs):
        attrs = {**(attrs or {}), "placeholder": str(DATE_ONLY_PLACEHOLDER)}
        return super().get_context(name, value, attrs)

    def format_value(self, value):
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            year = value.year + (BUDDHIST_ERA_OFFSET if _buddhist_era() else 0)
            return f"{value.day:02d}/{value.month:02d}/{year}"
        return super().format_value(value)


class LocalDateField(forms.DateField):
    """Reads what LocalDateInput shows: dd/mm/yyyy in the active language's era; the ISO form
    (2026-12-20) is read in the Common Era, as LocalDateTimeField does."""

    widget = LocalDateInput
    default_error_messages = {
        **LocalDateTimeField.default_error_messages,
        "invalid": _("Enter a date as dd/mm/yyyy, e.g. 20/12/2026."),
    }

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if not self.help_text:
            self.help_text = DATE_ONLY_HINT

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            text = value.strip()
            iso, local = _ISO_DATE.match(text), _DATE.match(text)
            if iso:
                year, month, day = (int(part) for part in iso.groups())
            elif local:
                day, month, year = (int(part) for part in local.groups())
                year = common_era_year(year, self.error_messages)
            else:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            try:
                return datetime.date(year, month, day)
            except ValueError:
                raise forms.ValidationError(
                    self.error_messages["invalid"], code="invalid"
                ) from None
        return super().to_python(value)
