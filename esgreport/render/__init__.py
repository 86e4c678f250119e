"""Render a prepared report per edition: HTML of sections, web pages, the print document, charts."""
