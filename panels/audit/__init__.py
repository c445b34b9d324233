"""The study's audit log: who did what and when, filtered, paged and exported as CSV.

Open to the study's owner and editors (who run the study); viewers never see it, and other
researchers get 404 like every study URL.
"""
