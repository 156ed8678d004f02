"""The data model.

IRIs (ids), namespaces and the closed lg: vocabulary, literal forms, Korean
text rules, work types.
"""
