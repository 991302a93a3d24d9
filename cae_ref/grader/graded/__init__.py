"""Each assignment's visible checks (``<assignment>.py``), run by ``cae_ref.grader.grade`` fresh from disk."""
