from django.urls import path

from gongkai.monitor import views

app_name = "monitor"
urlpatterns = [
    path("jiucuo/", views.jiucuo, name="jiucuo"),
    path("jiucuo/status/", views.jiucuo_lookup, name="jiucuo_lookup"),
    path("jiucuo/status/<str:code>/", views.jiucuo_status, name="jiucuo_status"),
    path("desk/monitor/", views.dashboard, name="dashboard"),
    path("desk/monitor/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("desk/monitor/sites/<int:pk>/", views.site_detail, name="site_detail"),
    path("desk/monitor/sites/<int:pk>/notice.docx", views.notice_docx, name="notice_docx"),
    path(
        "desk/monitor/findings/<int:pk>/false-positive/",
        views.false_positive,
        name="false_positive",
    ),
    path("desk/monitor/sites/<int:pk>/status/", views.site_status, name="site_status"),
    path("desk/monitor/columns/<int:pk>/confirm/", views.confirm_column, name="confirm_column"),
    path("desk/monitor/jiucuo/", views.ticket_list, name="tickets"),
    path("desk/monitor/jiucuo/<str:code>/", views.ticket_detail, name="ticket_detail"),
    path("desk/monitor/jiucuo/<str:code>/<str:action>/", views.ticket_act, name="ticket_act"),
    path("desk/monitor/spot-checks/", views.spot_checks, name="spot_checks"),
    path("desk/monitor/reposts/", views.reposts, name="reposts"),
]
