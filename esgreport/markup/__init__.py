"""The report's Markdown dialect: the parser, its rules and its directives."""
