; Queries kith runs over the tree-sitter-markdown block tree of every note.
; The engine loads this file at start-up (falling back to a compiled-in copy),
; so what is matched here is exactly what kith reads.

; Headings (ATX and setext, any level) may declare a contact: `## Alice @alice`.
(atx_heading) @kith.heading
(setext_heading) @kith.heading

; List items (bullets, ordered, task items, any depth) may be interactions:
; `- 2026-11-20 #gave intro to @bob`.
(list_item) @kith.item
