"""The AI-project register (issue 15): new records from a CSV template, and exports.

``template``: the columns of ``data/templates/new-ai-projects.csv`` and how a row becomes
rows of the curated tables; ``check``: validation of such a file by row and column in the
context of the built graph; ``add``: merging a conforming file into ``data/tables``;
``export``: the register in the Dutch algorithm register's JSON layout and the UK ATRS
spreadsheet layout, from the built store.
"""
