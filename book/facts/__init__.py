"""One module per recorded experiment: ``facts(record)`` returns the MyST substitutions its page quotes.

Contract (shared by every module here): ``EXPERIMENT`` is the folder under ``results/`` (or
``RECORD`` a path under ``results/``); ``facts(record) -> dict[str, str]`` maps names prefixed
with the module's name to display strings (formatted numbers with units, tables). No sentences:
the chapters' authors write those, and ``tests/book/test_recorded_answers.py`` checks their claims.
"""
