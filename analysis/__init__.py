"""Delphi analysis engine: grouped median, quartiles, IQR, bands and consensus.

Pure Python + numpy, no Django: see ``analysis.stats`` and ``python -m analysis --help``.
"""
