"""The citizen's side of the leader mailboxes: write, receipt, status and rating, Q&A.

The writer's name and contact are never shown on these pages; the Q&A pages show only the
masked copies made at publication (``Letter.published_*``).
"""

from django.core.cache import cache
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache

from gongkai.interaction import abuse, queries, services
from gongkai.interaction.enums import Status
from gongkai.interaction.forms import LookupForm, RateForm, WebLetterForm
from gongkai.interaction.models import Letter, Mailbox

RECEIPT = "gk_mbx_receipt"
WRONG_CODE_LIMIT = 10
WRONG_CODE_SECONDS = 15 * 60


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def home(request):
    mailboxes = Mailbox.objects.filter(active=True).select_related("org")
    recent = queries.published()[:5]
    return render(
        request,
        "interaction/home.html",
        {"mailboxes": mailboxes, "recent": recent, "lookup": LookupForm()},
    )


def _files(request) -> list[tuple[str, str, bytes]]:
    out = []
    for upload in request.FILES.getlist("attachments"):
        if upload.size > abuse.MAX_FILE_BYTES:  # do not read an oversized file into memory
            out.append((upload.name, upload.content_type or "", b"x" * (abuse.MAX_FILE_BYTES + 1)))
            continue
        out.append((upload.name, upload.content_type or "", upload.read()))
    return out


@never_cache
def write(request, pk):
    mailbox = get_object_or_404(Mailbox, pk=pk, active=True)
    if request.method == "POST":
        form = WebLetterForm(request.POST, request.FILES)
        if form.is_valid():
            reason = abuse.challenge_error(form.cleaned_data["token"], form.cleaned_data["answer"])
            if reason:
                form.add_error("answer", reason)
            else:
                try:
                    submitted = services.submit(
                        mailbox,
                        form.cleaned_data,
                        address=client_address(request),
                        files=_files(request),
                    )
                except services.LetterInvalid as invalid:
                    for field, message in invalid.errors.items():
                        form.add_error(field if field in form.fields else None, message)
                else:
                    request.session[RECEIPT] = [submitted.letter.number, submitted.code]
                    return redirect("interaction:receipt")
    else:
        form = WebLetterForm()
    challenge = abuse.new_challenge()
    data = form.data.copy() if form.is_bound else None
    if data is not None:  # a fresh question on every display; the old token is spent
        data["token"], data["answer"] = challenge.token, ""
        form.data = data
    else:
        form.initial["token"] = challenge.token
    return render(
        request,
        "interaction/write.html",
        {"mailbox": mailbox, "form": form, "question": challenge.question},
    )


@never_cache
def receipt(request):
    pair = request.session.pop(RECEIPT, None)
    if not pair:
        return redirect("interaction:home")
    letter = get_object_or_404(Letter, number=pair[0])
    return render(request, "interaction/receipt.html", {"letter": letter, "code": pair[1]})


def _too_many_wrong(request) -> bool:
    return cache.get(_wrong_key(request), 0) >= WRONG_CODE_LIMIT


def _wrong_key(request) -> str:
    return "gk-mbx-wrong:" + client_address(request)


def _count_wrong(request) -> None:
    key = _wrong_key(request)
    cache.add(key, 0, WRONG_CODE_SECONDS)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, WRONG_CODE_SECONDS)


@never_cache
def status(request):
    """Number + code → the letter's status, its reply once sent, and the rating form."""
    letter = None
    form = LookupForm(request.POST or None)
    rate_form = None
    if request.method == "POST" and form.is_valid():
        if _too_many_wrong(request):
            form.add_error(None, gettext("错误次数过多，请15分钟后再试。"))
        else:
            letter = services.find(form.cleaned_data["number"], form.cleaned_data["code"])
            if letter is None:
                _count_wrong(request)
                form.add_error(None, gettext("信件编号或查询码不正确，请核对后重新输入。"))
            elif _may_rate(letter):
                rate_form = RateForm(initial=form.cleaned_data)
    return render(
        request,
        "interaction/status.html",
        {"form": form, "letter": letter, "rate_form": rate_form},
    )


def _may_rate(letter: Letter) -> bool:
    return letter.status in (Status.REPLIED, Status.PUBLISHED) and not letter.satisfaction


@never_cache
def rate(request):
    if request.method != "POST":
        return redirect("interaction:status")
    form = RateForm(request.POST)
    letter = None
    if form.is_valid():
        if _too_many_wrong(request):
            form.add_error(None, gettext("错误次数过多，请15分钟后再试。"))
        else:
            try:
                letter = services.rate(
                    form.cleaned_data["number"],
                    code=form.cleaned_data["code"],
                    satisfaction=form.cleaned_data["satisfaction"],
                )
            except services.LetterInvalid as invalid:
                _count_wrong(request)
                form.add_error(None, invalid.errors.get("code") or str(invalid))
            except services.TransitionRefused as refused:
                form.add_error(None, str(refused))
    if letter is None:
        return render(
            request,
            "interaction/status.html",
            {"form": LookupForm(initial=request.POST), "rate_form": form, "letter": None},
        )
    return render(
        request,
        "interaction/status.html",
        {"form": LookupForm(), "letter": letter, "rated": True},
    )


def qa_list(request):
    page = Paginator(queries.published().select_related("mailbox"), 20).get_page(
        request.GET.get("page")
    )
    return render(request, "interaction/qa_list.html", {"page": page})


def qa_detail(request, number):
    letter = get_object_or_404(queries.published().select_related("mailbox"), number=number)
    return render(request, "interaction/qa_detail.html", {"letter": letter})
