from django.contrib import admin
from django.urls import include, path

from gongkai.api.api import api

admin.site.site_header = "公开 Gongkai · 管理后台"
admin.site.site_title = "公开 Gongkai"
admin.site.index_title = "政府信息公开平台管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("", include("gongkai.portal.urls")),
    # Each module owns its pages (its own urls.py, prefixes in its module docstring).
    path("", include("gongkai.catalog.urls")),
    path("", include("gongkai.lists.urls")),
    path("", include("gongkai.monitor.urls")),
    path("", include("gongkai.interaction.urls")),
    path("", include("gongkai.inspections.urls")),
]
