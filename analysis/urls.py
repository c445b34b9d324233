from django.urls import path

from . import views

app_name = "analysis"

urlpatterns = [
    path("rounds/<int:round_pk>/results/", views.round_results, name="round_results"),
]
