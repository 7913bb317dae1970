"""Transforms of the model shared by every output: the excerpt rule and passage selection.

The site and the PDFs publish the same thing because both apply these functions to the same model
(tei/model.py); neither has an excerpt rule of its own.
"""

from __future__ import annotations

from build_scripts.tei import model as m

# --- excerpts ------------------------------------------------------------------------------------
WITHHELD_BLOCKS = (m.Paragraph, m.Block, m.Table, m.ListBlock)
ALWAYS_PUBLISHED = (
    "titlepage",
    "contents",
)  # division types published even from an "excerpts" witness


def withhold(nodes: tuple[m.Node, ...], keep: frozenset[str]) -> tuple[m.Node, ...]:
    """Keep headings, structure and the listed ids; each run of other blocks becomes one
    `withheld` paragraph that keeps their page breaks and ids as anchors (links still land)."""
    out: list[m.Node] = []
    run: list[m.Node] = []

    def flush() -> None:
        if run:
            kept = tuple(
                n for n in m.walk(tuple(run)) if isinstance(n, m.Break) and n.kind == "page"
            )
            ids = [i for i in m.ids_in(tuple(run)) if not any(i == b.id for b in kept)]
            anchors = tuple(m.Break("anchor", run[0].location, id=i) for i in ids[1:])
            out.append(
                m.Paragraph(ids[0] if ids else None, kept + anchors, run[0].location, "withheld")
            )
            run.clear()

    for node in nodes:
        ident = getattr(node, "id", None)
        if (
            ident in keep
            or getattr(node, "kind", "") == "titlepage"
            or getattr(node, "type", "") in ALWAYS_PUBLISHED
        ):
            flush()
            out.append(node)
        elif isinstance(node, m.Division):
            flush()
            out.append(
                m.Division(
                    node.id, node.type, node.head, withhold(node.children, keep), node.location
                )
            )
        elif isinstance(node, m.Block) and keep.intersection(m.ids_in(node.children)):
            flush()  # a listed passage inside a container (a quotation in an epigraph) is published
            out.append(m.Block(node.kind, node.id, withhold(node.children, keep), node.location))
        elif isinstance(node, WITHHELD_BLOCKS):
            run.append(node)
        else:
            flush()
            out.append(node)
    flush()
    return tuple(out)


def published_document(doc: m.Document, keep: frozenset[str]) -> m.Document:
    """The document as the site publishes it under the excerpt rule."""
    return m.Document(
        doc.siglum,
        doc.path,
        withhold(doc.front, keep),
        withhold(doc.body, keep),
        withhold(doc.back, keep),
        doc.ids,
    )
