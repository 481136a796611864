from django.urls import path

from gongkai.lists import views

app_name = "lists"
urlpatterns = [
    path("lists/", views.public_index, name="index"),
    path("lists/<int:pk>/", views.public_detail, name="detail"),
    path("desk/lists/", views.desk_list, name="desk_list"),
    path("desk/lists/upload/", views.desk_upload, name="desk_upload"),
    path("desk/lists/template.xlsx", views.desk_template, name="desk_template"),
    path("desk/lists/<int:pk>/", views.desk_detail, name="desk_detail"),
    path("desk/lists/<int:pk>/publish/", views.desk_publish, name="desk_publish"),
    path("desk/lists/<int:pk>/withdraw/", views.desk_withdraw, name="desk_withdraw"),
]
