"""Text that any encoder accepts, whatever bytes the device under test sent.

A JSON string may spell an unpaired UTF-16 surrogate (``"\\ud800"``); Python
decodes it into a ``str`` that no UTF-8 encoder accepts. Such text reaches the
websocket, the trace attachments, failure messages, JUnit and Allure, and one
of them would crash the run. :func:`safe_text` turns every unencodable
character into its backslash escape, so the text stays readable and faithful
(``x\\ud800`` shows what the device sent) and can be written anywhere.
"""

from __future__ import annotations

__all__ = ["safe_text"]


def safe_text(text: str) -> str:
    """``text`` with every character UTF-8 cannot encode written as ``\\uXXXX``.

    Args:
        text: any text, possibly holding unpaired surrogates.

    Returns:
        The same text when it is encodable (the common case costs one scan).
    """
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text
