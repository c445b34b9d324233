"""Walk the URL configuration, so permission matrices cover every new view automatically."""

from django.urls import URLPattern, URLResolver, get_resolver


def url_names(keep) -> list[tuple[str, list[str]]]:
    """(namespaced name, argument names) of every named URL for which `keep(namespace, args)`.

    Shared by the researcher matrix (tests/test_access_matrix.py) and the expert-link matrix
    (tests/security/).
    """
    found = []

    def walk(patterns, namespace: str | None, arguments: list[str]) -> None:
        for entry in patterns:
            own = arguments + list(entry.pattern.converters)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, entry.namespace or namespace, own)
            elif isinstance(entry, URLPattern) and entry.name and keep(namespace, own):
                found.append((f"{namespace}:{entry.name}", own))

    walk(get_resolver().url_patterns, None, [])
    return sorted(found)
