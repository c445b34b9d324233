from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.utils.translation import gettext_lazy as _

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


class DateTimeLocalInput(forms.DateTimeInput):
    """The browser's own date-and-time picker; the value is in the site's time zone."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")
