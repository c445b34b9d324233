from django.urls import path

from . import views_proxy
from .building import urls as building_urls
from .coding import urls as coding_urls
from .lifecycle import urls as lifecycle_urls
from .setup import urls as setup_urls

app_name = "rounds"

urlpatterns = [
    # Domains, rounds and open questions (rounds/setup/).
    *setup_urls.urlpatterns,
    # Participation, researcher side (rounds/lifecycle/).
    *lifecycle_urls.urlpatterns,
    # Proxy entry: answers received on paper, by phone, … (views_proxy.py).
    path("rounds/<int:round_pk>/proxy/", views_proxy.proxy_list, name="proxy_list"),
    path(
        "rounds/<int:round_pk>/proxy/<int:expert_pk>/",
        views_proxy.proxy_entry,
        name="proxy_entry",
    ),
    path("rounds/<int:round_pk>/proxy/history/", views_proxy.proxy_log, name="proxy_log"),
]

# Content analysis of a closed open round (rounds.coding), building the next round, its
# criteria, preview and reopening (rounds.building).
urlpatterns += coding_urls.urlpatterns
urlpatterns += building_urls.urlpatterns
