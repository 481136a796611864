"""Pages of the interaction app: ``/mailbox/`` (public), ``/desk/mailbox/``,
``/desk/hotline/`` and ``/desk/proposals/`` (staff)."""

from django.urls import path

from gongkai.interaction import desk, views

app_name = "interaction"
urlpatterns = [
    path("mailbox/", views.home, name="home"),
    path("mailbox/<int:pk>/write/", views.write, name="write"),
    path("mailbox/receipt/", views.receipt, name="receipt"),
    path("mailbox/status/", views.status, name="status"),
    path("mailbox/rate/", views.rate, name="rate"),
    path("mailbox/qa/", views.qa_list, name="qa_list"),
    path("mailbox/qa/<str:number>/", views.qa_detail, name="qa_detail"),
    path("desk/mailbox/", desk.inbox, name="desk_inbox"),
    path("desk/mailbox/new/", desk.new_letter, name="desk_new"),
    path("desk/mailbox/figures/", desk.figures, name="desk_figures"),
    path("desk/mailbox/blocked/", desk.blocked, name="desk_blocked"),
    path("desk/mailbox/<str:number>/", desk.letter_detail, name="desk_letter"),
    path("desk/mailbox/<str:number>/reveal/", desk.reveal, name="desk_reveal"),
    path("desk/mailbox/<str:number>/act/<str:action>/", desk.letter_act, name="desk_act"),
    path(
        "desk/mailbox/<str:number>/attachments/<int:pk>/", desk.attachment, name="desk_attachment"
    ),
    path("desk/hotline/", desk.hotline_page, name="desk_hotline"),
    path("desk/proposals/", desk.proposal_list, name="desk_proposals"),
    path("desk/proposals/new/", desk.proposal_new, name="desk_proposal_new"),
    path("desk/proposals/<int:pk>/", desk.proposal_detail, name="desk_proposal"),
    path("desk/proposals/<int:pk>/<str:action>/", desk.proposal_act, name="desk_proposal_act"),
]
