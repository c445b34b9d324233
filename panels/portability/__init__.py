"""Moving a study between installations (one JSON file) and deleting a whole study.

See tables.py for what the file holds; README, "Moving a study", for the rules.
"""

from .deleting import study_delete, title_matches
from .exporting import study_export, study_export_bytes
from .importing import ImportRefused, ImportResult, max_import_bytes, read_document, study_import
from .tables import FORMAT, NOT_EXPORTED, TABLES, VERSION

__all__ = [
    "FORMAT",
    "NOT_EXPORTED",
    "TABLES",
    "VERSION",
    "ImportRefused",
    "ImportResult",
    "max_import_bytes",
    "read_document",
    "study_delete",
    "study_export",
    "study_export_bytes",
    "study_import",
    "title_matches",
]
