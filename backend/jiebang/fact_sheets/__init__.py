"""Fact sheets: questions a track asks with every submission (Codabench ``fact_sheet``),
and each submission's answers."""
