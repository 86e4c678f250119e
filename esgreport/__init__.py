"""Build a listed company's bilingual ESG report (HTML and PDF) from content kept in git."""

__version__ = "0.1.0"
