"""Safe XML for the readers of arXiv's Atom feeds and OAI-PMH responses. Pure.

A document with a DTD is refused before parsing, so no entity is ever expanded (no XXE, no
billion laughs); a malformed one is an ``InputError`` naming the line and column.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from harvester.errors import InputError


def parse(data: bytes, root_tag: str, what: str) -> ET.Element:
    """The document's root element, which must be ``root_tag`` (``{namespace}name``)."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise InputError("XML with a DTD (<!DOCTYPE>/<!ENTITY>) is not accepted")
    try:
        root = ET.fromstring(data)  # noqa: S314 - DTDs refused above, so no entity expansion
    except ET.ParseError as e:
        line, column = e.position
        raise InputError(f"not well-formed XML at line {line}, column {column + 1}") from None
    if root.tag != root_tag:
        raise InputError(f"XML is not {what} (root element <{local(root.tag)}>)")
    return root


def text(element: ET.Element, path: str, namespaces: dict[str, str] | None = None) -> str | None:
    """The text at ``path`` with whitespace collapsed; None when absent or blank."""
    found = element.find(path, namespaces)
    if found is None or found.text is None:
        return None
    return " ".join(found.text.split()) or None


def local(tag: str) -> str:
    """``{namespace}name`` -> ``name``."""
    return tag.rsplit("}", 1)[-1]
