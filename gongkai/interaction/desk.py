"""Staff pages: the mailbox inbox and letters, hotline import and figures, proposals.

Every page loads through the ``visible_to`` queries (staff see their org subtree only) and
every change goes through an audited service; which letter actions are offered comes from
``rules.TRANSITIONS``.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from gongkai.audit.services import record
from gongkai.interaction import hotline, proposals, queries, rules, services
from gongkai.interaction.enums import Action, Status
from gongkai.interaction.forms import (
    OpinionForm,
    ProposalForm,
    ProposalReplyForm,
    StaffLetterForm,
)
from gongkai.interaction.models import BlockedSender, Letter, Mailbox
from gongkai.orgs.models import User
from gongkai.orgs.queries import visible_to as visible_orgs
from gongkai.portal.desk import staff_required

VIEWS = {
    "pending": _("待受理"),
    "valid": _("有效留言"),
    "open": _("办理中"),
    "overdue": _("已超期"),
    "held": _("暂存待核"),
    "published": _("已公开"),
}
# Actions that need a text field, and its label.
TEXT_ACTIONS = {
    Action.REFUSE: ("reason", _("不予受理理由")),
    Action.BOUNCE: ("reason", _("退回理由")),
    Action.DRAFT: ("text", _("答复内容")),
}


def in_view(letters, view: str, *, today):
    if view == "held":
        return letters.filter(held=True)
    letters = letters.filter(held=False)
    if view == "pending":
        return letters.filter(status=Status.PENDING)
    if view == "valid":
        return letters.filter(queries.VALID)
    if view == "open":
        return letters.filter(
            status__in=[Status.ACCEPTED, Status.TRANSFERRING, Status.HANDLING, Status.REVIEWING]
        )
    if view == "overdue":
        return queries.overdue(today, letters)
    if view == "published":
        return letters.filter(status=Status.PUBLISHED)
    return letters


@staff_required
def inbox(request):
    today = timezone.localdate()
    view = request.GET.get("view", "")
    view = view if view in VIEWS else ""
    letters = queries.visible_to(request.user).select_related("mailbox", "assigned_org")
    mailbox = request.GET.get("mailbox", "")
    if mailbox.isdigit():
        letters = letters.filter(mailbox_id=int(mailbox))
    q = request.GET.get("q", "").strip()[:50]
    if q:
        letters = letters.filter(Q(number__icontains=q) | Q(subject__icontains=q))
    letters = in_view(letters, view, today=today).order_by("-received_at", "-pk")
    page = Paginator(letters, 20).get_page(request.GET.get("page"))
    visible = queries.visible_to(request.user)
    counts = [
        (key, label, in_view(visible, key, today=today).count()) for key, label in VIEWS.items()
    ]
    return render(
        request,
        "interaction/desk/inbox.html",
        {
            "page": page,
            "view": view,
            "counts": counts,
            "q": q,
            "mailboxes": Mailbox.objects.filter(org__in=visible_orgs(request.user)),
            "mailbox": mailbox,
            "today": today,
        },
    )


@staff_required
def new_letter(request):
    mailboxes = Mailbox.objects.filter(org__in=visible_orgs(request.user), active=True)
    form = StaffLetterForm(request.POST or None)
    form.fields["mailbox"] = forms.ModelChoiceField(label=_("信箱"), queryset=mailboxes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            submitted = services.submit(
                data["mailbox"],
                data,
                channel=data["channel"],
                by=request.user,
                at=data["received_at"] or timezone.now(),
            )
        except services.LetterInvalid as invalid:
            for field, message in invalid.errors.items():
                form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(
                request,
                gettext("已登记，查询码 %(code)s 只显示这一次，请告知来信人。")
                % {"code": submitted.code},
            )
            return redirect("interaction:desk_letter", submitted.letter.number)
    return render(request, "interaction/desk/new_letter.html", {"form": form})


def _letter(request, number) -> Letter:
    letter = queries.visible_to(request.user).filter(number=number).first()
    if letter is None:
        raise Http404
    return letter


def allowed(letter: Letter) -> list[Action]:
    return [
        action
        for action, (sources, _target) in rules.TRANSITIONS.items()
        if letter.status in sources and action != Action.RATE
    ]


@staff_required
@never_cache
def letter_detail(request, number, revealed=None):
    letter = _letter(request, number)
    orgs = visible_orgs(request.user)
    handlers = User.objects.filter(org__in=orgs).exclude(role="").order_by("org__path", "username")
    actions = [
        {"action": a, "text": TEXT_ACTIONS.get(a)} for a in allowed(letter) if not letter.held
    ]
    return render(
        request,
        "interaction/desk/letter.html",
        {
            "letter": letter,
            "actions": actions,
            "orgs": orgs,
            "handlers": handlers,
            "transfers": letter.transfers.select_related("to_org", "handler"),
            "attachments": letter.attachments.defer("data"),
            "today": timezone.localdate(),
            "revealed": revealed,
        },
    )


@staff_required
@require_POST
@never_cache
def reveal(request, number):
    revealed = services.reveal(_letter(request, number), by=request.user)
    return letter_detail(request, number, revealed=revealed)


@staff_required
@require_POST
def letter_act(request, number, action):
    letter = _letter(request, number)
    post = request.POST
    user = request.user
    try:
        if action == Action.ACCEPT:
            services.accept(letter, by=user)
        elif action == Action.REFUSE:
            services.refuse(letter, by=user, reason=post.get("reason", ""))
        elif action == Action.TRANSFER:
            org = get_object_or_404(visible_orgs(user), pk=post.get("to_org") or 0)
            handler = None
            if post.get("handler"):
                handler = get_object_or_404(User, pk=post["handler"])
            services.transfer(
                letter, by=user, to_org=org, handler=handler, note=post.get("note", "")
            )
        elif action == Action.BOUNCE:
            services.bounce(letter, by=user, reason=post.get("reason", ""))
        elif action == Action.TAKE:
            services.take(letter, by=user)
        elif action == Action.DRAFT:
            services.draft_reply(letter, by=user, text=post.get("text", ""))
        elif action == Action.APPROVE:
            services.review(letter, by=user, approve=True)
        elif action == Action.RETURN:
            services.review(letter, by=user, approve=False)
        elif action == Action.SEND:
            services.send(letter, by=user)
        elif action == Action.PUBLISH:
            services.publish(letter, by=user)
        elif action == "test":
            services.mark_test(letter, by=user)
        elif action == "release":
            services.release(letter, by=user)
        elif action == "block":
            services.block_sender(
                letter, by=user, kind=post.get("kind", ""), reason=post.get("reason", "")
            )
        else:
            raise Http404
    except (services.LetterInvalid, services.TransitionRefused) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, gettext("已办理。"))
    return redirect("interaction:desk_letter", letter.number)


@staff_required
def attachment(request, number, pk):
    letter = _letter(request, number)
    item = get_object_or_404(letter.attachments, pk=pk)
    record(
        "interaction.attachment_open",
        actor=request.user,
        obj=letter,
        summary={"number": letter.number, "attachment": item.pk},
    )
    response = HttpResponse(bytes(item.data), content_type="application/octet-stream")
    response["Content-Disposition"] = "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@staff_required
def blocked(request):
    if request.method == "POST":
        item = get_object_or_404(BlockedSender, pk=request.POST.get("pk") or 0)
        if request.user.role != "office_admin" and not request.user.is_superuser:
            raise PermissionDenied
        services.unblock(item, by=request.user)
        messages.success(request, gettext("已解除屏蔽。"))
        return redirect("interaction:desk_blocked")
    return render(
        request, "interaction/desk/blocked.html", {"items": BlockedSender.objects.order_by("-at")}
    )


def _year(request) -> int:
    value = request.GET.get("year", "")
    return (
        int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else timezone.localdate().year
    )


@staff_required
def figures(request):
    year = _year(request)
    orgs = visible_orgs(request.user)
    org = request.GET.get("org", "")
    if org.isdigit() and (chosen := orgs.filter(pk=int(org)).first()):
        orgs = orgs.filter(path__startswith=chosen.path)
    rows = [
        (mailbox, queries.figures([mailbox.org], year, mailbox=mailbox))
        for mailbox in Mailbox.objects.filter(org__in=orgs).select_related("org")
    ]
    return render(
        request,
        "interaction/desk/figures.html",
        {
            "year": year,
            "rows": rows,
            "total": queries.figures(orgs, year),
            "handling": queries.by_handling_org(orgs, year),
            "orgs": visible_orgs(request.user),
            "org": org,
            "hotline": queries.hotline_figures(orgs, year),
            "proposals": queries.proposal_figures(orgs, year),
        },
    )


# --- Hotline -----------------------------------------------------------------------------


class HotlineImportForm(forms.Form):
    file = forms.FileField(label=_("导出文件（CSV 或 XLSX）"))
    org = forms.ModelChoiceField(label=_("所属机关"), queryset=None)
    mapping = forms.CharField(label=_("列对应方案名称"), max_length=50, required=False)

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        for field, label in hotline.FIELDS.items():
            self.fields[f"col_{field}"] = forms.CharField(
                label=gettext("“%(f)s”所在列的标题") % {"f": label},
                max_length=60,
                required=False,
            )


@staff_required
def hotline_page(request):
    orgs = visible_orgs(request.user)
    year = _year(request)
    mapping_name = request.GET.get("mapping") or request.POST.get("mapping") or ""
    saved = hotline.mapping_columns(mapping_name) if mapping_name else None
    initial = {"mapping": mapping_name, "org": orgs.first()}
    for field, column in (saved or {}).items():
        initial[f"col_{field}"] = column
    form = HotlineImportForm(
        request.POST or None, request.FILES or None, orgs=orgs, initial=initial
    )
    errors = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        columns = {f: data.get(f"col_{f}", "") for f in hotline.FIELDS}
        columns = {f: c for f, c in columns.items() if c} or None
        upload = data["file"]
        try:
            if columns and data["mapping"]:
                hotline.save_mapping(data["mapping"], columns, by=request.user)
            if columns is None and data["mapping"]:
                columns = hotline.mapping_columns(data["mapping"])
            result = hotline.import_file(
                data["org"], upload.name, upload.read(), columns=columns, by=request.user
            )
        except hotline.ImportFailed as failed:
            errors = failed.errors
        else:
            messages.success(
                request,
                gettext("已导入 %(rows)s 条（其中替换 %(replaced)s 条）。")
                % {"rows": result.rows, "replaced": result.replaced},
            )
            return redirect("interaction:desk_hotline")
    years = queries.hotline_years(orgs)
    return render(
        request,
        "interaction/desk/hotline.html",
        {
            "form": form,
            "errors": errors,
            "year": year,
            "figures": queries.hotline_figures(orgs, year),
            "by_year": [(y, queries.hotline_figures(orgs, y)) for y in years],
            "mappings": hotline.HotlineMapping.objects.order_by("name"),
        },
    )


# --- Proposals ---------------------------------------------------------------------------


@staff_required
def proposal_list(request):
    items = queries.proposals_visible_to(request.user).select_related("lead_org")
    kind = request.GET.get("kind", "")
    if kind:
        items = items.filter(kind=kind)
    year = request.GET.get("year", "")
    if year.isdigit():
        items = items.filter(year=int(year))
    state = request.GET.get("state", "")
    if state == "open":
        items = items.filter(closed_on=None)
    elif state == "overdue":
        items = items.filter(replied_on=None, deadline__lt=timezone.localdate())
    page = Paginator(items, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "interaction/desk/proposals.html",
        {"page": page, "kind": kind, "year": year, "state": state},
    )


@staff_required
def proposal_new(request):
    orgs = visible_orgs(request.user)
    form = ProposalForm(request.POST or None, orgs=orgs)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = proposals.register(**form.cleaned_data, by=request.user)
        except services.LetterInvalid as invalid:
            for field, message in invalid.errors.items():
                form.add_error(field if field in form.fields else None, message)
        else:
            return redirect("interaction:desk_proposal", proposal.pk)
    return render(request, "interaction/desk/proposal_new.html", {"form": form})


@staff_required
def proposal_detail(request, pk):
    proposal = get_object_or_404(queries.proposals_visible_to(request.user), pk=pk)
    return render(
        request,
        "interaction/desk/proposal.html",
        {
            "proposal": proposal,
            "reply_form": ProposalReplyForm(
                initial={"reply": proposal.reply, "replied_on": timezone.localdate()}
            ),
            "opinion_form": OpinionForm(initial={"opinion": proposal.opinion}),
            "today": timezone.localdate(),
        },
    )


@staff_required
@require_POST
def proposal_act(request, pk, action):
    proposal = get_object_or_404(queries.proposals_visible_to(request.user), pk=pk)
    user = request.user
    try:
        if action == "reply":
            form = ProposalReplyForm(request.POST)
            if not form.is_valid():
                raise services.LetterInvalid({"reply": gettext("请填写答复内容和答复日期")})
            proposals.reply(
                proposal,
                by=user,
                text=form.cleaned_data["reply"],
                on=form.cleaned_data["replied_on"],
            )
        elif action == "opinion":
            proposals.record_opinion(proposal, by=user, opinion=request.POST.get("opinion", ""))
        elif action == "close":
            proposals.close(proposal, by=user, on=timezone.localdate())
        elif action == "publish":
            proposals.publish_reply(proposal, by=user)
        else:
            raise Http404
    except (services.LetterInvalid, services.TransitionRefused) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, gettext("已办理。"))
    return redirect("interaction:desk_proposal", proposal.pk)
