"""Linking to the national law.

``citations`` finds citations in text; ``resolve`` reads the law index and resolves names;
``dates`` (enactment and repeal of namesakes), ``aliases`` (former names mined from the
부칙), ``fuzzy`` (mis-cited variants) and ``resolver.Resolver`` make that resolution exact;
``citing`` dates a citation by the text it stands in; ``mine`` writes the committed tables
under ``data/linking/``; ``linker`` links the graph's citations, provision by provision.
"""
