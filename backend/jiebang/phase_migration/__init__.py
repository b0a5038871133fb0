"""Auto-migration: when a phase opens, the teams' ranked submissions of the phase before it
are re-run on it (Codabench's ``auto_migrate_to_this_phase``)."""
