"""Proxy entry: the researcher keys in or corrects an expert's answers that came on paper, by
phone, … Every write goes through the answering services with the researcher as `actor`
(see `rounds.answering`), which set the submission's channel and `entered_by` and write the
audit trail (who, when, old → new)."""
