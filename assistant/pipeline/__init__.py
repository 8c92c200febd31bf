"""The answering pipeline, one module per stage, wired by `assistant.core.Assistant`:

    understand (question, conversation) → retrieve (retrieve, rerank) → select evidence (evidence)
    → draft (draft) → check (check) → decide (decide) → compose (compose, conflicts)

Each stage is a plain function or a small class with one call, typed by the dataclasses it
takes and returns (`Question`, `Retrieved`, `Evidence`, `Draft`, `Checked`, `Decision`,
`Composed`), so any of them can be swapped in an evaluation.
"""
