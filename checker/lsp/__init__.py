"""The editor integration: a language server for ``.rules`` files (``juesuan lsp``).

`checker.lsp.analysis` compiles an edited file with its rule set (`checker.lsp.chunks` parses it item by
item), `checker.lsp.names` says where each name comes from, and `completion`, `hover` and `navigation`
answer the editor's requests; `checker.lsp.server` wires them to pygls.
"""
