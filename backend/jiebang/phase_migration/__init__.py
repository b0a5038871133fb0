"""Phase migration: when a phase opens, or when its organiser asks (manual.py), the teams'
ranked submissions of the phase before it are re-run on it (Codabench's
``auto_migrate_to_this_phase`` and its "migrate" button)."""
