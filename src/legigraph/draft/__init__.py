"""The draft-bill workbench: apply a draft amending bill and write its 신구조문대비표.

``run_draft`` takes a draft in the standard form (``legigraph.draft.source``), applies its
개정문 to the version in force (``base``, ``execute``), and makes the resulting text
(``render``), the 대비표 (``compare``), the bill as ELI-DL RDF with its amendments
(``rdf``, validated by the profile) and the checks on the new text (``checks``);
``write_outputs`` writes them. Built on ``legigraph.amendments``, which knows nothing of it.
"""

from legigraph.draft.workbench import OUTPUTS, DraftResult, default_out, run_draft, write_outputs

__all__ = ["OUTPUTS", "DraftResult", "default_out", "run_draft", "write_outputs"]
