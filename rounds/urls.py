"""The researcher's round URLs, gathered from the feature packages that own them."""

from .building import urls as building_urls
from .coding import urls as coding_urls
from .lifecycle import urls as lifecycle_urls
from .proxy import urls as proxy_urls
from .setup import urls as setup_urls

app_name = "rounds"

urlpatterns = [
    *setup_urls.urlpatterns,  # domains, rounds, open questions
    *lifecycle_urls.urlpatterns,  # open, close, invite, remind, track, letters, links
    *proxy_urls.urlpatterns,  # answers keyed in from paper, phone, LINE
    *coding_urls.urlpatterns,  # content analysis of a closed round 1
    *building_urls.urlpatterns,  # the next round, criteria, preview, reopening
]
