from django.urls import path

from gongkai.catalog import desk, feeds, views

app_name = "catalog"
urlpatterns = [
    path("xxgk/", views.index, name="index"),
    path("xxgk/all/", views.browse, name="browse"),
    path("xxgk/en/", views.english, name="english"),
    path("xxgk/org/<int:org_pk>/", views.browse, name="org"),
    path("xxgk/org/<int:org_pk>/guide/", views.guide, name="guide"),
    path("xxgk/item/<int:pk>/", views.item_detail, name="item"),
    path("xxgk/attachment/<int:pk>/", views.attachment, name="attachment"),
    path("xxgk/search/", views.search_page, name="search"),
    path("xxgk/series/<str:series>/", views.issues, name="issues"),
    path("xxgk/issue/<int:pk>/", views.issue_detail, name="issue"),
    path("xxgk/issue/<int:pk>/pdf/", views.issue_pdf, name="issue_pdf"),
    path("feeds/xxgk/rss/", feeds.ItemsRss(), name="feed_rss"),
    path("feeds/xxgk/atom/", feeds.ItemsAtom(), name="feed_atom"),
    path("feeds/xxgk/json/", feeds.json_feed, name="feed_json"),
    path("sitemap.xml", feeds.sitemap, name="sitemap"),
    path("desk/catalog/", desk.item_list, name="desk_list"),
    path("desk/catalog/new/", desk.item_new, name="desk_new"),
    path("desk/catalog/tree/", desk.catalog_tree, name="desk_tree"),
    path("desk/catalog/scan-report/", desk.scan_report, name="desk_scan_report"),
    path("desk/catalog/issues/", desk.issue_list, name="desk_issues"),
    path("desk/catalog/withheld/", desk.withheld_list, name="desk_withheld"),
    path("desk/catalog/import/", desk.import_start, name="desk_import"),
    path("desk/catalog/import/<int:pk>/", desk.import_job, name="desk_import_job"),
    path("desk/catalog/<int:pk>/", desk.item_detail, name="desk_detail"),
    path("desk/catalog/<int:pk>/edit/", desk.item_edit, name="desk_edit"),
    path("desk/catalog/<int:pk>/submit/", desk.item_submit, name="desk_submit"),
    path("desk/catalog/<int:pk>/review/", desk.item_review, name="desk_review"),
    path("desk/catalog/<int:pk>/referral/", desk.item_referral, name="desk_referral"),
    path("desk/catalog/<int:pk>/withdraw/", desk.item_withdraw, name="desk_withdraw"),
    path("desk/catalog/<int:pk>/repeal/", desk.item_repeal, name="desk_repeal"),
    path("desk/catalog/<int:pk>/distribute/", desk.item_distribute, name="desk_distribute"),
    path("desk/catalog/<int:pk>/provincial/", desk.item_provincial, name="desk_provincial"),
    path(
        "desk/catalog/<int:pk>/withheld-review/",
        desk.item_withheld_review,
        name="desk_withheld_review",
    ),
]
