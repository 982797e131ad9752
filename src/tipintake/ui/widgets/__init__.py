"""Reusable widgets: one module per kind of form field, plus small shared pieces."""


def set_text_colour(widget: object, colour: str) -> None:
    """Colour a label's text through its palette (style sheets cost a re-polish on every show)."""
    from tipintake.ui.qt import QColor, QPalette

    palette = widget.palette()  # type: ignore[attr-defined]
    palette.setColor(QPalette.ColorRole.WindowText, QColor(colour))
    widget.setPalette(palette)  # type: ignore[attr-defined]


ERROR_COLOUR = "#a40000"
HINT_COLOUR = "#555555"


def problem_label() -> object:
    """The red, wrapping line under a dialog's fields that says what is wrong."""
    from tipintake.ui.qt import QLabel

    label = QLabel()
    label.setObjectName("problem")  # tests find it by this name
    label.setWordWrap(True)
    set_text_colour(label, ERROR_COLOUR)
    return label
