"""Hand-written minimal PDFs for tests: pages of Helvetica text lines and URI link annotations."""

from __future__ import annotations

from collections.abc import Sequence


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(
    pages: list[list[str]],
    links: Sequence[tuple[int, str, tuple[int, int, int, int]]] = (),
    *,
    info: dict[str, str] | None = None,
) -> bytes:
    """A PDF whose page i shows ``pages[i]`` one line each (from the top), with link annotations
    ``(page index, uri, (x1, y1, x2, y2))``. Line k sits at y = 750 - 14 k, x = 72."""
    objects: list[bytes] = []

    def add(body: str | bytes) -> int:
        objects.append(body.encode("latin-1") if isinstance(body, str) else body)
        return len(objects)

    catalog = add("")  # filled in below
    pages_id = add("")
    font = add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    kids = []
    for index, lines in enumerate(pages):
        ops = ["BT /F1 11 Tf 14 TL 72 750 Td"]
        for line in lines:
            ops.append(f"({_escape(line)}) Tj T*")
        ops.append("ET")
        stream = "\n".join(ops).encode("latin-1")
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        annots = []
        for page_index, uri, (x1, y1, x2, y2) in links:
            if page_index == index:
                annots.append(
                    add(
                        f"<< /Type /Annot /Subtype /Link /Rect [{x1} {y1} {x2} {y2}] "
                        f"/Border [0 0 0] /A << /S /URI /URI ({_escape(uri)}) >> >>"
                    )
                )
        refs = " ".join(f"{a} 0 R" for a in annots)
        kids.append(
            add(
                f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 612 792] "
                f"/Resources << /Font << /F1 {font} 0 R >> >> /Contents {content} 0 R "
                f"/Annots [{refs}] >>"
            )
        )
    objects[catalog - 1] = f"<< /Type /Catalog /Pages {pages_id} 0 R >>".encode()
    objects[pages_id - 1] = (
        f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>"
    ).encode()
    info_id = None
    if info:
        entries = " ".join(f"/{k} ({_escape(v)})" for k, v in info.items())
        info_id = add(f"<< {entries} >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    trailer = f"<< /Size {len(objects) + 1} /Root {catalog} 0 R"
    trailer += f" /Info {info_id} 0 R >>" if info_id else " >>"
    out += f"trailer\n{trailer}\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def line_rect(line: int, x1: int = 72, x2: int = 200) -> tuple[int, int, int, int]:
    """The rectangle over text line ``line`` of ``make_pdf``'s layout."""
    y = 750 - 14 * line
    return (x1, y - 3, x2, y + 10)
