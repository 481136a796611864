"""The site's URLs without the other modules' pages, so these tests do not depend on them.

The real wiring (``gongkai.urls``) includes ``gongkai.inspections.urls`` at the root the
same way.
"""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("gongkai.portal.urls")),
    path("", include("gongkai.inspections.urls")),
]
