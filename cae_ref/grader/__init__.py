"""The grader's runtime: what the exercise notebooks' setup and test cells use (issue 28).

A notebook's setup cell runs ``from cae_ref.grader import checks`` (``checks`` imports
``pristine`` first, which records NumPy, Keras, builtins and cae_ref before any student code
runs) and ``from cae_ref.grader import grade``, the one name a test cell reads. Importing this
package itself stays light: it loads ``grading`` (the ``grade`` function and the message
catalogue, no TensorFlow) and records nothing, so ``cae_ref.set_language`` stays cheap.
Modules: ``checks`` (budgets, thresholds, guarded calls), ``guard`` and ``answers`` (the
answer-key guard), ``pristine`` and ``pristine_model`` (the grader's own copies),
``fit_record`` (what a graded training fitted on), ``student_model`` (whose model a notebook
trains), ``messages`` (every sentence a check shows, in English and Indonesian), ``grading``
(``grade``) and ``graded/`` (each assignment's visible checks).
"""

from __future__ import annotations

from cae_ref.grader.grading import grade as grade

__all__ = ["grade"]
