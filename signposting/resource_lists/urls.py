from django.urls import path

from signposting.resource_lists import views

app_name = "resource_lists"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("add/", views.add, name="add"),
    path("shared/<str:token>/", views.shared, name="shared"),
    path("shared/<str:token>/withdraw/", views.withdraw, name="withdraw"),
    path("<str:ref>/", views.detail, name="detail"),
    path("<str:ref>/print/", views.print_view, name="print"),
    path("<str:ref>/pdf/", views.pdf_view, name="pdf"),
    path("<str:ref>/email/", views.email, name="email"),
    path("<str:ref>/delete/", views.delete, name="delete"),
    path("<str:ref>/use/", views.use, name="use"),
    path("<str:ref>/items/<str:key>/move/", views.move, name="move"),
    path("<str:ref>/items/<str:key>/remove/", views.remove, name="remove"),
    path("<str:ref>/items/<str:key>/note/", views.note, name="note"),
]
