"""The Qt-free spine: vault, sealed store, domain model, working set, audit log, i18n.

Layer map (imports point downwards only; `lint-imports` checks it):

    ui | cli  ->  ministry  ->  bundles  ->  handouts | reports  ->  typeset  ->  core

Nothing in this package imports PySide6 or any package above it.
"""
