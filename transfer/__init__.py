"""Moving a study between installations (one JSON file) and deleting a whole study.

See tables.py for what the file holds; README, "Moving a study", for the rules.
"""
