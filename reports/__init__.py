"""Reports of a study: per-round and final, as PDF (reports.pdf), Excel (reports.excel) and CSV."""
