"""Data collection and assurance: the work around the report rather than the report itself.

- requests.py: a data-request workbook per owner (`python build.py requests`);
- imports.py: the owners' workbooks read back into the data files, all or nothing (`import`);
- layout.py: the workbook's columns, declared once for both;
- yamledit.py: edits of content YAML that keep comments and layout (ruamel.yaml);
- approvals.py: sign-offs bound to content (`approve`; the rule itself is prepare/approvals.py);
- assurance.py: the assurance provider's pack (`assurance`).

This stage reads the prepared report and may use the build's stages below it; commands call it.
"""
