# Loaded by `mailroom-run --beam` before the script (elixir -r): traces this process, the one
# that runs the script, and everything it spawns (beam/mailroom_tracer.erl, docs/beam.md).
:mailroom_tracer.script_boot()
