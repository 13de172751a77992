"""Text from snapshots and feature files, escaped for each format it is shown in.

HTML and SVG are escaped by their Jinja templates (autoescape); Markdown here; SARIF and JSON carry text as
JSON strings.
"""

from __future__ import annotations

_MARKDOWN = ("\\", "|", "<", ">", "*", "_", "`", "[", "]")


def markdown(text: str) -> str:
    """Keep text from being read as Markdown or HTML, on one line (a table cell or a list item)."""
    for char in _MARKDOWN:
        text = text.replace(char, "\\" + char)
    return text.replace("\n", " ")
