"""Setting a study up: its domains, its rounds (while drafts) and their open questions."""
