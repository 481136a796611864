"""Citizen accounts: sign up, then follow one's own applications on /apply/mine/.

A citizen is a ``User`` with no org and no role; ``sign_up`` is the one way one is created
from the portal. Staff accounts are made by the office (``orgs``), never here.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import login, password_validation
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gongkai.audit.services import record
from gongkai.orgs.models import User

BACKEND = "django.contrib.auth.backends.ModelBackend"


@transaction.atomic
def sign_up(*, username: str, email: str, password: str) -> User:
    """Create a citizen account (no org, no role). The audit entry names no personal data."""
    user = User.objects.create_user(username=username, email=email, password=password)
    record("accounts.signup", actor=user, obj=user, summary={"citizen": True})
    return user


PASSWORD_MESSAGES = {
    "password_too_short": _("密码太短，至少需要 %(min_length)d 个字符。"),
    "password_too_common": _("这个密码太常见，请换一个。"),
    "password_entirely_numeric": _("密码不能全是数字。"),
    "password_too_similar": _("密码与%(verbose_name)s太相似。"),
}


def _chinese(error: forms.ValidationError) -> forms.ValidationError:
    """A password validator's error in our Chinese wording (unknown validators pass as-is)."""
    message = PASSWORD_MESSAGES.get(error.code)
    if message is None:
        return error
    return forms.ValidationError(message, code=error.code, params=error.params)


class SignupForm(forms.Form):
    username = forms.RegexField(
        label=_("用户名"),
        max_length=150,
        regex=r"^[\w.@+-]+\Z",
        help_text=_("150个字符以内，可用字母、数字和 @ . + - _。"),
        error_messages={
            "invalid": _("用户名只能包含字母、数字和 @ . + - _。"),
            "required": _("请填写用户名。"),
        },
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    email = forms.EmailField(
        label=_("电子邮箱"),
        error_messages={
            "invalid": _("请填写有效的电子邮箱地址。"),
            "required": _("请填写电子邮箱。"),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1 = forms.CharField(
        label=_("密码"),
        strip=False,
        help_text=_("至少10个字符，不能全是数字，不能是常用密码，也不能与用户名过于相似。"),
        error_messages={"required": _("请填写密码。")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("确认密码"),
        strip=False,
        error_messages={"required": _("请再次填写密码。")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("该用户名已被使用，请换一个。"))
        return username

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("两次填写的密码不一致。"))
        elif first:
            # Django's own validators (settings.AUTH_PASSWORD_VALIDATORS), with our wording:
            # Django 5.2's zh-hans catalog leaves the new "too short" message in English.
            candidate = User(username=data.get("username", ""), email=data.get("email", ""))
            try:
                password_validation.validate_password(first, candidate)
            except forms.ValidationError as refused:
                self.add_error("password1", [_chinese(error) for error in refused.error_list])
        return data


def signup(request):
    if request.user.is_authenticated:
        return redirect("portal:apply_mine")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = sign_up(username=data["username"], email=data["email"], password=data["password1"])
        login(request, user, backend=BACKEND)
        messages.success(request, gettext("注册成功。以本账号在线提交的申请会显示在这里。"))
        return redirect("portal:apply_mine")
    return render(request, "portal/account/signup.html", {"form": form})
