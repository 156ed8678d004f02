"""The resolver of cited law names: dates of namesakes, former names, mis-cited variants.

``dates`` derives each record's enactment and repeal dates from its own text, ``aliases``
mines former names from the corpus's 부칙, ``fuzzy`` matches mis-cited variants, and
``resolver.Resolver`` puts them together behind ``LawIndex.resolve``. ``mine`` writes the
committed tables under ``data/linking/`` from an unpacked corpus.
"""
