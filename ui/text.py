r"""Text from files, the store or the URL is shown as text, never as markup.

Streamlit's markdown (st.markdown, st.caption, st.subheader, labels, help texts, st.write on a str)
fetches images, follows links and reads `:red[…]`, `$…$` and `:material/…:` directives: a unit name
or a file name holding `![x](http://host/)` would make every visitor's browser call that host.
`plain` backslash-escapes every character CommonMark or Streamlit gives a meaning to, and the
HTML-special ones become entities, so the text reads exactly as written.

>>> print(plain("![x](http://h/a.png) *b* :red[c] $d$ <i>"))
\!\[x\]\(http\://h/a\.png\) \*b\* \:red\[c\] \$d\$ &lt;i&gt;
"""

from __future__ import annotations

import contextlib
import re

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$:>])")


def plain(text: object) -> str:
    """`text` escaped for any Streamlit element that interprets markdown."""
    s = "" if text is None else str(text)
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _SPECIAL.sub(r"\\\1", s).replace("\n", "  \n")


def page_link(page: str, **kwargs: object) -> None:
    """st.page_link, drawn only where the page is registered: a page script run on its own (AppTest)
    has no navigation, and a link to a sibling page would stop it."""
    with contextlib.suppress(StreamlitPageNotFoundError):
        st.page_link(page, **kwargs)  # type: ignore[arg-type]
