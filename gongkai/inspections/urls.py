from django.urls import path

from gongkai.inspections import views

app_name = "inspections"
urlpatterns = [
    path("inspections/", views.index, name="index"),
    path("inspections/draws/", views.draws, name="draws"),
    path("inspections/draws/<int:pk>/", views.draw_detail, name="draw"),
    path("inspections/draws/<int:pk>/bundle.json", views.bundle, name="bundle"),
    path("inspections/verify_bundle.py", views.script, name="script"),
    path("inspections/results/", views.results, name="results"),
    path("desk/inspections/", views.desk, name="desk"),
    path("desk/inspections/plans/", views.plan_create, name="desk_plan_create"),
    path("desk/inspections/plans/<int:pk>/", views.plan_detail, name="desk_plan"),
    path("desk/inspections/batches/<int:pk>/draw/", views.batch_draw, name="desk_batch_draw"),
    path("desk/inspections/draws/new/", views.draw_new, name="desk_draw_new"),
    path("desk/inspections/draws/<int:pk>/", views.desk_draw, name="desk_draw"),
    path(
        "desk/inspections/draws/<int:pk>/recuse/<int:assignment>/",
        views.recuse,
        name="desk_recuse",
    ),
    path(
        "desk/inspections/draws/<int:pk>/result/<int:assignment>/",
        views.enter_result,
        name="desk_result",
    ),
    path("desk/inspections/results/<int:pk>/publish/", views.publish, name="desk_publish"),
    path("desk/inspections/registries/", views.registries, name="desk_registries"),
    path("desk/inspections/overdue/", views.overdue, name="desk_overdue"),
    path("desk/inspections/figures/", views.figures, name="desk_figures"),
]
