"""The compliance report: cell records gathered into a report, and its Markdown, HTML and JSON forms."""
