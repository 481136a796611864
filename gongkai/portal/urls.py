from django.contrib.auth import views as auth_views
from django.urls import path

from gongkai.portal import apply, desk, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login, name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("workbench/", views.workbench, name="workbench"),
    path("healthz", views.healthz, name="healthz"),
    # Citizens: apply online, follow the status (依申请公开).
    path("apply/", apply.apply, name="apply"),
    path("apply/receipt/", apply.receipt, name="apply_receipt"),
    path("apply/status/", apply.status, name="apply_status"),
    path("apply/status/<str:number>/", apply.status_detail, name="apply_status_detail"),
    path(
        "apply/status/<str:number>/letters/<int:pk>/<str:fmt>/",
        apply.letter,
        name="apply_letter",
    ),
    path("apply/mine/", apply.mine, name="apply_mine"),
    # Staff: the desk for applications.
    path("desk/applications/", desk.application_list, name="desk_list"),
    path("desk/applications/new/", desk.register, name="desk_register"),
    path("desk/applications/<str:number>/", desk.detail, name="desk_detail"),
    path("desk/applications/<str:number>/reveal/", desk.reveal, name="desk_reveal"),
    path("desk/applications/<str:number>/act/<str:action>/", desk.act, name="desk_act"),
    path(
        "desk/applications/<str:number>/attachments/<int:pk>/",
        desk.attachment,
        name="desk_attachment",
    ),
    path(
        "desk/applications/<str:number>/letters/<int:pk>/<str:fmt>/",
        desk.letter,
        name="desk_letter",
    ),
]

# --- Annual reports (年度报告): public pages and the staff desk --------------------------------
# Kept in one block of its own (imported here) so that it merges cleanly with other screens.
from gongkai.portal import reports  # noqa: E402

urlpatterns += [
    path("reports/", reports.report_list, name="reports"),
    path("reports/<int:pk>/", reports.report_detail, name="report"),
    path("reports/<int:pk>/<str:fmt>/", reports.report_download, name="report_download"),
    path("desk/reports/", reports.desk_list, name="desk_reports"),
    path("desk/reports/new/", reports.desk_new, name="desk_report_new"),
    path("desk/reports/<int:pk>/", reports.desk_detail, name="desk_report"),
    path(
        "desk/reports/<int:pk>/download/<str:fmt>/",
        reports.desk_download,
        name="desk_report_download",
    ),
    path("desk/reports/<int:pk>/act/<str:action>/", reports.desk_act, name="desk_report_act"),
    path("desk/reports/<int:pk>/revise/", reports.desk_revise, name="desk_report_revise"),
    path("desk/reports/<int:pk>/narrative/", reports.desk_narrative, name="desk_report_narrative"),
    path("desk/reports/<int:pk>/cell/", reports.desk_cell, name="desk_report_cell"),
    path("desk/reports/figures/", reports.desk_figures, name="desk_report_figures"),
    path("desk/reports/figures/set/", reports.desk_figure_set, name="desk_report_figure_set"),
    path(
        "desk/reports/figures/import/",
        reports.desk_figures_import,
        name="desk_report_figures_import",
    ),
    path(
        "desk/reports/figures/template/",
        reports.desk_figures_template,
        name="desk_report_figures_template",
    ),
]

# --- Citizen accounts, topic confirmation, appeals (复议诉讼) -------------------------------
# A block of its own, like the reports above, so that it merges cleanly with other screens.
from gongkai.portal import accounts, appeals_views  # noqa: E402

urlpatterns += [
    path("account/signup/", accounts.signup, name="signup"),
    path("desk/applications/<str:number>/topic/", desk.topic, name="desk_topic"),
    path("desk/appeals/", appeals_views.appeal_list, name="desk_appeals"),
    path("desk/appeals/new/", appeals_views.appeal_new, name="desk_appeal_new"),
    path("desk/appeals/<int:pk>/", appeals_views.appeal_detail, name="desk_appeal"),
    path("desk/appeals/<int:pk>/close/", appeals_views.appeal_close, name="desk_appeal_close"),
]
