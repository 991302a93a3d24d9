"""Class grading: parallel autograde, shards, merge, budgets, sandbox, repair, versions, manual grades, feedback."""
